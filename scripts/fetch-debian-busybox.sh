#!/bin/bash
# Fetch Debian 12's static busybox for another architecture, for that
# architecture's test initramfs (scripts/make-initramfs.sh -b).
#
# usage: scripts/fetch-debian-busybox.sh ARCH     e.g. arm64
#
# busybox-static:ARCH from bookworm, downloaded through a private apt
# configuration for ARCH alone (debian_apt in scripts/lib.sh) and unpacked
# with dpkg -x, never installed: the machine's apt configuration and dpkg
# architectures do not change. Cached in
# $POOL_EXT_CACHE/busybox-static-ARCH-VERSION; prints the binary's path on
# the last line.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 ARCH" >&2; exit 2; }
arch=$1
cache_root=${POOL_EXT_CACHE:-/var/cache/pool_ext}
cached() {
	ls -d "$cache_root/busybox-static-$arch"-*/.done 2>/dev/null | sed 's|/.done$||' | sort -V | tail -1
	return 0
}
dir=$(cached)
if [ -z "$dir" ]; then
	mkdir -p "$cache_root"
	exec 8> "$cache_root/.fetch.lock"
	flock 8
	dir=$(cached)
fi
if [ -z "$dir" ]; then
	. "$(dirname "$0")/lib.sh"
	export POOL_EXT_APT_ARCH=$arch
	debian_apt bookworm apt-get -qq update >&2
	ver=$(debian_version bookworm busybox-static)
	[ -n "$ver" ] || { echo "error: Debian bookworm has no busybox-static for $arch" >&2; exit 1; }
	dir=$cache_root/busybox-static-$arch-$ver
	rm -rf "$dir"
	mkdir -p "$dir/deb"
	(cd "$dir/deb" && debian_apt bookworm apt-get -qq download "busybox-static=$ver") >&2
	dpkg -x "$dir"/deb/busybox-static_*.deb "$dir/root"
	rm -rf "$dir/deb"
	[ -x "$dir/root/bin/busybox" ] || { echo "error: no bin/busybox in busybox-static $ver" >&2; exit 1; }
	touch "$dir/.done"
	echo "busybox-static $arch: $ver in $dir" >&2
fi
echo "$dir/root/bin/busybox"
