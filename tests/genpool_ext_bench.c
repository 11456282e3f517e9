// SPDX-License-Identifier: GPL-2.0
/*
 * genpool_ext_bench: genpool_ext against the in-kernel gen_pool of the same
 * boot.
 *
 * The pool: one 16 MiB chunk at min_alloc_order 6 (262,144 units), or for
 * the multi-chunk rows 64 chunks of 256 KiB (4,096 units each, the same
 * 262,144 units). The address range is made up (gen_pool never touches
 * the memory it manages unless asked to zero it), and both pools manage
 * the same addresses, so their placements can be compared directly.
 *
 * Fragmentation: a seeded pseudo-random sequence of first-fit allocations
 * of 1-16 units, with a random live block freed after every fourth
 * allocation, runs until the target fill (allocated units / all units) is
 * reached. Under first-fit this leaves the low addresses packed with holes
 * mostly too small for new requests, and free space above, much as a
 * long-running pool looks. The sequence runs once on a model of the pool
 * (a segment tree, so generating costs nothing measurable) and the result
 * is then laid out identically in both pools with fixed-offset
 * allocations. Fill 0 is the empty pool.
 *
 * Rows: alloc+free pairs of 1, 8 and 64 units with first-fit (ff),
 * best-fit (bf) and order-aligned first-fit (oa) at fills 0, 50, 90 and
 * 99%, and the same at 90% on the 64-chunk pool: "genpool_fill90_ff_8"
 * and "genpool_64chunk_fill90_ff_8". Each pair allocates and frees the same
 * block, so every pair sees the same layout. Before each row one probe
 * allocation on each side checks that both place the block at the same
 * address (the suite promises identical placement); the row's note line
 * says "placement=same" or shows both addresses.
 *
 * Metadata rows (genpool_metadata_1x16MiB, genpool_metadata_64x256KiB):
 * bytes of bookkeeping per pool, measured alike for both: ksize() of the
 * pool structure, plus per chunk its header and bitmap (and the suite's
 * search index) as allocated - whole pages if vmalloc()ed, ksize()
 * otherwise - plus the suite's per-CPU counters. vmalloc's own
 * vm_struct/vmap_area records and debugfs entries are not counted.
 *
 * The module does its work at init and returns 0, or an error if anything
 * failed, so insmod reports the verdict.
 */
#define pr_fmt(fmt) "pool_ext_bench: " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/genalloc.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rbtree.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include <compat/pool_ext_compat.h>
#include <genpool_ext/genpool_ext.h>

#include "bench/pool_ext_bench.h"

static int reps = 9;
module_param(reps, int, 0444);
MODULE_PARM_DESC(reps, "measurements per implementation and row (1-15, default 9)");

static char *set = "single";
module_param(set, charp, 0444);
MODULE_PARM_DESC(set, "rows to run: single (one vCPU) or shared (one pool, two threads per vCPU and a timer)");

static ulong seed = 1;
module_param(seed, ulong, 0444);
MODULE_PARM_DESC(seed, "seed of the fragmentation sequence (default 1)");

#define GPB_ORDER		6
#define GPB_UNIT		BIT(GPB_ORDER)
#define GPB_UNITS		((u32)(SZ_16M >> GPB_ORDER))	/* 262,144 */
#define GPB_MULTI_CHUNKS	64
#define GPB_BASE		((unsigned long)SZ_1G)	/* made up */
#define GPB_FREE_EVERY		4	/* allocations per random free */
#define GPB_MAX_SIZE		16	/* largest fragmenting block, units */

/* ---- The model: free/used units in a segment tree, first-fit in O(log n) */

/*
 * Node i (1-based heap, leaves at GPB_UNITS + unit) holds the longest free
 * prefix, suffix and run of its span. Runs never join across a chunk
 * boundary: a node spanning more than one chunk keeps only its children's
 * best run.
 */
struct gpb_run {
	struct rb_node rb;
	u32 start, len;		/* len 0: no free run starts here */
};

struct gpb_model {
	u32 chunk_units;
	u32 *pre, *suf, *best;
	u16 *blen;		/* at a block's first unit: its length */
	/*
	 * Best fit, for the layouts that best fit makes (one chunk only):
	 * every free run, by (length, start) in @runs_by_len and by start in
	 * @runs; @tail[u] is the start of the run whose last unit is u.
	 * NULL when not kept.
	 */
	struct gpb_run *runs;
	u32 *tail;
	struct rb_root runs_by_len;
};

static void gpb_pull(struct gpb_model *m, u32 i, u32 span)
{
	u32 l = 2 * i, r = l + 1, half = span / 2;

	if (span > m->chunk_units) {
		m->pre[i] = m->pre[l];
		m->suf[i] = m->suf[r];
		m->best[i] = max(m->best[l], m->best[r]);
		return;
	}
	m->pre[i] = m->pre[l] == half ? half + m->pre[r] : m->pre[l];
	m->suf[i] = m->suf[r] == half ? half + m->suf[l] : m->suf[r];
	m->best[i] = max3(m->best[l], m->best[r], m->suf[l] + m->pre[r]);
}

static void gpb_model_set(struct gpb_model *m, u32 start, u32 len, bool used)
{
	u32 lo = GPB_UNITS + start, hi = lo + len - 1, i, span;

	for (i = lo; i <= hi; i++) {
		m->pre[i] = !used;
		m->suf[i] = !used;
		m->best[i] = !used;
	}
	for (lo >>= 1, hi >>= 1, span = 2; lo; lo >>= 1, hi >>= 1, span <<= 1)
		for (i = lo; i <= hi; i++)
			gpb_pull(m, i, span);
}

/* Lowest unit starting a free run of @len units, or -1. */
static long gpb_model_first_fit(struct gpb_model *m, u32 len)
{
	u32 i = 1, span = GPB_UNITS, base = 0, l;

	if (m->best[1] < len)
		return -1;
	while (i < GPB_UNITS) {
		l = 2 * i;
		span /= 2;
		/* A run crossing the middle starts at the left child's suffix. */
		if (m->best[l] < len && 2 * span <= m->chunk_units &&
		    m->suf[l] + m->pre[l + 1] >= len)
			return base + span - m->suf[l];
		if (m->best[l] >= len) {
			i = l;
		} else {
			i = l + 1;
			base += span;
		}
	}
	return base;
}

static bool gpb_model_free(struct gpb_model *m, u32 unit)
{
	return m->best[GPB_UNITS + unit];
}

/* ---- Best fit on the model: free runs ordered by (length, start) */

static void gpb_run_insert(struct gpb_model *m, u32 start, u32 len)
{
	struct rb_node **link = &m->runs_by_len.rb_node, *parent = NULL;
	struct gpb_run *r = &m->runs[start], *o;

	r->start = start;
	r->len = len;
	m->tail[start + len - 1] = start;
	while (*link) {
		parent = *link;
		o = rb_entry(parent, struct gpb_run, rb);
		if (len < o->len || (len == o->len && start < o->start))
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&r->rb, parent, link);
	rb_insert_color(&r->rb, &m->runs_by_len);
}

static u32 gpb_run_erase(struct gpb_model *m, u32 start)
{
	struct gpb_run *r = &m->runs[start];
	u32 len = r->len;

	rb_erase(&r->rb, &m->runs_by_len);
	r->len = 0;
	return len;
}

/*
 * Where gen_pool_best_fit() puts @len units: the smallest free run that
 * fits, the lowest-addressed of those (so the first exact fit). One chunk
 * only: gen_pool takes the first chunk with any fit. Return -1 if none.
 */
static long gpb_model_best_fit(struct gpb_model *m, u32 len)
{
	struct rb_node *n = m->runs_by_len.rb_node;
	struct gpb_run *r, *found = NULL;

	while (n) {
		r = rb_entry(n, struct gpb_run, rb);
		if (r->len >= len) {
			found = r;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return found ? (long)found->start : -1;
}

/* The run tree after @len units at @pos (a run's start) were taken. */
static void gpb_runs_take(struct gpb_model *m, u32 pos, u32 len)
{
	u32 run = gpb_run_erase(m, pos);

	if (run > len)
		gpb_run_insert(m, pos + len, run - len);
}

/* The run tree after @len units at @pos were freed: join the neighbours. */
static void gpb_runs_put(struct gpb_model *m, u32 pos, u32 len)
{
	u32 end = pos + len;

	if (end % m->chunk_units && end < GPB_UNITS && m->runs[end].len)
		len += gpb_run_erase(m, end);
	if (pos % m->chunk_units && gpb_model_free(m, pos - 1)) {
		u32 left = m->tail[pos - 1];

		len += gpb_run_erase(m, left);
		pos = left;
	}
	gpb_run_insert(m, pos, len);
}

static void gpb_model_destroy(struct gpb_model *m)
{
	vfree(m->runs);
	vfree(m->tail);
	vfree(m->pre);
	vfree(m->suf);
	vfree(m->best);
	vfree(m->blen);
}

static int gpb_model_init(struct gpb_model *m, u32 chunk_units, bool runs)
{
	u32 i, span;

	memset(m, 0, sizeof(*m));
	m->chunk_units = chunk_units;
	if (runs) {
		if (WARN_ON(chunk_units != GPB_UNITS))
			return -EINVAL;
		m->runs = vzalloc(array_size(GPB_UNITS, sizeof(*m->runs)));
		m->tail = vmalloc(array_size(GPB_UNITS, sizeof(u32)));
		if (!m->runs || !m->tail) {
			gpb_model_destroy(m);
			return -ENOMEM;
		}
		m->runs_by_len = RB_ROOT;
		gpb_run_insert(m, 0, GPB_UNITS);
	}
	m->pre = vmalloc(array_size(2 * GPB_UNITS, sizeof(u32)));
	m->suf = vmalloc(array_size(2 * GPB_UNITS, sizeof(u32)));
	m->best = vmalloc(array_size(2 * GPB_UNITS, sizeof(u32)));
	m->blen = vzalloc(array_size(GPB_UNITS, sizeof(*m->blen)));
	if (!m->pre || !m->suf || !m->best || !m->blen) {
		gpb_model_destroy(m);
		return -ENOMEM;
	}
	for (i = GPB_UNITS; i < 2 * GPB_UNITS; i++) {
		m->pre[i] = 1;
		m->suf[i] = 1;
		m->best[i] = 1;
	}
	for (span = 2, i = GPB_UNITS / 2; i; span <<= 1, i >>= 1) {
		u32 j;

		for (j = i; j < 2 * i; j++)
			gpb_pull(m, j, span);
	}
	return 0;
}

/* xorshift64*: small, seedable, the same sequence on every kernel. */
static u64 gpb_rand(u64 *s)
{
	u64 x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/*
 * The processes that make a layout. Each is a seeded sequence of
 * allocations and frees on the model, run until the fill is reached:
 *
 * GPB_FF_SMALL   first fit, 1-16 units, a random live block freed after
 *                every fourth allocation (the top comment).
 * GPB_BF_CHURN   best fit makes its own layout: fill with best fit to 97%,
 *                punch random holes down to 85%, GPB_CHURN_ROUNDS times,
 *                then refill with best fit to the fill. The refill takes
 *                exact fits first, but it places about 1,500 blocks in
 *                about 3,400 free runs, so about 1,900 runs of every
 *                size stay, 84 of them exact 8-unit fits, on which the
 *                kernel's best fit stops early. (Punching down to 75%
 *                instead, the refill of about 4,600 blocks leaves about
 *                1,000 runs and no exact 8-unit fit.)
 * GPB_FF_LARGE   first fit of sizes skewed to large blocks: the largest of
 *                three uniform draws in 1-256 units (mean about 193), a
 *                random live block freed after every fourth allocation.
 * GPB_LIFETIMES  long-lived blocks (1-16 units) interleaved with
 *                short-lived ones (1-64 units, one allocation in
 *                GPB_SHORT_EVERY on average), first fit, to 97% fill;
 *                then every short-lived block is freed, leaving holes
 *                between the long-lived ones, and the fill is brought
 *                to the target with random frees or first-fit
 *                allocations of long-lived blocks.
 */
enum gpb_process {
	GPB_FF_SMALL,
	GPB_BF_CHURN,
	GPB_FF_LARGE,
	GPB_LIFETIMES,
};

#define GPB_CHURN_ROUNDS	4
#define GPB_CHURN_HIGH		97	/* percent */
#define GPB_CHURN_LOW		85
#define GPB_SHORT_EVERY		32
#define GPB_LARGE_MAX		256

/* A process under way: the model, its live blocks and the PRNG state. */
struct gpb_churn {
	struct gpb_model *m;
	u32 *live;		/* blocks that random frees pick from */
	u32 nlive;
	u32 *shortl;		/* GPB_LIFETIMES: the short-lived blocks */
	u32 nshort;
	u64 used;
	u64 rs;
};

static void gpb_take(struct gpb_churn *c, u32 pos, u32 len, bool short_lived)
{
	struct gpb_model *m = c->m;

	gpb_model_set(m, pos, len, true);
	if (m->runs)
		gpb_runs_take(m, pos, len);
	m->blen[pos] = len;
	if (short_lived)
		c->shortl[c->nshort++] = pos;
	else
		c->live[c->nlive++] = pos;
	c->used += len;
}

static void gpb_put(struct gpb_churn *c, u32 start)
{
	struct gpb_model *m = c->m;
	u32 len = m->blen[start];

	gpb_model_set(m, start, len, false);
	if (m->runs)
		gpb_runs_put(m, start, len);
	m->blen[start] = 0;
	c->used -= len;
}

/* Free a random live block. */
static void gpb_put_random(struct gpb_churn *c)
{
	u32 k = gpb_rand(&c->rs) % c->nlive;
	u32 start = c->live[k];

	c->live[k] = c->live[--c->nlive];
	gpb_put(c, start);
}

/* Allocate @len units with first fit (or best fit); false if none fit. */
static bool gpb_alloc(struct gpb_churn *c, u32 len, bool best, bool short_lived)
{
	long pos = best ? gpb_model_best_fit(c->m, len) :
			  gpb_model_first_fit(c->m, len);

	if (pos < 0)
		return false;
	gpb_take(c, pos, len, short_lived);
	return true;
}

static u32 gpb_size_small(struct gpb_churn *c)
{
	return 1 + gpb_rand(&c->rs) % GPB_MAX_SIZE;
}

static u32 gpb_size_large(struct gpb_churn *c)
{
	u32 a = gpb_rand(&c->rs) % GPB_LARGE_MAX;
	u32 b = gpb_rand(&c->rs) % GPB_LARGE_MAX;
	u32 d = gpb_rand(&c->rs) % GPB_LARGE_MAX;

	return 1 + max3(a, b, d);
}

/*
 * First fit of @size()d blocks with a random free after every
 * GPB_FREE_EVERY allocations, up to @target units (GPB_FF_SMALL and
 * GPB_FF_LARGE).
 */
static void gpb_churn_ff(struct gpb_churn *c, u64 target,
			 u32 (*size)(struct gpb_churn *c))
{
	u32 allocs = 0, fails = 0;

	while (c->used < target) {
		if (!gpb_alloc(c, size(c), false, false) && ++fails > 100000)
			break;
		if (++allocs % GPB_FREE_EVERY || !c->nlive)
			continue;
		gpb_put_random(c);
	}
}

/* Best fit up to @target units; stops at the first request that fails. */
static void gpb_fill_bf(struct gpb_churn *c, u64 target)
{
	while (c->used < target)
		if (!gpb_alloc(c, gpb_size_small(c), true, false))
			break;
}

static void gpb_churn_bf(struct gpb_churn *c, u64 target)
{
	u64 high = (u64)GPB_UNITS * GPB_CHURN_HIGH / 100;
	u64 low = (u64)GPB_UNITS * GPB_CHURN_LOW / 100;
	int round;

	for (round = 0; round < GPB_CHURN_ROUNDS; round++) {
		gpb_fill_bf(c, high);
		while (c->used > low && c->nlive)
			gpb_put_random(c);
	}
	gpb_fill_bf(c, target);
}

static void gpb_churn_lifetimes(struct gpb_churn *c, u64 target)
{
	u64 high = (u64)GPB_UNITS * GPB_CHURN_HIGH / 100;
	bool short_lived;
	u32 len;

	while (c->used < high) {
		short_lived = !(gpb_rand(&c->rs) % GPB_SHORT_EVERY);
		len = short_lived ? 1 + gpb_rand(&c->rs) % 64 : gpb_size_small(c);
		if (!gpb_alloc(c, len, false, short_lived))
			break;
	}
	while (c->nshort)
		gpb_put(c, c->shortl[--c->nshort]);
	while (c->used > target && c->nlive)
		gpb_put_random(c);
	while (c->used < target)
		if (!gpb_alloc(c, gpb_size_small(c), false, false))
			break;
}

/*
 * Run @process on the model from empty to @fill_pct percent. Return the
 * number of units in use, or -ENOSPC if the fill level is unreachable.
 */
static long gpb_model_fragment(struct gpb_model *m, enum gpb_process process,
			       int fill_pct)
{
	u64 target = (u64)GPB_UNITS * fill_pct / 100;
	struct gpb_churn c = { .m = m, .rs = seed ?: 1 };

	c.live = vmalloc(array_size(GPB_UNITS, sizeof(u32)));
	c.shortl = vmalloc(array_size(GPB_UNITS, sizeof(u32)));
	if (!c.live || !c.shortl) {
		vfree(c.live);
		vfree(c.shortl);
		return -ENOMEM;
	}
	switch (process) {
	case GPB_FF_SMALL:
		gpb_churn_ff(&c, target, gpb_size_small);
		break;
	case GPB_BF_CHURN:
		gpb_churn_bf(&c, target);
		break;
	case GPB_FF_LARGE:
		gpb_churn_ff(&c, target, gpb_size_large);
		break;
	case GPB_LIFETIMES:
		gpb_churn_lifetimes(&c, target);
		break;
	}
	vfree(c.live);
	vfree(c.shortl);
	return c.used < target ? -ENOSPC : c.used;
}

/* ---- The two pools behind one small interface (set-up only, not timed) */

struct gpb_pool {
	struct genpool_ext *suite;	/* exactly one of these is set */
	struct gen_pool *kernel;
};

static int gpb_pool_create(struct gpb_pool *p, bool suite, u32 nchunks)
{
	size_t chunk = (size_t)GPB_UNITS / nchunks * GPB_UNIT;
	int i, ret = 0;

	if (suite)
		p->suite = genpool_ext_create(GPB_ORDER, NUMA_NO_NODE);
	else
		p->kernel = gen_pool_create(GPB_ORDER, NUMA_NO_NODE);
	if (!p->suite && !p->kernel)
		return -ENOMEM;
	/*
	 * Chunks go to the head of the chunk list, so adding them from the
	 * highest address down makes the search order ascending addresses,
	 * which is the order the model searches in.
	 */
	for (i = nchunks - 1; i >= 0 && !ret; i--) {
		unsigned long addr = GPB_BASE + i * chunk;

		if (suite)
			ret = genpool_ext_add(p->suite, addr, chunk, NUMA_NO_NODE);
		else
			ret = gen_pool_add(p->kernel, addr, chunk, NUMA_NO_NODE);
	}
	return ret;
}

static unsigned long gpb_pool_alloc_at(struct gpb_pool *p, unsigned long offset,
				       size_t size)
{
	if (p->suite) {
		struct genpool_ext_data_fixed fixed = { .offset = offset };

		return genpool_ext_alloc_algo(p->suite, size,
					      genpool_ext_fixed_alloc, &fixed);
	} else {
		struct genpool_data_fixed fixed = { .offset = offset };

		return gen_pool_alloc_algo(p->kernel, size, gen_pool_fixed_alloc,
					   &fixed);
	}
}

static void gpb_pool_free(struct gpb_pool *p, unsigned long addr, size_t size)
{
	if (p->suite)
		genpool_ext_free(p->suite, addr, size);
	else
		gen_pool_free(p->kernel, addr, size);
}

static size_t gpb_pool_avail(struct gpb_pool *p)
{
	return p->suite ? genpool_ext_avail(p->suite) : gen_pool_avail(p->kernel);
}

/* A filler: the free run from @u up to the next used unit or chunk end. */
static u32 gpb_filler_len(struct gpb_model *m, u32 u)
{
	u32 len = 1;

	while ((u + len) % m->chunk_units && gpb_model_free(m, u + len))
		len++;
	return len;
}

/*
 * Give @p the model's layout. Chunks are built in search order; within a
 * chunk every block and every free gap (a "filler") is placed in
 * ascending order with a fixed-offset allocation, so each chunk is full
 * when the next one is built and the fixed offset (which is relative to a
 * chunk) can only land in the chunk being built. The fillers are freed at
 * the end. *@placed is the unit up to which blocks were placed: all of
 * them on success. Return 0 or -EIO.
 */
static int gpb_pool_layout(struct gpb_pool *p, struct gpb_model *m,
			   u32 *placed)
{
	u32 u = 0, end, len;
	unsigned long addr;
	int ret = 0;

	while (u < GPB_UNITS) {
		len = m->blen[u];
		if (!len) {
			if (!gpb_model_free(m, u)) {
				ret = -EIO;
				break;
			}
			len = gpb_filler_len(m, u);
		}
		addr = gpb_pool_alloc_at(p, (unsigned long)(u % m->chunk_units) * GPB_UNIT,
					 len * GPB_UNIT);
		if (addr != GPB_BASE + (unsigned long)u * GPB_UNIT) {
			pr_err("layout: fixed allocation of %u units at unit %u gave %#lx\n",
			       len, u, addr);
			if (addr)
				gpb_pool_free(p, addr, len * GPB_UNIT);
			ret = -EIO;
			break;
		}
		u += len;
	}
	*placed = u;

	for (end = u, u = 0; u < end; u += len) {
		len = m->blen[u];
		if (len)
			continue;
		len = gpb_filler_len(m, u);
		gpb_pool_free(p, GPB_BASE + (unsigned long)u * GPB_UNIT,
			      len * GPB_UNIT);
	}
	return ret;
}

/* Free the layout's blocks below unit @end, so the pool can be destroyed. */
static void gpb_pool_clear(struct gpb_pool *p, struct gpb_model *m, u32 end)
{
	u32 u;

	for (u = 0; u < end; u++)
		if (m->blen[u])
			gpb_pool_free(p, GPB_BASE + (unsigned long)u * GPB_UNIT,
				      m->blen[u] * GPB_UNIT);
}

static void gpb_pool_destroy(struct gpb_pool *p)
{
	if (p->suite)
		genpool_ext_destroy(p->suite);
	if (p->kernel)
		gen_pool_destroy(p->kernel);
	p->suite = NULL;
	p->kernel = NULL;
}

/* ---- Timed pairs */

struct gpb_ctx {
	struct gpb_pool *pool;
	genpool_ext_algo_t suite_algo;
	genpool_algo_t kernel_algo;
	size_t size;
};

/*
 * n alloc+free pairs on one side's pool. Both callers pass a constant
 * @suite, so each compiles to direct calls into its allocator with no
 * branch in the timed loop.
 */
static __always_inline u64 gpb_pairs(struct gpb_ctx *c, unsigned long n,
				     const bool suite)
{
	struct genpool_ext *sp = c->pool->suite;
	struct gen_pool *kp = c->pool->kernel;
	u64 t0 = ktime_get_ns();
	unsigned long i, addr;

	for (i = 0; i < n; i++) {
		if (suite)
			addr = genpool_ext_alloc_algo(sp, c->size,
						      c->suite_algo, NULL);
		else
			addr = gen_pool_alloc_algo(kp, c->size,
						   c->kernel_algo, NULL);
		if (!addr)
			return 0;
		if (suite)
			genpool_ext_free(sp, addr, c->size);
		else
			gen_pool_free(kp, addr, c->size);
	}
	return max_t(u64, ktime_get_ns() - t0, 1);
}

static u64 gpb_pairs_suite(void *arg, unsigned long n)
{
	return gpb_pairs(arg, n, true);
}

static u64 gpb_pairs_kernel(void *arg, unsigned long n)
{
	return gpb_pairs(arg, n, false);
}

static const struct {
	const char *name;
	genpool_ext_algo_t suite;
	genpool_algo_t kernel;
} gpb_algos[] = {
	{ "ff", genpool_ext_first_fit, gen_pool_first_fit },
	{ "bf", genpool_ext_best_fit, gen_pool_best_fit },
	{ "oa", genpool_ext_first_fit_order_align, gen_pool_first_fit_order_align },
};

static const u32 gpb_sizes[] = { 1, 8, 64 };

/*
 * The rows of one layout: every algorithm and size, or with @few only the
 * ones with the 10x target (first fit and best fit, 8 and 64 units).
 * Where the model can say where the kernel places the probe block (first
 * fit, and best fit when the model keeps its runs), the kernel must place
 * it there: otherwise the layout is not the one the model describes.
 */
static int gpb_rows(const char *prefix, struct gpb_model *m,
		    struct gpb_pool *s, struct gpb_pool *k, bool few)
{
	struct gpb_ctx sc = { .pool = s }, kc = { .pool = k };
	struct pe_bench_impl suite = {
		.name = "suite", .run = gpb_pairs_suite, .ctx = &sc,
	};
	struct pe_bench_impl kernel = {
		.name = "kernel", .run = gpb_pairs_kernel, .ctx = &kc,
	};
	unsigned long sa, ka;
	char row[64];
	int a, z, ret;
	long want;

	for (a = 0; a < ARRAY_SIZE(gpb_algos); a++) {
		if (few && strcmp(gpb_algos[a].name, "ff") &&
		    strcmp(gpb_algos[a].name, "bf"))
			continue;
		for (z = 0; z < ARRAY_SIZE(gpb_sizes); z++) {
			if (few && gpb_sizes[z] == 1)
				continue;
			snprintf(row, sizeof(row), "%s_%s_%u", prefix,
				 gpb_algos[a].name, gpb_sizes[z]);
			sc.suite_algo = gpb_algos[a].suite;
			kc.kernel_algo = gpb_algos[a].kernel;
			sc.size = gpb_sizes[z] * GPB_UNIT;
			kc.size = sc.size;

			sa = genpool_ext_alloc_algo(s->suite, sc.size, sc.suite_algo, NULL);
			ka = gen_pool_alloc_algo(k->kernel, kc.size, kc.kernel_algo, NULL);
			if (sa)
				genpool_ext_free(s->suite, sa, sc.size);
			if (ka)
				gen_pool_free(k->kernel, ka, kc.size);
			if (!sa || !ka) {
				pr_err("row=%s: probe allocation failed (suite %#lx, kernel %#lx)\n",
				       row, sa, ka);
				return -EIO;
			}
			want = -1;
			if (gpb_algos[a].suite == genpool_ext_first_fit)
				want = gpb_model_first_fit(m, gpb_sizes[z]);
			else if (gpb_algos[a].suite == genpool_ext_best_fit && m->runs)
				want = gpb_model_best_fit(m, gpb_sizes[z]);
			if (want >= 0 && ka != GPB_BASE + want * GPB_UNIT) {
				pr_err("row=%s: the kernel placed the probe at unit %lu, the model at %ld\n",
				       row, (ka - GPB_BASE) / GPB_UNIT, want);
				return -EIO;
			}
			if (sa == ka)
				pr_info("row=%s note: placement=same unit=%lu\n", row,
					(ka - GPB_BASE) / GPB_UNIT);
			else
				pr_info("row=%s note: placement=differs suite_unit=%lu kernel_unit=%lu\n",
					row, (sa - GPB_BASE) / GPB_UNIT,
					(ka - GPB_BASE) / GPB_UNIT);

			ret = pe_bench_row(row, &suite, &kernel, reps);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/*
 * Describe a layout: fill, free runs, largest run, first 8/64-unit fits,
 * and the free runs of exactly 8 and 64 units (where best fit stops).
 */
static void gpb_describe(const char *prefix, struct gpb_model *m, long used)
{
	u32 u, runs = 0, run = 0, largest = 0, exact8 = 0, exact64 = 0;

	for (u = 0; u <= GPB_UNITS; u++) {
		bool free = u < GPB_UNITS && gpb_model_free(m, u);

		if (run && (!free || !(u % m->chunk_units))) {
			exact8 += run == 8;
			exact64 += run == 64;
			run = 0;
		}
		if (!free)
			continue;
		if (!run)
			runs++;
		run++;
		largest = max(largest, run);
	}
	pr_info("layout=%s used_units=%ld of %u free_runs=%u largest_free=%u first_fit_8=%ld first_fit_64=%ld exact_runs_8=%u exact_runs_64=%u\n",
		prefix, used, GPB_UNITS, runs, largest,
		gpb_model_first_fit(m, 8), gpb_model_first_fit(m, 64),
		exact8, exact64);
}

/*
 * One layout: fragment with @process, build both pools, check them, run
 * the rows (with @few, only those with the 10x target).
 */
static int gpb_layout_rows(const char *prefix, u32 nchunks,
			   enum gpb_process process, int fill_pct, bool few)
{
	struct gpb_pool s = {}, k = {};
	u32 s_placed = 0, k_placed = 0;
	struct gpb_model m;
	size_t want;
	long used = 0;
	int ret;

	ret = gpb_model_init(&m, GPB_UNITS / nchunks, process == GPB_BF_CHURN);
	if (ret)
		return ret;
	if (fill_pct) {
		used = gpb_model_fragment(&m, process, fill_pct);
		if (used < 0) {
			pr_err("layout=%s: fill %d%% unreachable\n", prefix, fill_pct);
			ret = used;
			goto model;
		}
	}
	gpb_describe(prefix, &m, used);

	ret = gpb_pool_create(&s, true, nchunks);
	if (!ret)
		ret = gpb_pool_create(&k, false, nchunks);
	if (ret)
		goto pools;
	ret = gpb_pool_layout(&s, &m, &s_placed);
	if (!ret)
		ret = gpb_pool_layout(&k, &m, &k_placed);
	if (ret)
		goto clear;

	want = (GPB_UNITS - used) * GPB_UNIT;
	if (gpb_pool_avail(&s) != want || gpb_pool_avail(&k) != want) {
		pr_err("layout=%s: avail suite %zu kernel %zu, expected %zu\n",
		       prefix, gpb_pool_avail(&s), gpb_pool_avail(&k), want);
		ret = -EIO;
	} else {
		ret = gpb_rows(prefix, &m, &s, &k, few);
	}

clear:
	gpb_pool_clear(&k, &m, k_placed);
	gpb_pool_clear(&s, &m, s_placed);
pools:
	gpb_pool_destroy(&s);
	gpb_pool_destroy(&k);
model:
	gpb_model_destroy(&m);
	return ret;
}

/*
 * Metadata bytes, measured the same way for both: the pool structure,
 * and per chunk the header plus bitmap (plus, for the suite, its search
 * index), each as allocated: whole pages when vmalloc()ed, the slab
 * object (ksize()) otherwise.
 */
static size_t gpb_alloc_bytes(const void *p, size_t requested)
{
	return is_vmalloc_addr(p) ? PAGE_ALIGN(requested) : ksize(p);
}

static void gpb_kernel_chunk_meta(struct gen_pool *pool,
				  struct gen_pool_chunk *chunk, void *data)
{
	size_t units = (chunk->end_addr - chunk->start_addr + 1) >> GPB_ORDER;

	*(size_t *)data += gpb_alloc_bytes(chunk, struct_size(chunk, bits,
							      BITS_TO_LONGS(units)));
}

/*
 * The suite's layout, from its headers: the index follows the bitmap
 * (chunk->index) and holds one summary word per 16 bitmap words
 * (GPX_GROUP_WORDS), then best fit's rows: one bitmap over the groups per
 * length bucket and one for the groups' last bits (GPX_NR_ROWS in
 * index.h, 53 on 64-bit, 21 on 32-bit), in chunks of at least
 * BITS_PER_LONG groups only (GPX_ROWS_MIN_GROUPS).
 */
#define GPB_SUITE_GROUP_WORDS	16
#define GPB_SUITE_ROWS		(BITS_PER_LONG == 64 ? 53 : 21)
#define GPB_SUITE_ROWS_MIN	BITS_PER_LONG

static void gpb_suite_chunk_meta(struct genpool_ext *pool,
				 struct genpool_ext_chunk *chunk, void *data)
{
	size_t groups = DIV_ROUND_UP(BITS_TO_LONGS(chunk->nbits),
				     GPB_SUITE_GROUP_WORDS);
	size_t words = groups, requested;

	if (groups >= GPB_SUITE_ROWS_MIN)
		words += GPB_SUITE_ROWS * BITS_TO_LONGS(groups);
	requested = (const char *)(chunk->index + words) - (const char *)chunk;

	*(size_t *)data += gpb_alloc_bytes(chunk, requested);
}

/*
 * The suite also keeps, per possible CPU, the five counters of struct
 * genpool_ext_stats that are summed over CPUs and the chunk of that
 * CPU's last allocation (the free's first guess).
 */
#define GPB_SUITE_PCPU_BYTES	(6 * sizeof(unsigned long))

static int gpb_meta_row(const char *row, u32 nchunks)
{
	struct gpb_pool s = {}, k = {};
	size_t sb = 0, kb = 0;
	int ret;

	ret = gpb_pool_create(&s, true, nchunks);
	if (!ret)
		ret = gpb_pool_create(&k, false, nchunks);
	if (ret)
		goto out;
	genpool_ext_for_each_chunk(s.suite, gpb_suite_chunk_meta, &sb);
	sb += gpb_alloc_bytes(s.suite, sizeof(*s.suite)) +
	      GPB_SUITE_PCPU_BYTES * num_possible_cpus();
	gen_pool_for_each_chunk(k.kernel, gpb_kernel_chunk_meta, &kb);
	kb += gpb_alloc_bytes(k.kernel, sizeof(*k.kernel));
	pr_info("row=%s suite_bytes=%zu kernel_bytes=%zu\n", row, sb, kb);
out:
	gpb_pool_destroy(&s);
	gpb_pool_destroy(&k);
	return ret;
}

/* ---- One small pool shared by threads and a hard-irq timer (set=shared) */

/*
 * A 1 MiB pool at order 5 (32,768 units of 32 bytes), one chunk, the same
 * made-up addresses on both sides. On every online CPU two kthreads, bound
 * to it, each keep GPS_HOLD blocks of 1-16 units in a ring: every step
 * frees the ring's oldest block and allocates a new one in its place,
 * with the pool's default algorithm (first fit). An hrtimer in hard-irq
 * context (HRTIMER_MODE_REL_HARD, so PREEMPT_RT too runs it in hard irq)
 * does the same with its own ring every GPS_TIMER_US. One measurement is
 * a window of GPS_WINDOW_MS on one side: the threads and the timer run
 * until it closes, then give back what they hold, and the operations
 * completed (allocations that succeeded plus frees) are counted. The
 * windows alternate between the sides, as pe_bench_row() alternates its
 * measurements, and the row reports wall time per operation over all
 * threads: kernel / suite is then the ratio of operations completed.
 * Allocations that fail (the pool is never near full, so none should) are
 * counted apart and are not operations.
 */
#define GPS_ORDER		5
#define GPS_SIZE		SZ_1M
#define GPS_BASE		((unsigned long)SZ_2G)	/* made up */
#define GPS_HOLD		16
#define GPS_MAX_UNITS		16
#define GPS_THREADS_PER_CPU	2
#define GPS_MAX_THREADS		16
#define GPS_WINDOW_MS		100
#define GPS_TIMER_US		100

struct gps_row;

/* A holder of blocks: a thread, or the timer. */
struct gps_ring {
	unsigned long addr[GPS_HOLD];
	u32 size[GPS_HOLD];
	u32 next;
	u64 rs;
	unsigned long ops;
	unsigned long fails;
};

struct gps_worker {
	struct gps_row *g;
	struct task_struct *task;
	struct gps_ring ring;
};

/*
 * The shared state. @gen is bumped (under the waitqueue's lock, by
 * wake_up) to start a window, @stop is set to end it; @pool and @algo say
 * which side the window measures.
 */
struct gps_row {
	struct gpb_pool *pool;
	genpool_ext_algo_t algo;	/* suite side: NULL = the pool's default */
	unsigned int gen;
	bool stop;
	bool quit;
	atomic_t running;
	struct completion done;
	wait_queue_head_t wq;
	struct hrtimer timer;
	struct gps_ring tring;
	unsigned long timer_hardirq;	/* timer runs seen in hard irq */
	unsigned long timer_runs;
	int nr;
	struct gps_worker w[GPS_MAX_THREADS];
};

static __always_inline unsigned long gps_alloc(struct gps_row *g, size_t size)
{
	struct gpb_pool *p = g->pool;

	if (p->suite)
		return g->algo ? genpool_ext_alloc_algo(p->suite, size, g->algo, NULL) :
				 genpool_ext_alloc(p->suite, size);
	return gen_pool_alloc(p->kernel, size);
}

/* One step of a ring: free the oldest block, allocate its successor. */
static __always_inline void gps_step(struct gps_row *g, struct gps_ring *r)
{
	u32 i = r->next;
	size_t size;

	if (r->addr[i]) {
		gpb_pool_free(g->pool, r->addr[i], r->size[i]);
		r->ops++;
	}
	size = (1 + gpb_rand(&r->rs) % GPS_MAX_UNITS) << GPS_ORDER;
	r->addr[i] = gps_alloc(g, size);
	r->size[i] = size;
	if (r->addr[i])
		r->ops++;
	else
		r->fails++;
	r->next = (i + 1) % GPS_HOLD;
}

static void gps_drain(struct gps_row *g, struct gps_ring *r)
{
	u32 i;

	for (i = 0; i < GPS_HOLD; i++) {
		if (r->addr[i])
			gpb_pool_free(g->pool, r->addr[i], r->size[i]);
		r->addr[i] = 0;
	}
}

static enum hrtimer_restart gps_timer_fn(struct hrtimer *t)
{
	struct gps_row *g = container_of(t, struct gps_row, timer);

	g->timer_runs++;
	if (in_hardirq())
		g->timer_hardirq++;
	gps_step(g, &g->tring);
	if (READ_ONCE(g->stop))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(GPS_TIMER_US * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

static int gps_worker_fn(void *arg)
{
	struct gps_worker *w = arg;
	struct gps_row *g = w->g;
	unsigned int seen = 0, steps;

	for (;;) {
		wait_event(g->wq, READ_ONCE(g->gen) != seen || READ_ONCE(g->quit));
		if (READ_ONCE(g->quit))
			break;
		seen = READ_ONCE(g->gen);
		for (steps = 0; !READ_ONCE(g->stop); steps++) {
			gps_step(g, &w->ring);
			if (!(steps & 255))
				cond_resched();
		}
		gps_drain(g, &w->ring);
		if (atomic_dec_and_test(&g->running))
			complete(&g->done);
	}
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/*
 * One window on @pool (with @algo on the suite side). Return the wall
 * time of the window in ns; the operations and failures are added to
 * *@ops and *@fails, the timer's operations also to *@tops.
 */
static u64 gps_window(struct gps_row *g, struct gpb_pool *pool,
		      genpool_ext_algo_t algo, unsigned long *ops,
		      unsigned long *fails, unsigned long *tops)
{
	unsigned long o = 0, f = 0;
	u64 t0, t1;
	int i;

	for (i = 0; i < g->nr; i++) {
		g->w[i].ring.ops = 0;
		g->w[i].ring.fails = 0;
	}
	g->tring.ops = 0;
	g->tring.fails = 0;
	g->pool = pool;
	g->algo = algo;
	WRITE_ONCE(g->stop, false);
	reinit_completion(&g->done);
	atomic_set(&g->running, g->nr);
	t0 = ktime_get_ns();
	WRITE_ONCE(g->gen, g->gen + 1);
	wake_up_all(&g->wq);
	hrtimer_start(&g->timer, ns_to_ktime(GPS_TIMER_US * NSEC_PER_USEC), HRTIMER_MODE_REL_HARD);
	msleep(GPS_WINDOW_MS);
	WRITE_ONCE(g->stop, true);
	t1 = ktime_get_ns();
	hrtimer_cancel(&g->timer);
	wait_for_completion(&g->done);
	gps_drain(g, &g->tring);
	for (i = 0; i < g->nr; i++) {
		o += g->w[i].ring.ops;
		f += g->w[i].ring.fails;
	}
	*ops += o + g->tring.ops;
	*fails += f + g->tring.fails;
	*tops += g->tring.ops;
	return t1 - t0;
}

static void gps_stop(struct gps_row *g)
{
	int i;

	WRITE_ONCE(g->quit, true);
	wake_up_all(&g->wq);
	for (i = 0; i < g->nr; i++)
		kthread_stop(g->w[i].task);
	g->nr = 0;
}

static int gps_start(struct gps_row *g)
{
	int cpu, t;

	init_completion(&g->done);
	init_waitqueue_head(&g->wq);
	hrtimer_setup(&g->timer, gps_timer_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_HARD);
	g->tring.rs = 0x9e3779b97f4a7c15ULL ^ seed;
	for_each_online_cpu(cpu) {
		for (t = 0; t < GPS_THREADS_PER_CPU; t++) {
			struct gps_worker *w = &g->w[g->nr];

			if (g->nr == GPS_MAX_THREADS)
				return 0;
			w->g = g;
			w->ring.rs = (seed ?: 1) + g->nr + 1;
			w->task = kthread_create(gps_worker_fn, w, "pe_bench_gp/%d:%d",
						 cpu, t);
			if (IS_ERR(w->task)) {
				int ret = PTR_ERR(w->task);

				gps_stop(g);
				return ret;
			}
			kthread_bind(w->task, cpu);
			wake_up_process(w->task);
			g->nr++;
		}
	}
	return 0;
}

static int gps_pool_create(struct gpb_pool *p, bool suite)
{
	if (suite)
		p->suite = genpool_ext_create(GPS_ORDER, NUMA_NO_NODE);
	else
		p->kernel = gen_pool_create(GPS_ORDER, NUMA_NO_NODE);
	if (!p->suite && !p->kernel)
		return -ENOMEM;
	if (suite)
		return genpool_ext_add(p->suite, GPS_BASE, GPS_SIZE, NUMA_NO_NODE);
	return gen_pool_add(p->kernel, GPS_BASE, GPS_SIZE, NUMA_NO_NODE);
}

/*
 * A first fit that is not the suite's built-in one, so the suite answers
 * it from the bitmap alone, as the kernel does, without its search index
 * (which it still keeps up to date on every allocation and free): the A/B
 * of the "_bitmap" row.
 */
static unsigned long gps_plain_first_fit(unsigned long *map, unsigned long size,
					 unsigned long start, unsigned int nr,
					 void *data, struct genpool_ext *pool,
					 unsigned long start_addr)
{
	return bitmap_find_next_zero_area(map, size, start, nr, 0);
}

/*
 * The row @row: windows on the suite's pool (searching with @algo, or its
 * default when NULL) alternating with windows on the kernel's.
 */
static int gps_row(struct gps_row *g, const char *row, genpool_ext_algo_t algo)
{
	struct pe_bench_impl si = { .name = "suite" }, ki = { .name = "kernel" };
	unsigned long sops = 0, kops = 0, sfails = 0, kfails = 0, stops = 0, ktops = 0;
	unsigned long so, ko, sw0, sa0;
	struct gpb_pool s = {}, k = {};
	struct genpool_ext_stats st;
	u64 ts, tk;
	int r, ret;

	ret = gps_pool_create(&s, true);
	if (!ret)
		ret = gps_pool_create(&k, false);
	if (ret)
		goto out;
	genpool_ext_get_stats(s.suite, &st);
	sw0 = st.search_words;
	sa0 = st.allocs;
	g->timer_runs = 0;
	g->timer_hardirq = 0;
	for (r = 0; r < reps; r++) {
		so = sops;
		ko = kops;
		if (r & 1) {
			tk = gps_window(g, &k, NULL, &kops, &kfails, &ktops);
			ts = gps_window(g, &s, algo, &sops, &sfails, &stops);
		} else {
			ts = gps_window(g, &s, algo, &sops, &sfails, &stops);
			tk = gps_window(g, &k, NULL, &kops, &kfails, &ktops);
		}
		/* Preconditions: both sides did work, and gave it all back. */
		if (sops == so || kops == ko) {
			pr_err("row=%s: a window completed no operation (suite %lu, kernel %lu)\n",
			       row, sops - so, kops - ko);
			ret = -EIO;
			goto out;
		}
		if (gpb_pool_avail(&s) != GPS_SIZE || gpb_pool_avail(&k) != GPS_SIZE) {
			pr_err("row=%s: avail after a window: suite %zu kernel %zu, expected %u\n",
			       row, gpb_pool_avail(&s), gpb_pool_avail(&k), GPS_SIZE);
			ret = -EIO;
			goto out;
		}
		si.tenths[r] = div64_u64(ts * 10, sops - so);
		ki.tenths[r] = div64_u64(tk * 10, kops - ko);
	}
	if (!stops || !ktops || g->timer_hardirq != g->timer_runs) {
		pr_err("row=%s: the timer did not run in hard irq on both sides (suite %lu ops, kernel %lu ops, %lu of %lu runs in hard irq)\n",
		       row, stops, ktops, g->timer_hardirq, g->timer_runs);
		ret = -EIO;
		goto out;
	}
	genpool_ext_get_stats(s.suite, &st);
	si.n = sops / reps;
	ki.n = kops / reps;
	pe_bench_print(row, &si, &ki, reps);
	pr_info("row=%s note: threads=%d timer_us=%d window_ms=%d suite_ops=%lu kernel_ops=%lu suite_fails=%lu kernel_fails=%lu suite_timer_ops=%lu kernel_timer_ops=%lu suite_search_words_per_alloc=%lu\n",
		row, g->nr, GPS_TIMER_US, GPS_WINDOW_MS, sops, kops, sfails,
		kfails, stops, ktops,
		(st.search_words - sw0) / max(st.allocs - sa0, 1UL));
out:
	/*
	 * A pool that is not whole again is left alone: destroying it would
	 * free blocks someone holds (and the kernel's BUG()s). The failed
	 * row is the report.
	 */
	if (s.suite && gpb_pool_avail(&s) != GPS_SIZE) {
		pr_err("row=%s: leaking the suite's pool\n", row);
		s.suite = NULL;
	}
	if (k.kernel && gpb_pool_avail(&k) != GPS_SIZE) {
		pr_err("row=%s: leaking the kernel's pool\n", row);
		k.kernel = NULL;
	}
	gpb_pool_destroy(&s);
	gpb_pool_destroy(&k);
	return ret;
}

static int gps_rows(void)
{
	struct gps_row *g;
	int ret;

	if (num_online_cpus() < 2) {
		pr_err("set=shared needs two CPUs or more\n");
		return -ENODEV;
	}
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	ret = gps_start(g);
	if (!ret)
		ret = gps_row(g, "genpool_shared_o5", NULL);
	if (!ret)
		ret = gps_row(g, "genpool_shared_o5_bitmap", gps_plain_first_fit);
	gps_stop(g);
	kfree(g);
	return ret;
}

static int __init genpool_ext_bench_init(void)
{
	static const struct {
		const char *prefix;
		enum gpb_process process;
	} layouts[] = {
		{ "genpool_bfchurn_fill90", GPB_BF_CHURN },
		{ "genpool_large_fill90", GPB_FF_LARGE },
		{ "genpool_lifetimes_fill90", GPB_LIFETIMES },
	};
	static const int fills[] = { 0, 50, 90, 99 };
	char prefix[32];
	int i, ret;

	if (reps < 1 || reps > PE_BENCH_MAX_REPS || !set ||
	    (strcmp(set, "single") && strcmp(set, "shared")))
		return -EINVAL;
	pr_info("module=genpool_ext_bench kernel=%s reps=%d seed=%lu set=%s cpus=%u\n",
		utsname()->release, reps, seed, set, num_online_cpus());

	if (!strcmp(set, "shared")) {
		ret = gps_rows();
		if (!ret)
			pr_info("done module=genpool_ext_bench set=shared rows=2\n");
		return ret;
	}
	ret = gpb_meta_row("genpool_metadata_1x16MiB", 1);
	if (!ret)
		ret = gpb_meta_row("genpool_metadata_64x256KiB", GPB_MULTI_CHUNKS);
	for (i = 0; !ret && i < ARRAY_SIZE(fills); i++) {
		snprintf(prefix, sizeof(prefix), "genpool_fill%d", fills[i]);
		ret = gpb_layout_rows(prefix, 1, GPB_FF_SMALL, fills[i], false);
	}
	if (!ret)
		ret = gpb_layout_rows("genpool_64chunk_fill90", GPB_MULTI_CHUNKS,
				      GPB_FF_SMALL, 90, false);
	/* The other layouts: only the rows with the 10x target. */
	for (i = 0; !ret && i < ARRAY_SIZE(layouts); i++)
		ret = gpb_layout_rows(layouts[i].prefix, 1, layouts[i].process,
				      90, true);
	if (!ret)
		pr_info("done module=genpool_ext_bench set=single rows=%zu\n",
			2 + (ARRAY_SIZE(fills) + 1) * ARRAY_SIZE(gpb_algos) *
			ARRAY_SIZE(gpb_sizes) + ARRAY_SIZE(layouts) * 4);
	return ret;
}

static void __exit genpool_ext_bench_exit(void)
{
}

module_init(genpool_ext_bench_init);
module_exit(genpool_ext_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pool_ext benchmark: genpool_ext against the in-kernel gen_pool");
