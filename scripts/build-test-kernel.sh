#!/bin/bash
# Build (or reuse) the debug test kernel from Debian's linux-source-6.12.
#
# usage: scripts/build-test-kernel.sh
#
# The build lives in a cache outside the work tree, keyed by the config
# fragment, this script and the source package version, so a second run
# reuses it. Prints the cache directory on the last line; it holds
# bzImage and a kbuild output tree (with Module.symvers) for KDIR=.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
frag=$here/tests/test-kernel.config
cache_root=${POOL_EXT_CACHE:-/var/cache/pool_ext}

[ $# -eq 0 ] || { echo "usage: $0" >&2; exit 2; }

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
# Bump when a change to this script changes what gets built.
recipe=1
key=$( (cat "$frag"; echo "recipe=$recipe") | sha256sum | cut -c1-16)
out=$cache_root/kernel-$srcver-$key

link=$cache_root/test-kernel	# stable name for the newest good build

if [ -f "$out/.done" ]; then
	ln -sfn "$out" "$link"
	echo "test kernel: cached in $out" >&2
	echo "$out"
	exit 0
fi

mkdir -p "$cache_root"
# Drop half-built trees of earlier, interrupted runs.
for d in "$cache_root"/kernel-*; do
	[ -d "$d" ] && [ ! -f "$d/.done" ] && rm -rf "$d"
done
src=$("$here/scripts/unpack-kernel-source.sh")

echo "test kernel: building in $out (several minutes, once)" >&2
rm -rf "$out"
mkdir -p "$out"
jobs=$(nproc)
make -C "$src" O="$out" ARCH=x86_64 tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag" >/dev/null
make -C "$src" O="$out" ARCH=x86_64 olddefconfig >/dev/null

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
done < "$frag"
[ "$missing" = 0 ] || exit 1

make -C "$src" O="$out" ARCH=x86_64 -j"$jobs" bzImage modules > "$out/build.log" 2>&1 ||
	{ tail -40 "$out/build.log" >&2; echo "test kernel: build failed, log in $out/build.log" >&2; exit 1; }
[ -f "$out/Module.symvers" ] || { echo "test kernel: no Module.symvers" >&2; exit 1; }
touch "$out/.done"
ln -sfn "$out" "$link"
echo "$out"
