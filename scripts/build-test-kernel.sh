#!/bin/bash
# Build (or reuse) a test kernel from Debian's kernel sources.
#
# usage: scripts/build-test-kernel.sh [FLAVOUR]
#
# FLAVOUR picks the source and the config fragment:
#   debug       (the default) linux-source-6.12 with tests/test-kernel.config
#               (KASAN, lockdep, kmemleak, KUnit)
#   debug-7.2   linux-source-7.2 (Debian unstable, fetched and unpacked by
#               scripts/unpack-kernel-source.sh 7.2) with the same fragment
#   kcsan       linux-source-6.12 with that fragment, the options of
#               tests/test-kernel-kcsan.config replacing its own (KCSAN
#               instead of KASAN)
#   debug-arm64 linux-source-6.12 for arm64, cross-built with Debian's
#               gcc-aarch64-linux-gnu: that fragment, the options of
#               tests/test-kernel-arm64.config replacing its own (the
#               QEMU virt machine, 64 KiB pages, CONFIG_SRAM off)
# The build lives in a cache outside the work tree, keyed by the
# fragment, this script and the source package version, so a second run
# reuses it. Prints the cache directory on the last line; it holds
# the image (arch/x86/boot/bzImage, arch/arm64/boot/Image) and a kbuild
# output tree (with Module.symvers) for KDIR=; build-seconds says how long
# the build took.
# Builds take a lock in the cache, so two of them run one after the other.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
base=$here/tests/test-kernel.config
cache_root=${POOL_EXT_CACHE:-/var/cache/pool_ext}

usage() { echo "usage: $0 [debug|debug-7.2|kcsan|debug-arm64]" >&2; exit 2; }
[ $# -le 1 ] || usage
flavour=${1:-debug}
# series: which linux-source-SERIES; overlay: a fragment whose options
# replace the base fragment's; karch, cross, image: the kbuild ARCH,
# CROSS_COMPILE and image target.
karch=x86_64 cross= image=bzImage
case "$flavour" in
debug) series=6.12 overlay= ;;
debug-7.2) series=7.2 overlay= ;;
kcsan) series=6.12 overlay=$here/tests/test-kernel-kcsan.config ;;
debug-arm64)
	series=6.12 overlay=$here/tests/test-kernel-arm64.config
	karch=arm64 cross=aarch64-linux-gnu- image=Image
	command -v ${cross}gcc > /dev/null ||
		{ echo "test kernel: ${cross}gcc missing: run scripts/install-deps.sh" >&2; exit 1; }
	;;
*) usage ;;
esac
kmake() { make -C "$src" O="$out" ARCH=$karch ${cross:+CROSS_COMPILE=$cross} "$@"; }

# The flavour's config fragment: the base one, less every option the
# overlay names (set or "is not set"), then the overlay.
fragment() {
	if [ -z "$overlay" ]; then
		cat "$base"
		return
	fi
	awk 'NR == FNR {
		if (match($0, /^CONFIG_[A-Za-z0-9_]+=/))
			drop[substr($0, 1, RLENGTH - 1)] = 1
		else if (match($0, /^# CONFIG_[A-Za-z0-9_]+ is not set/))
			drop[$2] = 1
		next
	}
	{
		opt = ""
		if (match($0, /^CONFIG_[A-Za-z0-9_]+=/))
			opt = substr($0, 1, RLENGTH - 1)
		else if (match($0, /^# CONFIG_[A-Za-z0-9_]+ is not set/))
			opt = $2
		if (!(opt in drop))
			print
	}' "$overlay" "$base"
	cat "$overlay"
}

# The unpacked source (instant when cached), named src-VERSION.
src=$("$here/scripts/unpack-kernel-source.sh" "$series" | tail -1)
srcver=$(basename "$src")
srcver=${srcver#src-}
# Bump when a change to this script changes what gets built.
recipe=1
# The debug flavour's key and paths are what they were before flavours
# existed, so its cached build stays valid.
if [ "$flavour" = debug ]; then
	key=$( (fragment; echo "recipe=$recipe") | sha256sum | cut -c1-16)
	out=$cache_root/kernel-$srcver-$key
	link=$cache_root/test-kernel	# stable name for the newest good build
else
	key=$( (fragment; echo "recipe=$recipe"; echo "flavour=$flavour") |
		sha256sum | cut -c1-16)
	out=$cache_root/kernel-$flavour-$srcver-$key
	link=$cache_root/test-kernel-$flavour
fi

if [ -f "$out/.done" ]; then
	ln -sfn "$out" "$link"
	echo "test kernel: cached in $out" >&2
	echo "$out"
	exit 0
fi

# Whether an unfinished tree may still be in use, asked under the lock.
# Trees this script builds carry .locked: their builder held the lock, so
# none is running now. A tree without it, written to in the last half
# hour, may be an older copy of this script's, which took no lock.
in_use() {
	[ ! -f "$1/.locked" ] &&
	[ -n "$(find "$1" -newermt '-30 minutes' -print -quit 2>/dev/null)" ]
}

mkdir -p "$cache_root"
exec 9> "$cache_root/.build.lock"
if ! flock -n 9; then
	echo "test kernel: waiting for another build to finish" >&2
	flock 9
fi
# It may have been ours.
if [ -f "$out/.done" ]; then
	ln -sfn "$out" "$link"
	echo "test kernel: cached in $out" >&2
	echo "$out"
	exit 0
fi
# Under the lock no other build is running: an unfinished tree is left
# over from an interrupted run, unless an unlocked build is writing it.
for d in "$cache_root"/kernel-*; do
	[ -d "$d" ] && [ ! -f "$d/.done" ] || continue
	if in_use "$d"; then
		[ "$d" != "$out" ] || { echo "test kernel: $out is being written by another build; try again later" >&2; exit 1; }
		echo "test kernel: leaving $d alone (written to recently)" >&2
	else
		rm -rf "$d"
	fi
done
echo "test kernel: building the $flavour kernel in $out (several minutes, once)" >&2
rm -rf "$out"
mkdir -p "$out"
touch "$out/.locked"
jobs=$(nproc)
start=$(date +%s)
kmake tinyconfig >/dev/null
fragment > "$out/fragment.config"
ARCH=$karch "$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$out/fragment.config" >/dev/null
kmake olddefconfig >/dev/null

# Every line of the fragment must survive olddefconfig: a dropped option
# (unmet dependency) would silently weaken the tests.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qx -- "$line" "$out/.config" || { echo "test kernel: fragment line not applied: $line" >&2; missing=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		if grep -q "^$opt=" "$out/.config"; then echo "test kernel: fragment line not applied: $line" >&2; missing=1; fi ;;
	esac
done < "$out/fragment.config"
[ "$missing" = 0 ] || exit 1

kmake -j"$jobs" "$image" modules > "$out/build.log" 2>&1 ||
	{ tail -40 "$out/build.log" >&2; echo "test kernel: build failed, log in $out/build.log" >&2; exit 1; }
[ -f "$out/Module.symvers" ] || { echo "test kernel: no Module.symvers" >&2; exit 1; }
echo $(($(date +%s) - start)) > "$out/build-seconds"
touch "$out/.done"
ln -sfn "$out" "$link"
echo "$out"
