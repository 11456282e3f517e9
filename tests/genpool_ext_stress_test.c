// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for genpool_ext, part of genpool_ext_test.ko (the file
 * list is in genpool_ext_test.h): the concurrency suites, genpool_ext_stress
 * and (with POOL_EXT_TEST_HOOKS=y) genpool_ext_race.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/genalloc.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/numa.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <genpool_ext/genpool_ext.h>
/* White-box parts (index layout) use the module's internal constants. */
#include <genpool_ext/internal.h>
#include <genpool_ext/index.h>

#include "genpool_ext_test.h"

/* ---------------------------------------------------------------------
 * genpool_ext_stress: several kthreads per CPU and a hardirq timer share
 * one pool of real memory. Every block is stamped with its owner and
 * checked before it is freed, so an overlap shows up as a bad stamp.
 */

#define GPT_STRESS_PER_CPU	3
#define GPT_STRESS_ITERS	20000
#define GPT_STRESS_LIVE		12
#define GPT_STRESS_BYTES	(12 * 1024)

struct gpt_stress {
	struct genpool_ext *pool;
	atomic_t bad;
	atomic_long_t ops;
	atomic_long_t irq_ops;
	atomic_long_t fails;
};

static unsigned long gpt_alloc(struct genpool_ext *pool, size_t size,
			       genpool_ext_algo_t algo, void *data)
{
	return genpool_ext_alloc_algo(pool, size, algo, data);
}

static int gpt_stress_thread(void *arg, unsigned int id)
{
	struct gpt_stress *s = arg;
	struct pool_ext_rng rng = { .s = 1000 + id };
	struct gpt_block blk[GPT_STRESS_LIVE] = {};
	struct genpool_ext_data_align align;
	u32 tag = 0x10 + id;
	int i, k;

	for (i = 0; i < GPT_STRESS_ITERS; i++) {
		struct gpt_block *b = &blk[pool_ext_rng_below(&rng, GPT_STRESS_LIVE)];

		if (b->addr) {
			if (!pool_ext_stamp_ok((void *)b->addr, b->size, tag))
				atomic_inc(&s->bad);
			genpool_ext_free(s->pool, b->addr, b->size);
			b->addr = 0;
			continue;
		}
		b->size = 1 + pool_ext_rng_below(&rng, 700);
		switch (id % 4) {
		case 0:
			b->addr = genpool_ext_alloc(s->pool, b->size);
			break;
		case 1:
			b->addr = gpt_alloc(s->pool, b->size,
					    genpool_ext_best_fit, NULL);
			break;
		case 2:
			b->addr = gpt_alloc(s->pool, b->size,
					    genpool_ext_first_fit_order_align,
					    NULL);
			break;
		default:
			align.align = 16 << pool_ext_rng_below(&rng, 5);
			b->addr = gpt_alloc(s->pool, b->size,
					    genpool_ext_first_fit_align, &align);
			break;
		}
		if (!b->addr) {
			atomic_long_inc(&s->fails);
			continue;
		}
		pool_ext_stamp((void *)b->addr, b->size, tag);
		atomic_long_inc(&s->ops);
		if ((i & 255) == 0)
			cond_resched();
	}
	for (k = 0; k < GPT_STRESS_LIVE; k++) {
		if (!blk[k].addr)
			continue;
		if (!pool_ext_stamp_ok((void *)blk[k].addr, blk[k].size, tag))
			atomic_inc(&s->bad);
		genpool_ext_free(s->pool, blk[k].addr, blk[k].size);
	}
	return 0;
}

/* Hardirq context: the lockless path must work there too. */
static void gpt_stress_tick(void *arg)
{
	struct gpt_stress *s = arg;
	size_t size = 48;
	unsigned long a;

	a = genpool_ext_alloc_algo(s->pool, size, genpool_ext_best_fit, NULL);
	if (a) {
		pool_ext_stamp((void *)a, size, 0xee);
		if (!pool_ext_stamp_ok((void *)a, size, 0xee))
			atomic_inc(&s->bad);
		genpool_ext_free(s->pool, a, size);
		atomic_long_inc(&s->irq_ops);
	}
}

static void genpool_ext_stress_test_threads(struct kunit *test)
{
	struct pool_ext_stress h = {
		.thread = gpt_stress_thread,
		.tick = gpt_stress_tick,
		.per_cpu = GPT_STRESS_PER_CPU,
		.period_ns = 200 * NSEC_PER_USEC,
		.hard = true,
		.bind = true,
	};
	struct gpt_stress *s;
	void *mem;
	int n, nthreads;

	nthreads = num_online_cpus() * GPT_STRESS_PER_CPU;
	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	mem = vmalloc(GPT_STRESS_BYTES);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	s->pool = gpt_pool(test, 4, 0, 0);
	/* Two chunks, so threads also race across the chunk list. */
	KUNIT_ASSERT_EQ(test, genpool_ext_add(s->pool, (unsigned long)mem,
					      GPT_STRESS_BYTES / 4, -1), 0);
	KUNIT_ASSERT_EQ(test, genpool_ext_add(s->pool,
					      (unsigned long)mem +
					      GPT_STRESS_BYTES / 4,
					      GPT_STRESS_BYTES * 3 / 4, -1), 0);

	h.arg = s;
	n = pool_ext_stress_run(test, &h);

	kunit_info(test, "%d threads: %ld allocations, %ld in hardirq, %ld failed",
		   n, atomic_long_read(&s->ops), atomic_long_read(&s->irq_ops),
		   atomic_long_read(&s->fails));
	KUNIT_EXPECT_EQ(test, n, nthreads);
	KUNIT_EXPECT_EQ(test, atomic_read(&s->bad), 0);
	KUNIT_EXPECT_GT(test, atomic_long_read(&s->ops), 0);
	KUNIT_EXPECT_GT(test, atomic_long_read(&s->irq_ops), 0);
	/* The pool is small enough that threads also meet a full pool. */
	KUNIT_EXPECT_GT(test, atomic_long_read(&s->fails), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(s->pool), GPT_STRESS_BYTES);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(s->pool), 0);
	KUNIT_EXPECT_EQ(test, gpt_misuse(s->pool), 0);
	/* The pool never touches its memory; it is destroyed at test end. */
	vfree(mem);
}

/*
 * Threads on every CPU churn one chunk six index groups wide with first
 * fit, best fit, order-aligned and fixed-offset allocations of 1-300
 * units, so runs, frees and tightenings cross group edges all the time.
 * Every GPT_GROUPS_OPS operations they all stop, and at that quiescent
 * point the index must promise every free run (genpool_ext_validate())
 * and both searches must answer what the kernel's own bitmap searches
 * answer on the same bitmap. Blocks are stamped, so an overlap shows.
 */
#define GPT_GROUPS_UNITS	(6 * GPX_GROUP_BITS)
#define GPT_GROUPS_PHASES	12
#define GPT_GROUPS_OPS		1500
#define GPT_GROUPS_LIVE		24

struct gpt_groups {
	struct genpool_ext *pool;
	struct genpool_ext_chunk *chunk;
	atomic_t arrived;		/* threads done with the current phase */
	int phase;			/* phases the main thread has released */
	wait_queue_head_t wq;
	atomic_t bad;
	atomic_long_t ops;
	atomic_long_t fixed_ok;
	int nthreads;
};

struct gpt_groups_worker {
	struct gpt_groups *s;
	struct task_struct *task;
	int id;
};

static unsigned long gpt_groups_alloc(struct gpt_groups *s,
				      struct pool_ext_rng *rng, size_t size)
{
	struct genpool_ext_data_fixed fixed;
	unsigned long a;

	switch (pool_ext_rng_below(rng, 4)) {
	case 0:
		return genpool_ext_alloc(s->pool, size);
	case 1:
		return gpt_alloc(s->pool, size, genpool_ext_best_fit, NULL);
	case 2:
		return gpt_alloc(s->pool, size,
				 genpool_ext_first_fit_order_align, NULL);
	default:
		fixed.offset = pool_ext_rng_below(rng, GPT_GROUPS_UNITS - size);
		a = gpt_alloc(s->pool, size, genpool_ext_fixed_alloc, &fixed);
		if (a)
			atomic_long_inc(&s->fixed_ok);
		return a;
	}
}

static int gpt_groups_thread(void *arg)
{
	struct gpt_groups_worker *w = arg;
	struct gpt_groups *s = w->s;
	struct pool_ext_rng rng = { .s = 7000 + w->id };
	struct gpt_block blk[GPT_GROUPS_LIVE] = {};
	u8 tag = 0x40 + w->id;
	int phase, i, k;

	for (phase = 0; phase < GPT_GROUPS_PHASES; phase++) {
		for (i = 0; i < GPT_GROUPS_OPS; i++) {
			struct gpt_block *b =
				&blk[pool_ext_rng_below(&rng, GPT_GROUPS_LIVE)];

			if (b->addr) {
				if (!pool_ext_stamp_ok((void *)b->addr, b->size, tag))
					atomic_inc(&s->bad);
				genpool_ext_free(s->pool, b->addr, b->size);
				b->addr = 0;
				continue;
			}
			/* Mostly small blocks, some that span words. */
			b->size = 1 + pool_ext_rng_below(&rng, pool_ext_rng_below(&rng, 4) ?
						      40 : 300);
			b->addr = gpt_groups_alloc(s, &rng, b->size);
			if (!b->addr)
				continue;
			pool_ext_stamp((void *)b->addr, b->size, tag);
			atomic_long_inc(&s->ops);
		}
		/* Quiescent point: wait until the checks are done. */
		atomic_inc(&s->arrived);
		wake_up_all(&s->wq);
		wait_event(s->wq, READ_ONCE(s->phase) > phase);
	}
	for (k = 0; k < GPT_GROUPS_LIVE; k++) {
		if (!blk[k].addr)
			continue;
		if (!pool_ext_stamp_ok((void *)blk[k].addr, blk[k].size, tag))
			atomic_inc(&s->bad);
		genpool_ext_free(s->pool, blk[k].addr, blk[k].size);
	}
	/* The test owns @s: touch nothing of it until told to stop. */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/* Index answers equal the kernel's plain searches on the same bitmap. */
static void gpt_groups_check(struct kunit *test, struct gpt_groups *s,
			     int phase)
{
	static const unsigned int sizes[] = { 1, 3, 9, 33, 70, 150, 300 };
	struct genpool_ext_chunk *c = s->chunk;
	unsigned long base = c->start_addr, k, e;
	int i;

	KUNIT_EXPECT_EQ_MSG(test, genpool_ext_validate(s->pool), 0,
			    "phase %d", phase);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (genpool_ext_avail(s->pool) < sizes[i])
			continue;
		k = gen_pool_first_fit(c->bits, c->nbits, 0, sizes[i], NULL,
				       NULL, 0);
		e = genpool_ext_alloc(s->pool, sizes[i]);
		KUNIT_EXPECT_EQ_MSG(test, e, k < c->nbits ? base + k : 0,
				    "phase %d first fit %u", phase, sizes[i]);
		if (e)
			genpool_ext_free(s->pool, e, sizes[i]);
		k = gen_pool_best_fit(c->bits, c->nbits, 0, sizes[i], NULL,
				      NULL, 0);
		e = gpt_alloc(s->pool, sizes[i], genpool_ext_best_fit, NULL);
		KUNIT_EXPECT_EQ_MSG(test, e, k < c->nbits ? base + k : 0,
				    "phase %d best fit %u", phase, sizes[i]);
		if (e)
			genpool_ext_free(s->pool, e, sizes[i]);
	}
}

static void genpool_ext_stress_test_groups(struct kunit *test)
{
	struct gpt_groups *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct gpt_groups_worker *w;
	void *mem;
	int cpu, n = 0, phase;

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->nthreads = num_online_cpus() * GPT_STRESS_PER_CPU;
	w = kunit_kcalloc(test, s->nthreads, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	mem = vmalloc(GPT_GROUPS_UNITS);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	init_waitqueue_head(&s->wq);
	/* Order 0: one byte per unit, six index groups in one chunk. */
	s->pool = gpt_pool(test, 0, 0, 0);
	KUNIT_ASSERT_EQ(test, genpool_ext_add(s->pool, (unsigned long)mem,
					      GPT_GROUPS_UNITS, -1), 0);
	s->chunk = list_first_entry(&s->pool->chunks,
				    struct genpool_ext_chunk, next_chunk);

	for_each_online_cpu(cpu) {
		int i;

		for (i = 0; i < GPT_STRESS_PER_CPU; i++, n++) {
			w[n].s = s;
			w[n].id = n;
			w[n].task = kthread_run_on_cpu(gpt_groups_thread, &w[n],
						       cpu, "gpt_groups/%u");
			if (IS_ERR(w[n].task))
				goto stop;
		}
	}
	for (phase = 0; phase < GPT_GROUPS_PHASES; phase++) {
		wait_event(s->wq, atomic_read(&s->arrived) == n * (phase + 1));
		gpt_groups_check(test, s, phase);
		WRITE_ONCE(s->phase, phase + 1);
		wake_up_all(&s->wq);
	}
stop:
	/* On a failed start, let the others run through. */
	WRITE_ONCE(s->phase, GPT_GROUPS_PHASES);
	wake_up_all(&s->wq);
	while (n-- > 0)
		kthread_stop(w[n].task);
	kunit_info(test, "%d threads, %d quiescent checks: %ld allocations, %ld fixed",
		   s->nthreads, GPT_GROUPS_PHASES, atomic_long_read(&s->ops),
		   atomic_long_read(&s->fixed_ok));
	KUNIT_EXPECT_EQ(test, atomic_read(&s->arrived),
			s->nthreads * GPT_GROUPS_PHASES);
	KUNIT_EXPECT_EQ(test, atomic_read(&s->bad), 0);
	KUNIT_EXPECT_GT(test, atomic_long_read(&s->fixed_ok), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(s->pool), GPT_GROUPS_UNITS);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(s->pool), 0);
	KUNIT_EXPECT_EQ(test, gpt_misuse(s->pool), 0);
	vfree(mem);
}

static struct kunit_case genpool_ext_stress_cases[] = {
	KUNIT_CASE_SLOW(genpool_ext_stress_test_threads),
	KUNIT_CASE_SLOW(genpool_ext_stress_test_groups),
	{}
};

static struct kunit_suite genpool_ext_stress_suite = {
	.name = "genpool_ext_stress",
	.test_cases = genpool_ext_stress_cases,
};

kunit_test_suites(&genpool_ext_stress_suite);

#ifdef POOL_EXT_TEST_HOOKS
/* ---------------------------------------------------------------------
 * genpool_ext_race: the interleavings that break a lockless index, each
 * forced at its exact point through the module's test hooks (built with
 * POOL_EXT_TEST_HOOKS=y). Afterwards the index must still promise every
 * free run (genpool_ext_validate()) and place like the kernel's gen_pool.
 */

/* Free every allocation left in a kernel gen_pool chunk. */
static void gpt_kernel_free_chunk(struct gen_pool *kp,
				  struct gen_pool_chunk *chunk, void *data)
{
	unsigned long nbits = (chunk->end_addr - chunk->start_addr + 1) >>
			      kp->min_alloc_order;
	unsigned long b, e;

	for (e = 0; (b = find_next_bit(chunk->bits, nbits, e)) < nbits;) {
		e = find_next_zero_bit(chunk->bits, nbits, b);
		gen_pool_free(kp, chunk->start_addr + (b << kp->min_alloc_order),
			      (e - b) << kp->min_alloc_order);
	}
}

/* gen_pool_destroy() BUGs on a pool with allocations: free them first. */
static void gpt_kernel_empty_destroy(void *kp)
{
	gen_pool_for_each_chunk(kp, gpt_kernel_free_chunk, NULL);
	gen_pool_destroy(kp);
}

/* A pool and a kernel gen_pool over the same made-up range, order 0. */
struct gpt_twin {
	struct genpool_ext *ep;
	struct gen_pool *kp;
	struct genpool_ext_chunk *chunk;
};

static void gpt_twin_init(struct kunit *test, struct gpt_twin *t,
			  unsigned long units)
{
	t->kp = gen_pool_create(0, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, t->kp);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  gpt_kernel_empty_destroy,
						  t->kp));
	KUNIT_ASSERT_EQ(test, 0, gen_pool_add(t->kp, FAKE_BASE, units,
					      NUMA_NO_NODE));
	t->ep = gpt_pool(test, 0, FAKE_BASE, units);
	t->chunk = list_first_entry(&t->ep->chunks, struct genpool_ext_chunk,
				    next_chunk);
}

/* Allocate [@off, @off + @nr) in the pool, with the fixed algorithm. */
static unsigned long gpt_ext_fixed(struct genpool_ext *ep, unsigned long off,
				   unsigned long nr)
{
	struct genpool_ext_data_fixed d = { .offset = off };

	return genpool_ext_alloc_algo(ep, nr, genpool_ext_fixed_alloc, &d);
}

/* Allocate [@off, @off + @nr) in both pools. */
static void gpt_twin_fixed(struct kunit *test, struct gpt_twin *t,
			   unsigned long off, unsigned long nr)
{
	struct genpool_data_fixed kd = { .offset = off };

	KUNIT_ASSERT_EQ(test, gpt_ext_fixed(t->ep, off, nr), FAKE_BASE + off);
	KUNIT_ASSERT_EQ(test, gen_pool_alloc_algo(t->kp, nr,
						  gen_pool_fixed_alloc, &kd),
			FAKE_BASE + off);
}

/*
 * The index is consistent, and first fit and best fit of @nr units place
 * as the kernel does (the allocations are freed again in both pools).
 */
static void gpt_twin_expect_same(struct kunit *test, struct gpt_twin *t,
				 unsigned long nr)
{
	unsigned long e, k;

	KUNIT_EXPECT_EQ(test, genpool_ext_validate(t->ep), 0);
	e = genpool_ext_alloc(t->ep, nr);
	k = gen_pool_alloc(t->kp, nr);
	KUNIT_EXPECT_EQ_MSG(test, e, k, "first fit of %lu units", nr);
	if (e)
		genpool_ext_free(t->ep, e, nr);
	if (k)
		gen_pool_free(t->kp, k, nr);
	e = genpool_ext_alloc_algo(t->ep, nr, genpool_ext_best_fit, NULL);
	k = gen_pool_alloc_algo(t->kp, nr, gen_pool_best_fit, NULL);
	KUNIT_EXPECT_EQ_MSG(test, e, k, "best fit of %lu units", nr);
	if (e)
		genpool_ext_free(t->ep, e, nr);
	if (k)
		gen_pool_free(t->kp, k, nr);
}

/* What a hook should do, and what it saw. */
struct gpt_race {
	struct gpt_twin t;
	enum gpx_hook point;
	unsigned long arg;		/* the word or group to act at */
	int calls;			/* hook calls at that point so far */
	unsigned long fixed_off;	/* where it allocates 10 units */
	unsigned long free_len;		/* or frees this many, from there */
	unsigned long got;		/* the interfering allocation */
	struct task_struct *other;	/* the second search (ABA case) */
	atomic_t step;
};

static void gpt_race_unhook(void *unused)
{
	genpool_ext_test_set_hook(NULL, NULL);
}

static void gpt_race_hook_init(struct kunit *test, struct gpt_race *r,
			       gpx_hook_fn fn, enum gpx_hook point,
			       unsigned long arg)
{
	r->point = point;
	r->arg = arg;
	atomic_set(&r->step, 0);
	genpool_ext_test_set_hook(fn, r);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   gpt_race_unhook,
							   NULL));
}

static bool gpt_race_mine(struct gpt_race *r, enum gpx_hook point,
			  const unsigned long *map, unsigned long arg)
{
	return point == r->point && map == r->t.chunk->bits && arg == r->arg;
}

/*
 * Defect 1: a free releases its range one word at a time. An allocation
 * that lands in a word already released measures the run to its right
 * while later words are still busy; the free must re-measure every run in
 * its range once it has released them all.
 */
static void gpt_race_fixed_hook(void *data, enum gpx_hook point,
				const unsigned long *map, unsigned long arg)
{
	struct gpt_race *r = data;

	if (!gpt_race_mine(r, point, map, arg) || r->calls++)
		return;
	r->got = gpt_ext_fixed(r->t.ep, r->fixed_off, 10);
}

static void genpool_ext_race_test_free_vs_alloc(struct kunit *test)
{
	struct gpt_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	/*
	 * Three groups: a live block [1014, 1224), crossing into group 1,
	 * and 72 free units at the end, so that avail lets an allocation
	 * look while the block is half freed.
	 */
	gpt_twin_init(test, &r->t, 3 * GPX_GROUP_BITS);
	gpt_twin_fixed(test, &r->t, 0, 1014);
	gpt_twin_fixed(test, &r->t, 1014, 210);
	gpt_twin_fixed(test, &r->t, 1224, 3000 - 1224);

	/* Interrupt the free once the word holding 1044 is released. */
	r->fixed_off = 1044;
	gpt_race_hook_init(test, r, gpt_race_fixed_hook, GPX_HOOK_CLEAR_WORD,
			   BIT_WORD(1044));
	genpool_ext_free(r->t.ep, FAKE_BASE + 1014, 210);
	genpool_ext_test_set_hook(NULL, NULL);
	KUNIT_ASSERT_EQ(test, r->calls, 1);
	KUNIT_ASSERT_EQ(test, r->got, FAKE_BASE + 1044);

	gen_pool_free(r->t.kp, FAKE_BASE + 1014, 210);
	KUNIT_ASSERT_EQ(test, gen_pool_alloc_algo(r->t.kp, 10,
						  gen_pool_fixed_alloc,
						  &(struct genpool_data_fixed){
							.offset = 1044 }),
			FAKE_BASE + 1044);
	/* [1054, 1224) is free: the kernel finds 100 units there. */
	gpt_twin_expect_same(test, &r->t, 100);
	gpt_twin_expect_same(test, &r->t, 20);
}

/*
 * Defect 2: two searches tighten group 0 while the free of a 5-unit block
 * makes a run whose bucket is already set. The first tightener must not
 * be able to install a summary it computed before that free.
 */
static int gpt_race_second_search(void *data)
{
	struct gpt_race *r = data;
	unsigned long a = genpool_ext_alloc(r->t.ep, 40);

	if (a)
		genpool_ext_free(r->t.ep, a, 40);
	atomic_set(&r->step, 4);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/* Spin until @r->step reaches @step; under PREEMPT, others still run. */
static bool gpt_race_wait(struct gpt_race *r, int step)
{
	unsigned long timeout = jiffies + 30 * HZ;

	while (atomic_read(&r->step) < step) {
		if (time_after(jiffies, timeout))
			return false;
		cpu_relax();
	}
	return true;
}

static void gpt_race_tighten_hook(void *data, enum gpx_hook point,
				  const unsigned long *map, unsigned long arg)
{
	struct gpt_race *r = data;

	if (!gpt_race_mine(r, point, map, arg))
		return;
	switch (r->calls++) {
	case 0:
		/* First tightener, between its recount and its install. */
		genpool_ext_free(r->t.ep, FAKE_BASE + 100, 5);
		/* Created beforehand: this runs under rcu_read_lock(). */
		wake_up_process(r->other);
		gpt_race_wait(r, 1);
		break;
	case 1:
		/* Second tightener: let the first install, then go on. */
		atomic_set(&r->step, 1);
		gpt_race_wait(r, 2);
		break;
	}
}

static void genpool_ext_race_test_tighten_aba(struct kunit *test)
{
	struct gpt_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	/*
	 * Two groups. Group 0 ends up all busy but for a live block
	 * [100, 105); on the way its summary saw free runs of 50, 10 and 5
	 * units, so it promises runs that are gone, a 5-unit one among
	 * them. Group 1 keeps two free runs of 30 units: avail lets a
	 * 40-unit search look, and no run can take it.
	 */
	gpt_twin_init(test, &r->t, 2 * GPX_GROUP_BITS);
	gpt_twin_fixed(test, &r->t, 0, 100);
	gpt_twin_fixed(test, &r->t, 150, 1200 - 150);
	gpt_twin_fixed(test, &r->t, 1230, 70);
	gpt_twin_fixed(test, &r->t, 1330, 2 * GPX_GROUP_BITS - 1330);
	gpt_twin_fixed(test, &r->t, 110, 40);
	gpt_twin_fixed(test, &r->t, 100, 5);
	gpt_twin_fixed(test, &r->t, 105, 5);
	KUNIT_ASSERT_EQ(test, genpool_ext_validate(r->t.ep), 0);

	r->other = kthread_create(gpt_race_second_search, r, "gpt_race");
	KUNIT_ASSERT_FALSE(test, IS_ERR(r->other));
	gpt_race_hook_init(test, r, gpt_race_tighten_hook, GPX_HOOK_TIGHTEN, 0);
	/* The first search: misled by the stale 50, it tightens group 0. */
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(r->t.ep, 40), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->step), 1);
	atomic_set(&r->step, 2);
	KUNIT_EXPECT_TRUE(test, gpt_race_wait(r, 4));
	genpool_ext_test_set_hook(NULL, NULL);
	kthread_stop(r->other);
	KUNIT_EXPECT_EQ(test, r->calls, 2);

	gen_pool_free(r->t.kp, FAKE_BASE + 100, 5);
	/* The freed block: both place 5 units at offset 100. */
	gpt_twin_expect_same(test, &r->t, 5);
}

/*
 * Defect 3: a recount decides whether the group's first run crossed in
 * from the previous group. An allocation at the group start between that
 * decision and the word scan must not make it drop the next, genuinely
 * interior run.
 */
static void genpool_ext_race_test_recount_skip(struct kunit *test)
{
	struct gpt_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned long sum;

	KUNIT_ASSERT_NOT_NULL(test, r);
	/* [1000, 1100) is free and crosses into group 1. */
	gpt_twin_init(test, &r->t, 2 * GPX_GROUP_BITS);
	gpt_twin_fixed(test, &r->t, 0, 1000);
	gpt_twin_fixed(test, &r->t, 1100, 2 * GPX_GROUP_BITS - 1100);

	r->fixed_off = 1020;
	gpt_race_hook_init(test, r, gpt_race_fixed_hook, GPX_HOOK_RECOUNT, 1);
	sum = genpool_ext_test_recount(r->t.chunk, 1);
	genpool_ext_test_set_hook(NULL, NULL);
	KUNIT_ASSERT_EQ(test, r->got, FAKE_BASE + 1020);
	/* The scan saw [1030, 1100) whole: an interior run of 70 units. */
	KUNIT_EXPECT_TRUE(test, sum & BIT(gpx_bucket(70)));
	/* Its buckets are what a quiet recount finds (the edges moved). */
	KUNIT_EXPECT_EQ(test, sum & GPX_SUM_BUCKETS,
			genpool_ext_test_recount(r->t.chunk, 1) &
			GPX_SUM_BUCKETS);

	KUNIT_ASSERT_EQ(test, gen_pool_alloc_algo(r->t.kp, 10,
						  gen_pool_fixed_alloc,
						  &(struct genpool_data_fixed){
							.offset = 1020 }),
			FAKE_BASE + 1020);
	gpt_twin_expect_same(test, &r->t, 70);
}

/*
 * The chunk hint: a search that went through the whole chunk and found no
 * room lowers the chunk's longest-run hint. A free that makes a longer run
 * while the search is between its failure and its install reads the old,
 * long hint and leaves it alone; the search must then see that run in its
 * rescan, or the next search passes the chunk by.
 */
static void gpt_race_free_hook(void *data, enum gpx_hook point,
			       const unsigned long *map, unsigned long arg)
{
	struct gpt_race *r = data;

	if (!gpt_race_mine(r, point, map, arg) || r->calls++)
		return;
	genpool_ext_free(r->t.ep, FAKE_BASE + r->fixed_off, r->free_len);
}

/*
 * The chunk-hint cases' pools: two groups, all busy but three free runs of
 * 10 units, so avail lets a 20-unit search look and no run can take it,
 * and a live block [500, 530) that the case frees in the search's window.
 */
static struct gpt_race *gpt_race_hint_pool(struct kunit *test)
{
	struct gpt_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned long u;

	KUNIT_ASSERT_NOT_NULL(test, r);
	gpt_twin_init(test, &r->t, 2 * GPX_GROUP_BITS);
	for (u = 0; u < 3; u++)
		gpt_twin_fixed(test, &r->t, u * 100, 90);
	gpt_twin_fixed(test, &r->t, 300, 200);
	gpt_twin_fixed(test, &r->t, 500, 30);
	gpt_twin_fixed(test, &r->t, 530, 2 * GPX_GROUP_BITS - 530);
	KUNIT_ASSERT_EQ(test, genpool_ext_validate(r->t.ep), 0);

	r->fixed_off = 500;
	r->free_len = 30;
	return r;
}

static void genpool_ext_race_test_chunk_hint(struct kunit *test)
{
	struct gpt_race *r = gpt_race_hint_pool(test);

	gpt_race_hook_init(test, r, gpt_race_free_hook, GPX_HOOK_CHUNK_TIGHTEN,
			   0);
	/* Fails: the block is freed only once the search found no room. */
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(r->t.ep, 20), 0);
	genpool_ext_test_set_hook(NULL, NULL);
	KUNIT_ASSERT_EQ(test, r->calls, 1);

	KUNIT_ASSERT_EQ(test, gen_pool_alloc(r->t.kp, 20), 0);
	gen_pool_free(r->t.kp, FAKE_BASE + 500, 30);
	/* The hint covers the new run, and both place 20 units there. */
	KUNIT_EXPECT_GE(test, atomic_long_read(&r->t.chunk->longest), 30);
	gpt_twin_expect_same(test, &r->t, 20);
	gpt_twin_expect_same(test, &r->t, 30);
}

/*
 * The chunk hint, second window: a free that returned while a search was
 * failing, reading the hint when it was still long, raised nothing. The
 * search then installs its short bound. An allocation that begins after
 * the free returned (an NMI on the same CPU, between that install and the
 * search's rescan) must still find the freed run, as the kernel does.
 */
static void gpt_race_install_hook(void *data, enum gpx_hook point,
				  const unsigned long *map, unsigned long arg)
{
	struct gpt_race *r = data;

	if (point != GPX_HOOK_CHUNK_TIGHTEN || map != r->t.chunk->bits)
		return;
	if (arg == 0 && r->calls == 0) {
		/* During the failed search: the free completes. */
		r->calls = 1;
		genpool_ext_free(r->t.ep, FAKE_BASE + r->fixed_off, r->free_len);
	} else if (arg == 1 && r->calls == 1) {
		/* After the install, before the rescan: a new allocation. */
		r->calls = 2;
		r->got = genpool_ext_alloc(r->t.ep, r->free_len - 10);
	}
}

static void genpool_ext_race_test_chunk_hint_lowering(struct kunit *test)
{
	/* The hint is still the chunk's size when the free reads it. */
	struct gpt_race *r = gpt_race_hint_pool(test);

	gpt_race_hook_init(test, r, gpt_race_install_hook,
			   GPX_HOOK_CHUNK_TIGHTEN, 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(r->t.ep, 20), 0);
	genpool_ext_test_set_hook(NULL, NULL);
	KUNIT_ASSERT_EQ(test, r->calls, 2);
	/* Only the freed run holds 20 units: the kernel places them at 500. */
	KUNIT_EXPECT_EQ(test, r->got, FAKE_BASE + 500);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(r->t.ep), 0);
	/* Quiet again: no lowering is left in progress. */
	KUNIT_EXPECT_EQ(test, atomic_long_read(&r->t.chunk->longest) &
			~GPX_LONGEST_LEN, 0);
	if (r->got)
		genpool_ext_free(r->t.ep, r->got, r->free_len - 10);
	gen_pool_free(r->t.kp, FAKE_BASE + 500, 30);
	gpt_twin_expect_same(test, &r->t, 20);
	gpt_twin_expect_same(test, &r->t, 30);
}

/*
 * The rows (best fit's per-bucket group bitmaps): a best-fit search that
 * finds a group's row bit stale clears it by a cmpxchg, between its
 * recount and that install a free makes a run of that bucket in the group
 * and, reading the row bit still set, leaves the row alone. The tightener's
 * second recount must put the bit back, or best fit passes the run over.
 */
static void gpt_race_row_hook(void *data, enum gpx_hook point,
			      const unsigned long *map, unsigned long arg)
{
	struct gpt_race *r = data;

	if (!gpt_race_mine(r, point, map, arg) || r->calls++)
		return;
	genpool_ext_free(r->t.ep, FAKE_BASE + 100, 5);
}

static void genpool_ext_race_test_row_tighten(struct kunit *test)
{
	struct gpt_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned long a;

	KUNIT_ASSERT_NOT_NULL(test, r);
	/*
	 * GPX_ROWS_MIN_GROUPS groups (the fewest with rows), all busy but a
	 * 7-unit run [1500, 1507) in group 1. Group 0 had a 5-unit run
	 * [100, 105), allocated again: its summary and row for 5 units are
	 * stale.
	 */
	gpt_twin_init(test, &r->t, GPX_ROWS_MIN_GROUPS * GPX_GROUP_BITS);
	gpt_twin_fixed(test, &r->t, 0, 1500);
	gpt_twin_fixed(test, &r->t, 1507,
		       GPX_ROWS_MIN_GROUPS * GPX_GROUP_BITS - 1507);
	genpool_ext_free(r->t.ep, FAKE_BASE + 100, 5);
	gen_pool_free(r->t.kp, FAKE_BASE + 100, 5);
	gpt_twin_fixed(test, &r->t, 100, 5);
	KUNIT_ASSERT_EQ(test, genpool_ext_validate(r->t.ep), 0);

	/* Best fit of 5: misled by group 0's row, it tightens it. */
	gpt_race_hook_init(test, r, gpt_race_row_hook, GPX_HOOK_ROW_TIGHTEN,
			   0);
	a = genpool_ext_alloc_algo(r->t.ep, 5, genpool_ext_best_fit, NULL);
	genpool_ext_test_set_hook(NULL, NULL);
	/* Then once more, for group 0's stale suffix bit (a busy last bit). */
	KUNIT_ASSERT_EQ(test, r->calls, 2);
	/* It may or may not have seen the freed run: either is right. */
	KUNIT_EXPECT_TRUE(test, a == FAKE_BASE + 100 || a == FAKE_BASE + 1500);
	if (a)
		genpool_ext_free(r->t.ep, a, 5);

	gen_pool_free(r->t.kp, FAKE_BASE + 100, 5);
	/*
	 * The freed run is an exact fit: both place 5 units at 100. Best
	 * fit first: a first fit's free of [100, 105) would mark the row.
	 */
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(r->t.ep), 0);
	a = genpool_ext_alloc_algo(r->t.ep, 5, genpool_ext_best_fit, NULL);
	KUNIT_EXPECT_EQ(test, a, FAKE_BASE + 100);
	if (a)
		genpool_ext_free(r->t.ep, a, 5);
	gpt_twin_expect_same(test, &r->t, 5);
}

static struct kunit_case genpool_ext_race_cases[] = {
	KUNIT_CASE(genpool_ext_race_test_free_vs_alloc),
	KUNIT_CASE(genpool_ext_race_test_tighten_aba),
	KUNIT_CASE(genpool_ext_race_test_recount_skip),
	KUNIT_CASE(genpool_ext_race_test_chunk_hint),
	KUNIT_CASE(genpool_ext_race_test_chunk_hint_lowering),
	KUNIT_CASE(genpool_ext_race_test_row_tighten),
	{}
};

static struct kunit_suite genpool_ext_race_suite = {
	.name = "genpool_ext_race",
	.test_cases = genpool_ext_race_cases,
};

kunit_test_suites(&genpool_ext_race_suite);
#endif /* POOL_EXT_TEST_HOOKS */
