#!/bin/bash
# make lint: the kernel community's quality gates over the whole suite.
#
# usage: scripts/lint.sh
#
#   checkpatch --strict  every .c and .h (waivers: .checkpatch.conf)
#   kernel-doc -Wall     every source and header, and every exported symbol
#                        must carry a kernel-doc comment
#   sparse (C=2)         against every stock kernel of the matrix
#   W=1 build            (scripts/kernels.list: 6.1, 6.12, 6.12-rt, 7.2)
#   version tests        LINUX_VERSION_CODE only in compat/pool_ext_compat.h
# Any finding fails. Tools come from Debian's linux-source-6.12 and sparse
# (for 7.2, which needs a newer sparse, unstable's sparse built from its
# source package by scripts/build-sparse.sh).
set -uo pipefail

. "$(dirname "$0")/lib.sh"
root=$POOL_EXT_ROOT
cd "$root"

"$root/scripts/install-deps.sh" || exit 1
ksrc=$("$root/scripts/unpack-kernel-source.sh") || exit 1
out=${POOL_EXT_OUT:-$root/.build}/lint
mkdir -p "$out"
bad=0
fail() { echo "   FAIL: $*"; bad=1; }

mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './.build/*')

# compat/pool_ext_compat.h is where the version tests go (see below), so
# there, and only there, checkpatch's objections to LINUX_VERSION_CODE
# (and to "LINUX_VERSION_CODE < KERNEL_VERSION(...)" as a comparison with
# a constant on the left) are waived.
compat=compat/pool_ext_compat.h
# The modules' trace.h files follow the kernel's TRACE_EVENT() layout
# (include/trace/events/): "TP_STRUCT__entry(" ending a line and the
# macro arguments indented by one tab are the idiom there, so those two
# checks, and only those, are waived in them.
mapfile -t traces < <(printf '%s\n' "${files[@]}" | grep -E '^[a-z_]+_ext/trace\.h$')
# The model checker's stand-in for <linux/tracepoint.h> compiles the
# events out: its TRACE_EVENT() and friends must take the kernel's
# arguments and ignore them, so unused (and reused) macro arguments are
# waived there, and only there.
tpshim=tests/modelcheck/include/linux/tracepoint.h
mapfile -t others < <(printf '%s\n' "${files[@]}" | grep -vxF -e "$compat" -e "$tpshim" |
	grep -vE '^[a-z_]+_ext/trace\.h$')
echo "== checkpatch --strict (${#files[@]} files)"
if ! perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
	-f "${others[@]}" > "$out/checkpatch.txt" 2>&1; then
	cat "$out/checkpatch.txt"
	fail "checkpatch"
fi
if [ ${#traces[@]} -gt 0 ] && ! perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree --quiet \
	--show-types --ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT \
	-f "${traces[@]}" > "$out/checkpatch-trace.txt" 2>&1; then
	cat "$out/checkpatch-trace.txt"
	fail "checkpatch (trace.h)"
fi
if [ -f "$tpshim" ] && ! perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree --quiet \
	--show-types --ignore MACRO_ARG_UNUSED,MACRO_ARG_REUSE \
	-f "$tpshim" > "$out/checkpatch-tpshim.txt" 2>&1; then
	cat "$out/checkpatch-tpshim.txt"
	fail "checkpatch ($tpshim)"
fi
if [ -f "$compat" ] && ! perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree --quiet \
	--show-types --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON \
	-f "$compat" > "$out/checkpatch-compat.txt" 2>&1; then
	cat "$out/checkpatch-compat.txt"
	fail "checkpatch ($compat)"
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

# Kernel API drift is handled in compat/pool_ext_compat.h alone.
echo "== version tests only in compat/pool_ext_compat.h"
if grep -nE 'LINUX_VERSION_CODE|KERNEL_VERSION\(' "${files[@]}" | grep -v '^compat/pool_ext_compat\.h:'; then
	fail "a kernel version test outside compat/pool_ext_compat.h"
fi

# sparse and W=1 against every stock kernel of the matrix
# (scripts/kernels.list).
for name in $(kernel_names stock); do
	k=$(stock_kernel "$name") || { fail "no build tree for $name"; continue; }
	set -- $k
	echo "== sparse (make C=2) against $name ($(kernel_release "$2"))"
	copy_tree "$root" "$out/sparse-$name"
	make -C "$out/sparse-$name" KDIR="$2" C=2 modules demo > "$out/sparse-$name.txt" 2>&1 ||
		fail "sparse build against $name"
	# Newer kernels (7.2) refuse an old sparse and build without it, with
	# only a warning: then use unstable's sparse, built from source.
	if grep -q 'specified, but .* is not available or not up to date' "$out/sparse-$name.txt"; then
		echo "   Debian 12's sparse is too old for $name: using unstable's"
		if newsparse=$("$root/scripts/build-sparse.sh" | tail -1); then
			copy_tree "$root" "$out/sparse-$name"
			make -C "$out/sparse-$name" KDIR="$2" C=2 CHECK="$newsparse" modules demo \
				> "$out/sparse-$name.txt" 2>&1 || fail "sparse build against $name"
		else
			fail "no sparse for $name"
		fi
	fi
	grep 'specified, but .* is not available or not up to date' "$out/sparse-$name.txt" &&
		fail "sparse did not run against $name"
	grep -q '^  CHECK ' "$out/sparse-$name.txt" || fail "sparse checked no file against $name"
	# Only findings in the suite's own files count; kernel headers are not ours.
	if grep -E "^$out/sparse-$name/[^:]+:[0-9]+:[0-9]+: (warning|error):" "$out/sparse-$name.txt"; then
		fail "sparse against $name"
	fi

	echo "== W=1 build against $name"
	build_tree "$root" "$out/w1-$name" "$2" W=1 || fail "W=1 build against $name"
done

[ $bad = 0 ] && echo "lint: clean" || echo "lint: FAILED"
exit $bad
