#!/bin/bash
# make kcsan-check: the concurrency and stress KUnit cases of all three
# modules on the KCSAN test kernel, 2 vCPUs. Part of make check.
#
# usage: scripts/kcsan-check.sh
#
# Builds (or reuses) the kcsan flavour of the test kernel
# (scripts/build-test-kernel.sh kcsan: strict KCSAN, lockdep, no KASAN),
# builds the suite and its KUnit modules against it, boots QEMU with
# -smp 2 and loads each test module with a KUnit filter_glob that keeps
# only its concurrency and stress cases (the table below). The log is
# judged like make check's (scripts/ktap_parse.py), where any
# KCSAN report whose stacks run through the suite's modules or their tests
# is a failure (one wholly inside the kernel's own code is listed, not
# judged); the guest's KCSAN counters must also show that KCSAN was on and
# set watchpoints.
#
# Environment: POOL_EXT_SRC (tree to test, default: this repo),
# POOL_EXT_OUT (default .build; the run goes to its kcsan/ directory),
# POOL_EXT_KCSAN_TIMEOUT (seconds, default 1500), POOL_EXT_KCSAN_ARGS (more
# kernel command line, e.g. kcsan.skip_watch=100 for a longer, finer run).
set -uo pipefail

. "$(dirname "$0")/lib.sh"
root=$POOL_EXT_ROOT
src=${POOL_EXT_SRC:-$root}
w=${POOL_EXT_OUT:-$root/.build}/kcsan
[ $# -eq 0 ] || { echo "usage: $0" >&2; exit 2; }
"$root/scripts/install-deps.sh" || exit 1

# test module        KUnit filter_glob ("suite" or "suite.case"): the cases
#                    where several CPUs and interrupts use one pool at once,
#                    then the suites that glob selects. dmapool_ext's
#                    glob takes dmapool_ext_mag (the per-CPU magazines'
#                    lockless paths, with forced interleavings through the
#                    test hooks) and dmapool_ext_stress.
runs=(
	"genpool_ext_test  genpool_ext_stress       genpool_ext_stress"
	"mempool_ext_test  mempool_ext_concurrency  mempool_ext_concurrency"
	"dmapool_ext_test  dmapool_ext_[ms]*        dmapool_ext_mag dmapool_ext_stress"
)

# KCSAN watches the suite, not the boot: it stays off (early_enable=0)
# until the guest init, about to load the modules, turns it on. It samples:
# one access in up to skip_watch (default 4000) per CPU gets a watchpoint;
# 1000 sets about four times as many for about twice the run time.
kcsan_args="kcsan.early_enable=0 pool_ext.kcsan=on kcsan.skip_watch=1000"
# KCSAN's report filter: core-kernel functions whose known, benign races
# fire while the tests run, never a function of the suite.
#  - schedule_hrtimeout_range_clock (kernel/time/hrtimer.c) tests its
#    sleeper's task pointer, which the timer interrupt clears, with a
#    plain read, only to decide whether to call schedule(); the tests hit
#    it through usleep_range().
kcsan_skip=(schedule_hrtimeout_range_clock)

kdir=$("$root/scripts/build-test-kernel.sh" kcsan | tail -1)
[ -f "$kdir/.done" ] || { echo "kcsan: no KCSAN test kernel"; exit 1; }
grep -qx 'CONFIG_KCSAN=y' "$kdir/.config" || { echo "kcsan: $kdir is not a KCSAN kernel"; exit 1; }

mkdir -p "$w"
# With the test hooks, as make check's KUnit pass: the magazines' cases
# need them to turn the magazines on and to force their interleavings.
build_tree "$src" "$w" "$kdir" POOL_EXT_TEST_HOOKS=y || exit 1
# genpool_ext with its allocation-boundary checks on (debug=1): a superset
# of the default paths, adding marks that other CPUs set and clear.
mapfile -t kos < <(suite_modules "$w/src" | sed 's|/genpool_ext\.ko$|&:debug=1|')
args="pool_ext.mode=kunit $kcsan_args ${POOL_EXT_KCSAN_ARGS:-}"
for f in "${kcsan_skip[@]}"; do
	args+=" pool_ext.kcsan_skip=$f"
done
expect=()
tests=()
for r in "${runs[@]}"; do
	read -r mod glob suites <<< "$r"
	tests+=("$mod")
	[ -f "$w/src/tests/$mod.ko" ] || { echo "kcsan: tests/$mod.ko was not built"; exit 1; }
	kos+=("$w/src/tests/$mod.ko")
	args+=" pool_ext.glob=$mod:$glob"
	for s in $suites; do
		expect+=(--expect-suite "$s")
	done
done

# A report counts if either stack runs through the suite's code, the
# modules' or their tests'; one wholly inside the kernel (its timers,
# say, interrupting a module load) is the kernel's and only listed.
only_in=()
for m in $POOL_EXT_MODULES "${tests[@]}"; do
	only_in+=(--kcsan-only-in "$m")
done
rc=0
boot_and_judge -s 2 -m 2048 -t "${POOL_EXT_KCSAN_TIMEOUT:-1500}" -a "$args" \
	-p "--kunit ${expect[*]} ${only_in[*]}" -V "$w/verdict.txt" \
	"$kdir/arch/x86/boot/bzImage" "$w/serial.log" "${kos[@]}" || rc=1

# The cases that ran, and proof that KCSAN was watching them.
log=$(sed -e 's/\r$//' -e 's/^\[ *[0-9.]*\] \{0,1\}//' "$w/serial.log")
echo "   cases run:"
grep -E '^    (not )?ok [0-9]+ ' <<< "$log" | sed -E 's/^    (not )?ok [0-9]+ /     /' | sort | uniq -c
grep -E '^kcsan: (strict mode|selftest)|^POOL_EXT: kcsan: ' <<< "$log" | sed 's/^/   /'
counters=$(sed -n '/^POOL_EXT: kcsan-begin/,/^POOL_EXT: kcsan-end/p' <<< "$log" | grep -E '^[a-z_]+: -?[0-9]+$')
echo "   KCSAN counters (data_races counts filtered reports too):" \
	"$(grep -E '^(enabled|setup_watchpoints|data_races|assert_failures|no_capacity|races_unknown_origin):' <<< "$counters" | tr '\n' ' ')"
if ! grep -qx 'enabled: 1' <<< "$counters"; then
	echo "  problem: KCSAN was not enabled at the end of the run"
	rc=1
fi
if [ "$(sed -n 's/^setup_watchpoints: //p' <<< "$counters")" -gt 0 ] 2>/dev/null; then :; else
	echo "  problem: KCSAN set up no watchpoint"
	rc=1
fi
exit $rc
