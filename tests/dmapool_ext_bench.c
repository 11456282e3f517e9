// SPDX-License-Identifier: GPL-2.0
/*
 * dmapool_ext_bench: dmapool_ext against the in-kernel dma_pool of the same
 * boot, on the kernel's own dma_pool test workload (mm/dmapool_test.c).
 *
 * Six pools: size/align 16/16, 64/64, 256/256, 1024/1024, 4096/4096 and
 * 68/32 with boundary 4096. Each gets clamp((PAGE_SIZE / size) * 512,
 * 1024, 8192) blocks, and one measurement is ROUNDS rounds (default 100)
 * of allocating every block and then freeing every block. The row reports
 * nanoseconds per alloc+free pair: elapsed / (rounds * blocks).
 *
 * Both pools live on one root device with a 64-bit DMA mask and stay
 * alive for the whole row, so after an untimed warm-up round neither
 * allocates pages in a measurement. Every suite free is validated (the
 * suite always does so); the row prints the suite's bad-free count, which
 * must stay 0. The module does its work at init and returns 0, or an
 * error if anything failed, so insmod reports the verdict.
 *
 * With "set=shared" (run on two vCPUs) it measures one pool shared across
 * CPUs instead: one kthread bound to each online CPU, each repeatedly
 * allocating DMAB_BATCH blocks of 64 bytes and freeing them again, all on
 * the same pool, as drivers allocating descriptors from every CPU do. The
 * row reports the aggregate: elapsed wall time over the operations of all
 * threads. dmapool_shared_64_1t runs the same with one thread only, so
 * the report can set the suite's throughput on all CPUs against its own
 * on one. With hold=N the suite's pool first hands out N blocks to the
 * module, freed only after the threads have stopped: blocks that were
 * handed out before the contention turned the pool's magazines on, and
 * are freed after (make contended-check).
 *
 * Metadata row (set=single, with meta=1, the default): dmapool_metadata_64,
 * the bytes of bookkeeping of a 64/64 pool at default settings holding
 * DMAB_META_BLOCKS blocks, measured alike for both: the pool structure as
 * allocated (ksize()), plus per page the header each allocates, plus the
 * suite's page hash table and per-CPU counters and magazines (two of 16
 * entries per possible CPU, at the default size). The kernel's page header
 * is private to mm/dmapool.c, so its size is that of the 6.4+ layout (a
 * list head, the CPU and the DMA address: struct dmab_kernel_page) rounded
 * up as kmalloc() rounds it, times the pages the pool took, counted from
 * the blocks' DMA addresses. 6.1 has another layout, so its boot passes
 * meta=0. The sysfs file the kernel's first pool on a device creates and
 * the suite's debugfs directory are not counted.
 *
 * Builds and runs on 6.1 (page-scanning dma_pool) and 6.12 (the 6.4+
 * free-list dma_pool).
 */
#define pr_fmt(fmt) "pool_ext_bench: " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include <dmapool_ext/dmapool_ext.h>
/* The metadata row reads the suite's own layout: what it allocates. */
#include <dmapool_ext/internal.h>

#include "bench/pool_ext_bench.h"

static int reps = 9;
module_param(reps, int, 0444);
MODULE_PARM_DESC(reps, "measurements per implementation and row (1-15, default 9)");

static int rounds = 100;
module_param(rounds, int, 0444);
MODULE_PARM_DESC(rounds, "alloc-all/free-all rounds per measurement (default 100)");

static bool meta = true;
module_param(meta, bool, 0444);
MODULE_PARM_DESC(meta, "print the metadata row (the kernel's dma_pool must be the 6.4+ design)");

static char *set = "single";
module_param(set, charp, 0444);
MODULE_PARM_DESC(set, "rows to run: single (one vCPU) or shared (one pool, a thread per vCPU)");

static bool mags_on;
module_param(mags_on, bool, 0444);
MODULE_PARM_DESC(mags_on, "shared rows: start the suite's pool with its magazines on (QEMU -icount never contends its lock)");

static int hold;
module_param(hold, int, 0444);
MODULE_PARM_DESC(hold, "shared rows: blocks the suite's pool hands out before its threads start and takes back after (0-4096, default 0)");

static bool until_on;
module_param(until_on, bool, 0444);
MODULE_PARM_DESC(until_on, "shared rows: after the measurement, run the suite's threads on until its pool has turned its magazines on (10 s at most)");

/* Blocks the metadata row's pools hold: 64 pages of 64-byte blocks. */
#define DMAB_META_BLOCKS	4096

/* At most this many blocks for hold=. */
#define DMAB_MAX_HOLD		4096
/* Blocks each thread of a shared row holds at once. */
#define DMAB_BATCH		32
/* Threads of a shared row at most. */
#define DMAB_MAX_THREADS	8

struct dmab_parms {
	size_t size;
	size_t align;
	size_t boundary;
};

static const struct dmab_parms dmab_parms[] = {
	{ .size = 16, .align = 16 },
	{ .size = 64, .align = 64 },
	{ .size = 256, .align = 256 },
	{ .size = 1024, .align = 1024 },
	{ .size = 4096, .align = 4096 },
	{ .size = 68, .align = 32, .boundary = 4096 },
};

struct dmab_block {
	void *vaddr;
	dma_addr_t dma;
};

/* One implementation's state for one row. */
struct dmab_ctx {
	struct dmapool_ext *suite;	/* exactly one of these is set */
	struct dma_pool *kernel;
	struct dmab_block *blocks;
	int nr;
};

static int dmab_nr_blocks(size_t size)
{
	return clamp_t(int, (PAGE_SIZE / size) * 512, 1024, 8192);
}

static __always_inline void dmab_free(struct dmab_ctx *c,
				      struct dmab_block *b, const bool suite)
{
	if (suite)
		dmapool_ext_free(c->suite, b->vaddr, b->dma);
	else
		dma_pool_free(c->kernel, b->vaddr, b->dma);
}

/*
 * n rounds of alloc-all/free-all on one side's pool. Both callers pass a
 * constant @suite, so each compiles to direct calls into its allocator
 * with no branch in the timed loop.
 */
static __always_inline u64 dmab_run(struct dmab_ctx *c, unsigned long n,
				    const bool suite)
{
	struct dmab_block *b = c->blocks;
	u64 t0 = ktime_get_ns();
	unsigned long r;
	int i;

	for (r = 0; r < n; r++) {
		for (i = 0; i < c->nr; i++) {
			if (suite)
				b[i].vaddr = dmapool_ext_alloc(c->suite, GFP_KERNEL,
							       &b[i].dma);
			else
				b[i].vaddr = dma_pool_alloc(c->kernel, GFP_KERNEL,
							    &b[i].dma);
			if (!b[i].vaddr)
				goto fail;
		}
		for (i = 0; i < c->nr; i++)
			dmab_free(c, &b[i], suite);
		cond_resched();
	}
	return max_t(u64, ktime_get_ns() - t0, 1);

fail:
	while (--i >= 0)
		dmab_free(c, &b[i], suite);
	return 0;
}

static u64 dmab_run_suite(void *arg, unsigned long n)
{
	return dmab_run(arg, n, true);
}

static u64 dmab_run_kernel(void *arg, unsigned long n)
{
	return dmab_run(arg, n, false);
}

static int dmab_row(struct device *dev, const struct dmab_parms *p)
{
	struct dmab_ctx sc = { .nr = dmab_nr_blocks(p->size) };
	struct dmab_ctx kc = { .nr = sc.nr };
	struct pe_bench_impl suite = {
		.name = "suite", .run = dmab_run_suite, .ctx = &sc,
		.fixed_n = rounds, .ops_per_n = sc.nr,
	};
	struct pe_bench_impl kernel = {
		.name = "kernel", .run = dmab_run_kernel, .ctx = &kc,
		.fixed_n = rounds, .ops_per_n = kc.nr,
	};
	struct dmapool_ext_stats st;
	char row[48];
	int ret = -ENOMEM;

	if (p->boundary)
		snprintf(row, sizeof(row), "dmapool_%zu_%zu_b%zu",
			 p->size, p->align, p->boundary);
	else
		snprintf(row, sizeof(row), "dmapool_%zu_%zu", p->size, p->align);

	sc.blocks = kvcalloc(sc.nr, sizeof(*sc.blocks), GFP_KERNEL);
	kc.blocks = kvcalloc(kc.nr, sizeof(*kc.blocks), GFP_KERNEL);
	if (!sc.blocks || !kc.blocks)
		goto free_blocks;
	sc.suite = dmapool_ext_create("pool_ext_bench", dev, p->size,
				      p->align, p->boundary);
	if (!sc.suite)
		goto free_blocks;
	kc.kernel = dma_pool_create("pool_ext_bench", dev, p->size, p->align,
				    p->boundary);
	if (!kc.kernel)
		goto destroy_suite;

	ret = pe_bench_row(row, &suite, &kernel, reps);
	if (ret)
		goto destroy_kernel;

	dmapool_ext_get_stats(sc.suite, &st);
	pr_info("row=%s note: suite blocks_in_use=%zu pages=%zu bad_frees=%lu (every free validated)\n",
		row, st.blocks_in_use, st.pages, st.bad_frees);
	if (st.blocks_in_use || st.bad_frees) {
		pr_err("row=%s: suite pool inconsistent after the run\n", row);
		ret = -EIO;
	}

destroy_kernel:
	dma_pool_destroy(kc.kernel);
destroy_suite:
	dmapool_ext_destroy(sc.suite);
free_blocks:
	kvfree(kc.blocks);
	kvfree(sc.blocks);
	return ret;
}

/*
 * A shared-pool row: one worker per CPU. A measurement wakes them all,
 * each does n rounds of DMAB_BATCH allocations and DMAB_BATCH frees, and
 * the measurement lasts from the wake-up until the last one is done.
 */
struct dmab_shared;

struct dmab_worker {
	struct dmab_shared *sh;
	struct task_struct *task;
	struct completion go;
	struct dmab_block blocks[DMAB_BATCH];
};

struct dmab_shared {
	struct dmapool_ext *suite;	/* exactly one of these is set */
	struct dma_pool *kernel;
	unsigned long n;
	bool quit;
	bool failed;
	atomic_t running;
	struct completion done;
	int nr;
	struct dmab_worker w[DMAB_MAX_THREADS];
};

static int dmab_worker_fn(void *arg)
{
	struct dmab_worker *w = arg;
	struct dmab_shared *sh = w->sh;
	struct dmab_block *b = w->blocks;
	unsigned long r;
	int i;

	for (;;) {
		wait_for_completion(&w->go);
		if (READ_ONCE(sh->quit))
			break;
		for (r = 0; r < sh->n; r++) {
			for (i = 0; i < DMAB_BATCH; i++) {
				if (sh->suite)
					b[i].vaddr = dmapool_ext_alloc(sh->suite, GFP_KERNEL,
								       &b[i].dma);
				else
					b[i].vaddr = dma_pool_alloc(sh->kernel, GFP_KERNEL,
								    &b[i].dma);
				if (!b[i].vaddr)
					WRITE_ONCE(sh->failed, true);
			}
			for (i = 0; i < DMAB_BATCH; i++) {
				if (!b[i].vaddr)
					continue;
				if (sh->suite)
					dmapool_ext_free(sh->suite, b[i].vaddr, b[i].dma);
				else
					dma_pool_free(sh->kernel, b[i].vaddr, b[i].dma);
			}
			if (!(r & 63))
				cond_resched();
		}
		if (atomic_dec_and_test(&sh->running))
			complete(&sh->done);
	}
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static u64 dmab_shared_run(void *arg, unsigned long n)
{
	struct dmab_shared *sh = arg;
	u64 t0;
	int i;

	sh->n = n;
	reinit_completion(&sh->done);
	atomic_set(&sh->running, sh->nr);
	t0 = ktime_get_ns();
	for (i = 0; i < sh->nr; i++)
		complete(&sh->w[i].go);
	wait_for_completion(&sh->done);
	if (READ_ONCE(sh->failed))
		return 0;
	return max_t(u64, ktime_get_ns() - t0, 1);
}

static void dmab_shared_stop(struct dmab_shared *sh)
{
	int i;

	WRITE_ONCE(sh->quit, true);
	for (i = 0; i < sh->nr; i++) {
		complete(&sh->w[i].go);
		kthread_stop(sh->w[i].task);
	}
	sh->nr = 0;
}

/* Start one worker on each of the first @threads online CPUs. */
static int dmab_shared_start(struct dmab_shared *sh, int threads)
{
	int cpu;

	init_completion(&sh->done);
	for_each_online_cpu(cpu) {
		struct dmab_worker *w = &sh->w[sh->nr];

		if (sh->nr == threads)
			break;
		w->sh = sh;
		init_completion(&w->go);
		w->task = kthread_create(dmab_worker_fn, w, "pe_bench_dma/%d", cpu);
		if (IS_ERR(w->task)) {
			dmab_shared_stop(sh);
			return PTR_ERR(w->task);
		}
		kthread_bind(w->task, cpu);
		wake_up_process(w->task);
		sh->nr++;
	}
	return 0;
}

/*
 * until_on: a measurement is short, and on a busy host the vCPUs of a
 * short one may never have run at once; keep the threads allocating and
 * freeing until the pool lock has been found contended (the pool's
 * mags_on, which the row's note then prints), or 10 s have passed.
 */
static int dmab_until_on(struct dmab_shared *ss, const char *row)
{
	unsigned long end = jiffies + 10 * HZ;
	unsigned int runs = 0;

	while (!READ_ONCE(ss->suite->mags_on) && time_before(jiffies, end)) {
		if (!dmab_shared_run(ss, 64))
			return -ENOMEM;
		runs++;
	}
	pr_info("row=%s note: until_on: %u more runs of 64 rounds\n", row, runs);
	return 0;
}

/* Hand out @hold blocks of @pool to the module (see hold above). */
static int dmab_hold(struct dmapool_ext *pool, struct dmab_block *held)
{
	int i;

	for (i = 0; i < hold; i++) {
		held[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &held[i].dma);
		if (!held[i].vaddr) {
			pr_err("hold: allocation %d of %d failed\n", i + 1, hold);
			return -ENOMEM;
		}
	}
	return 0;
}

/*
 * Free what dmab_hold() handed out (all of it, or up to its failure);
 * nothing the second time, nor when nothing was (hold=0, or the pool was
 * never created: the first entry is still NULL).
 */
static void dmab_release(struct dmapool_ext *pool, struct dmab_block *held)
{
	int i;

	for (i = 0; i < hold && held[i].vaddr; i++) {
		dmapool_ext_free(pool, held[i].vaddr, held[i].dma);
		held[i].vaddr = NULL;
	}
}

static int dmab_shared_row(struct device *dev, const char *row, int threads)
{
	struct pe_bench_impl suite = { .name = "suite", .run = dmab_shared_run,
				       .ops_per_n = threads * DMAB_BATCH };
	struct pe_bench_impl kernel = { .name = "kernel", .run = dmab_shared_run,
					.ops_per_n = threads * DMAB_BATCH };
	struct dmab_block *held = NULL;
	struct dmab_shared *ss, *ks;
	struct dmapool_ext_stats st;
	int ret = -ENOMEM;

	ss = kvzalloc(sizeof(*ss), GFP_KERNEL);
	ks = kvzalloc(sizeof(*ks), GFP_KERNEL);
	if (hold)
		held = kvcalloc(hold, sizeof(*held), GFP_KERNEL);
	if (!ss || !ks || (hold && !held))
		goto free;
	ss->suite = dmapool_ext_create("pool_ext_bench", dev, 64, 64, 0);
	ks->kernel = dma_pool_create("pool_ext_bench", dev, 64, 64, 0);
	if (!ss->suite || !ks->kernel)
		goto destroy;
	/*
	 * As a contended lock would turn them on; the pool has no page yet,
	 * so there is no busy map to compute (see "Per-CPU magazines" in
	 * internal.h), and a poisoning pool keeps them off.
	 */
	if (mags_on && ss->suite->mags) {
		/* Release, as dpx_mags_turn_on() publishes the flag. */
		smp_store_release(&ss->suite->mags_on, true);
	}
	ret = dmab_hold(ss->suite, held);
	if (ret)
		goto destroy;
	ret = dmab_shared_start(ss, threads);
	if (ret)
		goto destroy;
	ret = dmab_shared_start(ks, threads);
	if (ret)
		goto stop_suite;
	suite.ctx = ss;
	kernel.ctx = ks;
	ret = pe_bench_row(row, &suite, &kernel, reps);
	if (!ret && until_on && threads > 1)
		ret = dmab_until_on(ss, row);
	dmab_shared_stop(ks);
stop_suite:
	dmab_shared_stop(ss);
	dmab_release(ss->suite, held);
	if (!ret) {
		dmapool_ext_get_stats(ss->suite, &st);
		pr_info("row=%s note: threads=%d held=%d suite blocks_in_use=%zu pages=%zu bad_frees=%lu magazines=%d (every free validated)\n",
			row, threads, hold, st.blocks_in_use, st.pages, st.bad_frees,
			READ_ONCE(ss->suite->mags_on));
		if (st.blocks_in_use || st.bad_frees) {
			pr_err("row=%s: suite pool inconsistent after the run\n", row);
			ret = -EIO;
		}
	}
destroy:
	/* Paths that skipped stop_suite; a no-op when nothing is held. */
	dmab_release(ss->suite, held);
	dma_pool_destroy(ks->kernel);
	dmapool_ext_destroy(ss->suite);
free:
	kvfree(held);
	kvfree(ks);
	kvfree(ss);
	return ret;
}

/* The shared-pool rows: every online CPU (at most DMAB_MAX_THREADS), then one. */
static int dmab_shared_rows(struct device *dev)
{
	int threads = min_t(int, num_online_cpus(), DMAB_MAX_THREADS);
	int ret;

	if (threads < 2) {
		pr_err("set=shared needs two CPUs or more\n");
		return -ENODEV;
	}
	ret = dmab_shared_row(dev, "dmapool_shared_64", threads);
	if (!ret)
		ret = dmab_shared_row(dev, "dmapool_shared_64_1t", 1);
	return ret;
}

/* The kernel's per-page header since 6.4 (mm/dmapool.c, struct dma_page). */
struct dmab_kernel_page {
	struct list_head page_list;
	void *vaddr;
	dma_addr_t dma;
};

static int dmab_cmp_dma(const void *a, const void *b)
{
	dma_addr_t x = *(const dma_addr_t *)a, y = *(const dma_addr_t *)b;

	return x < y ? -1 : x > y;
}

/* Pages behind @nr blocks: distinct DMA page frames (sorts @dma). */
static size_t dmab_pages(dma_addr_t *dma, int nr)
{
	size_t pages = 0;
	int i;

	sort(dma, nr, sizeof(*dma), dmab_cmp_dma, NULL);
	for (i = 0; i < nr; i++)
		if (!i || dma[i] >> PAGE_SHIFT != dma[i - 1] >> PAGE_SHIFT)
			pages++;
	return pages;
}

/*
 * The metadata row: both pools hold DMAB_META_BLOCKS 64-byte blocks (in
 * 4 KiB pages, so a block's page frame is its pool page), then each
 * side's bookkeeping is added up as described at the top.
 */
static int dmab_meta_row(struct device *dev)
{
	struct dmab_block *sb, *kb;
	struct dmapool_ext *sp;
	struct dma_pool *kp;
	struct dmapool_ext_stats st;
	size_t spages, kpages, sbytes, kbytes, hdr;
	dma_addr_t *dma;
	int i, ns = 0, nk = 0, ret = -ENOMEM;

	sb = kvcalloc(DMAB_META_BLOCKS, sizeof(*sb), GFP_KERNEL);
	kb = kvcalloc(DMAB_META_BLOCKS, sizeof(*kb), GFP_KERNEL);
	dma = kvcalloc(DMAB_META_BLOCKS, sizeof(*dma), GFP_KERNEL);
	sp = dmapool_ext_create("pool_ext_bench_meta", dev, 64, 64, 0);
	kp = dma_pool_create("pool_ext_bench_meta", dev, 64, 64, 0);
	if (!sb || !kb || !dma || !sp || !kp)
		goto out;
	for (ns = 0; ns < DMAB_META_BLOCKS; ns++) {
		sb[ns].vaddr = dmapool_ext_alloc(sp, GFP_KERNEL, &sb[ns].dma);
		if (!sb[ns].vaddr)
			goto out;
	}
	for (nk = 0; nk < DMAB_META_BLOCKS; nk++) {
		kb[nk].vaddr = dma_pool_alloc(kp, GFP_KERNEL, &kb[nk].dma);
		if (!kb[nk].vaddr)
			goto out;
	}
	for (i = 0; i < DMAB_META_BLOCKS; i++)
		dma[i] = sb[i].dma;
	spages = dmab_pages(dma, DMAB_META_BLOCKS);
	for (i = 0; i < DMAB_META_BLOCKS; i++)
		dma[i] = kb[i].dma;
	kpages = dmab_pages(dma, DMAB_META_BLOCKS);
	dmapool_ext_get_stats(sp, &st);
	/* Preconditions: both hold the same pages, as the suite counts them. */
	if (!spages || spages != kpages || spages != st.pages) {
		pr_err("row=dmapool_metadata_64: pages suite %zu (stats %zu) kernel %zu\n",
		       spages, st.pages, kpages);
		ret = -EIO;
		goto out;
	}
	/* The free map and the busy map, and a checking pool's callers. */
	hdr = kmalloc_size_roundup(sizeof(struct dpx_page) + sizeof(unsigned long) *
				   (2 * sp->map_longs +
				    (sp->poison ? sp->map_bits : 0)));
	sbytes = ksize(sp) + ksize(sp->hash) + spages * hdr +
		 sizeof(struct dpx_pcpu) * num_possible_cpus();
	kbytes = ksize(kp) +
		 kpages * kmalloc_size_roundup(sizeof(struct dmab_kernel_page));
	pr_info("row=dmapool_metadata_64 suite_bytes=%zu kernel_bytes=%zu\n",
		sbytes, kbytes);
	pr_info("row=dmapool_metadata_64 note: blocks=%d pages=%zu suite: pool %zu hash %zu page header %zu percpu %zu; kernel: pool %zu page header %zu\n",
		DMAB_META_BLOCKS, spages, ksize(sp), ksize(sp->hash), hdr,
		sizeof(struct dpx_pcpu) * num_possible_cpus(), ksize(kp),
		kmalloc_size_roundup(sizeof(struct dmab_kernel_page)));
	ret = 0;
out:
	while (--nk >= 0)
		dma_pool_free(kp, kb[nk].vaddr, kb[nk].dma);
	while (--ns >= 0)
		dmapool_ext_free(sp, sb[ns].vaddr, sb[ns].dma);
	dma_pool_destroy(kp);
	dmapool_ext_destroy(sp);
	kvfree(dma);
	kvfree(kb);
	kvfree(sb);
	if (ret)
		pr_err("row=dmapool_metadata_64 failed (%d)\n", ret);
	return ret;
}

static int __init dmapool_ext_bench_init(void)
{
	struct device *dev;
	int i, ret;

	if (reps < 1 || reps > PE_BENCH_MAX_REPS || rounds < 1 || !set ||
	    hold < 0 || hold > DMAB_MAX_HOLD ||
	    (strcmp(set, "single") && strcmp(set, "shared")))
		return -EINVAL;
	pr_info("module=dmapool_ext_bench kernel=%s reps=%d rounds=%d set=%s cpus=%u\n",
		utsname()->release, reps, rounds, set, num_online_cpus());

	dev = root_device_register("pool_ext_bench_dma");
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	/* A root device has no DMA mask of its own: point it at the coherent one. */
	dev->dma_mask = &dev->coherent_dma_mask;
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		goto unregister;

	if (!strcmp(set, "shared")) {
		ret = dmab_shared_rows(dev);
		if (!ret)
			pr_info("done module=dmapool_ext_bench set=shared rows=2\n");
		goto unregister;
	}
	for (i = 0; i < ARRAY_SIZE(dmab_parms); i++) {
		ret = dmab_row(dev, &dmab_parms[i]);
		if (ret)
			goto unregister;
	}
	if (meta) {
		ret = dmab_meta_row(dev);
		if (ret)
			goto unregister;
	}
	pr_info("done module=dmapool_ext_bench set=single rows=%zu\n",
		ARRAY_SIZE(dmab_parms) + meta);

unregister:
	root_device_unregister(dev);
	return ret;
}

static void __exit dmapool_ext_bench_exit(void)
{
}

module_init(dmapool_ext_bench_init);
module_exit(dmapool_ext_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pool_ext benchmark: dmapool_ext against the in-kernel dma_pool");
