#!/bin/bash
# Install the Debian packages the suite needs to build, test and run.
#
# usage: scripts/install-deps.sh
#
# Idempotent and quick when everything is already installed: apt-get runs
# only for packages that are missing. Debian packages only.
set -euo pipefail

pkgs=(
	# compiler and kbuild
	build-essential bc bison flex libelf-dev libssl-dev dwarves kmod
	python3 rsync xz-utils
	# guest userspace, initramfs and the emulator
	busybox-static cpio gzip qemu-system-x86
	# arm64 (make check ARCH=arm64): the cross compiler, the emulator, and
	# dtc for the SRAM device tree; the guest's busybox comes from Debian's
	# arm64 busybox-static, fetched unpacked (scripts/fetch-debian-kernel.sh)
	gcc-aarch64-linux-gnu qemu-system-arm device-tree-compiler
	# the test kernel's sources, and the stock kernels with their headers
	linux-source-6.12
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	linux-image-6.12-rt-amd64 linux-headers-6.12-rt-amd64
	# make lint, make coverage, make bench, DKMS packaging
	sparse lcov gnuplot-nox dkms
	# make check: the modules' BTF (scripts/btf-check.sh)
	bpftool
	# scripts/port-driver (Coccinelle)
	coccinelle
)

missing=()
for p in "${pkgs[@]}"; do
	[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "error: missing packages (${missing[*]}); run $0 as root" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
