#!/bin/bash
# The suite's test command (make check).
#
# usage: scripts/check.sh [--kunit-only]
#
# 1. install Debian dependencies (quick when present)
# 2. parser self-test against the fixture logs, and genpool_ext's
#    interleaving model checker (userspace, tests/modelcheck/)
# 3. build (or reuse) the debug test kernel
# 4. build suite + KUnit modules against it, boot QEMU (-smp 2), run every
#    suite, judge the serial log
# 5. KCSAN: the concurrency and stress cases of all three modules on a
#    second test kernel, with KCSAN instead of KASAN (scripts/kcsan-check.sh)
# 6. stock-kernel smoke: build against Debian's 6.1 and 6.12 headers with no
#    compiler warning allowed, boot each stock kernel, insmod everything,
#    rmmod in reverse, require a clean log
# 6. IOMMU boot: dmapool_ext on a PCI device behind a translating VT-d,
#    stock 6.12 (scripts/iommu-check.sh)
# The last line is the KUnit count "N passed, N failed, N skipped"; the exit
# status is non-zero if any step failed.
#
# Environment: POOL_EXT_SRC (tree to test, default: this repo),
# POOL_EXT_OUT (build and log directory, default: .build in this repo),
# POOL_EXT_KUNIT_TIMEOUT (seconds, default 1500), POOL_EXT_SUITES (a glob:
# run only the KUnit suites it matches, e.g. 'genpool_ext*').
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
src=${POOL_EXT_SRC:-$root}
out=${POOL_EXT_OUT:-$root/.build}
kunit_only=0
case "${1:-}" in
--kunit-only) kunit_only=1 ;;
"") ;;
*) echo "usage: $0 [--kunit-only]" >&2; exit 2 ;;
esac

POOL_EXT_ROOT=$root
. "$root/scripts/lib.sh"
mkdir -p "$out"
status=()       # "step: PASS|FAIL"
failed=0
counts="0 passed, 0 failed"

step() {        # step NAME RC
	if [ "$2" = 0 ]; then status+=("$1: PASS"); else status+=("$1: FAIL"); failed=1; fi
}

"$root/scripts/install-deps.sh" || { echo "check: dependency install failed"; echo "$counts"; exit 1; }

if [ $kunit_only = 0 ]; then
	echo "== parser self-test"
	"$root/scripts/test-parser.sh"
	step "parser self-test" $?
	echo "== model checker"
	"$root/scripts/modelcheck.sh"
	step "model checker" $?
fi

echo "== test kernel"
kdir=$("$root/scripts/build-test-kernel.sh" | tail -1)
if [ ! -f "$kdir/.done" ]; then
	step "test kernel" 1
else
	echo "== KUnit on the debug kernel ($kdir)"
	w=$out/kunit
	rc=0
	build_tree "$src" "$w" "$kdir" POOL_EXT_TEST_HOOKS=y || rc=1
	if [ $rc = 0 ]; then
		# The demo runs here too, under KASAN, lockdep and kmemleak.
		mapfile -t kos < <(suite_modules "$w/src"; test_modules "$w/src"; demo_modules "$w/src")
		"$root/scripts/make-initramfs.sh" "$w/initrd.cpio.gz" "${kos[@]}" || rc=1
	fi
	if [ $rc = 0 ]; then
		start=$(date +%s)
		"$root/scripts/qemu-run.sh" -k "$kdir/arch/x86/boot/bzImage" -i "$w/initrd.cpio.gz" \
			-l "$w/serial.log" -s 2 -m 2048 -t "${POOL_EXT_KUNIT_TIMEOUT:-1500}" \
			-a "pool_ext.mode=kunit kmemleak=on${POOL_EXT_SUITES:+ kunit.filter_glob=$POOL_EXT_SUITES}"
		qrc=$?
		echo "   guest ran $(( $(date +%s) - start ))s, log: $w/serial.log"
		[ $qrc = 124 ] && echo "   problem: guest timed out"
		python3 "$root/scripts/ktap_parse.py" --kunit --suites-from "$w/src/tests" \
			${POOL_EXT_SUITES:+--filter "$POOL_EXT_SUITES"} "$w/serial.log" > "$w/verdict.txt"
		rc=$?
		[ $qrc = 0 ] || rc=1
		cat "$w/verdict.txt"
		counts=$(tail -1 "$w/verdict.txt")
		demo_verdict "$w/serial.log" || rc=1
	fi
	step "KUnit (test kernel)" $rc
fi

if [ $kunit_only = 0 ]; then
	# Its own kernel (KCSAN excludes KASAN), built once like the first.
	echo "== KCSAN: concurrency and stress cases on the KCSAN kernel"
	"$root/scripts/kcsan-check.sh"
	step "KCSAN (test kernel)" $?

	for ver in 6.1 6.12; do
		echo "== smoke on stock Debian $ver"
		smoke "$src" "$out/smoke-$ver" "$ver"
		step "stock $ver smoke" $?
	done
	echo "== iommu (stock 6.12)"
	POOL_EXT_SRC=$src POOL_EXT_OUT=$out "$root/scripts/iommu-check.sh"
	step "iommu (stock 6.12)" $?
fi

echo "== summary"
for s in "${status[@]}"; do echo "  $s"; done
echo "$counts"
exit $failed
