#!/bin/bash
# make bench: time the suite against the kernel's own allocators, in the
# same boot, on stock Debian kernels under QEMU TCG.
#
# usage: scripts/bench.sh
#
# 1. install Debian dependencies (quick when present)
# 2. for each "full" kernel (stock 6.12, 6.12-rt and 7.2, from
#    scripts/kernels.list): build the suite and tests/*_bench.ko against
#    its build tree; boot 1 (one vCPU): genpool, dmapool (with its
#    metadata row) and the single-thread mempool rows; boots 2 to 6 (two
#    vCPUs, five of them, each row reported as its median): the mempool
#    producer/consumer rows, the shared-pool dma_pool rows and the
#    shared gen_pool rows (two threads per vCPU and a hard-irq timer on
#    one small pool); one more one-vCPU boot with -icount shift=0 (the
#    guest clock counts instructions): the one-vCPU rows in instructions.
#    Each kernel is measured against its own allocators, in the same boot.
# 3. for each "dmapool" kernel (stock 6.1): build the same way; one boot
#    (one vCPU): the dmapool rows against 6.1's page-scanning dma_pool
#    (no metadata row: 6.1's dma_pool has another page header)
# 4. every log must be clean (scripts/ktap_parse.py: no warning, oops,
#    failed insmod, truncation), then scripts/bench_report.py prints the
#    table with the targets and one ratio column per kernel, writes .build/bench/results.csv and
#    results.md, and plots docs/bench-genpool.svg and docs/bench-dmapool.svg
#
# Exits non-zero only on an error (build, boot, unclean log, missing
# row); a missed target is reported, never fatal. Absolute times under
# TCG mean nothing: only the ratios, taken within one boot, count.
#
# Environment: POOL_EXT_SRC (tree to measure, default: this repo),
# POOL_EXT_OUT (build and log directory, default .build in this repo;
# results go to $POOL_EXT_OUT/bench), POOL_EXT_BENCH_PLOT (plot path,
# default docs/bench-genpool.svg in this repo), POOL_EXT_BENCH_PLOT_DMA
# (the dma_pool plot, default docs/bench-dmapool.svg), POOL_EXT_BENCH_KERNELS
# (the kernels and their row sets, default
# "6.12:full 6.12-rt:full 7.2:full 6.1:dmapool": a subset saves boots
# when only some columns are wanted), POOL_EXT_BENCH_BOOTS2 (boots of
# the two-vCPU rows per kernel, default 5), POOL_EXT_BENCH_ICOUNT (0: no
# instruction-count boot; default 1).
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
root=$POOL_EXT_ROOT
src=${POOL_EXT_SRC:-$root}
out=${POOL_EXT_OUT:-$root/.build}/bench
plot=${POOL_EXT_BENCH_PLOT:-$root/docs/bench-genpool.svg}
plot_dma=${POOL_EXT_BENCH_PLOT_DMA:-$root/docs/bench-dmapool.svg}

"$root/scripts/install-deps.sh" || exit 1

# Start from nothing: a stale log must never feed the report.
rm -rf "$out"
mkdir -p "$out"
failed=0

# boot NAME VMLINUZ SMP TIMEOUT KO[:ARGS]...: one guest, log $out/NAME.log,
# judged like every other boot of the suite.
# $qemu_args: extra QEMU options for the boot (the instruction-count boot).
qemu_args=
boot() {
	local name=$1 vmlinuz=$2 smp=$3 tmo=$4
	shift 4
	echo "== boot $name: $(basename "$vmlinuz"), QEMU TCG, $smp vCPU(s)${qemu_args:+, $qemu_args}"
	boot_and_judge ${qemu_args:+-d "$qemu_args"} -s "$smp" -m 1024 -t "$tmo" \
		-a "pool_ext.mode=bench" "$vmlinuz" "$out/$name.log" "$@"
}

# Boots of the two-vCPU rows per kernel (at least 5 for the issue 16
# figures; fewer only to save time while developing).
boots2=${POOL_EXT_BENCH_BOOTS2:-5}

# The one-vCPU rows once more with QEMU's -icount shift=0, where the
# guest clock advances one nanosecond per instruction: a ratio of
# instructions, which where TCG happens to place the code cannot move (a
# wall-time row can move by 30% from a change of function alignment; see
# README "Latest results"). Reported beside the times, not judged.
icount=${POOL_EXT_BENCH_ICOUNT:-1}

# The measured tree without demo/: the benchmark needs only the suite and
# tests/, and must not depend on the demo building.
copy_tree "$src" "$out/src" --exclude demo

# The kernels measured (names from scripts/kernels.list), in the report's
# column order, each with its set of rows: full or dmapool (see above).
kernels=${POOL_EXT_BENCH_KERNELS:-"6.12:full 6.12-rt:full 7.2:full 6.1:dmapool"}

# build VER BENCH...: build the suite and the benchmark modules against
# stock kernel VER into $out/build-VER (any compiler or modpost warning
# fails, as in make check) and require tests/BENCH.ko for each BENCH.
build() {
	local ver=$1 k w=$out/build-$1 b
	shift
	k=$(stock_kernel "$ver") || return 1
	echo "== build against ${k#* }"
	build_tree "$out/src" "$w" "${k#* }" || return 1
	for b in "$@"; do
		[ -f "$w/src/tests/$b.ko" ] || {
			echo "   tests/$b.ko was not built against $ver (see tests/Kbuild)"
			return 1
		}
	done
}

for spec in $kernels; do
	name=${spec%%:*}
	case "${spec#*:}" in
	full)
		if build "$name" genpool_ext_bench mempool_ext_bench dmapool_ext_bench; then
			w=$out/build-$name/src
			mapfile -t suite < <(suite_modules "$w")
			vmlinuz=$(stock_kernel "$name" | cut -d' ' -f1)
			boot "bench-$name-1cpu" "$vmlinuz" 1 900 "${suite[@]}" \
				"$w/tests/genpool_ext_bench.ko" \
				"$w/tests/dmapool_ext_bench.ko" \
				"$w/tests/mempool_ext_bench.ko:set=single" || failed=1
			if [ "$icount" != 0 ]; then
				qemu_args="-icount shift=0"
				boot "bench-$name-icount" "$vmlinuz" 1 900 "${suite[@]}" \
					"$w/tests/genpool_ext_bench.ko:reps=5" \
					"$w/tests/dmapool_ext_bench.ko:reps=5,meta=0" \
					"$w/tests/mempool_ext_bench.ko:set=single,reps=5" || failed=1
				qemu_args=
			fi
			# The two-vCPU rows are the noisiest: boot them
			# $boots2 times, the report takes each row's median.
			for i in $(seq 1 "$boots2"); do
				boot "bench-$name-2cpu-$i" "$vmlinuz" 2 300 "${suite[@]}" \
					"$w/tests/mempool_ext_bench.ko:set=prodcons" \
					"$w/tests/dmapool_ext_bench.ko:set=shared" \
					"$w/tests/genpool_ext_bench.ko:set=shared" || failed=1
			done
		else
			failed=1
		fi
		;;
	dmapool)
		if build "$name" dmapool_ext_bench; then
			w=$out/build-$name/src
			mapfile -t suite < <(suite_modules "$w")
			vmlinuz=$(stock_kernel "$name" | cut -d' ' -f1)
			boot "bench-$name-1cpu" "$vmlinuz" 1 900 "${suite[@]}" \
				"$w/tests/dmapool_ext_bench.ko:meta=0" || failed=1
		else
			failed=1
		fi
		;;
	esac
done

echo "== report"
python3 "$root/scripts/bench_report.py" --kernels "$kernels" --csv "$out/results.csv" \
	--markdown "$out/results.md" --plot "$plot" --plot-dma "$plot_dma" "$out"/bench-*.log || failed=1

[ $failed = 0 ] && echo "bench: done (targets are reported above, never fatal)" ||
	echo "bench: FAILED (see the problems above)"
exit $failed
