// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for mempool_ext, part of mempool_ext_test.ko (the file
 * list is in mempool_ext_test.h): the suite mempool_ext_concurrency.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <mempool_ext/mempool_ext.h>

#include "mempool_ext_test.h"

/* -------------------------------------------------------- concurrency */

struct mpt_worker {
	struct mempool_ext *pool;
	struct mpt_backing *backing;
	struct completion done;		/* complete_all(): waiting does not consume it */
	unsigned int iterations;
	bool use_bulk;
	unsigned int bulk;	/* elements per bulk allocation, at most 4 */
	/* results */
	void *elems[4];
	ktime_t finished;
	unsigned int null_sleeping;	/* must stay 0 */
	unsigned int atomic_failures;
	unsigned int bad_bulk;		/* must stay 0 */
	unsigned int ops;
};

/*
 * Everything the threads of one case touch, in memory that is not
 * KUnit-managed: if a thread never finishes, the case fails and leaks
 * this (and the pool) rather than freeing memory still in use or hanging.
 */
struct mpt_run {
	struct mpt_backing backing;
	struct mempool_ext *pool;
	int nr;
	struct mpt_worker w[] __counted_by(nr);
};

static struct mpt_run *mpt_run_new(struct kunit *test, int nr, int min_nr)
{
	struct mpt_run *run = kzalloc(struct_size(run, w, nr), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, run);
	run->nr = nr;
	run->pool = mempool_ext_create(min_nr, mpt_alloc, mpt_free, &run->backing);
	if (!run->pool) {
		kfree(run);
		KUNIT_FAIL_AND_ABORT(test, "cannot create the pool");
	}
	for (i = 0; i < nr; i++) {
		run->w[i].pool = run->pool;
		run->w[i].backing = &run->backing;
		init_completion(&run->w[i].done);
	}
	return run;
}

/* Start @fn on each worker; returns how many were started. */
static int mpt_start(struct kunit *test, struct mpt_run *run,
		     int (*fn)(void *), const char *name)
{
	struct task_struct *task;
	int i;

	for (i = 0; i < run->nr; i++) {
		task = kthread_run(fn, &run->w[i], "%s/%d", name, i);
		KUNIT_EXPECT_FALSE(test, IS_ERR(task));
		if (IS_ERR(task))
			break;
	}
	return i;
}

/*
 * Wait up to @timeout_s seconds in all for the @started workers. Keep it
 * well below the hung-task timeout (120 s): insmod sleeps uninterruptibly
 * for as long as one case runs. Returns false, having failed the case, if
 * some did not finish: the caller must then leak @run and its pool.
 */
static bool mpt_join(struct kunit *test, struct mpt_run *run, int started,
		     unsigned int timeout_s)
{
	unsigned long deadline = jiffies + timeout_s * HZ;
	int i, late = 0;

	for (i = 0; i < started; i++) {
		while (!completion_done(&run->w[i].done) &&
		       time_before(jiffies, deadline))
			wait_for_completion_timeout(&run->w[i].done, HZ);
		late += !completion_done(&run->w[i].done);
	}
	if (late)
		KUNIT_FAIL(test, "%d of %d threads still running after %u s",
			   late, started, timeout_s);
	return !late;
}

static void mpt_run_free(struct mpt_run *run)
{
	mempool_ext_destroy(run->pool);
	kfree(run);
}

static int mpt_waiter_fn(void *data)
{
	struct mpt_worker *w = data;

	if (w->use_bulk)
		mempool_ext_alloc_bulk(w->pool, w->elems, w->bulk, 0);
	else
		w->elems[0] = mempool_ext_alloc(w->pool, GFP_KERNEL);
	w->finished = ktime_get();
	complete_all(&w->done);
	return 0;
}

/* Wait (bounded) until somebody sleeps on the pool's wait queue. */
static bool mpt_wait_for_sleeper(struct mempool_ext *pool)
{
	int i;

	for (i = 0; i < 2000; i++) {
		if (wq_has_sleeper(&pool->wait))
			return true;
		usleep_range(2000, 5000);
	}
	return false;
}

/*
 * A sleeping allocation blocked on an empty reserve is woken by a free
 * from another thread at once, not by the safety-net timeout.
 */
static void mpt_wakeup(struct kunit *test, int min_nr)
{
	u64 limit_ns = jiffies_to_nsecs(MEMPOOL_EXT_RETRY_TIMEOUT) / 5;
	struct mpt_run *run = mpt_run_new(test, 1, min_nr);
	struct mempool_ext *pool = run->pool;
	struct mpt_worker *w = &run->w[0];
	ktime_t freed;
	void *held;

	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	/* a zero-minimum pool holds one element too */
	held = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, held);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 0);

	if (mpt_start(test, run, mpt_waiter_fn, "mpt_waiter") != 1) {
		mempool_ext_free(held, pool);
		mpt_run_free(run);
		return;
	}
	KUNIT_EXPECT_TRUE(test, mpt_wait_for_sleeper(pool));
	KUNIT_EXPECT_FALSE(test, completion_done(&w->done));

	freed = ktime_get();
	mempool_ext_free(held, pool);
	if (!mpt_join(test, run, 1, 30))
		return;

	/* it got the very element we freed, well before the timeout */
	kunit_info(test, "woken %lld us after the free (safety net: %u ms)\n",
		   ktime_us_delta(w->finished, freed),
		   jiffies_to_msecs(MEMPOOL_EXT_RETRY_TIMEOUT));
	KUNIT_EXPECT_PTR_EQ(test, w->elems[0], held);
	KUNIT_EXPECT_LT(test, (u64)ktime_to_ns(ktime_sub(w->finished, freed)),
			limit_ns);
	KUNIT_EXPECT_GE(test, mpt_stat(pool, waits), 1);
	KUNIT_EXPECT_GT(test, mpt_stat(pool, wait_ns), 0);

	mempool_ext_free(w->elems[0], pool);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	mempool_ext_destroy(pool);
	run->pool = NULL;
	KUNIT_EXPECT_EQ(test, atomic_read(&run->backing.live), 0);
	mpt_run_free(run);
}

static void mempool_ext_concurrency_test_wakeup(struct kunit *test)
{
	mpt_wakeup(test, 1);
}

/* The same on a zero-minimum pool: mainline lost this wake-up in 2025. */
static void mempool_ext_concurrency_test_wakeup_zero_min(struct kunit *test)
{
	mpt_wakeup(test, 0);
}

/* A bulk waiter needs the whole batch: one free is not enough. */
static void mempool_ext_concurrency_test_bulk_waiter(struct kunit *test)
{
	u64 limit_ns = jiffies_to_nsecs(MEMPOOL_EXT_RETRY_TIMEOUT) / 5;
	struct mpt_run *run = mpt_run_new(test, 1, 2);
	struct mempool_ext *pool = run->pool;
	struct mpt_worker *w = &run->w[0];
	ktime_t freed;
	void *held[2];
	int i;

	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	for (i = 0; i < 2; i++) {
		held[i] = mempool_ext_alloc(pool, GFP_KERNEL);
		KUNIT_EXPECT_NOT_NULL(test, held[i]);
	}
	w->use_bulk = true;
	w->bulk = 2;
	if (mpt_start(test, run, mpt_waiter_fn, "mpt_bulk") != 1) {
		mempool_ext_free(held[0], pool);
		mempool_ext_free(held[1], pool);
		mpt_run_free(run);
		return;
	}
	KUNIT_EXPECT_TRUE(test, mpt_wait_for_sleeper(pool));
	mempool_ext_free(held[0], pool);
	/* woken, finds one element, goes back to sleep without taking it */
	msleep(100);
	KUNIT_EXPECT_FALSE(test, completion_done(&w->done));
	KUNIT_EXPECT_EQ(test, READ_ONCE(pool->curr_nr), 1);
	freed = ktime_get();
	mempool_ext_free(held[1], pool);
	if (!mpt_join(test, run, 1, 30))
		return;
	/* the second free completed the batch and woke it at once */
	KUNIT_EXPECT_LT(test, (u64)ktime_to_ns(ktime_sub(w->finished, freed)),
			limit_ns);
	KUNIT_EXPECT_NOT_NULL(test, w->elems[0]);
	KUNIT_EXPECT_NOT_NULL(test, w->elems[1]);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 0);
	KUNIT_EXPECT_EQ(test, mempool_ext_free_bulk(pool, w->elems, 2), 2U);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	mempool_ext_destroy(pool);
	run->pool = NULL;
	KUNIT_EXPECT_EQ(test, atomic_read(&run->backing.live), 0);
	mpt_run_free(run);
}

/* Allocate, use and free, one element at a time (or a batch of two). */
static int mpt_stress_fn(void *data)
{
	struct mpt_worker *w = data;
	unsigned int i, j, n;
	void *element;

	for (i = 0; i < w->iterations; i++) {
		u32 r = get_random_u32_below(8);

		if (r == 0) {
			element = mempool_ext_alloc(w->pool, GFP_ATOMIC);
			if (!element) {
				w->atomic_failures++;
				continue;
			}
			memset(element, i, MPT_ELEM_SIZE);
			mempool_ext_free(element, w->pool);
		} else if (r == 1 && w->use_bulk) {
			w->elems[0] = NULL;
			w->elems[1] = NULL;
			mempool_ext_alloc_bulk(w->pool, w->elems, 2, 0);
			if (!w->elems[0] || !w->elems[1]) {
				w->bad_bulk++;
			} else {
				memset(w->elems[0], i, MPT_ELEM_SIZE);
				memset(w->elems[1], i, MPT_ELEM_SIZE);
			}
			n = mempool_ext_free_bulk(w->pool, w->elems, 2);
			for (j = n; j < 2; j++) {
				if (w->elems[j])
					mpt_free(w->elems[j], w->backing);
			}
		} else {
			element = mempool_ext_alloc(w->pool, GFP_KERNEL);
			if (!element) {
				w->null_sleeping++;
				continue;
			}
			memset(element, i, MPT_ELEM_SIZE);
			/* hold it a while now and then: others find the reserve empty */
			if (r >= 6)
				usleep_range(100, 500);
			else if (r & 1)
				cond_resched();
			mempool_ext_free(element, w->pool);
		}
		w->ops++;
	}
	w->finished = ktime_get();
	complete_all(&w->done);
	return 0;
}

static void mpt_expect_workers_ok(struct kunit *test, struct mpt_run *run,
				  int started, unsigned int iterations)
{
	int i;

	for (i = 0; i < started; i++) {
		KUNIT_EXPECT_EQ(test, run->w[i].null_sleeping, 0U);
		KUNIT_EXPECT_EQ(test, run->w[i].bad_bulk, 0U);
		KUNIT_EXPECT_EQ(test, run->w[i].ops + run->w[i].atomic_failures,
				iterations);
	}
}

/*
 * Every sleep was ended by a free, none by the safety-net timeout: a lost
 * wake-up would show up as a sleep of the full timeout.
 */
static void mpt_expect_no_lost_wakeup(struct kunit *test, struct mempool_ext *pool)
{
	KUNIT_EXPECT_LT(test, (u64)mpt_stat(pool, wait_max_ns),
			jiffies_to_nsecs(MEMPOOL_EXT_RETRY_TIMEOUT) / 2);
}

/*
 * Conservation: every element the backing handed out is in the reserve,
 * and destroy gives them all back.
 */
static void mpt_expect_conserved(struct kunit *test, struct mpt_run *run)
{
	struct mempool_ext *pool = run->pool;

	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&run->backing.live), READ_ONCE(pool->curr_nr));
	KUNIT_EXPECT_LE(test, pool->curr_nr, max(1, pool->min_nr));
	mempool_ext_destroy(pool);
	run->pool = NULL;
	KUNIT_EXPECT_EQ(test, atomic_read(&run->backing.live), 0);
}

/*
 * Start a bulk waiter for all @min_nr elements of a pool whose allocator
 * always fails and whose reserve is lent out to @held; returns false (the
 * case failed and cleaned up) if it does not get to sleep.
 */
static bool mpt_start_bulk_waiter(struct kunit *test, struct mpt_run *run,
				  void **held, int min_nr)
{
	struct mempool_ext *pool = run->pool;
	int i;

	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	for (i = 0; i < min_nr; i++) {
		held[i] = mempool_ext_alloc(pool, GFP_KERNEL);
		KUNIT_EXPECT_NOT_NULL(test, held[i]);
	}
	run->w[0].use_bulk = true;
	run->w[0].bulk = min_nr;
	if (mpt_start(test, run, mpt_waiter_fn, "mpt_bulk") != 1)
		goto err_free;
	if (mpt_wait_for_sleeper(pool))
		return true;
	KUNIT_FAIL(test, "the bulk waiter never slept");
	if (!mpt_join(test, run, 1, 30))
		return false;	/* leaks run: a thread may still use it */
	mempool_ext_free_bulk(pool, run->w[0].elems, min_nr);
err_free:
	for (i = 0; i < min_nr; i++)
		mempool_ext_free(held[i], pool);
	mpt_run_free(run);
	return false;
}

/*
 * The waiter did not finish in time: feed it through the allocator so
 * that it does (the case has already failed), or give up and leak.
 */
static bool mpt_rescue_waiter(struct kunit *test, struct mpt_run *run)
{
	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(run->pool, MEMPOOL_EXT_FAULT_OFF, 0), 0);
	return mpt_join(test, run, 1, 30);
}

/*
 * A bulk allocation waiting for the whole reserve while a resize shrinks
 * it: it used to wait for ever, since frees refilled only the smaller
 * reserve and the waiter went on needing the larger one. The reserve is
 * now refilled to what the waiter needs, and shrinks once it is served.
 */
static void mempool_ext_concurrency_test_bulk_shrink(struct kunit *test)
{
	struct mpt_run *run = mpt_run_new(test, 1, 4);
	struct mempool_ext *pool = run->pool;
	struct mpt_worker *w = &run->w[0];
	void *held[4];
	int i;

	if (!mpt_start_bulk_waiter(test, run, held, 4))
		return;
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 1), 0);
	KUNIT_EXPECT_EQ(test, pool->min_nr, 1);
	/*
	 * The reserve stays sized for the waiter, so resize's refill puts
	 * one element (it tries at most new_min_nr times) from the
	 * allocator into it: three frees make the four the waiter needs.
	 */
	KUNIT_EXPECT_EQ(test, READ_ONCE(pool->curr_nr), 1);
	KUNIT_EXPECT_FALSE(test, completion_done(&w->done));
	for (i = 0; i < 3; i++)
		mempool_ext_free(held[i], pool);
	/*
	 * Join before the fourth free: freed while the woken waiter has not
	 * yet taken the reserve, it would go to the allocator, and after,
	 * into the reserve, a race this case must not depend on.
	 */
	if (!mpt_join(test, run, 1, 20) && !mpt_rescue_waiter(test, run))
		return;

	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_NOT_NULL(test, w->elems[i]);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, alloc_calls), mpt_stat(pool, faults_injected));
	/* all four came from the reserve, which shrank back to one */
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 0);
	KUNIT_EXPECT_EQ(test, pool->target, 1);
	mempool_ext_free(held[3], pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	for (i = 0; i < 4; i++)
		mempool_ext_free(w->elems[i], pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&run->backing.live), 1);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	mpt_expect_conserved(test, run);
	mpt_run_free(run);
}

/*
 * The same, but the waiter is served by the allocator while the reserve
 * is being refilled for it: the elements it no longer needs are trimmed
 * to the new size when it returns.
 */
static void mempool_ext_concurrency_test_bulk_shrink_trim(struct kunit *test)
{
	struct mpt_run *run = mpt_run_new(test, 1, 4);
	struct mempool_ext *pool = run->pool;
	struct mpt_worker *w = &run->w[0];
	void *held[4];
	int i;

	if (!mpt_start_bulk_waiter(test, run, held, 4))
		return;
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 1), 0);
	mempool_ext_free(held[0], pool);
	mempool_ext_free(held[1], pool);
	/* the allocator recovers; the next free wakes the waiter */
	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_OFF, 0), 0);
	mempool_ext_free(held[2], pool);
	if (!mpt_join(test, run, 1, 20))
		return;
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_NOT_NULL(test, w->elems[i]);
	KUNIT_EXPECT_EQ(test, pool->min_nr, 1);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	mempool_ext_free(held[3], pool);
	for (i = 0; i < 4; i++)
		mempool_ext_free(w->elems[i], pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	mpt_expect_conserved(test, run);
	mpt_run_free(run);
}

static void mempool_ext_concurrency_test_resize_under_load(struct kunit *test)
{
	static const int sizes[] = { 1, 8, 2, 16, 1, 4, 3 };
	const unsigned int iterations = 300;
	struct mpt_run *run = mpt_run_new(test, 2 * num_online_cpus(), 4);
	int started, i, resizes = 0;
	bool running = true;

	run->backing.fail_pct = 30;
	for (i = 0; i < run->nr; i++)
		run->w[i].iterations = iterations;
	started = mpt_start(test, run, mpt_stress_fn, "mpt_resize");
	while (running) {
		KUNIT_EXPECT_EQ(test, mempool_ext_resize(run->pool,
							 sizes[resizes % ARRAY_SIZE(sizes)]), 0);
		resizes++;
		usleep_range(500, 2000);
		running = false;
		for (i = 0; i < started; i++)
			running |= !completion_done(&run->w[i].done);
	}
	if (!mpt_join(test, run, started, 60))
		return;
	KUNIT_EXPECT_EQ(test, started, run->nr);
	KUNIT_EXPECT_GE(test, resizes, 2);
	kunit_info(test, "%d resizes under %d threads\n", resizes, started);
	mpt_expect_workers_ok(test, run, started, iterations);

	/* a last resize settles the reserve at its final size */
	run->backing.fail_pct = 0;
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(run->pool, 5), 0);
	KUNIT_EXPECT_EQ(test, run->pool->curr_nr, 5);
	mpt_expect_conserved(test, run);
	mpt_run_free(run);
}

/*
 * Forward progress: three threads per CPU on a two-element reserve while
 * the allocator fails about two calls in three. Every sleeping allocation succeeds,
 * every thread finishes within the bound, nothing is lost.
 */
static void mempool_ext_concurrency_test_forward_progress(struct kunit *test)
{
	const unsigned int iterations = 600;
	struct mpt_run *run = mpt_run_new(test, 3 * num_online_cpus(), 2);
	struct mempool_ext *pool = run->pool;
	ktime_t start = ktime_get();
	int started, i;
	long hits;

	/* real failures of the backing, plus injected ones */
	run->backing.fail_pct = 50;
	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_PROBABILITY, 30), 0);
	for (i = 0; i < run->nr; i++) {
		run->w[i].iterations = iterations;
		run->w[i].use_bulk = true;
	}
	started = mpt_start(test, run, mpt_stress_fn, "mpt_stress");
	KUNIT_EXPECT_EQ(test, started, run->nr);
	if (!mpt_join(test, run, started, 60))
		return;
	mpt_expect_workers_ok(test, run, started, iterations);

	hits = mpt_stat(pool, reserve_hits);
	kunit_info(test, "%d threads x %u ops in %lld ms: %ld reserve hits, %lld waits, %lld allocator failures\n",
		   started, iterations, ktime_ms_delta(ktime_get(), start), hits,
		   mpt_stat(pool, waits), mpt_stat(pool, alloc_failures));
	/* the allocator failed most of the time: the reserve carried the load */
	KUNIT_EXPECT_GT(test, hits, 0);
	KUNIT_EXPECT_GT(test, mpt_stat(pool, alloc_failures), 0);
	mpt_expect_no_lost_wakeup(test, pool);
	mpt_expect_conserved(test, run);
	mpt_run_free(run);
}

/*
 * The allocator never succeeds and the reserve holds one element: the
 * threads can only progress by handing it on through free and the wait
 * queue, so every allocation but the uncontended ones waits.
 */
static void mempool_ext_concurrency_test_reserve_only(struct kunit *test)
{
	const unsigned int iterations = 200;
	struct mpt_run *run = mpt_run_new(test, 2 * num_online_cpus(), 1);
	struct mempool_ext *pool = run->pool;
	int started, i;

	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	for (i = 0; i < run->nr; i++)
		run->w[i].iterations = iterations;
	started = mpt_start(test, run, mpt_stress_fn, "mpt_handoff");
	KUNIT_EXPECT_EQ(test, started, run->nr);
	if (!mpt_join(test, run, started, 60))
		return;
	mpt_expect_workers_ok(test, run, started, iterations);
	kunit_info(test, "%d threads: %lld reserve hits, %lld waits, longest %lld us\n",
		   started, mpt_stat(pool, reserve_hits),
		   mpt_stat(pool, waits),
		   mpt_stat(pool, wait_max_ns) / NSEC_PER_USEC);
	/* one element served everybody, and they had to queue for it */
	KUNIT_EXPECT_EQ(test, atomic_read(&run->backing.allocs), 1);
	KUNIT_EXPECT_GT(test, mpt_stat(pool, waits), 0);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, alloc_calls),
			mpt_stat(pool, faults_injected));
	mpt_expect_no_lost_wakeup(test, pool);
	mpt_expect_conserved(test, run);
	mpt_run_free(run);
}

/*
 * Allocate and free as fast as possible, GFP_ATOMIC so nobody sleeps: the
 * lockless paths (the fast allocation, the free's look at the reserve,
 * is_saturated()) then run on every CPU at once, against the reserve
 * changing under the lock. The sleeping cases above leave the CPUs idle
 * most of the time, so this is the case in which KCSAN (make kcsan-check)
 * can see a race on those paths.
 */
static int mpt_tight_fn(void *data)
{
	struct mpt_worker *w = data;
	unsigned int i;
	void *element;

	for (i = 0; i < w->iterations; i++) {
		if (!(i % 256))
			cond_resched();
		element = mempool_ext_alloc(w->pool, GFP_ATOMIC);
		if (!element) {
			w->atomic_failures++;
			continue;
		}
		*(u8 *)element = i;
		/* A lockless look at the reserve, as a driver may take one. */
		(void)mempool_ext_is_saturated(w->pool);
		mempool_ext_free(element, w->pool);
		w->ops++;
	}
	complete_all(&w->done);
	return 0;
}

/*
 * Two threads per CPU in tight loops on a four-element reserve, the
 * allocator failing half the calls, while this thread reads the
 * statistics and resizes the reserve. Every call is accounted for and no
 * element is lost.
 */
static void mempool_ext_concurrency_test_lockless(struct kunit *test)
{
	static const int sizes[] = { 2, 6, 4, 1, 8 };
	/*
	 * KCSAN samples one access in thousands: give it many rounds. On
	 * other kernels a few thousand show that nothing is lost.
	 */
	const unsigned int iterations = IS_ENABLED(CONFIG_KCSAN) ? 20000 : 2000;
	struct mpt_run *run = mpt_run_new(test, 2 * num_online_cpus(), 4);
	struct mempool_ext_stats st;
	int started, i, rounds = 0;
	bool running = true;

	run->backing.fail_pct = 50;
	for (i = 0; i < run->nr; i++)
		run->w[i].iterations = iterations;
	started = mpt_start(test, run, mpt_tight_fn, "mpt_tight");
	while (running) {
		KUNIT_EXPECT_EQ(test, mempool_ext_get_stats(run->pool, &st), 0);
		KUNIT_EXPECT_EQ(test, mempool_ext_resize(run->pool,
							 sizes[rounds % ARRAY_SIZE(sizes)]), 0);
		rounds++;
		cond_resched();
		running = false;
		for (i = 0; i < started; i++)
			running |= !completion_done(&run->w[i].done);
	}
	if (!mpt_join(test, run, started, 60))
		return;
	KUNIT_EXPECT_EQ(test, started, run->nr);
	mpt_expect_workers_ok(test, run, started, iterations);
	kunit_info(test, "%d threads x %u ops, %d resizes: %lld reserve hits, %lld allocator failures\n",
		   started, iterations, rounds, mpt_stat(run->pool, reserve_hits),
		   mpt_stat(run->pool, alloc_failures));
	/* the allocator failed half the time: the reserve was used */
	KUNIT_EXPECT_GT(test, mpt_stat(run->pool, reserve_hits), 0);

	run->backing.fail_pct = 0;
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(run->pool, 4), 0);
	KUNIT_EXPECT_EQ(test, run->pool->curr_nr, 4);
	mpt_expect_conserved(test, run);
	mpt_run_free(run);
}

static struct kunit_case mempool_ext_concurrency_test_cases[] = {
	KUNIT_CASE_SLOW(mempool_ext_concurrency_test_lockless),
	KUNIT_CASE(mempool_ext_concurrency_test_wakeup),
	KUNIT_CASE(mempool_ext_concurrency_test_wakeup_zero_min),
	KUNIT_CASE(mempool_ext_concurrency_test_bulk_waiter),
	KUNIT_CASE(mempool_ext_concurrency_test_bulk_shrink),
	KUNIT_CASE(mempool_ext_concurrency_test_bulk_shrink_trim),
	KUNIT_CASE_SLOW(mempool_ext_concurrency_test_resize_under_load),
	KUNIT_CASE_SLOW(mempool_ext_concurrency_test_forward_progress),
	KUNIT_CASE_SLOW(mempool_ext_concurrency_test_reserve_only),
	{}
};

static struct kunit_suite mempool_ext_concurrency_test_suite = {
	.name = "mempool_ext_concurrency",
	.test_cases = mempool_ext_concurrency_test_cases,
};

kunit_test_suites(&mempool_ext_concurrency_test_suite);
