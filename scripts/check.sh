#!/bin/bash
# The suite's test command (make check).
#
# usage: scripts/check.sh [--kunit-only]
#
# 1. install Debian dependencies (quick when present)
# 2. parser and kernel-matrix self-tests, the porting tool's fixture test
#    (scripts/test-port.sh), and genpool_ext's interleaving model checker
#    (userspace, tests/modelcheck/)
# 3. for every debug kernel of the matrix (scripts/kernels.list: the 6.12
#    and 7.2 debug kernels): build (or reuse) it, build suite + KUnit
#    modules against it, boot QEMU, run every suite, judge the serial log
# 4. KCSAN: the concurrency and stress cases of all three modules on a
#    third test kernel, with KCSAN instead of KASAN (scripts/kcsan-check.sh)
# 5. for every stock kernel of the matrix (Debian 6.1, 6.12, 6.12-rt and
#    7.2): build against its build tree with no compiler warning allowed,
#    boot it, insmod everything, rmmod in reverse, require a clean log; a
#    row marked "stress" (6.12-rt) adds the concurrency exercise
# 6. IOMMU boot: dmapool_ext on a PCI device behind a translating VT-d,
#    stock 6.12 (scripts/iommu-check.sh)
# 7. contended lock: dmapool_ext's pool lock as production kernels build
#    it, contended by two vCPUs until the pool turns its magazines on,
#    stock 6.12 (scripts/contended-check.sh)
# The summary names each kernel; the last line is the KUnit count
# "N passed, N failed, N skipped", summed over the debug kernels; the exit
# status is non-zero if any step failed.
#
# Environment: POOL_EXT_SRC (tree to test, default: this repo),
# POOL_EXT_OUT (build and log directory, default: .build in this repo;
# KUnit logs in kunit-NAME/, smoke logs in smoke-NAME/),
# POOL_EXT_KUNIT_TIMEOUT (seconds, default 1500), POOL_EXT_SUITES (a glob:
# run only the KUnit suites it matches, e.g. 'genpool_ext*'),
# POOL_EXT_ONLY (names from the matrix, e.g. "6.12-debug 6.1", and
# "kcsan", "iommu" or "contended" for those steps: run only those).
set -uo pipefail

. "$(dirname "$0")/lib.sh"
root=$POOL_EXT_ROOT
check_start "$@"	# KUnit counts are over all debug kernels

# kunit NAME: the KUnit run on debug kernel NAME; adds to the counts.
kunit() {
	local name=$1 k kdir w=$out/kunit-$1 rc=0 kos
	echo "== KUnit on the $name debug kernel"
	k=$(kernel_resolve "$name") || return 1
	set -- $k
	kdir=$2
	POOL_EXT_RELEASE=$(kernel_release "$kdir")
	echo "   $POOL_EXT_RELEASE, $kdir"
	build_tree "$src" "$w" "$kdir" POOL_EXT_TEST_HOOKS=y || return 1
	# The demo runs here too, under KASAN, lockdep and kmemleak.
	mapfile -t kos < <(suite_modules "$w/src"; test_modules "$w/src"; demo_modules "$w/src")
	boot_and_judge -s "$(kernel_field "$name" smp)" -m 2048 \
		-t "${POOL_EXT_KUNIT_TIMEOUT:-1500}" \
		-a "pool_ext.mode=kunit kmemleak=on${POOL_EXT_SUITES:+ kunit.filter_glob=$POOL_EXT_SUITES}" \
		-p "--kunit --suites-from $w/src/tests${POOL_EXT_SUITES:+ --filter $POOL_EXT_SUITES}" \
		-V "$w/verdict.txt" "$1" "$w/serial.log" "${kos[@]}" || rc=1
	kunit_tally "$w/verdict.txt"
	demo_verdict "$w/serial.log" || rc=1
	expected_log "$w/serial.log" "$w/src/tests/expected-log" || rc=1
	return $rc
}

"$root/scripts/install-deps.sh" || { echo "check: dependency install failed"; echo "0 passed, 0 failed"; exit 1; }

if [ $kunit_only = 0 ]; then
	echo "== parser self-test"
	"$root/scripts/test-parser.sh"
	step "parser self-test" $?
	echo "== kernel matrix self-test"
	"$root/scripts/test-kernels.sh"
	step "kernel matrix self-test" $?
	echo "== porting tool (fixture drivers)"
	"$root/scripts/test-port.sh"
	step "porting tool fixtures" $?
	echo "== model checker"
	"$root/scripts/modelcheck.sh"
	step "model checker" $?
fi

for name in $(kernel_names debug); do
	selected "$name" || continue
	POOL_EXT_RELEASE=
	kunit "$name"
	step "KUnit on $name${POOL_EXT_RELEASE:+ ($POOL_EXT_RELEASE)}" $?
done

if [ $kunit_only = 0 ]; then
	# Its own kernel (KCSAN excludes KASAN), built once like the first.
	if selected kcsan; then
		echo "== KCSAN: concurrency and stress cases on the KCSAN kernel"
		"$root/scripts/kcsan-check.sh"
		step "KCSAN (test kernel)" $?
	fi

	for name in $(kernel_names stock); do
		selected "$name" || continue
		echo "== smoke on stock $name"
		POOL_EXT_RELEASE=
		smoke "$src" "$out/smoke-$name" "$name"
		step "smoke on stock $name${POOL_EXT_RELEASE:+ ($POOL_EXT_RELEASE)}" $?
	done
	if selected iommu; then
		echo "== iommu (stock 6.12)"
		POOL_EXT_SRC=$src POOL_EXT_OUT=$out "$root/scripts/iommu-check.sh"
		step "iommu (stock 6.12)" $?
	fi
	if selected contended; then
		echo "== contended dma_pool lock (stock 6.12)"
		POOL_EXT_SRC=$src POOL_EXT_OUT=$out "$root/scripts/contended-check.sh"
		step "contended dma_pool lock (stock 6.12)" $?
	fi
fi

echo "== summary"
for s in "${status[@]}"; do echo "  $s"; done
echo "$passed passed, $nfailed failed, $skipped skipped"
exit $failed
