#!/bin/bash
# make contended-check: dmapool_ext's contended pool lock on a stock kernel.
#
# usage: scripts/contended-check.sh
#
# On production SMP kernels (no spinlock debugging, no lockdep, not
# PREEMPT_RT) dmapool_ext takes its pool lock inline and notices another
# CPU on it by a failed compare-and-swap (dpx_lock_watch() in
# dmapool_ext/internal.h); the pool then turns its per-CPU magazines on
# (dpx_lock_contended() in dmapool_ext/mag.c). The debug kernels of the
# KUnit runs build the other variant (spin_lock_irqsave() after a failed
# trylock), and their magazine cases turn the magazines on by hand, so only
# a stock kernel runs this path as drivers will.
#
# Builds the suite and tests/dmapool_ext_bench.ko against Debian's stock
# 6.12 headers and boots stock 6.12 on two vCPUs, with the benchmark's
# shared rows once (set=shared reps=1: a kthread per vCPU allocating and
# freeing batches of 32 blocks on one pool, every free validated, then
# the same with one thread), then, until_on=1, the two threads run on
# until the pool lock has been found contended, 10 s at most: on a busy
# host the vCPUs of one short measurement may never have run at once.
# Before the threads start, the module takes
# 256 blocks of the pool (hold=256) and frees them once they have
# stopped: blocks handed out before the magazines turned on and freed
# after, which the turn-on must have marked busy (else their frees are
# refused as double frees). Passes if the two-thread pool turned its
# magazines on by itself, both pools were whole afterwards (no block in
# use, no free refused: a block handed out twice would be refused when
# freed the second time), the module finished, and the log is clean
# (scripts/ktap_parse.py).
#
# Environment: POOL_EXT_SRC (tree to test, default: this repo),
# POOL_EXT_OUT (build and log directory, default .build in this repo; the
# log is $POOL_EXT_OUT/contended/serial.log).
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
root=$POOL_EXT_ROOT
src=${POOL_EXT_SRC:-$root}
w=${POOL_EXT_OUT:-$root/.build}/contended
log=$w/serial.log
hold=256

stock_tree 6.12 "$src" "$w" dmapool_ext_bench || exit 1

echo "== boot $(basename "$stock_vmlinuz"): 2 vCPUs, QEMU TCG"
rc=0
boot_and_judge -s 2 -t 300 -a "pool_ext.mode=bench" "$stock_vmlinuz" "$log" "${kos[@]}" \
	"$w/src/tests/dmapool_ext_bench.ko:set=shared,reps=1,hold=$hold,until_on=1" || rc=1

problem() { echo "   problem: $*"; rc=1; }
sed -e 's/^\[ *[0-9.]*\] //' -e 's/\r$//' "$log" |
	grep -E '^pool_ext_bench: row=dmapool_shared_64(_1t)? note:' | sed 's/^/   /'
grep -q '^POOL_EXT: insmod dmapool_ext_bench rc=0' "$log" ||
	problem "dmapool_ext_bench failed to load or to run its rows"
# One run of the module's init: a failed init that insmod retried could
# leave a good note from its second run beside the bad one.
n=$(grep -c 'pool_ext_bench: module=dmapool_ext_bench ' "$log")
[ "$n" = 1 ] || problem "the module's init ran $n times"
grep -q 'pool_ext_bench: done module=dmapool_ext_bench' "$log" ||
	problem "dmapool_ext_bench did not finish"
grep -qE "row=dmapool_shared_64 note: threads=2 held=$hold suite blocks_in_use=0 pages=[0-9]+ bad_frees=0 magazines=1 " "$log" ||
	problem "the two-thread pool did not turn its magazines on, or was not whole afterwards"
grep -qE "row=dmapool_shared_64_1t note: threads=1 held=$hold suite blocks_in_use=0 pages=[0-9]+ bad_frees=0 " "$log" ||
	problem "the one-thread pool was not whole afterwards"
[ $rc = 0 ] && echo "contended-check: PASS" || echo "contended-check: FAIL"
exit $rc
