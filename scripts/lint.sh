#!/bin/bash
# make lint: the kernel community's quality gates over the whole suite.
#
# usage: scripts/lint.sh
#
#   checkpatch --strict  every .c and .h (waivers: .checkpatch.conf)
#   kernel-doc -Wall     every source and header, and every exported symbol
#                        must carry a kernel-doc comment
#   sparse (C=2)         against Debian's 6.12 headers
#   W=1 build            against Debian's 6.1 and 6.12 headers
# Any finding fails. Tools come from Debian's linux-source-6.12 and sparse.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
POOL_EXT_ROOT=$root
. "$root/scripts/lib.sh"
cd "$root"

"$root/scripts/install-deps.sh" || exit 1
ksrc=$("$root/scripts/unpack-kernel-source.sh") || exit 1
out=${POOL_EXT_OUT:-$root/.build}/lint
mkdir -p "$out"
bad=0
fail() { echo "   FAIL: $*"; bad=1; }

mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './.build/*')

echo "== checkpatch --strict (${#files[@]} files)"
if ! perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
	-f "${files[@]}" > "$out/checkpatch.txt" 2>&1; then
	cat "$out/checkpatch.txt"
	fail "checkpatch"
fi

echo "== kernel-doc -none -Wall"
if ! perl "$ksrc/scripts/kernel-doc" -none -Wall "${files[@]}" > "$out/kernel-doc.txt" 2>&1 ||
	[ -s "$out/kernel-doc.txt" ]; then
	cat "$out/kernel-doc.txt"
	fail "kernel-doc"
fi
# Every exported symbol needs a kernel-doc comment ("/**" then "name(" or
# "name -") in the module's sources or its public header.
for sym in $(grep -ho 'EXPORT_SYMBOL[A-Z_]*([a-z0-9_]*)' "${files[@]}" | sed 's/.*(\(.*\))/\1/' | sort -u); do
	if ! grep -lzP "/\*\*\s*\n\s*\*\s*(struct |enum |union )?\Q$sym\E(\(\)|\s+-|:)" "${files[@]}" > /dev/null; then
		fail "exported symbol without kernel-doc: $sym"
	fi
done

k612=$(stock_kernel 6.12) || exit 1
k61=$(stock_kernel 6.1) || exit 1
set -- $k612 $k61

echo "== sparse (make C=2) against $2"
copy_tree "$root" "$out/sparse"
make -C "$out/sparse" KDIR="$2" C=2 modules demo > "$out/sparse.txt" 2>&1 || fail "sparse build"
# Only findings in the suite's own files count; kernel headers are not ours.
if grep -E "^$out/sparse/[^:]+:[0-9]+:[0-9]+: (warning|error):" "$out/sparse.txt"; then
	fail "sparse"
fi

for kdir in "$2" "$4"; do
	echo "== W=1 build against $kdir"
	build_tree "$root" "$out/w1-$(basename "$(dirname "$kdir")")" "$kdir" W=1 ||
		fail "W=1 build against $kdir"
done

[ $bad = 0 ] && echo "lint: clean" || echo "lint: FAILED"
exit $bad
