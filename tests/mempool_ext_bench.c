// SPDX-License-Identifier: GPL-2.0
/*
 * mempool_ext_bench: mempool_ext against the in-kernel mempool of the same
 * boot.
 *
 * Rows with "set=single" (run on one vCPU):
 *  mempool_kmalloc_healthy   alloc+free pairs on a kmalloc-backed pool
 *                            (min_nr 16, 256-byte elements); kmalloc
 *                            succeeds, so the reserve is not touched.
 *  mempool_reserve_failfn    the same pairs with the backing allocator
 *                            failing, so every element comes from the
 *                            reserve and goes back to it. Both pools use
 *                            the same alloc_fn, which fails once the
 *                            reserve has been filled: identical work on
 *                            both sides.
 *  mempool_reserve_inject    the same, but the suite's pool is a plain
 *                            kmalloc pool failed by its own fault
 *                            injection (mempool_ext_set_fault(ALWAYS));
 *                            the kernel has none, so it keeps the failing
 *                            alloc_fn.
 * Rows with "set=prodcons" (run on two vCPUs):
 *  mempool_prodcons          a producer kthread on CPU 0 allocates and
 *                            hands elements through a lockless ring of
 *                            4096 slots to a consumer kthread on CPU 1,
 *                            which frees them; kmalloc-backed pool,
 *                            allocator healthy.
 *  mempool_prodcons_reserve  the same with the failing alloc_fn and a
 *                            reserve of 32: the producer drains the
 *                            reserve and then sleeps in alloc until the
 *                            consumer's free wakes it.
 * A row reports nanoseconds per alloc+free pair (per element handed over
 * for the producer/consumer rows). The module does its work at init and
 * returns 0, or an error if anything failed.
 */
#define pr_fmt(fmt) "pool_ext_bench: " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/mempool.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include <mempool_ext/mempool_ext.h>

#include "bench/pool_ext_bench.h"

static int reps = 9;
module_param(reps, int, 0444);
MODULE_PARM_DESC(reps, "measurements per implementation and row (1-15, default 9)");

static char *set = "single";
module_param(set, charp, 0444);
MODULE_PARM_DESC(set, "rows to run: single (one vCPU) or prodcons (two vCPUs)");

#define MPB_MIN_NR		16
#define MPB_PC_MIN_NR		32
#define MPB_ELEM_SIZE		256
/*
 * Ring slots, a power of two. Large, so that either thread can run far
 * ahead while the other's vCPU is not scheduled on the host.
 */
#define MPB_RING		4096

/*
 * The backing allocator shared by both implementations in the "failing"
 * rows: kmalloc() while the pool fills its reserve at creation, NULL once
 * @fail is set.
 */
struct mpb_src {
	size_t size;
	bool fail;
};

static void *mpb_alloc_fn(gfp_t gfp, void *data)
{
	struct mpb_src *src = data;

	if (READ_ONCE(src->fail))
		return NULL;
	return kmalloc(src->size, gfp);
}

static void mpb_free_fn(void *element, void *data)
{
	kfree(element);
}

struct mpb_ctx {
	struct mempool_ext *suite;	/* exactly one of these is set */
	mempool_t *kernel;
};

static u64 mpb_pairs_suite(void *arg, unsigned long n)
{
	struct mpb_ctx *c = arg;
	u64 t0 = ktime_get_ns();
	unsigned long i;
	void *e;

	for (i = 0; i < n; i++) {
		e = mempool_ext_alloc(c->suite, GFP_KERNEL);
		if (!e)
			return 0;
		mempool_ext_free(e, c->suite);
	}
	return max_t(u64, ktime_get_ns() - t0, 1);
}

static u64 mpb_pairs_kernel(void *arg, unsigned long n)
{
	struct mpb_ctx *c = arg;
	u64 t0 = ktime_get_ns();
	unsigned long i;
	void *e;

	for (i = 0; i < n; i++) {
		e = mempool_alloc(c->kernel, GFP_KERNEL);
		if (!e)
			return 0;
		mempool_free(e, c->kernel);
	}
	return max_t(u64, ktime_get_ns() - t0, 1);
}

/* One pairs row; the pools are created by the caller. */
static int mpb_pairs_row(const char *row, struct mpb_ctx *sc,
			 struct mpb_ctx *kc)
{
	struct pe_bench_impl suite = {
		.name = "suite", .run = mpb_pairs_suite, .ctx = sc,
	};
	struct pe_bench_impl kernel = {
		.name = "kernel", .run = mpb_pairs_kernel, .ctx = kc,
	};

	return pe_bench_row(row, &suite, &kernel, reps);
}

/* Check that a "reserve" row really served every element from the reserve. */
static int mpb_check_reserve(const char *row, struct mpb_ctx *sc)
{
	struct mempool_ext_stats st;

	mempool_ext_get_stats(sc->suite, &st);
	pr_info("row=%s note: suite reserve_hits=%lu alloc_failures=%lu waits=%lu\n",
		row, st.reserve_hits, st.alloc_failures, st.waits);
	if (!st.reserve_hits) {
		pr_err("row=%s: the suite's reserve was never used\n", row);
		return -EIO;
	}
	return 0;
}

static int mpb_single(void)
{
	struct mpb_src src = { .size = MPB_ELEM_SIZE };
	struct mpb_ctx sc = {}, kc = {};
	int ret = -ENOMEM;

	/* Allocator healthy: kmalloc-backed pools from the stock helpers. */
	sc.suite = mempool_ext_create_kmalloc_pool(MPB_MIN_NR, MPB_ELEM_SIZE);
	kc.kernel = mempool_create_kmalloc_pool(MPB_MIN_NR, MPB_ELEM_SIZE);
	if (sc.suite && kc.kernel)
		ret = mpb_pairs_row("mempool_kmalloc_healthy", &sc, &kc);
	mempool_ext_destroy(sc.suite);
	mempool_destroy(kc.kernel);
	if (ret)
		return ret;

	/* Allocator failing: the same failing alloc_fn on both sides. */
	ret = -ENOMEM;
	sc.suite = mempool_ext_create(MPB_MIN_NR, mpb_alloc_fn, mpb_free_fn, &src);
	kc.kernel = mempool_create(MPB_MIN_NR, mpb_alloc_fn, mpb_free_fn, &src);
	if (sc.suite && kc.kernel) {
		WRITE_ONCE(src.fail, true);
		ret = mpb_pairs_row("mempool_reserve_failfn", &sc, &kc);
		if (!ret)
			ret = mpb_check_reserve("mempool_reserve_failfn", &sc);
		WRITE_ONCE(src.fail, false);
	}
	mempool_ext_destroy(sc.suite);
	mempool_destroy(kc.kernel);
	if (ret)
		return ret;

	/* Allocator failing: the suite's fault injection, the kernel's fn. */
	ret = -ENOMEM;
	sc.suite = mempool_ext_create_kmalloc_pool(MPB_MIN_NR, MPB_ELEM_SIZE);
	kc.kernel = mempool_create(MPB_MIN_NR, mpb_alloc_fn, mpb_free_fn, &src);
	if (sc.suite && kc.kernel) {
		ret = mempool_ext_set_fault(sc.suite, MEMPOOL_EXT_FAULT_ALWAYS, 0);
		WRITE_ONCE(src.fail, true);
		if (!ret)
			ret = mpb_pairs_row("mempool_reserve_inject", &sc, &kc);
		if (!ret)
			ret = mpb_check_reserve("mempool_reserve_inject", &sc);
		WRITE_ONCE(src.fail, false);
		mempool_ext_set_fault(sc.suite, MEMPOOL_EXT_FAULT_OFF, 0);
	}
	mempool_ext_destroy(sc.suite);
	mempool_destroy(kc.kernel);
	return ret;
}

/*
 * Producer/consumer: two kthreads bound to CPUs 0 and 1 live for the
 * whole row. Each run() starts a session of n elements and waits for both
 * to finish; the time is taken from the producer's start to the
 * consumer's last free. The ring is single-producer single-consumer: the
 * producer alone writes @head, the consumer alone writes @tail.
 */
struct mpb_pc {
	struct mpb_ctx *pool;
	unsigned long n;
	bool quit;
	bool failed;
	u64 t0, t1;
	struct completion go_prod, go_cons, done_prod, done_cons;
	unsigned long head ____cacheline_aligned_in_smp;
	unsigned long tail ____cacheline_aligned_in_smp;
	void *slot[MPB_RING] ____cacheline_aligned_in_smp;
};

/* Busy-wait step: stay responsive to the scheduler on a long wait. */
static void mpb_spin(unsigned long *spins)
{
	if (++*spins & 1023)
		cpu_relax();
	else
		cond_resched();
}

static int mpb_producer(void *arg)
{
	struct mpb_pc *pc = arg;
	unsigned long i, spins;
	void *e;

	for (;;) {
		wait_for_completion(&pc->go_prod);
		if (READ_ONCE(pc->quit))
			break;
		pc->t0 = ktime_get_ns();
		for (i = 0; i < pc->n; i++) {
			if (pc->pool->suite)
				e = mempool_ext_alloc(pc->pool->suite, GFP_KERNEL);
			else
				e = mempool_alloc(pc->pool->kernel, GFP_KERNEL);
			if (!e)
				WRITE_ONCE(pc->failed, true);
			spins = 0;
			/* Pairs with the release of @tail in mpb_consumer(). */
			while (pc->head - smp_load_acquire(&pc->tail) >= MPB_RING)
				mpb_spin(&spins);
			pc->slot[pc->head & (MPB_RING - 1)] = e;
			/* Publish the slot; pairs with the acquire in mpb_consumer(). */
			smp_store_release(&pc->head, pc->head + 1);
		}
		complete(&pc->done_prod);
	}
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static int mpb_consumer(void *arg)
{
	struct mpb_pc *pc = arg;
	unsigned long i, spins;
	void *e;

	for (;;) {
		wait_for_completion(&pc->go_cons);
		if (READ_ONCE(pc->quit))
			break;
		for (i = 0; i < pc->n; i++) {
			spins = 0;
			/* Pairs with the release of @head in mpb_producer(). */
			while (smp_load_acquire(&pc->head) == pc->tail)
				mpb_spin(&spins);
			e = pc->slot[pc->tail & (MPB_RING - 1)];
			/* Hand the slot back; pairs with the acquire in mpb_producer(). */
			smp_store_release(&pc->tail, pc->tail + 1);
			if (!e)
				continue;
			if (pc->pool->suite)
				mempool_ext_free(e, pc->pool->suite);
			else
				mempool_free(e, pc->pool->kernel);
		}
		pc->t1 = ktime_get_ns();
		complete(&pc->done_cons);
	}
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static u64 mpb_pc_run(void *arg, unsigned long n)
{
	struct mpb_pc *pc = arg;

	pc->n = n;
	reinit_completion(&pc->done_prod);
	reinit_completion(&pc->done_cons);
	complete(&pc->go_cons);
	complete(&pc->go_prod);
	wait_for_completion(&pc->done_prod);
	wait_for_completion(&pc->done_cons);
	if (READ_ONCE(pc->failed))
		return 0;
	return max_t(u64, pc->t1 - pc->t0, 1);
}

static int mpb_pc_start(struct mpb_pc *pc, struct mpb_ctx *pool,
			struct task_struct **prod, struct task_struct **cons)
{
	pc->pool = pool;
	init_completion(&pc->go_prod);
	init_completion(&pc->go_cons);
	init_completion(&pc->done_prod);
	init_completion(&pc->done_cons);
	*prod = kthread_create(mpb_producer, pc, "pe_bench_prod");
	if (IS_ERR(*prod))
		return PTR_ERR(*prod);
	*cons = kthread_create(mpb_consumer, pc, "pe_bench_cons");
	if (IS_ERR(*cons)) {
		kthread_stop(*prod);
		return PTR_ERR(*cons);
	}
	kthread_bind(*prod, 0);
	kthread_bind(*cons, 1);
	wake_up_process(*prod);
	wake_up_process(*cons);
	return 0;
}

static void mpb_pc_stop(struct mpb_pc *pc, struct task_struct *prod,
			struct task_struct *cons)
{
	WRITE_ONCE(pc->quit, true);
	complete(&pc->go_prod);
	complete(&pc->go_cons);
	kthread_stop(prod);
	kthread_stop(cons);
}

static int mpb_pc_row(const char *row, struct mpb_ctx *sc, struct mpb_ctx *kc)
{
	struct task_struct *sprod, *scons, *kprod, *kcons;
	struct mpb_pc *spc, *kpc;
	struct pe_bench_impl suite = { .name = "suite", .run = mpb_pc_run };
	struct pe_bench_impl kernel = { .name = "kernel", .run = mpb_pc_run };
	int ret = -ENOMEM;

	spc = kvzalloc(sizeof(*spc), GFP_KERNEL);
	kpc = kvzalloc(sizeof(*kpc), GFP_KERNEL);
	if (!spc || !kpc)
		goto free;
	ret = mpb_pc_start(spc, sc, &sprod, &scons);
	if (ret)
		goto free;
	ret = mpb_pc_start(kpc, kc, &kprod, &kcons);
	if (ret)
		goto stop_suite;
	suite.ctx = spc;
	kernel.ctx = kpc;
	ret = pe_bench_row(row, &suite, &kernel, reps);

	mpb_pc_stop(kpc, kprod, kcons);
stop_suite:
	mpb_pc_stop(spc, sprod, scons);
free:
	kvfree(kpc);
	kvfree(spc);
	return ret;
}

static int mpb_prodcons(void)
{
	struct mpb_src src = { .size = MPB_ELEM_SIZE };
	struct mpb_ctx sc = {}, kc = {};
	int ret = -ENOMEM;

	if (num_online_cpus() < 2 || !cpu_online(0) || !cpu_online(1)) {
		pr_err("set=prodcons needs CPUs 0 and 1 online\n");
		return -ENODEV;
	}

	sc.suite = mempool_ext_create_kmalloc_pool(MPB_MIN_NR, MPB_ELEM_SIZE);
	kc.kernel = mempool_create_kmalloc_pool(MPB_MIN_NR, MPB_ELEM_SIZE);
	if (sc.suite && kc.kernel)
		ret = mpb_pc_row("mempool_prodcons", &sc, &kc);
	mempool_ext_destroy(sc.suite);
	mempool_destroy(kc.kernel);
	if (ret)
		return ret;

	ret = -ENOMEM;
	sc.suite = mempool_ext_create(MPB_PC_MIN_NR, mpb_alloc_fn, mpb_free_fn, &src);
	kc.kernel = mempool_create(MPB_PC_MIN_NR, mpb_alloc_fn, mpb_free_fn, &src);
	if (sc.suite && kc.kernel) {
		WRITE_ONCE(src.fail, true);
		ret = mpb_pc_row("mempool_prodcons_reserve", &sc, &kc);
		if (!ret)
			ret = mpb_check_reserve("mempool_prodcons_reserve", &sc);
		WRITE_ONCE(src.fail, false);
	}
	mempool_ext_destroy(sc.suite);
	mempool_destroy(kc.kernel);
	return ret;
}

static int __init mempool_ext_bench_init(void)
{
	int ret, rows;

	if (reps < 1 || reps > PE_BENCH_MAX_REPS || !set)
		return -EINVAL;
	pr_info("module=mempool_ext_bench kernel=%s reps=%d set=%s cpus=%u\n",
		utsname()->release, reps, set, num_online_cpus());
	if (!strcmp(set, "single")) {
		ret = mpb_single();
		rows = 3;
	} else if (!strcmp(set, "prodcons")) {
		ret = mpb_prodcons();
		rows = 2;
	} else {
		return -EINVAL;
	}
	if (!ret)
		pr_info("done module=mempool_ext_bench set=%s rows=%d\n", set, rows);
	return ret;
}

static void __exit mempool_ext_bench_exit(void)
{
}

module_init(mempool_ext_bench_init);
module_exit(mempool_ext_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pool_ext benchmark: mempool_ext against the in-kernel mempool");
