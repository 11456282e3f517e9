#!/bin/bash
# Self-test of scripts/ktap_parse.py against real guest logs kept as fixtures.
#
# usage: scripts/test-parser.sh
#
# Each fixture must give its expected exit status and print its expected
# reason: a harness that cannot fail is a defect.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
fx=$root/tests/ktap-fixtures
alphabeta="--expect-suite alpha --expect-suite beta"
suite="--kcsan-only-in genpool_ext --kcsan-only-in mempool_ext --kcsan-only-in dmapool_ext
	--kcsan-only-in genpool_ext_test --kcsan-only-in mempool_ext_test --kcsan-only-in dmapool_ext_test"
kcsan_suites="--expect-suite genpool_ext_stress --expect-suite mempool_ext_concurrency --expect-suite dmapool_ext"

# fixture                  status  text the verdict must contain [| parser
#                                  arguments, instead of $alphabeta]
cases=(
	"pass.log                0 ^4 passed, 0 failed, 0 skipped$"
	"pass.log                0 beta_test_param: 3 parameters, 3 passed, 0 failed, 0 skipped"
	"plan-mismatch.log       1 suite alpha: plan 1..3 at log line 205 but 2 result"
	"plan-top-mismatch.log   1 the list of suites: plan 1..3 at log line 201 but 2 result"
	"warn-declared.log       0 ^4 passed, 0 failed, 0 skipped$"
	"fail-case.log           1 FAILED: alpha.alpha_test_two"
	"crash-mid-suite.log     1 suite beta: cut off before its result"
	"kasan.log               1 KASAN report"
	"kcsan.log               1 KCSAN report"
	"kcsan.log               1 KCSAN report at log line 227 | $alphabeta --kcsan-only-in fixture_kt"
	"kcsan-kernel.log        0 note: KCSAN report in the kernel's own code at log line 206 | $kcsan_suites $suite"
	"lockdep.log             1 lockdep splat"
	"missing-suite.log       1 suite beta: expected but never reported"
	"truncated.log           1 log is truncated"
	"warn-undeclared.log     1 unexpected warning"
	"warn-wrong-pattern.log  1 unexpected warning"
	"kmemleak.log            1 kmemleak"
)

bad=0
for c in "${cases[@]}"; do
	read -r log want rest <<< "$c"
	text=${rest%% | *}
	args=$alphabeta
	[ "$text" = "$rest" ] || args=${rest#* | }
	# shellcheck disable=SC2086 # word splitting of args is intended
	got_out=$(python3 "$root/scripts/ktap_parse.py" --kunit $args "$fx/$log")
	got=$?
	if [ "$got" = "$want" ] && grep -qE -- "$text" <<< "$got_out"; then
		echo "  ok   $log (exit $got)"
	else
		echo "  FAIL $log: exit $got (want $want), output:"
		sed 's/^/       /' <<< "$got_out"
		bad=1
	fi
done

# The benchmark report on a log whose console lines were torn apart (a
# real boot of stock 6.12-rt under -icount, the init's insmod line and the
# kernel's last row on one line): every row must still be found.
got_out=$(cd "$root/scripts" && python3 -c '
import sys
import bench_report
rows, problems = {}, []
bench_report.parse_log(sys.argv[1], rows, {}, problems)
print(" ".join(sorted(r for r, _ in rows)))
print("\n".join(problems))
' "$fx/bench-torn.log")
want="dmapool_1024_1024 dmapool_256_256 dmapool_4096_4096 dmapool_64_64 dmapool_68_32_b4096 mempool_kmalloc_healthy mempool_reserve_failfn mempool_reserve_inject"
if [ "$got_out" = "$want" ]; then
	echo "  ok   bench-torn.log (8 rows)"
else
	echo "  FAIL bench-torn.log: rows and problems:"
	sed 's/^/       /' <<< "$got_out"
	bad=1
fi

# The other tears untear() must cut: kernel text first, then the init's
# marker; three lines in one; and a line with nothing to cut.
got_out=$(cd "$root/scripts" && python3 -c '
import serial_log
for line in ("pool_ext_bench: row=a suite_ns=1 kernel_ns=2POOL_EXT: insmod m rc=0",
             "POOL_EXT: insmod m rc=0[ 1.5] pool_ext_bench: row=a x=1[ 1.6] pool_ext_bench: row=b x=2",
             "pool_ext_bench: row=a note: threads=2"):
    print(" | ".join(serial_log.untear(line)))
')
want="pool_ext_bench: row=a suite_ns=1 kernel_ns=2 | POOL_EXT: insmod m rc=0
POOL_EXT: insmod m rc=0 | pool_ext_bench: row=a x=1 | pool_ext_bench: row=b x=2
pool_ext_bench: row=a note: threads=2"
if [ "$got_out" = "$want" ]; then
	echo "  ok   untear (3 made-up lines)"
else
	echo "  FAIL untear: got"
	sed 's/^/       /' <<< "$got_out"
	bad=1
fi
exit $bad
