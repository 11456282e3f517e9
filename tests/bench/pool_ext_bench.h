/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timing helpers shared by the suite's benchmark modules
 * (tests/<module>_bench.c, run by "make bench").
 *
 * A row compares two implementations of one workload: "suite" (a pool_ext
 * module) and "kernel" (the in-kernel allocator of the same boot). Each
 * implementation supplies a run() callback that performs n operations and
 * returns the elapsed nanoseconds. The helpers calibrate n per
 * implementation so that one measurement lasts about PE_BENCH_TARGET_NS,
 * then take the measurements interleaved (suite, kernel, kernel, suite,
 * ...: the order alternates every repetition so that slow drift in the
 * machine hits both sides alike) and print the median of each side, with
 * the minimum, quartiles and maximum, as one machine-readable line:
 *
 *   pool_ext_bench: row=NAME suite_ns=X.Y kernel_ns=X.Y suite_n=N ...
 *
 * Times are fixed point with one decimal (no floating point in the
 * kernel). scripts/bench_report.py parses these lines; only ratios taken
 * within one boot mean anything under QEMU TCG.
 */
#ifndef _POOL_EXT_BENCH_H
#define _POOL_EXT_BENCH_H

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sort.h>
#include <linux/types.h>

/* Upper bound for the "reps" module parameters. */
#define PE_BENCH_MAX_REPS	15

/* Wall time one measurement aims at: long against clock and IRQ noise. */
#define PE_BENCH_TARGET_NS	(50 * NSEC_PER_MSEC)

/**
 * struct pe_bench_impl - one implementation of a benchmark row
 * @name: "suite" or "kernel", for messages
 * @run: perform @n operations on @ctx and return the elapsed nanoseconds,
 *	or 0 if an operation failed
 * @ctx: the implementation's state
 * @n: run() units per measurement, set by pe_bench_calibrate()
 * @fixed_n: if not 0, every measurement is exactly this many units and
 *	calibration only warms up with one unit
 * @ops_per_n: operations per run() unit (0 counts as 1), e.g. the blocks
 *	allocated and freed in one round of a dma_pool workload
 * @tenths: per repetition, tenths of a nanosecond per operation
 */
struct pe_bench_impl {
	const char *name;
	u64 (*run)(void *ctx, unsigned long n);
	void *ctx;
	unsigned long n;
	unsigned long fixed_n;
	unsigned long ops_per_n;
	u64 tenths[PE_BENCH_MAX_REPS];
};

static int pe_bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Order statistics of one side's repetitions, in tenths of ns per op. */
struct pe_bench_stat {
	u64 min, q1, median, q3, max;
};

/* Quartiles by nearest rank; the median is the lower middle value. */
static void pe_bench_stats(const u64 *v, int nr, struct pe_bench_stat *st)
{
	u64 s[PE_BENCH_MAX_REPS];

	memcpy(s, v, nr * sizeof(*s));
	sort(s, nr, sizeof(*s), pe_bench_cmp_u64, NULL);
	st->min = s[0];
	st->q1 = s[(nr - 1) / 4];
	st->median = s[(nr - 1) / 2];
	st->q3 = s[nr - 1 - (nr - 1) / 4];
	st->max = s[nr - 1];
}

/*
 * Find the operation count for one measurement of about
 * PE_BENCH_TARGET_NS: double from one until a run lasts an eighth of it,
 * then scale by the faster of two runs at that count. The runs double as
 * warm-up. With @fixed_n, only warm up with one unit. Return 0, or -EIO
 * if run() reported a failed operation.
 */
static int pe_bench_calibrate(struct pe_bench_impl *impl)
{
	unsigned long n = 1;
	u64 t, t2;

	if (impl->fixed_n) {
		impl->n = impl->fixed_n;
		return impl->run(impl->ctx, 1) ? 0 : -EIO;
	}
	for (;;) {
		t = impl->run(impl->ctx, n);
		if (!t)
			return -EIO;
		if (t >= PE_BENCH_TARGET_NS / 8)
			break;
		n *= 2;
		cond_resched();
	}
	/* Once more: a run stretched by an interrupt would make n too small. */
	t2 = impl->run(impl->ctx, n);
	if (!t2)
		return -EIO;
	impl->n = div64_u64((u64)n * PE_BENCH_TARGET_NS, min(t, t2)) ?: 1;
	return 0;
}

static int pe_bench_measure(struct pe_bench_impl *impl, int rep)
{
	u64 t = impl->run(impl->ctx, impl->n);

	cond_resched();
	if (!t)
		return -EIO;
	impl->tenths[rep] = div64_u64(t * 10,
				      (u64)impl->n * (impl->ops_per_n ?: 1));
	return 0;
}

/* Tenths of a nanosecond as "X.Y" in @buf. */
struct pe_bench_fix {
	char s[24];
};

static const char *pe_bench_fmt(struct pe_bench_fix *buf, u64 tenths)
{
	u32 rem;
	u64 whole = div_u64_rem(tenths, 10, &rem);

	snprintf(buf->s, sizeof(buf->s), "%llu.%u", whole, rem);
	return buf->s;
}

/*
 * pe_bench_print - print a row from @reps measurements in each side's
 * @tenths (and its @n), as pe_bench_row() does after measuring; for rows
 * that measure their own way.
 */
static void pe_bench_print(const char *row, struct pe_bench_impl *suite,
			   struct pe_bench_impl *kernel, int reps)
{
	struct pe_bench_stat ss, ks;
	struct pe_bench_fix f[10];

	pe_bench_stats(suite->tenths, reps, &ss);
	pe_bench_stats(kernel->tenths, reps, &ks);
	pr_info("row=%s suite_ns=%s kernel_ns=%s suite_n=%lu kernel_n=%lu reps=%d suite_min=%s suite_q1=%s suite_q3=%s suite_max=%s kernel_min=%s kernel_q1=%s kernel_q3=%s kernel_max=%s\n",
		row, pe_bench_fmt(&f[0], ss.median),
		pe_bench_fmt(&f[1], ks.median), suite->n, kernel->n, reps,
		pe_bench_fmt(&f[2], ss.min), pe_bench_fmt(&f[3], ss.q1),
		pe_bench_fmt(&f[4], ss.q3), pe_bench_fmt(&f[5], ss.max),
		pe_bench_fmt(&f[6], ks.min), pe_bench_fmt(&f[7], ks.q1),
		pe_bench_fmt(&f[8], ks.q3), pe_bench_fmt(&f[9], ks.max));
}

/*
 * pe_bench_row - calibrate, measure @reps times interleaved, print the row.
 * @row: the row name (workload), unique in the whole benchmark
 * @suite, @kernel: the two implementations (@run and @ctx set)
 * @reps: repetitions per implementation, 1..PE_BENCH_MAX_REPS
 *
 * Return: 0, or -EIO if an operation failed (the row is then not printed).
 */
static int pe_bench_row(const char *row, struct pe_bench_impl *suite,
			struct pe_bench_impl *kernel, int reps)
{
	int r, ret;

	ret = pe_bench_calibrate(suite);
	if (!ret)
		ret = pe_bench_calibrate(kernel);
	for (r = 0; !ret && r < reps; r++) {
		if (r & 1) {
			ret = pe_bench_measure(kernel, r);
			if (!ret)
				ret = pe_bench_measure(suite, r);
		} else {
			ret = pe_bench_measure(suite, r);
			if (!ret)
				ret = pe_bench_measure(kernel, r);
		}
	}
	if (ret) {
		pr_err("row=%s failed: an operation failed\n", row);
		return ret;
	}
	pe_bench_print(row, suite, kernel, reps);
	return 0;
}

#endif /* _POOL_EXT_BENCH_H */
