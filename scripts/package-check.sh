#!/bin/bash
# Packaging checks: DKMS builds against every installed stock kernel of the
# matrix (scripts/kernels.list: Debian's 6.1, 6.12 and 6.12-rt), and
# modprobe resolves the demo's dependencies from an installed tree.
#
# usage: scripts/package-check.sh
#
# DKMS: the tree is copied to /usr/src/pool_ext-VERSION, then dkms add,
# build and install for each kernel, then removed again. Kernels fetched
# from another suite (7.2 from unstable) are left out: DKMS builds for
# kernels installed with their linux-headers package (/lib/modules/REL/
# build), and 7.2's cannot be installed on Debian 12:
# linux-headers-7.2.13+deb14-amd64 depends on gcc-16-for-host and on
# linux-kbuild-7.2.13+deb14, whose programs need libc6 >= 2.38 (Debian 12
# has 2.36). make check builds the suite for 7.2 against a tree prepared
# from its source instead (scripts/fetch-debian-kernel.sh). modprobe: make
# install into a staging tree (updates/ + depmod), boot stock 6.12 with
# that tree as the initramfs's /lib/modules, modprobe pool_ext_demo, and
# require all four modules loaded, then all gone after modprobe -r.
set -uo pipefail

. "$(dirname "$0")/lib.sh"
root=$POOL_EXT_ROOT
"$root/scripts/install-deps.sh" || exit 1
out=${POOL_EXT_OUT:-$root/.build}/package
mkdir -p "$out"
bad=0

pkgver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$root/dkms.conf")
dst=/usr/src/pool_ext-$pkgver
dkms remove "pool_ext/$pkgver" --all > /dev/null 2>&1
rm -rf "$dst"
copy_tree "$root" "$dst"
make -C "$dst" clean KDIR=/nonexistent > /dev/null 2>&1
dkms add "pool_ext/$pkgver" > "$out/dkms.log" 2>&1 || { cat "$out/dkms.log"; bad=1; }
for ver in $(kernel_names stock); do
	if [ "$(kernel_field "$ver" origin)" != installed ]; then
		echo "== dkms: $ver skipped (not installable here, see the top of $0)"
		continue
	fi
	k=$(stock_kernel "$ver") || { bad=1; continue; }
	set -- $k
	krel=${1#/boot/vmlinuz-}
	echo "== dkms build + install for $krel"
	if dkms build "pool_ext/$pkgver" -k "$krel" >> "$out/dkms.log" 2>&1 &&
	   dkms install "pool_ext/$pkgver" -k "$krel" >> "$out/dkms.log" 2>&1; then
		ls "/lib/modules/$krel/updates/dkms/" | sed 's/^/   /'
	else
		tail -30 "$out/dkms.log"
		cat "/var/lib/dkms/pool_ext/$pkgver/build/make.log" 2>/dev/null | tail -20
		echo "   FAIL: dkms for $krel"
		bad=1
	fi
done
dkms remove "pool_ext/$pkgver" --all >> "$out/dkms.log" 2>&1
rm -rf "$dst"

echo "== make install + modprobe on stock 6.12"
k=$(stock_kernel 6.12) || exit 1
set -- $k
krel=${1#/boot/vmlinuz-}
w=$out/modprobe
if build_tree "$root" "$w" "$2"; then
	rm -rf "$w/stage"
	make -C "$w/src" KDIR="$2" INSTALL_MOD_PATH="$w/stage" install > "$w/install.log" 2>&1 ||
		{ tail -20 "$w/install.log"; bad=1; }
	# Only the suite's own modules are staged: the stock kernel's tree is
	# not needed for the suite's dependencies.
	boot_and_judge -T "$w/stage/lib/modules" -s 2 -t 240 -a "pool_ext.mode=modprobe" \
		"$1" "$w/serial.log" || bad=1
	grep -E '^POOL_EXT: (modprobe|loaded|left)' "$w/serial.log" | sed 's/^/   /'
	for m in $POOL_EXT_MODULES pool_ext_demo; do
		grep -E "^POOL_EXT: loaded .*\b$m\b" "$w/serial.log" > /dev/null ||
			{ echo "   FAIL: modprobe did not load $m"; bad=1; }
		grep -E "^POOL_EXT: left .*\b$m\b" "$w/serial.log" > /dev/null &&
			{ echo "   FAIL: modprobe -r left $m loaded"; bad=1; }
	done
	grep -q '^POOL_EXT: modprobe pool_ext_demo rc=0' "$w/serial.log" || bad=1
else
	bad=1
fi
[ $bad = 0 ] && echo "package check: PASS" || echo "package check: FAIL"
exit $bad
