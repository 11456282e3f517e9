#!/bin/bash
# Fetch a Debian kernel that cannot be installed on this Debian 12 system
# (Linux 7.2 from unstable, say), and prepare a build tree for it.
#
# usage: scripts/fetch-debian-kernel.sh SUITE ABI FLAVOUR [ARCH]
#        e.g. scripts/fetch-debian-kernel.sh unstable 7.2.13+deb14 amd64
#             scripts/fetch-debian-kernel.sh bookworm-security 6.12.118+deb12 arm64 arm64
#
# ARCH is the Debian architecture; by default the one the flavour names
# (arm64, rt-arm64, arm64-16k: arm64; otherwise amd64). Another one than the
# machine's (arm64) is read through a private apt configuration for that
# architecture alone (POOL_EXT_APT_ARCH of debian_apt in scripts/lib.sh):
# the machine's dpkg architectures are never changed; its build tree is
# prepared with the cross compiler of scripts/install-deps.sh.
#
# Downloads, from SUITE on the mirror this machine already uses:
#   linux-binary-ABI-FLAVOUR           the image (usr/lib/modules/REL/vmlinuz);
#                                      in Debian 12, linux-image-ABI-FLAVOUR-unsigned
#   linux-headers-ABI-FLAVOUR, -common the stock .config and Module.symvers
#   linux-source-SERIES                the source of the same version
# through a private apt configuration (sources list, lists, cache under the
# cache directory): /etc/apt and the system's package state are never
# touched, so the machine stays a Debian 12 system. The packages are
# unpacked with dpkg -x, never installed.
#
# The headers package's own kbuild programs are linked for a newer C
# library than Debian 12 has, so the build tree is prepared from the
# source instead: the stock .config, make olddefconfig, make
# LOCALVERSION=... modules_prepare (so that the release, and with it the
# vermagic, is REL = ABI-FLAVOUR), then the stock Module.symvers.
#
# Everything lives in $POOL_EXT_CACHE (default /var/cache/pool_ext), keyed
# by the package version:
#   debian-ABI-FLAVOUR-VERSION/vmlinuz   the stock image
#   debian-ABI-FLAVOUR-VERSION/build     KDIR for the suite; its vmlinux is
#                                        the headers' (BTF for the modules)
#   debian-ABI-FLAVOUR-VERSION/source -> src-VERSION, the unpacked source
# A cached, finished tree is reused without any network access. Prints the
# directory on the last line.
set -euo pipefail

[ $# -eq 3 ] || [ $# -eq 4 ] || { echo "usage: $0 SUITE ABI FLAVOUR [ARCH]" >&2; exit 2; }
suite=$1 abi=$2 flavour=$3 arch=${4:-}
if [ -z "$arch" ]; then
	case "$flavour" in *arm64*) arch=arm64 ;; *) arch=amd64 ;; esac
fi
# kbuild's ARCH and CROSS_COMPILE for the build tree.
case "$arch" in
amd64) kmake=(make) ;;
arm64) kmake=(make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	export POOL_EXT_APT_ARCH=arm64 ;;
*) echo "error: no architecture '$arch' (amd64, arm64)" >&2; exit 2 ;;
esac
rel=$abi-$flavour
series=$(echo "$abi" | cut -d. -f1,2)
cache_root=${POOL_EXT_CACHE:-/var/cache/pool_ext}
mkdir -p "$cache_root"

# A finished tree of this ABI and flavour: the ABI pins the kernel, so any
# packaging version of it will do; take the newest.
cached() {
	ls -d "$cache_root/debian-$rel"-*/.done 2>/dev/null | sed 's|/.done$||' | sort -V | tail -1
	return 0
}
# vmlinux_btf DIR: give the build tree the headers' vmlinux (BTF only, no
# code), so that kbuild generates BTF for the modules built against it
# (without it: "Skipping BTF generation ... due to unavailability of
# vmlinux"). Also upgrades a tree cached before this step existed.
vmlinux_btf() {
	local v=$1/headers/usr/src/linux-headers-$rel/vmlinux
	[ -e "$1/build/vmlinux" ] || [ ! -f "$v" ] || ln -s "$v" "$1/build/vmlinux"
}

. "$(dirname "$0")/lib.sh"
# One fetch at a time: a second caller waits, then finds the tree cached.
cache_lookup_locked cached "$cache_root/.fetch.lock"
if [ -n "$POOL_EXT_CACHED" ]; then
	vmlinux_btf "$POOL_EXT_CACHED"
	echo "kernel $rel: cached in $POOL_EXT_CACHED" >&2
	echo "$POOL_EXT_CACHED"
	exit 0
fi

echo "kernel $rel: reading Debian $suite (private apt state in $cache_root/apt-$suite${POOL_EXT_APT_ARCH:+-$POOL_EXT_APT_ARCH})" >&2
debian_apt "$suite" apt-get -qq update >&2
# Debian 13 on names the image package linux-binary-REL; Debian 12 has
# linux-image-REL (signed, for amd64 and arm64) and the same image
# unsigned, linux-image-REL-unsigned, which is what QEMU boots.
image=linux-binary-$rel
ver=$(debian_version "$suite" "$image" || true)
if [ -z "$ver" ]; then
	image=linux-image-$rel-unsigned
	ver=$(debian_version "$suite" "$image" || true)
fi
[ -n "$ver" ] || {
	echo "error: Debian $suite has no linux-binary-$rel or $image (has it moved on? update scripts/kernels.list)" >&2
	exit 1
}

out=$cache_root/debian-$rel-$ver
src=$cache_root/src-$ver
# Built in place (a kbuild output tree is not meant to move); it counts as
# cached only once .done is there.
tmp=$out
rm -rf "$tmp"
mkdir -p "$tmp/debs"
echo "kernel $rel: downloading version $ver" >&2
pkgs=("$image=$ver" "linux-headers-$rel=$ver" "linux-headers-$abi-common=$ver")
[ -f "$src/.done" ] || pkgs+=("linux-source-$series=$ver")
(cd "$tmp/debs" && debian_apt "$suite" apt-get -qq download "${pkgs[@]}") >&2

dpkg -x "$tmp/debs/${image}_"*.deb "$tmp/image"
for d in "$tmp/debs/linux-headers-"*.deb; do dpkg -x "$d" "$tmp/headers"; done
vmlinuz=$tmp/image/usr/lib/modules/$rel/vmlinuz
[ -f "$vmlinuz" ] || vmlinuz=$tmp/image/boot/vmlinuz-$rel
[ -f "$vmlinuz" ] || { echo "error: no vmlinuz for $rel in $image" >&2; exit 1; }
ln -s "${vmlinuz#"$tmp"/}" "$tmp/vmlinuz"
hdr=$tmp/headers/usr/src/linux-headers-$rel
[ -f "$hdr/.config" ] && [ -f "$hdr/Module.symvers" ] ||
	{ echo "error: linux-headers-$rel lacks .config or Module.symvers" >&2; exit 1; }

if [ ! -f "$src/.done" ]; then
	echo "kernel $rel: unpacking linux-source-$series $ver into $src" >&2
	rm -rf "$src" "$src.tmp"
	dpkg -x "$tmp/debs/linux-source-${series}_"*.deb "$tmp/source-deb"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" --strip-components=1 -xf "$tmp/source-deb/usr/src/linux-source-$series.tar.xz"
	rm -rf "$tmp/source-deb"
	touch "$src.tmp/.done"
	mv "$src.tmp" "$src"
fi
rm -rf "$tmp/debs"
ln -s "$src" "$tmp/source"

# The build tree: the stock configuration on the same source, with the
# release string of the stock kernel (upstream version + LOCALVERSION).
upstream=$(make -s -C "$src" kernelversion)
localversion=${rel#"$upstream"}
[ "$localversion" != "$rel" ] ||
	{ echo "error: release $rel does not start with the source's version $upstream" >&2; exit 1; }
echo "kernel $rel: preparing the build tree (olddefconfig, modules_prepare)" >&2
mkdir -p "$tmp/build"
cp "$hdr/.config" "$tmp/build/.config"
"${kmake[@]}" -C "$src" O="$tmp/build" olddefconfig > "$tmp/prepare.log" 2>&1 &&
	"${kmake[@]}" -C "$src" O="$tmp/build" LOCALVERSION="$localversion" -j"$(nproc)" modules_prepare \
		>> "$tmp/prepare.log" 2>&1 ||
	{ tail -30 "$tmp/prepare.log" >&2; echo "error: modules_prepare failed, log $tmp/prepare.log" >&2; exit 1; }
cp "$hdr/Module.symvers" "$tmp/build/Module.symvers"
vmlinux_btf "$tmp"
got=$(cat "$tmp/build/include/config/kernel.release")
[ "$got" = "$rel" ] ||
	{ echo "error: the build tree's release is $got, not $rel: modules would not load" >&2; exit 1; }
echo "$ver" > "$tmp/version"
touch "$out/.done"
echo "kernel $rel: ready in $out" >&2
echo "$out"
