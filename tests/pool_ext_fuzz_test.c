// SPDX-License-Identifier: GPL-2.0
/*
 * Misuse fuzz of the three pool_ext modules.
 *
 * Suites:
 *   genpool_ext_fuzz   genpool_ext, with the debug checks on and off
 *   mempool_ext_fuzz   mempool_ext, with the debug checks on and off
 *   dmapool_ext_fuzz   dmapool_ext, small blocks with a boundary, and
 *                      blocks of almost three pages
 *
 * Each suite drives one pool with a seeded random mix of good calls and,
 * after every few of them, one bad call: a kind of misuse that the
 * module's kernel-doc promises to refuse (return an error) or to report
 * (count it as misuse, warn once per pool and kind) without changing
 * anything. A shadow model holds what the pool must look like: the live
 * blocks, the free space and the counters. After every call, good or bad,
 * the pool is compared with the model; a bad call that changed the pool,
 * or went unreported, is a failure. At the end each suite prints how many
 * calls of each kind it made.
 *
 * The first bad call of each kind that warns is made inside an
 * expected-warning window (tests/pool_ext_test.h); the modules warn once
 * per pool and kind (dmapool_ext once per pool), so a second warning is
 * an unexpected one and fails the run.
 *
 * Calls per suite: 100,000 for genpool_ext and dmapool_ext, 50,000 for
 * mempool_ext, whose calls cost the most under KASAN, lockdep and
 * kmemleak; each suite takes well under a minute in the TCG guest.
 *
 * The module parameter "seed" picks another sequence of calls.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/numa.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>
#include <genpool_ext/genpool_ext.h>
/* White-box: chunk bitmaps, debug marks and the misuse kinds. */
#include <genpool_ext/internal.h>
#include <mempool_ext/mempool_ext.h>
#include <dmapool_ext/dmapool_ext.h>

#include "pool_ext_test.h"

static ulong seed = 0x5eedf00d;
module_param(seed, ulong, 0444);
MODULE_PARM_DESC(seed, "Seed of the fuzz's call sequence");

/* ---------------------------------------------------------------------
 * Common parts: the tally of each kind of bad call (the PRNG is in
 * pool_ext_test.h).
 */

/*
 * One kind of bad call. It is "reported" when the module counted it as
 * misuse and "refused" when an error return said no; "silent" counts
 * those that did neither, or that changed the pool.
 */
struct fz_kind {
	const char *name;
	bool debug_only;	/* caught only with the debug checks on */
	bool off_only;		/* made only with the debug checks off */
	unsigned long tried;
	unsigned long reported;
	unsigned long refused;
	unsigned long silent;
};

struct fz_run {
	struct kunit *test;
	struct pool_ext_rng rng;
	const char *label;
	unsigned long ops;	/* calls made */
	unsigned long good;	/* of those, good calls */
	struct fz_kind *kinds;
	unsigned int nr_kinds;
	bool broken;		/* the pool no longer matches the model */
	char what[160];		/* details of the current call */
};

static void fz_run_init(struct fz_run *run, struct kunit *test,
			const char *label, struct fz_kind *kinds,
			unsigned int nr_kinds, u64 salt)
{
	unsigned int i;

	memset(run, 0, sizeof(*run));
	run->test = test;
	run->label = label;
	run->rng.s = seed ^ salt;
	run->kinds = kinds;
	run->nr_kinds = nr_kinds;
	for (i = 0; i < nr_kinds; i++) {
		kinds[i].tried = 0;
		kinds[i].reported = 0;
		kinds[i].refused = 0;
		kinds[i].silent = 0;
	}
}

/*
 * The verdict on one bad call of kind @k: @same is whether the pool still
 * matches the model (@diff says where not), @answered whether the module
 * reported or refused it as promised. A bad call that changed the pool
 * leaves the model useless: the run stops there.
 */
static void fz_bad_verdict(struct fz_run *run, unsigned int k, bool same,
			   const char *diff, bool answered, bool reported)
{
	struct fz_kind *kind = &run->kinds[k];

	kind->tried++;
	if (same && answered) {
		if (reported)
			kind->reported++;
		else
			kind->refused++;
		return;
	}
	kind->silent++;
	if (!same) {
		run->broken = true;
		KUNIT_FAIL(run->test, "%s, call %lu: bad call \"%s\" (%s) changed the pool: %s",
			   run->label, run->ops, kind->name, run->what, diff);
	} else {
		KUNIT_FAIL(run->test,
			   "%s, call %lu: bad call \"%s\" (%s) neither refused nor reported",
			   run->label, run->ops, kind->name, run->what);
	}
}

/* After a good call: the pool must still match the model. */
static void fz_good_verdict(struct fz_run *run, bool same, const char *diff)
{
	run->good++;
	if (same)
		return;
	run->broken = true;
	KUNIT_FAIL(run->test, "%s, call %lu: after good call (%s) pool and model differ: %s",
		   run->label, run->ops, run->what, diff);
}

/* Print the tally and check that no bad call went through. */
static void fz_report(struct fz_run *run)
{
	unsigned long bad = 0, silent = 0;
	unsigned int i;

	for (i = 0; i < run->nr_kinds; i++) {
		bad += run->kinds[i].tried;
		silent += run->kinds[i].silent;
	}
	kunit_info(run->test, "%s: seed %#lx, %lu calls: %lu good, %lu bad, %lu silently accepted\n",
		   run->label, seed, run->ops, run->good, bad, silent);
	for (i = 0; i < run->nr_kinds; i++) {
		struct fz_kind *k = &run->kinds[i];

		if (!k->tried && (k->debug_only || k->off_only))
			continue;
		kunit_info(run->test, "  %-32s %6lu tried: %6lu reported, %6lu refused, %lu silent\n",
			   k->name, k->tried, k->reported, k->refused,
			   k->silent);
	}
	KUNIT_EXPECT_EQ(run->test, silent, 0);
	KUNIT_EXPECT_FALSE(run->test, run->broken);
}

/* ---------------------------------------------------------------------
 * genpool_ext_fuzz
 *
 * A pool of three chunks of made-up addresses (nothing is ever written to
 * them), with gaps between them and a chunk that is not a whole number of
 * units. The model keeps, per chunk, the bitmap of units in use, the first
 * and last unit of every live block (the debug marks must equal them) and
 * each block's length and requested size. It also predicts where every
 * allocation lands (the kernel's placement, straight from the
 * definitions), so a misuse that corrupted the pool's bitmap or index
 * would also show up as a wrong address later.
 */

#define FZG_CALLS	50000	/* per case: two cases, debug on and off */
#define FZG_ORDER	4
#define FZG_UNIT	BIT(FZG_ORDER)
#define FZG_BASE	0x40000000UL
#define FZG_CHUNKS	3
#define FZG_FREED	16
#define FZG_FULL_EVERY	8	/* good calls per full check */

/* Chunk layout, in the order they are added (the pool lists newest first). */
static const struct {
	unsigned long off;
	size_t size;
} fzg_layout[FZG_CHUNKS] = {
	{ 0x18, 2500 * FZG_UNIT + FZG_UNIT / 2 },	/* three index groups */
	{ 0x100000, 700 * FZG_UNIT },
	{ 0x200008, 1100 * FZG_UNIT },
};

enum fzg_kind {
	FZG_FOREIGN,
	FZG_UNALIGNED,
	FZG_ZERO,
	FZG_PAST_END,
	FZG_HUGE,
	FZG_DOUBLE,
	FZG_PARTLY,
	FZG_SUBRANGE,
	FZG_NEIGHBOUR,
	FZG_FIXED_OFFSET,
	FZG_ALLOC_ARGS,
	FZG_ADD,
	FZG_CREATE,
	FZG_NULL,
	FZG_DEBUG_BUSY,
	FZG_NR,
};

static struct fz_kind fzg_kinds[FZG_NR] = {
	[FZG_FOREIGN] = { "free: address in no chunk" },
	[FZG_UNALIGNED] = { "free: address not on a unit" },
	[FZG_ZERO] = { "free: zero size" },
	[FZG_PAST_END] = { "free: size runs past chunk" },
	[FZG_HUGE] = { "free: size overflows" },
	[FZG_DOUBLE] = { "free: double free" },
	[FZG_PARTLY] = { "free: range partly allocated" },
	[FZG_SUBRANGE] = { "free: part of a live block", true },
	[FZG_NEIGHBOUR] = { "free: block and live neighbour", true },
	[FZG_FIXED_OFFSET] = { "alloc: fixed offset off a unit" },
	[FZG_ALLOC_ARGS] = { "alloc: bad size/align/data" },
	[FZG_ADD] = { "add: overlap/tiny/wrapping" },
	[FZG_CREATE] = { "create: bad order" },
	[FZG_NULL] = { "NULL pool or stats" },
	[FZG_DEBUG_BUSY] = { "set_debug(on) with live blocks", false, true },
};

struct fzg_chunk {
	unsigned long start;
	size_t size;
	unsigned long nbits;
	unsigned long busy;		/* units in use */
	unsigned long *map;		/* units in use */
	unsigned long *firsts;		/* first unit of each live block */
	unsigned long *lasts;		/* last unit of each live block */
	unsigned int *len;		/* units, at a block's first unit */
	size_t *req;			/* requested bytes, ditto */
};

struct fzg_freed {
	unsigned int c;
	unsigned long bit;
	unsigned long nr;
};

struct fzg_model {
	struct fz_run run;
	struct genpool_ext *pool;
	bool debug;
	struct fzg_chunk c[FZG_CHUNKS];	/* in pool order: newest first */
	unsigned long allocs, frees, failures, misuse;
	unsigned long warned;		/* misuse kinds warned about */
	struct fzg_freed freed[FZG_FREED];
	unsigned int nfreed;
};

/* The NULL-pool free warns once per boot; its first call is in a window. */
static bool fzg_null_free_done;

static size_t fzg_model_avail(struct fzg_model *m)
{
	size_t avail = 0;
	int i;

	for (i = 0; i < FZG_CHUNKS; i++)
		avail += m->c[i].size - m->c[i].busy * FZG_UNIT;
	return avail;
}

/* The pool's counters, summed straight from the per-CPU ones. */
static void fzg_counters(struct genpool_ext *pool,
			 struct genpool_ext_stats *st)
{
	int cpu;

	memset(st, 0, sizeof(*st));
	for_each_possible_cpu(cpu) {
		struct genpool_ext_pcpu *p = per_cpu_ptr(pool->stats, cpu);

		st->allocs += READ_ONCE(p->allocs);
		st->frees += READ_ONCE(p->frees);
		st->alloc_failures += READ_ONCE(p->alloc_failures);
		st->misuse += READ_ONCE(p->misuse);
	}
	st->avail = genpool_ext_avail(pool);
	st->chunks = FZG_CHUNKS;
}

/*
 * Compare the pool with the model: every live block still allocated and
 * nothing else, the free space, the counters, the debug marks. @full adds
 * genpool_ext_validate() (the index may not claim less free space than
 * the bitmap holds) and the statistics as genpool_ext_get_stats() gives
 * them; both walk every free run, so good calls do that only now and
 * then. Returns NULL if all agree, else what differs. The misuse counter
 * goes to *@misuse, for the caller to judge.
 */
static const char *fzg_diff(struct fzg_model *m, unsigned long *misuse,
			    bool full)
{
	struct genpool_ext_chunk *chunk;
	struct genpool_ext_stats st;
	const char *diff = NULL;
	int i = 0;

	if (full) {
		if (genpool_ext_validate(m->pool))
			return "genpool_ext_validate() fails";
		if (genpool_ext_get_stats(m->pool, &st))
			return "genpool_ext_get_stats() fails";
	} else {
		fzg_counters(m->pool, &st);
	}
	*misuse = st.misuse;
	if (st.avail != fzg_model_avail(m))
		return "avail";
	if (st.chunks != FZG_CHUNKS)
		return "number of chunks";
	if (st.allocs != m->allocs || st.frees != m->frees ||
	    st.alloc_failures != m->failures)
		return "alloc/free/failure counters";
	if (READ_ONCE(m->pool->debug) != m->debug)
		return "debug switch";
	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &m->pool->chunks, next_chunk) {
		struct fzg_chunk *c = &m->c[i++];

		if (chunk->start_addr != c->start || chunk->nbits != c->nbits) {
			diff = "chunk list";
			break;
		}
		if (atomic_long_read(&chunk->avail) !=
		    (long)(c->size - c->busy * FZG_UNIT)) {
			diff = "chunk avail";
			break;
		}
		/* Every live block still allocated, nothing else. */
		if (!bitmap_equal(chunk->bits, c->map, c->nbits)) {
			diff = "chunk bitmap (live blocks)";
			break;
		}
		if (m->debug &&
		    (!chunk->marks ||
		     !bitmap_equal(chunk->marks, c->firsts, c->nbits) ||
		     !bitmap_equal(chunk->marks + BITS_TO_LONGS(c->nbits),
				   c->lasts, c->nbits))) {
			diff = "debug boundary marks";
			break;
		}
	}
	rcu_read_unlock();
	return diff;
}

static void fzg_good_done(struct fzg_model *m)
{
	unsigned long misuse = m->misuse;
	const char *diff = fzg_diff(m, &misuse,
				    !(m->run.good % FZG_FULL_EVERY));

	if (!diff && misuse != m->misuse)
		diff = "misuse counter";
	fz_good_verdict(&m->run, !diff, diff);
}

/*
 * After a bad call of kind @k: @refused is whether its return value said
 * no (for calls that return one), @report whether it must count as
 * misuse.
 */
static void fzg_bad_done(struct fzg_model *m, unsigned int k, bool refused,
			 bool report)
{
	unsigned long misuse = m->misuse;
	const char *diff = fzg_diff(m, &misuse, true);
	bool answered;

	if (report)
		answered = misuse == m->misuse + 1;
	else
		answered = refused && misuse == m->misuse;
	m->misuse = misuse;
	fz_bad_verdict(&m->run, k, !diff, diff, answered, report);
}

static void fzg_model_alloc(struct fzg_model *m, unsigned int ci,
			    unsigned long bit, unsigned long nr, size_t req)
{
	struct fzg_chunk *c = &m->c[ci];

	bitmap_set(c->map, bit, nr);
	set_bit(bit, c->firsts);
	set_bit(bit + nr - 1, c->lasts);
	c->len[bit] = nr;
	c->req[bit] = req;
	c->busy += nr;
	m->allocs++;
}

static void fzg_model_free(struct fzg_model *m, unsigned int ci,
			   unsigned long bit)
{
	struct fzg_chunk *c = &m->c[ci];
	unsigned long nr = c->len[bit];

	bitmap_clear(c->map, bit, nr);
	clear_bit(bit, c->firsts);
	clear_bit(bit + nr - 1, c->lasts);
	c->len[bit] = 0;
	c->busy -= nr;
	m->frees++;
	m->freed[m->nfreed++ % FZG_FREED] = (struct fzg_freed){ ci, bit, nr };
}

/*
 * Where the kernel's algorithms place @nr units in @c: the first start s
 * of a free run with (s + @aoff) & @amask == 0 that fits, or for best fit
 * the start of the shortest free run that fits (the first of equals).
 * Returns c->nbits for none.
 */
static unsigned long fzg_fit(struct fzg_chunk *c, unsigned long nr,
			     unsigned long amask, unsigned long aoff, bool best)
{
	unsigned long rs = 0, re, s, found = c->nbits, found_len = ULONG_MAX;

	for (;;) {
		rs = find_next_zero_bit(c->map, c->nbits, rs);
		if (rs >= c->nbits)
			break;
		re = find_next_bit(c->map, c->nbits, rs);
		s = ((rs + aoff + amask) & ~amask) - aoff;
		if (s + nr <= re) {
			if (!best)
				return s;
			if (re - rs < found_len) {
				found = rs;
				found_len = re - rs;
			}
		}
		rs = re;
	}
	return found;
}

/* A random live block: its chunk in *@ci and first unit in *@bit. */
static bool fzg_pick_live(struct fzg_model *m, unsigned int *ci,
			  unsigned long *bit)
{
	unsigned int i, first = pool_ext_rng_below(&m->run.rng, FZG_CHUNKS);
	struct fzg_chunk *c;
	unsigned long b;

	for (i = 0; i < FZG_CHUNKS; i++) {
		*ci = (first + i) % FZG_CHUNKS;
		c = &m->c[*ci];
		if (!c->busy)
			continue;
		b = find_next_bit(c->firsts, c->nbits,
				  pool_ext_rng_below(&m->run.rng, c->nbits));
		if (b >= c->nbits)
			b = find_first_bit(c->firsts, c->nbits);
		*bit = b;
		return true;
	}
	return false;
}

/* A random free run: chunk *@ci, units [*@rs, *@re). */
static bool fzg_pick_free(struct fzg_model *m, unsigned int *ci,
			  unsigned long *rs, unsigned long *re)
{
	unsigned int i, first = pool_ext_rng_below(&m->run.rng, FZG_CHUNKS);
	struct fzg_chunk *c;
	unsigned long s;

	for (i = 0; i < FZG_CHUNKS; i++) {
		*ci = (first + i) % FZG_CHUNKS;
		c = &m->c[*ci];
		if (c->busy == c->nbits)
			continue;
		s = find_next_zero_bit(c->map, c->nbits,
				       pool_ext_rng_below(&m->run.rng, c->nbits));
		if (s >= c->nbits)
			s = find_first_zero_bit(c->map, c->nbits);
		/* Back to the start of the run. */
		while (s && !test_bit(s - 1, c->map))
			s--;
		*rs = s;
		*re = find_next_bit(c->map, c->nbits, s);
		return true;
	}
	return false;
}

static unsigned long fzg_addr(struct fzg_model *m, unsigned int ci,
			      unsigned long bit)
{
	return m->c[ci].start + bit * FZG_UNIT;
}

/* A byte count that rounds up to @nr units. */
static size_t fzg_bytes(struct fzg_model *m, unsigned long nr)
{
	return nr * FZG_UNIT - pool_ext_rng_below(&m->run.rng, FZG_UNIT);
}

/* ---- good calls */

static void fzg_good_alloc(struct fzg_model *m)
{
	struct pool_ext_rng *rng = &m->run.rng;
	struct genpool_ext_data_align da = { .align = 1 };
	struct genpool_ext_data_fixed df = { .offset = 0 };
	unsigned long nr, amask = 0, aoff = 0, bit, want = 0, got;
	unsigned int algo = pool_ext_rng_below(rng, 5), i, ci = 0;
	static const char * const names[] = {
		"first fit", "best fit", "order align", "align", "fixed",
	};
	genpool_ext_algo_t fn;
	void *data = NULL;
	size_t size;

	nr = 1 + pool_ext_rng_below(rng, pool_ext_rng_below(rng, 10) ? 16 : 300);
	size = fzg_bytes(m, nr);
	switch (algo) {
	case 0:
		fn = genpool_ext_first_fit;
		break;
	case 1:
		fn = genpool_ext_best_fit;
		break;
	case 2:
		fn = genpool_ext_first_fit_order_align;
		amask = roundup_pow_of_two(nr) - 1;
		break;
	case 3:
		fn = genpool_ext_first_fit_align;
		da.align = 1 << pool_ext_rng_below(rng, 10);
		amask = ((da.align + FZG_UNIT - 1) >> FZG_ORDER) - 1;
		data = &da;
		break;
	default:
		fn = genpool_ext_fixed_alloc;
		df.offset = pool_ext_rng_below(rng, 2600) * FZG_UNIT;
		data = &df;
		break;
	}
	/* The model's answer: chunks newest first, skipping short ones. */
	for (i = 0; i < FZG_CHUNKS && !want; i++) {
		struct fzg_chunk *c = &m->c[i];

		if (size > c->size - c->busy * FZG_UNIT)
			continue;
		if (algo == 4) {
			bit = df.offset / FZG_UNIT;
			if (bit + nr > c->nbits ||
			    find_next_bit(c->map, bit + nr, bit) < bit + nr)
				continue;
		} else {
			aoff = algo == 3 ?
			       (c->start & (da.align - 1)) >> FZG_ORDER : 0;
			bit = fzg_fit(c, nr, amask, aoff, algo == 1);
			if (bit >= c->nbits)
				continue;
		}
		want = fzg_addr(m, i, bit);
		ci = i;
	}
	snprintf(m->run.what, sizeof(m->run.what),
		 "alloc %zu bytes, %s, align %d, offset %#lx", size,
		 names[algo], da.align, df.offset);
	got = genpool_ext_alloc_algo(m->pool, size, fn, data);
	if (got != want) {
		m->run.broken = true;
		KUNIT_FAIL(m->run.test, "%s, call %lu: %s returned %#lx, the model says %#lx",
			   m->run.label, m->run.ops, m->run.what, got, want);
		return;
	}
	if (want)
		fzg_model_alloc(m, ci, (want - m->c[ci].start) / FZG_UNIT, nr,
				size);
	else
		m->failures++;
	fzg_good_done(m);
}

static void fzg_good_free(struct fzg_model *m)
{
	unsigned long bit, addr;
	unsigned int ci;
	size_t size;
	void *owner = m;

	if (!fzg_pick_live(m, &ci, &bit))
		return;
	addr = fzg_addr(m, ci, bit);
	size = m->c[ci].req[bit];
	snprintf(m->run.what, sizeof(m->run.what), "free %#lx, %zu bytes",
		 addr, size);
	genpool_ext_free_owner(m->pool, addr, size, &owner);
	fzg_model_free(m, ci, bit);
	/* Each chunk's owner is its model chunk. */
	if (owner != &m->c[ci]) {
		m->run.broken = true;
		KUNIT_FAIL(m->run.test, "%s, call %lu: %s: wrong owner",
			   m->run.label, m->run.ops, m->run.what);
		return;
	}
	fzg_good_done(m);
}

/* ---- bad calls */

/*
 * A free that must be reported as misuse of kind @expect and change
 * nothing. The first of each kind warns: that one is made in a window.
 */
static void fzg_bad_free(struct fzg_model *m, unsigned int k,
			 unsigned long addr, size_t size,
			 enum gpx_misuse expect)
{
	bool window = !test_bit(expect, &m->warned);
	void *owner = m;

	snprintf(m->run.what, sizeof(m->run.what),
		 "free %#lx, %zu bytes, expect \"%s\"", addr, size,
		 gpx_misuse_text(expect));
	if (window)
		POOL_EXT_EXPECT_WARN_BEGIN(gpx_misuse_text(expect));
	genpool_ext_free_owner(m->pool, addr, size, &owner);
	if (window) {
		POOL_EXT_EXPECT_WARN_END(gpx_misuse_text(expect));
		set_bit(expect, &m->warned);
	}
	/* A refused free has no owner to report. */
	if (owner)
		snprintf(m->run.what, sizeof(m->run.what),
			 "free %#lx, %zu bytes: owner reported", addr, size);
	fzg_bad_done(m, k, false, !owner);
}

/* What a range that is partly or wrongly allocated is refused as. */
static enum gpx_misuse fzg_mixed(struct fzg_model *m)
{
	return m->debug ? GPX_MISUSE_BOUNDARY : GPX_MISUSE_PARTIAL;
}

static bool fzg_bad_foreign(struct fzg_model *m)
{
	struct pool_ext_rng *rng = &m->run.rng;
	unsigned long addr;
	unsigned int w = pool_ext_rng_below(rng, 3);

	if (w == 0)		/* below the first chunk */
		addr = FZG_BASE - FZG_UNIT * (1 + pool_ext_rng_below(rng, 64));
	else if (w == 1)	/* in the gap after chunk 0 */
		addr = FZG_BASE + fzg_layout[0].off + fzg_layout[0].size +
		       pool_ext_rng_below(rng, 0x1000);
	else			/* past the last chunk */
		addr = FZG_BASE + fzg_layout[2].off + fzg_layout[2].size +
		       FZG_UNIT * pool_ext_rng_below(rng, 64);
	fzg_bad_free(m, FZG_FOREIGN, addr, fzg_bytes(m, 1 + pool_ext_rng_below(rng, 8)),
		     GPX_MISUSE_FOREIGN);
	return true;
}

static bool fzg_bad_unaligned(struct fzg_model *m)
{
	struct pool_ext_rng *rng = &m->run.rng;
	unsigned int ci;
	unsigned long bit, addr;

	if (!fzg_pick_live(m, &ci, &bit))
		return false;
	addr = fzg_addr(m, ci, bit) + 1 + pool_ext_rng_below(rng, FZG_UNIT - 1);
	fzg_bad_free(m, FZG_UNALIGNED, addr, m->c[ci].req[bit],
		     GPX_MISUSE_UNALIGNED);
	return true;
}

static bool fzg_bad_zero(struct fzg_model *m)
{
	unsigned int ci;
	unsigned long bit;

	if (!fzg_pick_live(m, &ci, &bit))
		return false;
	fzg_bad_free(m, FZG_ZERO, fzg_addr(m, ci, bit), 0, GPX_MISUSE_ZERO);
	return true;
}

static bool fzg_bad_past_end(struct fzg_model *m)
{
	struct pool_ext_rng *rng = &m->run.rng;
	unsigned int ci;
	unsigned long bit, nr;

	if (!fzg_pick_live(m, &ci, &bit))
		return false;
	/* One unit or more past the chunk's last whole unit. */
	nr = m->c[ci].nbits - bit + 1 + pool_ext_rng_below(rng, 100);
	fzg_bad_free(m, FZG_PAST_END, fzg_addr(m, ci, bit), fzg_bytes(m, nr),
		     GPX_MISUSE_RANGE);
	return true;
}

static bool fzg_bad_huge(struct fzg_model *m)
{
	struct pool_ext_rng *rng = &m->run.rng;
	unsigned int ci;
	unsigned long bit;
	size_t size;

	if (!fzg_pick_live(m, &ci, &bit))
		return false;
	/* Sizes that overflow when rounded up, or dwarf any chunk. */
	if (pool_ext_rng_below(rng, 2))
		size = ULONG_MAX - pool_ext_rng_below(rng, FZG_UNIT - 1);
	else
		size = 1UL << (32 + pool_ext_rng_below(rng, 28));
	fzg_bad_free(m, FZG_HUGE, fzg_addr(m, ci, bit), size,
		     GPX_MISUSE_RANGE);
	return true;
}

static bool fzg_bad_double(struct fzg_model *m)
{
	struct pool_ext_rng *rng = &m->run.rng;
	unsigned long bit, nr, re;
	unsigned int ci, i;

	/* A block freed lately whose units are all still free... */
	for (i = 0; i < min_t(unsigned int, m->nfreed, FZG_FREED); i++) {
		struct fzg_freed *f = &m->freed[(m->nfreed - 1 - i) % FZG_FREED];
		struct fzg_chunk *c = &m->c[f->c];

		if (find_next_bit(c->map, f->bit + f->nr, f->bit) <
		    f->bit + f->nr)
			continue;
		fzg_bad_free(m, FZG_DOUBLE, fzg_addr(m, f->c, f->bit),
			     fzg_bytes(m, f->nr), GPX_MISUSE_DOUBLE);
		return true;
	}
	/* ... or else any free stretch. */
	if (!fzg_pick_free(m, &ci, &bit, &re))
		return false;
	bit += pool_ext_rng_below(rng, re - bit);
	nr = 1 + pool_ext_rng_below(rng, re - bit);
	fzg_bad_free(m, FZG_DOUBLE, fzg_addr(m, ci, bit), fzg_bytes(m, nr),
		     GPX_MISUSE_DOUBLE);
	return true;
}

/* A range with both free and allocated units. */
static bool fzg_bad_partly(struct fzg_model *m)
{
	struct pool_ext_rng *rng = &m->run.rng;
	unsigned long rs, re, s, e;
	unsigned int ci;
	struct fzg_chunk *c;

	if (!fzg_pick_free(m, &ci, &rs, &re))
		return false;
	c = &m->c[ci];
	if (re < c->nbits) {
		/* From inside the free run into the busy units after it. */
		s = rs + pool_ext_rng_below(rng, re - rs);
		e = re + 1 + pool_ext_rng_below(rng, find_next_zero_bit(c->map, c->nbits,
							      re) - re);
	} else if (rs) {
		/* From the busy units before it into the free run. */
		s = rs - 1 - pool_ext_rng_below(rng, min(rs, 8UL));
		e = rs + 1 + pool_ext_rng_below(rng, re - rs);
	} else {
		return false;	/* the chunk is all free */
	}
	fzg_bad_free(m, FZG_PARTLY, fzg_addr(m, ci, s), fzg_bytes(m, e - s),
		     fzg_mixed(m));
	return true;
}

/* Part of one live block (debug checks only). */
static bool fzg_bad_subrange(struct fzg_model *m)
{
	struct pool_ext_rng *rng = &m->run.rng;
	unsigned long bit, nr, s, e;
	unsigned int ci;

	if (!fzg_pick_live(m, &ci, &bit))
		return false;
	nr = m->c[ci].len[bit];
	if (nr < 2)
		return false;
	/* [s, e) inside [bit, bit + nr), not all of it. */
	do {
		s = bit + pool_ext_rng_below(rng, nr);
		e = s + 1 + pool_ext_rng_below(rng, bit + nr - s);
	} while (s == bit && e == bit + nr);
	fzg_bad_free(m, FZG_SUBRANGE, fzg_addr(m, ci, s), fzg_bytes(m, e - s),
		     GPX_MISUSE_BOUNDARY);
	return true;
}

/* A live block and (part of) the live block right after it. */
static bool fzg_bad_neighbour(struct fzg_model *m)
{
	struct pool_ext_rng *rng = &m->run.rng;
	unsigned long bit, next, e;
	unsigned int ci, tries;
	struct fzg_chunk *c;

	for (tries = 0; tries < 8; tries++) {
		if (!fzg_pick_live(m, &ci, &bit))
			return false;
		c = &m->c[ci];
		next = bit + c->len[bit];
		if (next >= c->nbits || !test_bit(next, c->firsts))
			continue;
		e = next + 1 + pool_ext_rng_below(rng, c->len[next]);
		fzg_bad_free(m, FZG_NEIGHBOUR, fzg_addr(m, ci, bit),
			     fzg_bytes(m, e - bit), GPX_MISUSE_BOUNDARY);
		return true;
	}
	return false;
}

static bool fzg_bad_fixed_offset(struct fzg_model *m)
{
	struct pool_ext_rng *rng = &m->run.rng;
	struct genpool_ext_data_fixed df;
	enum gpx_misuse expect = GPX_MISUSE_FIXED_OFFSET;
	bool window = !test_bit(expect, &m->warned);
	unsigned long got;

	df.offset = pool_ext_rng_below(rng, 2000) * FZG_UNIT + 1 +
		    pool_ext_rng_below(rng, FZG_UNIT - 1);
	snprintf(m->run.what, sizeof(m->run.what),
		 "fixed alloc at offset %#lx", df.offset);
	if (window)
		POOL_EXT_EXPECT_WARN_BEGIN(gpx_misuse_text(expect));
	got = genpool_ext_alloc_algo(m->pool, fzg_bytes(m, 1),
				     genpool_ext_fixed_alloc, &df);
	if (window) {
		POOL_EXT_EXPECT_WARN_END(gpx_misuse_text(expect));
		set_bit(expect, &m->warned);
	}
	/* Refused (0) and counted once as misuse and once as a failure. */
	if (!got)
		m->failures++;
	fzg_bad_done(m, FZG_FIXED_OFFSET, !got, true);
	return true;
}

static bool fzg_bad_alloc_args(struct fzg_model *m)
{
	struct pool_ext_rng *rng = &m->run.rng;
	struct genpool_ext_data_align da;
	unsigned long got;
	static const int bad_align[] = { 0, -16, 3, 24, INT_MIN };

	switch (pool_ext_rng_below(rng, 5)) {
	case 0:
		snprintf(m->run.what, sizeof(m->run.what), "alloc 0 bytes");
		got = genpool_ext_alloc(m->pool, 0);
		break;
	case 1:
		snprintf(m->run.what, sizeof(m->run.what), "alloc ULONG_MAX");
		got = genpool_ext_alloc(m->pool, ULONG_MAX -
					pool_ext_rng_below(rng, FZG_UNIT - 1));
		break;
	case 2:
		da.align = bad_align[pool_ext_rng_below(rng, ARRAY_SIZE(bad_align))];
		snprintf(m->run.what, sizeof(m->run.what),
			 "alloc aligned to %d", da.align);
		got = genpool_ext_alloc_algo(m->pool, FZG_UNIT,
					     genpool_ext_first_fit_align, &da);
		break;
	case 3:
		snprintf(m->run.what, sizeof(m->run.what),
			 "aligned/fixed alloc without data");
		got = genpool_ext_alloc_algo(m->pool, FZG_UNIT,
					     pool_ext_rng_below(rng, 2) ?
					     genpool_ext_first_fit_align :
					     genpool_ext_fixed_alloc, NULL);
		break;
	default:
		snprintf(m->run.what, sizeof(m->run.what),
			 "alloc of more than UINT_MAX units");
		got = genpool_ext_alloc(m->pool, (1UL << 32) * FZG_UNIT);
		break;
	}
	if (!got)
		m->failures++;
	fzg_bad_done(m, FZG_ALLOC_ARGS, !got, false);
	return true;
}

static bool fzg_bad_add(struct fzg_model *m)
{
	struct pool_ext_rng *rng = &m->run.rng;
	struct fzg_chunk *c = &m->c[pool_ext_rng_below(rng, FZG_CHUNKS)];
	unsigned long addr;
	size_t size;
	int ret;

	switch (pool_ext_rng_below(rng, 4)) {
	case 0:		/* overlapping a chunk */
		addr = c->start - c->size + 1 + pool_ext_rng_below(rng, 2 * c->size - 1);
		size = c->size;
		break;
	case 1:		/* smaller than a unit, in a gap */
		addr = FZG_BASE + 0x80000;
		size = pool_ext_rng_below(rng, FZG_UNIT);
		break;
	case 2:		/* wrapping around */
		addr = ULONG_MAX - pool_ext_rng_below(rng, 0x1000);
		size = 0x2000;
		break;
	default:	/* a range covering all chunks */
		addr = FZG_BASE - 0x1000;
		size = 0x400000;
		break;
	}
	snprintf(m->run.what, sizeof(m->run.what), "add %#lx, %zu bytes",
		 addr, size);
	ret = genpool_ext_add(m->pool, addr, size, NUMA_NO_NODE);
	fzg_bad_done(m, FZG_ADD, ret == -EINVAL, false);
	return true;
}

static bool fzg_bad_create(struct fzg_model *m)
{
	static const int bad_order[] = { -1, INT_MIN, BITS_PER_LONG, INT_MAX };
	int order = bad_order[pool_ext_rng_below(&m->run.rng, ARRAY_SIZE(bad_order))];
	struct genpool_ext *pool;

	snprintf(m->run.what, sizeof(m->run.what), "create order %d", order);
	pool = genpool_ext_create(order, NUMA_NO_NODE);
	if (pool)
		genpool_ext_destroy(pool);
	fzg_bad_done(m, FZG_CREATE, !pool, false);
	return true;
}

static bool fzg_bad_null(struct fzg_model *m)
{
	struct pool_ext_rng *rng = &m->run.rng;
	struct genpool_ext_stats st;
	unsigned long addr = fzg_addr(m, 0, 0);
	bool refused;
	void *owner;

	switch (pool_ext_rng_below(rng, 8)) {
	case 0:
		snprintf(m->run.what, sizeof(m->run.what), "free to NULL");
		owner = m;
		/* WARN_ON_ONCE: at most one warning per boot. */
		if (!fzg_null_free_done)
			POOL_EXT_EXPECT_WARN_BEGIN("genpool_ext_free_owner");
		genpool_ext_free_owner(NULL, addr, FZG_UNIT, &owner);
		if (!fzg_null_free_done) {
			POOL_EXT_EXPECT_WARN_END("genpool_ext_free_owner");
			fzg_null_free_done = true;
		}
		refused = !owner;
		break;
	case 1:
		snprintf(m->run.what, sizeof(m->run.what), "alloc from NULL");
		owner = m;
		refused = !genpool_ext_alloc_owner(NULL, FZG_UNIT, &owner) &&
			  !owner;
		break;
	case 2:
		snprintf(m->run.what, sizeof(m->run.what), "add to NULL");
		refused = genpool_ext_add(NULL, addr, 4096, NUMA_NO_NODE) ==
			  -EINVAL;
		break;
	case 3:
		snprintf(m->run.what, sizeof(m->run.what),
			 "validate/set_debug NULL");
		refused = genpool_ext_validate(NULL) == -EINVAL &&
			  genpool_ext_set_debug(NULL, pool_ext_rng_below(rng, 2)) ==
			  -EINVAL;
		break;
	case 4:
		snprintf(m->run.what, sizeof(m->run.what),
			 "read_stats with a NULL");
		refused = genpool_ext_get_stats(NULL, &st) == -EINVAL &&
			  genpool_ext_get_stats(m->pool, NULL) == -EINVAL;
		break;
	case 5:
		snprintf(m->run.what, sizeof(m->run.what),
			 "queries on NULL");
		refused = !genpool_ext_avail(NULL) && !genpool_ext_size(NULL) &&
			  !genpool_ext_has_addr(NULL, addr, FZG_UNIT) &&
			  genpool_ext_virt_to_phys(NULL, addr) ==
			  (phys_addr_t)-1;
		break;
	case 6:
		snprintf(m->run.what, sizeof(m->run.what),
			 "dma alloc from NULL");
		refused = !genpool_ext_dma_zalloc(NULL, FZG_UNIT, NULL);
		break;
	default:
		snprintf(m->run.what, sizeof(m->run.what),
			 "set_algo/destroy NULL");
		genpool_ext_set_algo(NULL, genpool_ext_best_fit, NULL);
		genpool_ext_destroy(NULL);
		refused = true;
		break;
	}
	fzg_bad_done(m, FZG_NULL, refused, false);
	return true;
}

static bool fzg_bad_debug_busy(struct fzg_model *m)
{
	int ret;

	if (m->debug || m->allocs == m->frees)
		return false;
	snprintf(m->run.what, sizeof(m->run.what),
		 "set_debug(on) with live blocks");
	ret = genpool_ext_set_debug(m->pool, true);
	fzg_bad_done(m, FZG_DEBUG_BUSY, ret == -EBUSY, false);
	return true;
}

static bool (* const fzg_bad[FZG_NR])(struct fzg_model *m) = {
	[FZG_FOREIGN] = fzg_bad_foreign,
	[FZG_UNALIGNED] = fzg_bad_unaligned,
	[FZG_ZERO] = fzg_bad_zero,
	[FZG_PAST_END] = fzg_bad_past_end,
	[FZG_HUGE] = fzg_bad_huge,
	[FZG_DOUBLE] = fzg_bad_double,
	[FZG_PARTLY] = fzg_bad_partly,
	[FZG_SUBRANGE] = fzg_bad_subrange,
	[FZG_NEIGHBOUR] = fzg_bad_neighbour,
	[FZG_FIXED_OFFSET] = fzg_bad_fixed_offset,
	[FZG_ALLOC_ARGS] = fzg_bad_alloc_args,
	[FZG_ADD] = fzg_bad_add,
	[FZG_CREATE] = fzg_bad_create,
	[FZG_NULL] = fzg_bad_null,
	[FZG_DEBUG_BUSY] = fzg_bad_debug_busy,
};

/* One bad call of a kind the pool's mode promises to catch. */
static void fzg_one_bad(struct fzg_model *m)
{
	unsigned int k;

	for (;;) {
		k = pool_ext_rng_below(&m->run.rng, FZG_NR);
		if ((fzg_kinds[k].debug_only && !m->debug) ||
		    (fzg_kinds[k].off_only && m->debug))
			continue;
		if (fzg_bad[k](m))
			return;
	}
}

/*
 * Free whatever is still allocated, by the pool's own bitmap (after a
 * failure the model may not know), then destroy the pool.
 */
static void fzg_destroy_action(void *data)
{
	struct genpool_ext *pool = data;
	struct genpool_ext_chunk *chunk;
	unsigned long b, e;

	genpool_ext_set_debug(pool, false);
	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		for (e = 0; (b = find_next_bit(chunk->bits, chunk->nbits, e)) <
			    chunk->nbits;) {
			e = find_next_zero_bit(chunk->bits, chunk->nbits, b);
			genpool_ext_free(pool, chunk->start_addr + b * FZG_UNIT,
					 (e - b) * FZG_UNIT);
		}
	}
	rcu_read_unlock();
	genpool_ext_destroy(pool);
}

static void fzg_fuzz(struct kunit *test, bool debug)
{
	struct fzg_model *m;
	unsigned long units = 0, used, until_bad = 0;
	unsigned int i;
	int j;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	fz_run_init(&m->run, test,
		    debug ? "genpool_ext, debug on" : "genpool_ext, debug off",
		    fzg_kinds, FZG_NR, debug);
	m->debug = debug;
	m->pool = genpool_ext_create(FZG_ORDER, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, m->pool);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   fzg_destroy_action,
							   m->pool));
	KUNIT_ASSERT_EQ(test, genpool_ext_set_debug(m->pool, debug), 0);
	/* Added oldest first; the model lists them newest first. */
	for (j = FZG_CHUNKS - 1; j >= 0; j--) {
		struct fzg_chunk *c = &m->c[j];

		c->start = FZG_BASE + fzg_layout[j].off;
		c->size = fzg_layout[j].size;
		c->nbits = c->size / FZG_UNIT;
		units += c->nbits;
		c->map = kunit_kcalloc(test, 3 * BITS_TO_LONGS(c->nbits),
				       sizeof(long), GFP_KERNEL);
		c->len = kunit_kcalloc(test, c->nbits, sizeof(*c->len),
				       GFP_KERNEL);
		c->req = kunit_kcalloc(test, c->nbits, sizeof(*c->req),
				       GFP_KERNEL);
		KUNIT_ASSERT_TRUE(test, c->map && c->len && c->req);
		c->firsts = c->map + BITS_TO_LONGS(c->nbits);
		c->lasts = c->firsts + BITS_TO_LONGS(c->nbits);
		KUNIT_ASSERT_EQ(test, genpool_ext_add_owner(m->pool, c->start,
							    -1, c->size,
							    NUMA_NO_NODE, c),
				0);
	}

	while (m->run.ops < FZG_CALLS && !m->run.broken) {
		m->run.ops++;
		if (!until_bad) {
			fzg_one_bad(m);
			until_bad = 1 + pool_ext_rng_below(&m->run.rng, 5);
			continue;
		}
		until_bad--;
		used = 0;
		for (i = 0; i < FZG_CHUNKS; i++)
			used += m->c[i].busy;
		/* Keep the pool between about half and three quarters full. */
		if (pool_ext_rng_below(&m->run.rng, 100) <
		    (used * 4 < units * 3 ? (used * 2 < units ? 75 : 55) : 25))
			fzg_good_alloc(m);
		else
			fzg_good_free(m);
		if (!(m->run.ops % 256))
			cond_resched();
	}
	fz_report(&m->run);

	/* Free what is left; the pool must end empty and consistent. */
	for (i = 0; i < FZG_CHUNKS && !m->run.broken; i++) {
		struct fzg_chunk *c = &m->c[i];
		unsigned long b;

		for_each_set_bit(b, c->firsts, c->nbits)
			genpool_ext_free(m->pool, fzg_addr(m, i, b), c->req[b]);
	}
	if (!m->run.broken) {
		KUNIT_EXPECT_EQ(test, genpool_ext_avail(m->pool),
				genpool_ext_size(m->pool));
		KUNIT_EXPECT_EQ(test, genpool_ext_validate(m->pool), 0);
	}
}

static void genpool_ext_fuzz_test_debug_on(struct kunit *test)
{
	fzg_fuzz(test, true);
}

static void genpool_ext_fuzz_test_debug_off(struct kunit *test)
{
	fzg_fuzz(test, false);
}

static struct kunit_case genpool_ext_fuzz_cases[] = {
	KUNIT_CASE_SLOW(genpool_ext_fuzz_test_debug_on),
	KUNIT_CASE_SLOW(genpool_ext_fuzz_test_debug_off),
	{}
};

static struct kunit_suite genpool_ext_fuzz_suite = {
	.name = "genpool_ext_fuzz",
	.test_cases = genpool_ext_fuzz_cases,
};

/* ---------------------------------------------------------------------
 * mempool_ext_fuzz
 *
 * A kmalloc-backed pool A with fault injection (every third backing call
 * fails, so the reserve is used all the time), a second pool B whose
 * elements are freed into A by mistake, and a zeroed, never initialised
 * pool U. The model holds the elements we hold of each pool (tagged, so
 * an element handed out twice would show), the reserve's fill and
 * min_nr, the outstanding count and the debug reports. After every call:
 * the counts, min_nr, the fault setting and the debug switch as modelled;
 * no element both in a reserve and held by us, or twice in a reserve; U
 * still all zero.
 *
 * With the debug checks on, every kind of bad free is made; the module
 * must refuse it and count it in debug_reports. With them off a bad free
 * cannot be told from a good one (the header says so), so that pass makes
 * only the bad calls that are refused in every mode.
 */

#define FZM_CALLS	25000	/* per case: debug on and off (see the top) */
#define FZM_SIZE	64	/* element size */
#define FZM_HELD	96	/* elements of one pool we hold at most */
#define FZM_MAX_MIN	16	/* the largest min_nr of good resizes */
#define FZM_NSTALE	16
#define FZM_NFOREIGN	4
#define FZM_CREATES	24	/* bad creates per case: each one warns */
#define FZM_TAG		0x6d656d706f6f6c21UL

enum fzm_kind {
	FZM_DOUBLE,
	FZM_STALE,
	FZM_FOREIGN,
	FZM_INTERIOR,
	FZM_WRONG_POOL,
	FZM_BULK_FREE,
	FZM_RESIZE,
	FZM_RESIZE_HUGE,
	FZM_BULK_ARGS,
	FZM_FAULT_ARGS,
	FZM_UNINIT,
	FZM_NULL,
	FZM_CREATE,
	FZM_NR,
};

static struct fz_kind fzm_kinds[FZM_NR] = {
	[FZM_DOUBLE] = { "free: element in the reserve", true },
	[FZM_STALE] = { "free: element already given back", true },
	[FZM_FOREIGN] = { "free: pointer from kmalloc", true },
	[FZM_INTERIOR] = { "free: pointer into an element", true },
	[FZM_WRONG_POOL] = { "free: element of another pool", true },
	[FZM_BULK_FREE] = { "free_bulk: one bad element", true },
	[FZM_RESIZE] = { "resize: min_nr <= 0" },
	[FZM_RESIZE_HUGE] = { "resize: reserve array too big" },
	[FZM_BULK_ARGS] = { "alloc_bulk: bad arguments" },
	[FZM_FAULT_ARGS] = { "set_fault: bad mode/argument" },
	[FZM_UNINIT] = { "call on an uninitialised pool" },
	[FZM_NULL] = { "NULL pool or element" },
	[FZM_CREATE] = { "create/init: bad arguments" },
};

/* The warnings a pool gives once each, and text each must contain. */
enum fzm_warn {
	FZM_W_DOUBLE,
	FZM_W_FOREIGN,
	FZM_W_RESIZE,
	FZM_W_NOMEM,
	FZM_W_BULK,
	FZM_W_UNINIT,
	FZM_W_NR,
};

static const char * const fzm_warn[FZM_W_NR] = {
	[FZM_W_DOUBLE] = "double free of",
	[FZM_W_FOREIGN] = "did not hand out that element",
	[FZM_W_RESIZE] = "min_nr must be at least 1",
	[FZM_W_NOMEM] = "no memory for the reserve array",
	[FZM_W_BULK] = "bulk allocation",
	[FZM_W_UNINIT] = "uninitialised pool",
};

struct fzm_pool {
	struct mempool_ext *pool;
	void *held[FZM_HELD];		/* elements we hold, tagged, sorted */
	unsigned int nheld;
	int curr;			/* elements in the reserve */
	int min_nr;
	long out;			/* outstanding */
	unsigned long reports;		/* debug_reports */
};

struct fzm_model {
	struct fz_run run;
	bool debug;
	struct fzm_pool a, b;
	struct mempool_ext *uninit;	/* zeroed, never initialised */
	struct mempool_ext *tmp;	/* for inits that must fail */
	unsigned long fault;		/* A's fault setting */
	void *stale[FZM_NSTALE];		/* elements given back to kmalloc */
	unsigned int nstale;
	void *foreign[FZM_NFOREIGN];	/* our own kmalloc buffers */
	unsigned long warned;		/* enum fzm_warn bits seen */
	unsigned int creates;
};

static bool fzm_window_begin(struct fzm_model *m, enum fzm_warn w)
{
	if (test_bit(w, &m->warned))
		return false;
	POOL_EXT_EXPECT_WARN_BEGIN(fzm_warn[w]);
	return true;
}

static void fzm_window_end(struct fzm_model *m, enum fzm_warn w, bool open)
{
	if (!open)
		return;
	POOL_EXT_EXPECT_WARN_END(fzm_warn[w]);
	set_bit(w, &m->warned);
}

static int fzm_target(struct fzm_pool *p)
{
	return max(1, p->min_nr);
}

static bool fzm_in_reserve(struct fzm_pool *p, void *el)
{
	int i;

	for (i = 0; i < READ_ONCE(p->pool->curr_nr); i++)
		if (p->pool->elements[i] == el)
			return true;
	return false;
}

/* Where @el is, or would go, in the sorted p->held[]. */
static unsigned int fzm_held_pos(struct fzm_pool *p, void *el)
{
	unsigned int lo = 0, hi = p->nheld, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (p->held[mid] < el)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int fzm_held_index(struct fzm_pool *p, void *el)
{
	unsigned int i = fzm_held_pos(p, el);

	return i < p->nheld && p->held[i] == el ? i : -1;
}

static void *fzm_unhold(struct fzm_pool *p, unsigned int i)
{
	void *el = p->held[i];

	p->nheld--;
	memmove(&p->held[i], &p->held[i + 1],
		(p->nheld - i) * sizeof(p->held[0]));
	return el;
}

static void fzm_stale_add(struct fzm_model *m, void *el)
{
	m->stale[m->nstale++ % FZM_NSTALE] = el;
}

/* Elements handed out from the reserve, read under no lock (quiet pool). */
static unsigned long fzm_hits(struct fzm_pool *p)
{
	return READ_ONCE(p->pool->reserve_hits);
}

/* Compare one pool with its model; *@reports gets its debug_reports. */
static const char *fzm_diff_pool(struct fzm_pool *p, unsigned long *reports)
{
	struct mempool_ext_stats st;
	int i, j, curr;

	if (mempool_ext_get_stats(p->pool, &st))
		return "mempool_ext_get_stats() fails";
	*reports = st.debug_reports;
	if (st.outstanding != p->out)
		return "outstanding count";
	curr = READ_ONCE(p->pool->curr_nr);
	if (curr != p->curr)
		return "reserve fill (curr_nr)";
	if (READ_ONCE(p->pool->min_nr) != p->min_nr)
		return "min_nr";
	for (i = 0; i < curr; i++) {
		void *el = p->pool->elements[i];

		if (fzm_held_index(p, el) >= 0)
			return "an element we hold is in the reserve";
		for (j = 0; j < i; j++)
			if (p->pool->elements[j] == el)
				return "an element is twice in the reserve";
	}
	return NULL;
}

/* Is the uninitialised pool still all zero (but for its warned bits)? */
static bool fzm_uninit_zero(struct fzm_model *m)
{
	const char *u = (const char *)m->uninit;
	size_t w = offsetof(struct mempool_ext, warned);

	return !memchr_inv(u, 0, w) &&
	       !memchr_inv(u + w + sizeof(m->uninit->warned), 0,
			   sizeof(*m->uninit) - w - sizeof(m->uninit->warned));
}

static const char *fzm_diff(struct fzm_model *m, unsigned long *reports)
{
	unsigned long b_reports;
	const char *diff;

	diff = fzm_diff_pool(&m->a, reports);
	if (diff)
		return diff;
	diff = fzm_diff_pool(&m->b, &b_reports);
	if (diff)
		return diff;
	if (b_reports != m->b.reports)
		return "debug reports of pool B";
	if (READ_ONCE(m->a.pool->fault) != m->fault)
		return "fault setting";
	if (test_bit(MEMPOOL_EXT_F_DEBUG, &m->a.pool->flags) != m->debug)
		return "debug switch";
	if (!fzm_uninit_zero(m))
		return "the uninitialised pool changed";
	return NULL;
}

static void fzm_good_done(struct fzm_model *m)
{
	unsigned long reports = m->a.reports;
	const char *diff = fzm_diff(m, &reports);

	if (!diff && reports != m->a.reports)
		diff = "debug reports";
	fz_good_verdict(&m->run, !diff, diff);
}

/* After a bad call into A: see fzg_bad_done(). */
static void fzm_bad_done(struct fzm_model *m, unsigned int k, bool refused,
			 bool report)
{
	unsigned long reports = m->a.reports;
	const char *diff = fzm_diff(m, &reports);
	bool answered;

	if (report)
		answered = reports == m->a.reports + 1;
	else
		answered = refused && reports == m->a.reports;
	m->a.reports = reports;
	fz_bad_verdict(&m->run, k, !diff, diff, answered, report);
}

static void fzm_broken(struct fzm_model *m, const char *why)
{
	m->run.broken = true;
	KUNIT_FAIL(m->run.test, "%s, call %lu: %s: %s", m->run.label,
		   m->run.ops, m->run.what, why);
}

/* Take a new element into the model, or say what is wrong with it. */
static const char *fzm_hold(struct fzm_pool *p, void *el)
{
	unsigned int i;

	if (fzm_held_index(p, el) >= 0)
		return "an element we hold was handed out again";
	*(unsigned long *)el = (unsigned long)el ^ FZM_TAG;
	i = fzm_held_pos(p, el);
	memmove(&p->held[i + 1], &p->held[i],
		(p->nheld - i) * sizeof(p->held[0]));
	p->held[i] = el;
	p->nheld++;
	p->out++;
	return NULL;
}

/* ---- good calls */

static void fzm_good_alloc(struct fzm_model *m, struct fzm_pool *p)
{
	void *snap[FZM_MAX_MIN];
	unsigned long hits0, hits1;
	unsigned int r = pool_ext_rng_below(&m->run.rng, 8);
	const char *bad = NULL;
	int curr = p->curr, i;
	bool pre = !r, sleep = r < 3 && curr;
	gfp_t gfp = sleep ? GFP_KERNEL : GFP_ATOMIC;
	void *el;

	if (curr > FZM_MAX_MIN) {
		fzm_broken(m, "reserve above its size");
		return;
	}

	snprintf(m->run.what, sizeof(m->run.what), "%s from pool %c",
		 pre ? "alloc_preallocated" : sleep ? "alloc GFP_KERNEL" :
		 "alloc GFP_ATOMIC", p == &m->a ? 'A' : 'B');
	memcpy(snap, p->pool->elements, curr * sizeof(void *));
	hits0 = fzm_hits(p);
	el = pre ? mempool_ext_alloc_preallocated(p->pool) :
		   mempool_ext_alloc(p->pool, gfp);
	hits1 = fzm_hits(p);
	if (!el) {
		/* Only a reserve-only or atomic allocation may fail. */
		if (curr || sleep)
			bad = "failed with elements in the reserve";
	} else if (hits1 == hits0 + 1) {
		for (i = 0; i < curr && snap[i] != el; i++)
			;
		if (i == curr)
			bad = "a reserve hit that is not a reserve element";
		p->curr--;
	} else if (hits1 != hits0 || pre) {
		bad = "reserve hits do not add up";
	}
	if (!bad && el)
		bad = fzm_hold(p, el);
	if (bad)
		fzm_broken(m, bad);
	else
		fzm_good_done(m);
}

static void fzm_good_free(struct fzm_model *m, struct fzm_pool *p)
{
	bool into = p->curr < fzm_target(p);
	void *el;

	if (!p->nheld)
		return;
	el = fzm_unhold(p, pool_ext_rng_below(&m->run.rng, p->nheld));
	snprintf(m->run.what, sizeof(m->run.what), "free %p into pool %c", el,
		 p == &m->a ? 'A' : 'B');
	if (*(unsigned long *)el != ((unsigned long)el ^ FZM_TAG)) {
		fzm_broken(m, "a held element was overwritten");
		return;
	}
	mempool_ext_free(el, p->pool);
	p->out--;
	if (into) {
		p->curr++;
		if (!fzm_in_reserve(p, el)) {
			fzm_broken(m, "the reserve was short but did not take it");
			return;
		}
	} else {
		fzm_stale_add(m, el);
	}
	fzm_good_done(m);
}

static void fzm_good_resize(struct fzm_model *m)
{
	int n = 1 + pool_ext_rng_below(&m->run.rng, FZM_MAX_MIN);

	snprintf(m->run.what, sizeof(m->run.what), "resize A to %d", n);
	if (mempool_ext_resize(m->a.pool, n)) {
		fzm_broken(m, "failed");
		return;
	}
	/* Shrinking trims the reserve; growing fills it (no faults there). */
	m->a.min_nr = n;
	m->a.curr = n;
	fzm_good_done(m);
}

static void fzm_good_alloc_bulk(struct fzm_model *m)
{
	struct fzm_pool *p = &m->a;
	void *elems[4] = {};
	unsigned long hits0, hits1;
	unsigned int n, i;
	const char *bad = NULL;
	int ret;

	/* All from the reserve if need be: such a call never waits. */
	n = min3(p->curr, fzm_target(p), 4);
	if (!n || p->nheld + 4 > FZM_HELD)
		return;
	n = 1 + pool_ext_rng_below(&m->run.rng, n);
	snprintf(m->run.what, sizeof(m->run.what), "alloc_bulk %u from A", n);
	hits0 = fzm_hits(p);
	ret = mempool_ext_alloc_bulk(p->pool, elems, n, 0);
	hits1 = fzm_hits(p);
	if (ret) {
		fzm_broken(m, "failed");
		return;
	}
	p->curr -= hits1 - hits0;
	for (i = 0; i < n && !bad; i++) {
		if (!elems[i])
			bad = "a slot was left empty";
		else
			bad = fzm_hold(p, elems[i]);
	}
	if (bad)
		fzm_broken(m, bad);
	else
		fzm_good_done(m);
}

static void fzm_good_free_bulk(struct fzm_model *m)
{
	struct fzm_pool *p = &m->a;
	unsigned int n, i, consumed, moved;
	void *elems[4];

	if (!p->nheld)
		return;
	n = 1 + pool_ext_rng_below(&m->run.rng, min(p->nheld, 4U));
	for (i = 0; i < n; i++)
		elems[i] = fzm_unhold(p, pool_ext_rng_below(&m->run.rng, p->nheld));
	moved = p->curr < fzm_target(p) ?
		min_t(unsigned int, n, fzm_target(p) - p->curr) : 0;
	snprintf(m->run.what, sizeof(m->run.what),
		 "free_bulk %u into A, %u wanted by the reserve", n, moved);
	consumed = mempool_ext_free_bulk(p->pool, elems, n);
	p->out -= n;
	p->curr += moved;
	if (consumed != moved) {
		fzm_broken(m, "wrong number of elements consumed");
		return;
	}
	/* The rest is ours to give back to the allocator. */
	for (i = 0; i < n; i++) {
		bool taken = i < consumed;

		if (taken != !elems[i]) {
			fzm_broken(m, "consumed slots not cleared");
			return;
		}
		if (elems[i]) {
			mempool_ext_kfree(elems[i], NULL);
			fzm_stale_add(m, elems[i]);
		}
	}
	fzm_good_done(m);
}

/* ---- bad calls */

/* A free into A that must be refused and reported as warning @w. */
static void fzm_bad_free(struct fzm_model *m, unsigned int k, void *el,
			 enum fzm_warn w)
{
	bool window;

	snprintf(m->run.what, sizeof(m->run.what), "free %p into A", el);
	window = fzm_window_begin(m, w);
	mempool_ext_free(el, m->a.pool);
	fzm_window_end(m, w, window);
	fzm_bad_done(m, k, false, true);
}

static bool fzm_bad_double(struct fzm_model *m)
{
	if (!m->a.curr)
		return false;
	fzm_bad_free(m, FZM_DOUBLE,
		     m->a.pool->elements[pool_ext_rng_below(&m->run.rng, m->a.curr)],
		     FZM_W_DOUBLE);
	return true;
}

/* An element given back to kmalloc that nobody here holds again. */
static void *fzm_pick_stale(struct fzm_model *m)
{
	unsigned int i, n = min_t(unsigned int, m->nstale, FZM_NSTALE);
	void *el;

	for (i = 0; i < n; i++) {
		el = m->stale[(m->nstale - 1 - i) % FZM_NSTALE];
		if (fzm_held_index(&m->a, el) < 0 &&
		    fzm_held_index(&m->b, el) < 0 &&
		    !fzm_in_reserve(&m->a, el) && !fzm_in_reserve(&m->b, el))
			return el;
	}
	return NULL;
}

static bool fzm_bad_stale(struct fzm_model *m)
{
	void *el = fzm_pick_stale(m);

	if (!el)
		return false;
	fzm_bad_free(m, FZM_STALE, el, FZM_W_FOREIGN);
	return true;
}

static bool fzm_bad_foreign(struct fzm_model *m)
{
	unsigned int i = pool_ext_rng_below(&m->run.rng, FZM_NFOREIGN);

	if (!m->foreign[i])
		return false;
	fzm_bad_free(m, FZM_FOREIGN, m->foreign[i], FZM_W_FOREIGN);
	/* Taken: no longer ours to kfree(). */
	if (m->run.broken)
		m->foreign[i] = NULL;
	return true;
}

static bool fzm_bad_interior(struct fzm_model *m)
{
	void *el;

	if (!m->a.nheld)
		return false;
	el = m->a.held[pool_ext_rng_below(&m->run.rng, m->a.nheld)];
	fzm_bad_free(m, FZM_INTERIOR,
		     el + 8 * (1 + pool_ext_rng_below(&m->run.rng, FZM_SIZE / 8 - 1)),
		     FZM_W_FOREIGN);
	return true;
}

static bool fzm_bad_wrong_pool(struct fzm_model *m)
{
	unsigned int i;

	if (!m->b.nheld)
		return false;
	i = pool_ext_rng_below(&m->run.rng, m->b.nheld);
	fzm_bad_free(m, FZM_WRONG_POOL, m->b.held[i], FZM_W_FOREIGN);
	/* Taken by A: B will never see it back. */
	if (m->run.broken)
		fzm_unhold(&m->b, i);
	return true;
}

/* free_bulk of up to three good elements and one bad one. */
static bool fzm_bad_free_bulk(struct fzm_model *m)
{
	struct fzm_pool *p = &m->a;
	unsigned int g, i, bad, consumed, moved, goods = 0;
	enum fzm_warn w = FZM_W_FOREIGN;
	void *elems[4], *el;
	bool window;

	switch (pool_ext_rng_below(&m->run.rng, 3)) {
	case 0:
		if (!p->curr)
			return false;
		el = p->pool->elements[pool_ext_rng_below(&m->run.rng, p->curr)];
		w = FZM_W_DOUBLE;
		break;
	case 1:
		el = fzm_pick_stale(m);
		if (!el)
			return false;
		break;
	default:
		if (!m->b.nheld)
			return false;
		el = m->b.held[pool_ext_rng_below(&m->run.rng, m->b.nheld)];
		break;
	}
	g = pool_ext_rng_below(&m->run.rng, min(p->nheld, 3U) + 1);
	bad = pool_ext_rng_below(&m->run.rng, g + 1);
	for (i = 0; i < g + 1; i++)
		elems[i] = i == bad ? el :
			   fzm_unhold(p, pool_ext_rng_below(&m->run.rng, p->nheld));
	moved = p->curr < fzm_target(p) ?
		min_t(unsigned int, g, fzm_target(p) - p->curr) : 0;
	snprintf(m->run.what, sizeof(m->run.what),
		 "free_bulk of %u good and %p (%s) at %u into A", g, el,
		 fzm_warn[w], bad);
	window = fzm_window_begin(m, w);
	consumed = mempool_ext_free_bulk(p->pool, elems, g + 1);
	fzm_window_end(m, w, window);
	p->out -= g;
	p->curr += moved;
	/* The bad slot is cleared; the first @moved good ones are taken. */
	for (i = 0; i < g + 1; i++) {
		bool taken = i == bad || goods++ < moved;

		if (taken != !elems[i] || (i < consumed && elems[i])) {
			fzm_broken(m, "slots cleared wrongly");
			return true;
		}
		if (i != bad && elems[i]) {
			mempool_ext_kfree(elems[i], NULL);
			fzm_stale_add(m, elems[i]);
		}
	}
	fzm_bad_done(m, FZM_BULK_FREE, false, true);
	return true;
}

static bool fzm_bad_resize(struct fzm_model *m)
{
	int n = -(int)pool_ext_rng_below(&m->run.rng, 4);
	bool window;
	int ret;

	if (pool_ext_rng_below(&m->run.rng, 8) == 0)
		n = INT_MIN;
	snprintf(m->run.what, sizeof(m->run.what), "resize A to %d", n);
	window = fzm_window_begin(m, FZM_W_RESIZE);
	ret = mempool_ext_resize(m->a.pool, n);
	fzm_window_end(m, FZM_W_RESIZE, window);
	fzm_bad_done(m, FZM_RESIZE, ret == -EINVAL, false);
	return true;
}

/*
 * The fewest elements whose reserve array kmalloc() can never serve: one
 * more than fits in its largest block. That block depends on the page size
 * and the page allocator's largest order: 4 MiB with 4 KiB pages, but
 * 512 MiB on arm64 with 64 KiB pages, where a bound fixed for 4 KiB pages
 * (2^21 elements, 16 MiB) let the array be allocated.
 */
#define FZM_HUGE_MIN	(KMALLOC_MAX_SIZE / sizeof(void *) + 1)
static_assert(FZM_HUGE_MIN < INT_MAX);

static bool fzm_bad_resize_huge(struct fzm_model *m)
{
	/* Arrays bigger than the page allocator's largest block. */
	int n = FZM_HUGE_MIN + pool_ext_rng_below(&m->run.rng,
						  INT_MAX - FZM_HUGE_MIN);
	bool window;
	int ret;

	snprintf(m->run.what, sizeof(m->run.what), "resize A to %d", n);
	window = fzm_window_begin(m, FZM_W_NOMEM);
	ret = mempool_ext_resize(m->a.pool, n);
	fzm_window_end(m, FZM_W_NOMEM, window);
	fzm_bad_done(m, FZM_RESIZE_HUGE, ret == -ENOMEM, false);
	return true;
}

static bool fzm_bad_bulk_args(struct fzm_model *m)
{
	void *elems[FZM_MAX_MIN + 4] = {};
	unsigned int count = 2, allocated = 0, i;
	void **arg = elems;
	bool window, untouched = true;
	int ret;

	switch (pool_ext_rng_below(&m->run.rng, 3)) {
	case 0:
		arg = NULL;
		break;
	case 1:
		allocated = count + 1 + pool_ext_rng_below(&m->run.rng, 4);
		break;
	default:
		/* More than the reserve could ever hold at once. */
		count = fzm_target(&m->a) + 1 + pool_ext_rng_below(&m->run.rng, 3);
		break;
	}
	snprintf(m->run.what, sizeof(m->run.what),
		 "alloc_bulk(%s, %u, %u) from A", arg ? "elems" : "NULL",
		 count, allocated);
	window = fzm_window_begin(m, FZM_W_BULK);
	ret = mempool_ext_alloc_bulk(m->a.pool, arg, count, allocated);
	fzm_window_end(m, FZM_W_BULK, window);
	for (i = 0; i < ARRAY_SIZE(elems); i++)
		untouched &= !elems[i];
	fzm_bad_done(m, FZM_BULK_ARGS, ret == -EINVAL && untouched, false);
	return true;
}

static bool fzm_bad_fault_args(struct fzm_model *m)
{
	struct pool_ext_rng *rng = &m->run.rng;
	unsigned int mode, arg;
	int ret;

	switch (pool_ext_rng_below(rng, 3)) {
	case 0:
		mode = MEMPOOL_EXT_FAULT_PROBABILITY + 1 + pool_ext_rng_below(rng, 100);
		arg = pool_ext_rng_below(rng, 10);
		break;
	case 1:
		mode = MEMPOOL_EXT_FAULT_EVERY_NTH;
		arg = 0;
		break;
	default:
		mode = MEMPOOL_EXT_FAULT_PROBABILITY;
		arg = 101 + pool_ext_rng_below(rng, 1000);
		break;
	}
	snprintf(m->run.what, sizeof(m->run.what), "set_fault(A, %u, %u)",
		 mode, arg);
	ret = mempool_ext_set_fault(m->a.pool, mode, arg);
	fzm_bad_done(m, FZM_FAULT_ARGS, ret == -EINVAL, false);
	return true;
}

static bool fzm_bad_uninit(struct fzm_model *m)
{
	struct mempool_ext *u = m->uninit;
	struct mempool_ext_stats st;
	void *elems[1] = { NULL };
	bool window, refused;

	/* Every call below warns or not; the first warning is in a window. */
	window = fzm_window_begin(m, FZM_W_UNINIT);
	switch (pool_ext_rng_below(&m->run.rng, 8)) {
	case 0:
		snprintf(m->run.what, sizeof(m->run.what), "alloc from U");
		refused = !mempool_ext_alloc(u, GFP_ATOMIC);
		break;
	case 1:
		snprintf(m->run.what, sizeof(m->run.what),
			 "alloc_preallocated from U");
		refused = !mempool_ext_alloc_preallocated(u);
		break;
	case 2:
		/* U has no free_fn: the buffer must stay ours. */
		snprintf(m->run.what, sizeof(m->run.what), "free into U");
		mempool_ext_free(m->foreign[0] ?: m->foreign[1], u);
		refused = true;
		break;
	case 3:
		snprintf(m->run.what, sizeof(m->run.what), "resize U");
		refused = mempool_ext_resize(u, 4) == -EINVAL;
		break;
	case 4:
		snprintf(m->run.what, sizeof(m->run.what), "alloc_bulk from U");
		refused = mempool_ext_alloc_bulk(u, elems, 1, 0) == -EINVAL &&
			  !elems[0];
		break;
	case 5:
		snprintf(m->run.what, sizeof(m->run.what), "free_bulk into U");
		elems[0] = m->foreign[0] ?: m->foreign[1];
		refused = !mempool_ext_free_bulk(u, elems, 1) && elems[0];
		break;
	case 6:
		snprintf(m->run.what, sizeof(m->run.what),
			 "set_debug/set_fault U");
		refused = mempool_ext_set_debug(u, true) == -EINVAL &&
			  mempool_ext_set_fault(u, MEMPOOL_EXT_FAULT_ALWAYS,
						0) == -EINVAL;
		break;
	default:
		snprintf(m->run.what, sizeof(m->run.what), "get_stats U");
		refused = mempool_ext_get_stats(u, &st) == -EINVAL;
		break;
	}
	if (window) {
		POOL_EXT_EXPECT_WARN_END(fzm_warn[FZM_W_UNINIT]);
		/* Until a call that warns has been made, keep the windows. */
		if (u->warned)
			set_bit(FZM_W_UNINIT, &m->warned);
	}
	fzm_bad_done(m, FZM_UNINIT, refused, false);
	return true;
}

static bool fzm_bad_null(struct fzm_model *m)
{
	struct mempool_ext_stats st;
	bool refused = true;

	switch (pool_ext_rng_below(&m->run.rng, 3)) {
	case 0:
		snprintf(m->run.what, sizeof(m->run.what),
			 "get_stats/set_debug/set_fault NULL");
		refused = mempool_ext_get_stats(NULL, &st) == -EINVAL &&
			  mempool_ext_set_debug(NULL, true) == -EINVAL &&
			  mempool_ext_set_fault(NULL, MEMPOOL_EXT_FAULT_OFF,
						0) == -EINVAL;
		break;
	case 1:
		snprintf(m->run.what, sizeof(m->run.what), "destroy NULL");
		mempool_ext_destroy(NULL);
		break;
	default:
		snprintf(m->run.what, sizeof(m->run.what),
			 "free NULL into A");
		mempool_ext_free(NULL, m->a.pool);
		break;
	}
	fzm_bad_done(m, FZM_NULL, refused, false);
	return true;
}

static bool fzm_bad_create(struct fzm_model *m)
{
	struct mempool_ext *pool = NULL;
	const char *pattern;
	bool refused;

	if (m->creates >= FZM_CREATES)
		return false;
	m->creates++;
	memset(m->tmp, 0xa5, sizeof(*m->tmp));
	switch (pool_ext_rng_below(&m->run.rng, 4)) {
	case 0:
		pattern = "negative min_nr";
		POOL_EXT_EXPECT_WARN_BEGIN(pattern);
		pool = mempool_ext_create_kmalloc_pool(-1 -
						       (int)pool_ext_rng_below(&m->run.rng,
								     100),
						       FZM_SIZE);
		refused = !pool;
		break;
	case 1:
		pattern = "callback refused";
		POOL_EXT_EXPECT_WARN_BEGIN(pattern);
		pool = mempool_ext_create(4, pool_ext_rng_below(&m->run.rng, 2) ?
					  mempool_ext_kmalloc : NULL,
					  NULL, (void *)FZM_SIZE);
		refused = !pool;
		break;
	case 2:
		pattern = "init with a NULL pool";
		POOL_EXT_EXPECT_WARN_BEGIN(pattern);
		refused = mempool_ext_init_kmalloc_pool(NULL, 4, FZM_SIZE) ==
			  -EINVAL;
		break;
	default:
		/* Refused, and left zeroed: exit() is then harmless. */
		pattern = "negative min_nr";
		POOL_EXT_EXPECT_WARN_BEGIN(pattern);
		refused = mempool_ext_init_kmalloc_pool(m->tmp, -4,
							FZM_SIZE) == -EINVAL &&
			  !memchr_inv(m->tmp, 0, sizeof(*m->tmp));
		break;
	}
	POOL_EXT_EXPECT_WARN_END(pattern);
	snprintf(m->run.what, sizeof(m->run.what), "create/init: %s",
		 pattern);
	if (pool)
		mempool_ext_destroy(pool);
	fzm_bad_done(m, FZM_CREATE, refused, false);
	return true;
}

static bool (* const fzm_bad[FZM_NR])(struct fzm_model *m) = {
	[FZM_DOUBLE] = fzm_bad_double,
	[FZM_STALE] = fzm_bad_stale,
	[FZM_FOREIGN] = fzm_bad_foreign,
	[FZM_INTERIOR] = fzm_bad_interior,
	[FZM_WRONG_POOL] = fzm_bad_wrong_pool,
	[FZM_BULK_FREE] = fzm_bad_free_bulk,
	[FZM_RESIZE] = fzm_bad_resize,
	[FZM_RESIZE_HUGE] = fzm_bad_resize_huge,
	[FZM_BULK_ARGS] = fzm_bad_bulk_args,
	[FZM_FAULT_ARGS] = fzm_bad_fault_args,
	[FZM_UNINIT] = fzm_bad_uninit,
	[FZM_NULL] = fzm_bad_null,
	[FZM_CREATE] = fzm_bad_create,
};

static void fzm_one_bad(struct fzm_model *m)
{
	unsigned int k;

	for (;;) {
		k = pool_ext_rng_below(&m->run.rng, FZM_NR);
		if (fzm_kinds[k].debug_only && !m->debug)
			continue;
		if (fzm_bad[k](m))
			return;
	}
}

static void fzm_one_good(struct fzm_model *m)
{
	unsigned int r = pool_ext_rng_below(&m->run.rng, 100);
	bool full = m->a.nheld > FZM_HELD * 3 / 4;

	if (r < 6)
		fzm_good_alloc_bulk(m);
	else if (r < 12)
		fzm_good_free_bulk(m);
	else if (r < 14)
		fzm_good_resize(m);
	else if (r < 20)
		m->b.nheld < 8 ? fzm_good_alloc(m, &m->b) :
				 fzm_good_free(m, &m->b);
	else if (r < (full ? 40 : 62) && m->a.nheld < FZM_HELD)
		fzm_good_alloc(m, &m->a);
	else
		fzm_good_free(m, &m->a);
}

/* Give everything back and destroy the pools: no warning, no leak. */
static void fzm_cleanup_action(void *data)
{
	struct fzm_model *m = data;
	struct fzm_pool *p[] = { &m->a, &m->b };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		if (!p[i]->pool)
			continue;
		while (p[i]->nheld)
			mempool_ext_free(fzm_unhold(p[i], 0), p[i]->pool);
		mempool_ext_destroy(p[i]->pool);
	}
	for (i = 0; i < FZM_NFOREIGN; i++)
		kfree(m->foreign[i]);
}

static void fzm_fuzz(struct kunit *test, bool debug)
{
	struct fzm_model *m;
	unsigned long until_bad = 0;
	unsigned int i;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->uninit = kunit_kzalloc(test, sizeof(*m->uninit), GFP_KERNEL);
	m->tmp = kunit_kzalloc(test, sizeof(*m->tmp), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, m->uninit && m->tmp);
	fz_run_init(&m->run, test,
		    debug ? "mempool_ext, debug on" : "mempool_ext, debug off",
		    fzm_kinds, FZM_NR, 0x100 | debug);
	m->debug = debug;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   fzm_cleanup_action,
							   m));
	for (i = 0; i < FZM_NFOREIGN; i++) {
		m->foreign[i] = kmalloc(FZM_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, m->foreign[i]);
	}
	m->a.min_nr = 8;
	m->b.min_nr = 2;
	m->a.pool = mempool_ext_create_kmalloc_pool(m->a.min_nr, FZM_SIZE);
	m->b.pool = mempool_ext_create_kmalloc_pool(m->b.min_nr, FZM_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, m->a.pool);
	KUNIT_ASSERT_NOT_NULL(test, m->b.pool);
	m->a.curr = m->a.min_nr;
	m->b.curr = m->b.min_nr;
	KUNIT_ASSERT_EQ(test, mempool_ext_set_debug(m->a.pool, debug), 0);
	KUNIT_ASSERT_EQ(test, mempool_ext_set_debug(m->b.pool, debug), 0);
	/* Every third backing allocation fails: the reserve is in use. */
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(m->a.pool,
						    MEMPOOL_EXT_FAULT_EVERY_NTH,
						    3), 0);
	m->fault = READ_ONCE(m->a.pool->fault);

	while (m->run.ops < FZM_CALLS && !m->run.broken) {
		m->run.ops++;
		if (!until_bad) {
			fzm_one_bad(m);
			until_bad = 1 + pool_ext_rng_below(&m->run.rng, 5);
		} else {
			until_bad--;
			fzm_one_good(m);
		}
		if (!(m->run.ops % 256))
			cond_resched();
	}
	fz_report(&m->run);
}

static void mempool_ext_fuzz_test_debug_on(struct kunit *test)
{
	fzm_fuzz(test, true);
}

static void mempool_ext_fuzz_test_debug_off(struct kunit *test)
{
	fzm_fuzz(test, false);
}

static struct kunit_case mempool_ext_fuzz_cases[] = {
	KUNIT_CASE_SLOW(mempool_ext_fuzz_test_debug_on),
	KUNIT_CASE_SLOW(mempool_ext_fuzz_test_debug_off),
	{}
};

static struct kunit_suite mempool_ext_fuzz_suite = {
	.name = "mempool_ext_fuzz",
	.test_cases = mempool_ext_fuzz_cases,
};

/* ---------------------------------------------------------------------
 * dmapool_ext_fuzz
 *
 * A pool A on a device of its own, a second pool B on the same device
 * whose blocks are freed into A by mistake, a kmalloc buffer and a
 * coherent buffer that no pool owns. The model holds the blocks we hold
 * (address and DMA handle, tagged at both ends) and the counters; after
 * every call, dmapool_ext_get_stats() of both pools must agree with it:
 * blocks in use, bad frees, no allocation failure, a high-water mark, a
 * page count that never shrinks. Every new block must be aligned, within
 * its boundary, zeroed if asked, and overlap no block we hold.
 *
 * Two geometries: small blocks with a boundary (several per page) and
 * blocks of almost three pages (one per allocation).
 */

#define FZD_CALLS	50000	/* per case */
#define FZD_HELD	192
#define FZD_FREED	16
#define FZD_TAG		0x646d61706f6f6c21UL

enum fzd_kind {
	FZD_DOUBLE,
	FZD_KMALLOC,
	FZD_COHERENT,
	FZD_WRONG_POOL,
	FZD_INTERIOR,
	FZD_BAD_DMA,
	FZD_NULL,
	FZD_CREATE,
	FZD_NR,
};

static struct fz_kind fzd_kinds[FZD_NR] = {
	[FZD_DOUBLE] = { "free: block already free" },
	[FZD_KMALLOC] = { "free: kmalloc buffer" },
	[FZD_COHERENT] = { "free: coherent memory of no pool" },
	[FZD_WRONG_POOL] = { "free: block of another pool" },
	[FZD_INTERIOR] = { "free: address inside a block" },
	[FZD_BAD_DMA] = { "free: wrong DMA handle" },
	[FZD_NULL] = { "NULL pool or address" },
	[FZD_CREATE] = { "create: bad arguments" },
};

/* dmapool_ext's reasons for refusing a free (dmapool_ext/debug.c). */
static const char fzd_why_foreign[] = "address not from this pool";
static const char fzd_why_interior[] = "address not at a block start";
static const char fzd_why_dma[] = "DMA handle does not match the address";
static const char fzd_why_double[] = "double free";

struct fzd_block {
	void *vaddr;
	dma_addr_t dma;
};

struct fzd_pool {
	struct dmapool_ext *pool;
	struct fzd_block held[FZD_HELD];	/* sorted by address */
	unsigned int nheld, max_held;
	size_t high_water;
	size_t pages;
	unsigned long bad_frees;
	struct dmapool_ext_stats geo;		/* as created */
};

struct fzd_model {
	struct fz_run run;
	struct device *dev;
	struct fzd_pool a, b;
	struct fzd_block freed[FZD_FREED];	/* blocks of A freed lately */
	unsigned int nfreed;
	void *kbuf;				/* a kmalloc buffer */
	struct fzd_block coherent;		/* coherent memory of no pool */
	bool warned;				/* A gave its one warning */
};

/* The device the pools live on, set up by the suite. */
static struct device *fzd_dev;

/* WARN_ON_ONCE / WARN_ONCE sites: at most one warning each per boot. */
static bool fzd_once_alloc, fzd_once_free, fzd_once_stats, fzd_once_nodev,
	    fzd_once_geometry;

static void fzd_once_begin(bool done, const char *pattern)
{
	if (!done)
		POOL_EXT_EXPECT_WARN_BEGIN(pattern);
}

static void fzd_once_end(bool *done, const char *pattern)
{
	if (*done)
		return;
	POOL_EXT_EXPECT_WARN_END(pattern);
	*done = true;
}

static unsigned int fzd_pos(struct fzd_pool *p, void *vaddr)
{
	unsigned int lo = 0, hi = p->nheld, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (p->held[mid].vaddr < vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool fzd_is_held(struct fzd_pool *p, void *vaddr)
{
	unsigned int i = fzd_pos(p, vaddr);

	return i < p->nheld && p->held[i].vaddr == vaddr;
}

static struct fzd_block fzd_unhold(struct fzd_pool *p, unsigned int i)
{
	struct fzd_block b = p->held[i];

	p->nheld--;
	memmove(&p->held[i], &p->held[i + 1],
		(p->nheld - i) * sizeof(p->held[0]));
	return b;
}

static void fzd_tag(struct fzd_pool *p, struct fzd_block *b)
{
	unsigned long tag = (unsigned long)b->vaddr ^ FZD_TAG;

	memcpy(b->vaddr, &tag, sizeof(tag));
	memcpy(b->vaddr + p->geo.size - sizeof(tag), &tag, sizeof(tag));
}

static bool fzd_tag_ok(struct fzd_pool *p, struct fzd_block *b)
{
	unsigned long tag = (unsigned long)b->vaddr ^ FZD_TAG, t0, t1;

	memcpy(&t0, b->vaddr, sizeof(t0));
	memcpy(&t1, b->vaddr + p->geo.size - sizeof(t1), sizeof(t1));
	return t0 == tag && t1 == tag;
}

/* Take a new block into the model, or say what is wrong with it. */
static const char *fzd_hold(struct fzd_pool *p, struct fzd_block b,
			    bool zeroed)
{
	size_t size = p->geo.size, bnd = p->geo.boundary;
	unsigned int i = fzd_pos(p, b.vaddr);

	if (!b.vaddr)
		return "allocation failed";
	if (((unsigned long)b.vaddr | b.dma) & (p->geo.align - 1))
		return "block not aligned";
	if ((b.dma ^ (b.dma + size - 1)) & ~(dma_addr_t)(bnd - 1))
		return "block crosses its boundary";
	if ((i < p->nheld && b.vaddr + size > p->held[i].vaddr) ||
	    (i && p->held[i - 1].vaddr + size > b.vaddr))
		return "block overlaps one we hold";
	if (zeroed && memchr_inv(b.vaddr, 0, size))
		return "zalloc'ed block not zeroed";
	fzd_tag(p, &b);
	memmove(&p->held[i + 1], &p->held[i],
		(p->nheld - i) * sizeof(p->held[0]));
	p->held[i] = b;
	p->nheld++;
	p->high_water = max_t(size_t, p->high_water, p->nheld);
	return NULL;
}

/* Compare a pool with its model; *@bad_frees gets its bad-free count. */
static const char *fzd_diff_pool(struct fzd_pool *p, unsigned long *bad_frees)
{
	struct dmapool_ext_stats st;

	dmapool_ext_get_stats(p->pool, &st);
	*bad_frees = st.bad_frees;
	if (st.blocks_in_use != p->nheld)
		return "blocks in use";
	if (st.alloc_failures || st.corruptions)
		return "allocation failures or corruptions";
	/*
	 * The pool's peak counts the blocks cached in its per-CPU magazines
	 * with those in use. Blocks leave the free lists only inside an
	 * allocation and stay off them until a later call, so the peak of
	 * what each call leaves is the peak: the model takes it from the
	 * figures after every call, and never below the blocks it holds.
	 */
	p->high_water = max_t(size_t, p->high_water, st.blocks_in_use +
			      dmapool_ext_blocks_cached(p->pool));
	if (st.blocks_in_use_max != p->high_water)
		return "high-water mark";
	if (st.pages < p->pages ||
	    st.blocks_total != st.pages * st.blocks_per_page ||
	    st.blocks_in_use > st.blocks_total)
		return "pages and blocks";
	p->pages = st.pages;
	if (st.size != p->geo.size || st.align != p->geo.align ||
	    st.boundary != p->geo.boundary ||
	    st.blocks_per_page != p->geo.blocks_per_page)
		return "geometry";
	return NULL;
}

static const char *fzd_diff(struct fzd_model *m, unsigned long *bad_frees)
{
	const char *diff = fzd_diff_pool(&m->a, bad_frees);
	unsigned long b_bad;
	unsigned int i;

	if (!diff)
		diff = fzd_diff_pool(&m->b, &b_bad);
	if (!diff && b_bad)
		diff = "bad frees of pool B";
	/* Now and then, every block we hold still has its tags. */
	if (!diff && !(m->run.ops % 64)) {
		for (i = 0; i < m->a.nheld; i++)
			if (!fzd_tag_ok(&m->a, &m->a.held[i]))
				return "a block we hold was overwritten";
	}
	return diff;
}

static void fzd_broken(struct fzd_model *m, const char *why)
{
	m->run.broken = true;
	KUNIT_FAIL(m->run.test, "%s, call %lu: %s: %s", m->run.label,
		   m->run.ops, m->run.what, why);
}

static void fzd_good_done(struct fzd_model *m, const char *bad)
{
	unsigned long bad_frees;

	if (bad) {
		fzd_broken(m, bad);
		return;
	}
	bad = fzd_diff(m, &bad_frees);
	if (!bad && bad_frees != m->a.bad_frees)
		bad = "bad frees";
	fz_good_verdict(&m->run, !bad, bad);
}

/* After a bad call: see fzg_bad_done(). */
static void fzd_bad_done(struct fzd_model *m, unsigned int k, bool refused,
			 bool report)
{
	unsigned long bad_frees;
	const char *diff = fzd_diff(m, &bad_frees);
	bool answered;

	if (report)
		answered = bad_frees == m->a.bad_frees + 1;
	else
		answered = refused && bad_frees == m->a.bad_frees;
	m->a.bad_frees = bad_frees;
	fz_bad_verdict(&m->run, k, !diff, diff, answered, report);
}

/* ---- good calls */

static void fzd_good_alloc(struct fzd_model *m, struct fzd_pool *p)
{
	unsigned int r = pool_ext_rng_below(&m->run.rng, 4);
	gfp_t gfp = r & 1 ? GFP_ATOMIC : GFP_KERNEL;
	struct fzd_block b;

	snprintf(m->run.what, sizeof(m->run.what), "%s from pool %c",
		 r & 2 ? "zalloc" : "alloc", p == &m->a ? 'A' : 'B');
	b.vaddr = r & 2 ? dmapool_ext_zalloc(p->pool, gfp, &b.dma) :
			  dmapool_ext_alloc(p->pool, gfp, &b.dma);
	fzd_good_done(m, fzd_hold(p, b, r & 2));
}

static void fzd_good_free(struct fzd_model *m, struct fzd_pool *p)
{
	struct fzd_block b;

	if (!p->nheld)
		return;
	b = fzd_unhold(p, pool_ext_rng_below(&m->run.rng, p->nheld));
	snprintf(m->run.what, sizeof(m->run.what),
		 "free %p (dma %pad) into pool %c", b.vaddr, &b.dma,
		 p == &m->a ? 'A' : 'B');
	if (!fzd_tag_ok(p, &b)) {
		fzd_broken(m, "a block we held was overwritten");
		return;
	}
	dmapool_ext_free(p->pool, b.vaddr, b.dma);
	if (p == &m->a)
		m->freed[m->nfreed++ % FZD_FREED] = b;
	fzd_good_done(m, NULL);
}

/* ---- bad calls */

/* A free into A that must be refused, counted, and warned about once. */
static void fzd_bad_free(struct fzd_model *m, unsigned int k, void *vaddr,
			 dma_addr_t dma, const char *why)
{
	bool window = !m->warned;

	snprintf(m->run.what, sizeof(m->run.what),
		 "free %p (dma %pad) into A, expect \"%s\"", vaddr, &dma, why);
	if (window)
		POOL_EXT_EXPECT_WARN_BEGIN(why);
	dmapool_ext_free(m->a.pool, vaddr, dma);
	if (window) {
		POOL_EXT_EXPECT_WARN_END(why);
		m->warned = true;
	}
	fzd_bad_done(m, k, false, true);
}

static bool fzd_bad_double(struct fzd_model *m)
{
	unsigned int i, n = min_t(unsigned int, m->nfreed, FZD_FREED);
	struct fzd_block *b;

	for (i = 0; i < n; i++) {
		b = &m->freed[(m->nfreed - 1 - i) % FZD_FREED];
		if (fzd_is_held(&m->a, b->vaddr))
			continue;	/* handed out again */
		fzd_bad_free(m, FZD_DOUBLE, b->vaddr, b->dma, fzd_why_double);
		return true;
	}
	return false;
}

static bool fzd_bad_kmalloc(struct fzd_model *m)
{
	fzd_bad_free(m, FZD_KMALLOC, m->kbuf,
		     virt_to_phys(m->kbuf) + pool_ext_rng_below(&m->run.rng, 2),
		     fzd_why_foreign);
	if (m->run.broken)
		m->kbuf = NULL;		/* the pool took it */
	return true;
}

static bool fzd_bad_coherent(struct fzd_model *m)
{
	unsigned long off = pool_ext_rng_below(&m->run.rng, 8) * 64;

	fzd_bad_free(m, FZD_COHERENT, m->coherent.vaddr + off,
		     m->coherent.dma + off, fzd_why_foreign);
	if (m->run.broken)
		m->coherent.vaddr = NULL;
	return true;
}

static bool fzd_bad_wrong_pool(struct fzd_model *m)
{
	unsigned int i;

	if (!m->b.nheld)
		return false;
	i = pool_ext_rng_below(&m->run.rng, m->b.nheld);
	fzd_bad_free(m, FZD_WRONG_POOL, m->b.held[i].vaddr, m->b.held[i].dma,
		     fzd_why_foreign);
	if (m->run.broken)
		fzd_unhold(&m->b, i);
	return true;
}

static bool fzd_bad_interior(struct fzd_model *m)
{
	struct fzd_block *b;
	unsigned long off;

	if (!m->a.nheld)
		return false;
	b = &m->a.held[pool_ext_rng_below(&m->run.rng, m->a.nheld)];
	/* Anywhere inside, or on an aligned address inside. */
	off = 1 + pool_ext_rng_below(&m->run.rng, m->a.geo.size - 1);
	if (pool_ext_rng_below(&m->run.rng, 2))
		off = max(off & ~(m->a.geo.align - 1), m->a.geo.align);
	/* With the handle moved along, or kept: either way refused. */
	fzd_bad_free(m, FZD_INTERIOR, b->vaddr + off,
		     b->dma + (pool_ext_rng_below(&m->run.rng, 4) ? off : 0),
		     fzd_why_interior);
	return true;
}

static bool fzd_bad_dma(struct fzd_model *m)
{
	static const long delta[] = { 1, -1, 64, 4096, -4096, 1L << 32 };
	struct fzd_block *b;
	dma_addr_t dma;

	if (!m->a.nheld)
		return false;
	b = &m->a.held[pool_ext_rng_below(&m->run.rng, m->a.nheld)];
	switch (pool_ext_rng_below(&m->run.rng, 3)) {
	case 0:
		dma = 0;
		break;
	case 1:
		dma = b->dma + m->a.geo.size;
		break;
	default:
		dma = b->dma + delta[pool_ext_rng_below(&m->run.rng, ARRAY_SIZE(delta))];
		break;
	}
	if (dma == b->dma)
		dma = ~b->dma;
	fzd_bad_free(m, FZD_BAD_DMA, b->vaddr, dma, fzd_why_dma);
	return true;
}

static bool fzd_bad_null(struct fzd_model *m)
{
	struct dmapool_ext_stats st;
	dma_addr_t dma = 0x1234;
	bool refused = true;

	switch (pool_ext_rng_below(&m->run.rng, 5)) {
	case 0:
		snprintf(m->run.what, sizeof(m->run.what), "alloc from NULL");
		fzd_once_begin(fzd_once_alloc, "dmapool_ext_alloc");
		refused = !dmapool_ext_alloc(NULL, GFP_KERNEL, &dma) &&
			  dma == 0x1234;
		fzd_once_end(&fzd_once_alloc, "dmapool_ext_alloc");
		break;
	case 1:
		snprintf(m->run.what, sizeof(m->run.what), "free to NULL");
		fzd_once_begin(fzd_once_free, "dmapool_ext_free");
		dmapool_ext_free(NULL, m->kbuf ?: m, dma);
		fzd_once_end(&fzd_once_free, "dmapool_ext_free");
		break;
	case 2:
		snprintf(m->run.what, sizeof(m->run.what), "get_stats NULL");
		memset(&st, 0xa5, sizeof(st));
		fzd_once_begin(fzd_once_stats, "dmapool_ext_get_stats");
		refused = dmapool_ext_get_stats(NULL, &st) == -EINVAL;
		fzd_once_end(&fzd_once_stats, "dmapool_ext_get_stats");
		refused = refused && !memchr_inv(&st, 0, sizeof(st));
		break;
	case 3:
		snprintf(m->run.what, sizeof(m->run.what), "free NULL into A");
		dmapool_ext_free(m->a.pool, NULL, dma);
		break;
	default:
		snprintf(m->run.what, sizeof(m->run.what), "destroy NULL");
		dmapool_ext_destroy(NULL);
		break;
	}
	fzd_bad_done(m, FZD_NULL, refused, false);
	return true;
}

static bool fzd_bad_create(struct fzd_model *m)
{
	static const struct {
		size_t size, align, boundary;
	} bad[] = {
		{ 0, 8, 0 },
		{ 64, 3, 0 },
		{ 64, 24, 0 },
		{ 256, 8, 128 },	/* boundary below the size */
		{ 64, 8, 3000 },	/* boundary not a power of 2 */
		{ (size_t)INT_MAX + 1, 8, 0 },
		{ SIZE_MAX, 1, 0 },
	};
	struct device *dev = m->dev;
	const char *name = "fuzz-bad";
	struct dmapool_ext *pool;
	unsigned int i = pool_ext_rng_below(&m->run.rng, ARRAY_SIZE(bad) + 2);
	size_t size = 64, align = 8, boundary = 0;
	bool *once = &fzd_once_nodev;
	const char *pattern = "dmapool_ext_create: no";

	if (i == ARRAY_SIZE(bad)) {
		dev = NULL;
	} else if (i > ARRAY_SIZE(bad)) {
		name = NULL;
	} else {
		size = bad[i].size;
		align = bad[i].align;
		boundary = bad[i].boundary;
		once = &fzd_once_geometry;
		pattern = "invalid size";
	}
	snprintf(m->run.what, sizeof(m->run.what),
		 "create(%s, %s, %zu, %zu, %zu)", name ?: "NULL",
		 dev ? "dev" : "NULL", size, align, boundary);
	fzd_once_begin(*once, pattern);
	pool = dmapool_ext_create(name, dev, size, align, boundary);
	fzd_once_end(once, pattern);
	if (pool)
		dmapool_ext_destroy(pool);
	fzd_bad_done(m, FZD_CREATE, !pool, false);
	return true;
}

static bool (* const fzd_bad[FZD_NR])(struct fzd_model *m) = {
	[FZD_DOUBLE] = fzd_bad_double,
	[FZD_KMALLOC] = fzd_bad_kmalloc,
	[FZD_COHERENT] = fzd_bad_coherent,
	[FZD_WRONG_POOL] = fzd_bad_wrong_pool,
	[FZD_INTERIOR] = fzd_bad_interior,
	[FZD_BAD_DMA] = fzd_bad_dma,
	[FZD_NULL] = fzd_bad_null,
	[FZD_CREATE] = fzd_bad_create,
};

static void fzd_one_bad(struct fzd_model *m)
{
	while (!fzd_bad[pool_ext_rng_below(&m->run.rng, FZD_NR)](m))
		;
}

static void fzd_one_good(struct fzd_model *m)
{
	unsigned int r = pool_ext_rng_below(&m->run.rng, 100);
	struct fzd_pool *a = &m->a;

	if (r < 8)
		m->b.nheld < m->b.max_held ? fzd_good_alloc(m, &m->b) :
					     fzd_good_free(m, &m->b);
	else if (a->nheld < a->max_held &&
		 r < (a->nheld * 4 < a->max_held * 3 ? 58 : 38))
		fzd_good_alloc(m, a);
	else
		fzd_good_free(m, a);
}

static void fzd_cleanup_action(void *data)
{
	struct fzd_model *m = data;
	struct fzd_pool *p[] = { &m->a, &m->b };
	struct fzd_block b;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		if (!p[i]->pool)
			continue;
		while (p[i]->nheld) {
			b = fzd_unhold(p[i], 0);
			dmapool_ext_free(p[i]->pool, b.vaddr, b.dma);
		}
		dmapool_ext_destroy(p[i]->pool);
	}
	kfree(m->kbuf);
	if (m->coherent.vaddr)
		dma_free_coherent(m->dev, PAGE_SIZE, m->coherent.vaddr,
				  m->coherent.dma);
}

static void fzd_pool_init(struct kunit *test, struct fzd_pool *p,
			  const char *name, size_t size, size_t align,
			  size_t boundary, unsigned int max_held)
{
	p->pool = dmapool_ext_create(name, fzd_dev, size, align, boundary);
	KUNIT_ASSERT_NOT_NULL(test, p->pool);
	dmapool_ext_get_stats(p->pool, &p->geo);
	KUNIT_ASSERT_GE(test, p->geo.size, 2 * sizeof(unsigned long));
	p->max_held = max_held;
}

static void fzd_fuzz(struct kunit *test, const char *label, size_t size,
		     size_t align, size_t boundary, unsigned int max_held)
{
	struct fzd_model *m;
	unsigned long until_bad = 0;

	KUNIT_ASSERT_NOT_NULL(test, fzd_dev);
	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	fz_run_init(&m->run, test, label, fzd_kinds, FZD_NR,
		    0x200 | max_held);
	m->dev = fzd_dev;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   fzd_cleanup_action,
							   m));
	m->kbuf = kmalloc(256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->kbuf);
	m->coherent.vaddr = dma_alloc_coherent(m->dev, PAGE_SIZE,
					       &m->coherent.dma, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->coherent.vaddr);
	fzd_pool_init(test, &m->a, "fuzz-a", size, align, boundary, max_held);
	fzd_pool_init(test, &m->b, "fuzz-b", 64, 8, 0, 8);

	while (m->run.ops < FZD_CALLS && !m->run.broken) {
		m->run.ops++;
		if (!until_bad) {
			fzd_one_bad(m);
			until_bad = 1 + pool_ext_rng_below(&m->run.rng, 5);
		} else {
			until_bad--;
			fzd_one_good(m);
		}
		if (!(m->run.ops % 256))
			cond_resched();
	}
	fz_report(&m->run);
}

static void dmapool_ext_fuzz_test_small_blocks(struct kunit *test)
{
	fzd_fuzz(test, "dmapool_ext, 200-byte blocks, boundary 1024", 200, 64,
		 1024, FZD_HELD);
}

static void dmapool_ext_fuzz_test_large_blocks(struct kunit *test)
{
	fzd_fuzz(test, "dmapool_ext, 12000-byte blocks", 12000, 16, 0, 64);
}

static int dmapool_ext_fuzz_suite_init(struct kunit_suite *suite)
{
	struct device *dev;

	/* No owner: the module's sysfs directory does not exist yet. */
	dev = __root_device_register("pool_ext_fuzz", NULL);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	dev->dma_mask = &dev->coherent_dma_mask;
	if (dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64))) {
		root_device_unregister(dev);
		return -EIO;
	}
	fzd_dev = dev;
	return 0;
}

static void dmapool_ext_fuzz_suite_exit(struct kunit_suite *suite)
{
	if (fzd_dev)
		root_device_unregister(fzd_dev);
	fzd_dev = NULL;
}

static struct kunit_case dmapool_ext_fuzz_cases[] = {
	KUNIT_CASE_SLOW(dmapool_ext_fuzz_test_small_blocks),
	KUNIT_CASE_SLOW(dmapool_ext_fuzz_test_large_blocks),
	{}
};

static struct kunit_suite dmapool_ext_fuzz_suite = {
	.name = "dmapool_ext_fuzz",
	.suite_init = dmapool_ext_fuzz_suite_init,
	.suite_exit = dmapool_ext_fuzz_suite_exit,
	.test_cases = dmapool_ext_fuzz_cases,
};

kunit_test_suites(&genpool_ext_fuzz_suite, &mempool_ext_fuzz_suite,
		  &dmapool_ext_fuzz_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Misuse fuzz of genpool_ext, mempool_ext and dmapool_ext");
