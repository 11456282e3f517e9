// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for genpool_ext, part of genpool_ext_test.ko (the file
 * list is in genpool_ext_test.h): the differential suite genpool_ext_diff
 * against the kernel's gen_pool, and the model suite genpool_ext_model.
 */
#include <kunit/test.h>
#include <linux/genalloc.h>
#include <linux/numa.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <genpool_ext/genpool_ext.h>
/* White-box parts (index layout) use the module's internal constants. */
#include <genpool_ext/internal.h>
#include <genpool_ext/index.h>

#include "genpool_ext_test.h"

/* ---------------------------------------------------------------------
 * genpool_ext_diff: the same operations on the kernel's gen_pool and on
 * genpool_ext must give the same addresses and the same avail.
 */

#define GPT_DIFF_OPS	100000

enum gpt_algo { GPT_FIRST, GPT_BEST, GPT_ALIGN, GPT_ORDER, GPT_FIXED };

/* The data an algorithm takes, built alike for both pools per call. */
struct gpt_diff_data {
	struct genpool_data_align ka;
	struct genpool_ext_data_align ea;
	struct genpool_data_fixed kf;
	struct genpool_ext_data_fixed ef;
	void *kdata;
	void *edata;
};

/* A random alignment, up to 64 units. */
static void gpt_diff_align(struct pool_ext_rng *rng, int order,
			   struct gpt_diff_data *d)
{
	d->ka.align = 1 << pool_ext_rng_below(rng, order + 7);
	d->ea.align = d->ka.align;
	d->kdata = &d->ka;
	d->edata = &d->ea;
}

/* A random offset, inside or past the chunks. */
static void gpt_diff_fixed(struct pool_ext_rng *rng, int order,
			   struct gpt_diff_data *d)
{
	d->kf.offset = pool_ext_rng_below(rng, 4200) << order;
	d->ef.offset = d->kf.offset;
	d->kdata = &d->kf;
	d->edata = &d->ef;
}

/*
 * One row per algorithm: the kernel's and genpool_ext's, and how to make
 * their data. No algorithm (first fit) means the pools' default path,
 * gen_pool_alloc() and genpool_ext_alloc().
 */
struct gpt_diff_param {
	const char *name;
	genpool_algo_t kalgo;
	genpool_ext_algo_t ealgo;
	void (*data)(struct pool_ext_rng *rng, int order,
		     struct gpt_diff_data *d);
	int order;
	u64 seed;
};

static const struct gpt_diff_param gpt_diff_params[] = {
	{ "first_fit", NULL, NULL, NULL, 0, 1 },
	{ "best_fit", gen_pool_best_fit, genpool_ext_best_fit, NULL, 6, 2 },
	{ "first_fit_align", gen_pool_first_fit_align,
	  genpool_ext_first_fit_align, gpt_diff_align, 3, 3 },
	{ "first_fit_order_align", gen_pool_first_fit_order_align,
	  genpool_ext_first_fit_order_align, NULL, 5, 4 },
	{ "fixed_alloc", gen_pool_fixed_alloc, genpool_ext_fixed_alloc,
	  gpt_diff_fixed, 4, 5 },
};

static void gpt_diff_desc(const struct gpt_diff_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s order %d seed %llu", p->name,
		 p->order, p->seed);
}

KUNIT_ARRAY_PARAM(gpt_diff, gpt_diff_params, gpt_diff_desc);

/*
 * Make every index summary of @pool promise more than the bitmap holds:
 * random buckets and edge bits, and likewise best fit's rows (random
 * groups in every row). A stale summary or row may cost a search time,
 * never its answer.
 */
static void gpt_spoil_chunk(struct genpool_ext *pool,
			    struct genpool_ext_chunk *chunk, void *data)
{
	struct pool_ext_rng *rng = data;
	unsigned long g, nbits = (chunk->end_addr - chunk->start_addr + 1) >>
				 pool->min_alloc_order;

	unsigned long ng = DIV_ROUND_UP(nbits, GPX_GROUP_BITS);

	for (g = 0; g < ng; g++)
		atomic_long_or(pool_ext_rng_next(rng) & pool_ext_rng_next(rng), &chunk->index[g]);
	for (g = ng; g < gpx_index_words(nbits); g++)
		atomic_long_or(pool_ext_rng_next(rng) & pool_ext_rng_next(rng), &chunk->index[g]);
}

static void gpt_kernel_destroy_action(void *pool)
{
	gen_pool_destroy(pool);
}

static void genpool_ext_diff_test_against_kernel(struct kunit *test)
{
	const struct gpt_diff_param *p = test->param_value;
	struct pool_ext_rng rng = { .s = p->seed };
	struct genpool_ext *ep;
	struct gen_pool *kp;
	struct gpt_block *live;
	unsigned long base = FAKE_BASE, sizes[3], total = 0, used = 0;
	unsigned long kaddr, eaddr, mismatches = 0, fails = 0;
	int order = p->order, i, nlive = 0, op;

	kp = gen_pool_create(order, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, kp);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  gpt_kernel_destroy_action,
						  kp));
	ep = gpt_pool(test, order, 0, 0);
	live = kunit_kcalloc(test, GPT_DIFF_OPS, sizeof(*live), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, live);

	/* Three chunks, oddly sized and placed; the same in both pools. */
	sizes[0] = (3000 + pool_ext_rng_below(&rng, 2000)) << order;
	sizes[1] = ((200 + pool_ext_rng_below(&rng, 500)) << order) +
		   pool_ext_rng_below(&rng, 1UL << order);
	sizes[2] = (1100 + pool_ext_rng_below(&rng, 100)) << order;
	for (i = 0; i < 3; i++) {
		base += 0x10000 + (pool_ext_rng_below(&rng, 64) << order) +
			(i == 1 ? 0x30 : 0);
		KUNIT_ASSERT_EQ(test, gen_pool_add(kp, base, sizes[i], -1), 0);
		KUNIT_ASSERT_EQ(test, genpool_ext_add(ep, base, sizes[i], -1),
				0);
		base += sizes[i];
		total += sizes[i];
	}

	for (op = 0; op < GPT_DIFF_OPS; op++) {
		/* Keep the pools between about 60% and 97% full. */
		bool alloc = !nlive || used < total * 6 / 10 ||
			     (used < total * 97 / 100 &&
			      pool_ext_rng_below(&rng, 100) < 55);

		if (!alloc) {
			i = pool_ext_rng_below(&rng, nlive);
			gen_pool_free(kp, live[i].addr, live[i].size);
			genpool_ext_free(ep, live[i].addr, live[i].size);
			used -= ALIGN(live[i].size, 1UL << order);
			live[i] = live[--nlive];
		} else {
			unsigned long r = pool_ext_rng_below(&rng, 100);
			struct gpt_diff_data d = { };
			size_t size;

			if (r < 70)
				size = (1 + pool_ext_rng_below(&rng, 16)) << order;
			else if (r < 90)
				size = 1 + pool_ext_rng_below(&rng, 40UL << order);
			else if (r < 99)
				size = (1 + pool_ext_rng_below(&rng, 300)) << order;
			else	/* more than an index group */
				size = (1000 + pool_ext_rng_below(&rng, 2000)) << order;
			if (p->data)
				p->data(&rng, order, &d);
			if (!p->kalgo) {
				kaddr = gen_pool_alloc(kp, size);
				eaddr = genpool_ext_alloc(ep, size);
			} else {
				kaddr = gen_pool_alloc_algo(kp, size, p->kalgo,
							    d.kdata);
				eaddr = genpool_ext_alloc_algo(ep, size,
							       p->ealgo,
							       d.edata);
			}
			if (kaddr != eaddr && mismatches++ < 5)
				KUNIT_FAIL(test, "op %d size %zu: kernel %#lx genpool_ext %#lx",
					   op, size, kaddr, eaddr);
			if (kaddr != eaddr) {
				/* Keep the pools in step: give both back. */
				if (kaddr)
					gen_pool_free(kp, kaddr, size);
				if (eaddr)
					genpool_ext_free(ep, eaddr, size);
			} else if (kaddr) {
				live[nlive].addr = kaddr;
				live[nlive++].size = size;
				used += ALIGN(size, 1UL << order);
			} else {
				fails++;
			}
		}
		if (gen_pool_avail(kp) != genpool_ext_avail(ep) &&
		    mismatches++ < 5)
			KUNIT_FAIL(test, "op %d: avail kernel %zu genpool_ext %zu",
				   op, gen_pool_avail(kp),
				   genpool_ext_avail(ep));
		if (op % 10000 == 0)
			KUNIT_ASSERT_EQ(test, genpool_ext_validate(ep), 0);
		if (op % 5000 == 2500)
			genpool_ext_for_each_chunk(ep, gpt_spoil_chunk, &rng);
	}
	KUNIT_EXPECT_EQ(test, mismatches, 0);
	/* The run went through full pools, not just easy cases. */
	KUNIT_EXPECT_GT(test, fails, 100);
	kunit_info(test, "%d ops, order %d, %lu failed allocations, %d live",
		   GPT_DIFF_OPS, order, fails, nlive);
	while (nlive--) {
		gen_pool_free(kp, live[nlive].addr, live[nlive].size);
		genpool_ext_free(ep, live[nlive].addr, live[nlive].size);
	}
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(ep), total);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(kp), total);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(ep), 0);
}

static struct kunit_case genpool_ext_diff_cases[] = {
	KUNIT_CASE_PARAM_ATTR(genpool_ext_diff_test_against_kernel,
			      gpt_diff_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite genpool_ext_diff_suite = {
	.name = "genpool_ext_diff",
	.test_cases = genpool_ext_diff_cases,
};

/* ---------------------------------------------------------------------
 * genpool_ext_model: random operations against a naive model that keeps
 * its own bitmap and searches it bit by bit, straight from the
 * definitions. After every operation the pool's bitmaps must equal the
 * model's.
 */

#define GPT_MODEL_OPS		12000
#define GPT_MODEL_CHUNKS	3

struct gpt_model_chunk {
	unsigned long start;
	unsigned long nbits;
	unsigned long *map;
};

struct gpt_model {
	int order;
	struct gpt_model_chunk c[GPT_MODEL_CHUNKS];	/* newest first */
};

static bool gpt_model_free_range(struct gpt_model_chunk *c, unsigned long s,
				 unsigned long n)
{
	unsigned long i;

	for (i = s; i < s + n; i++)
		if (test_bit(i, c->map))
			return false;
	return true;
}

/* The model's answer: bit within @c, or c->nbits for none. */
static unsigned long gpt_model_search(struct gpt_model *m,
				      struct gpt_model_chunk *c,
				      enum gpt_algo algo, unsigned long nr,
				      unsigned long amask, unsigned long aoff,
				      unsigned long fixed)
{
	unsigned long s, best = c->nbits, best_len = ULONG_MAX, len;

	if (nr > c->nbits)
		return c->nbits;
	if (algo == GPT_FIXED)
		return fixed + nr <= c->nbits &&
		       gpt_model_free_range(c, fixed, nr) ? fixed : c->nbits;
	for (s = 0; s + nr <= c->nbits; s++) {
		if ((s + aoff) & amask)
			continue;
		if (!gpt_model_free_range(c, s, nr))
			continue;
		if (algo != GPT_BEST)
			return s;
		/* Best fit: only whole runs count, measured to their end. */
		if (s && !test_bit(s - 1, c->map))
			continue;
		for (len = nr; s + len < c->nbits &&
		     !test_bit(s + len, c->map); len++)
			;
		if (len < best_len) {
			best = s;
			best_len = len;
		}
	}
	return best;
}

static void gpt_model_check(struct kunit *test, struct genpool_ext *pool,
			    struct gpt_model *m, int op)
{
	struct genpool_ext_chunk *chunk;
	int i = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		struct gpt_model_chunk *c = &m->c[i++];

		if (chunk->start_addr != c->start ||
		    !bitmap_equal(chunk->bits, c->map, c->nbits)) {
			rcu_read_unlock();
			KUNIT_FAIL_AND_ABORT(test, "op %d: chunk %d differs from the model",
					     op, i - 1);
		}
	}
	rcu_read_unlock();
}

static void genpool_ext_model_test_random(struct kunit *test)
{
	static const int units[GPT_MODEL_CHUNKS] = { 190, 333, 64 };
	struct pool_ext_rng rng = { .s = 42 };
	struct genpool_ext *pool;
	struct gpt_model m = { .order = 3 };
	unsigned long base = FAKE_BASE + 0x18;
	int op, i;

	pool = gpt_pool(test, m.order, 0, 0);
	/* Added oldest first; the model lists them newest first. */
	for (i = GPT_MODEL_CHUNKS - 1; i >= 0; i--) {
		struct gpt_model_chunk *c = &m.c[i];

		c->start = base;
		c->nbits = units[i];
		c->map = kunit_kcalloc(test, BITS_TO_LONGS(c->nbits),
				       sizeof(long), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, c->map);
		KUNIT_ASSERT_EQ(test, genpool_ext_add(pool, base,
						      units[i] << m.order, -1),
				0);
		base += (units[i] << m.order) + 0x1000;
	}

	for (op = 0; op < GPT_MODEL_OPS; op++) {
		unsigned long r = pool_ext_rng_below(&rng, 100), nr, bit, want = 0;
		struct gpt_model_chunk *c;

		if (r < 45) {
			/* Free a random allocated stretch (maybe part of an
			 * allocation, which gen_pool allows).
			 */
			c = &m.c[pool_ext_rng_below(&rng, GPT_MODEL_CHUNKS)];
			bit = pool_ext_rng_below(&rng, c->nbits);
			if (!test_bit(bit, c->map))
				continue;
			nr = 1;
			while (bit + nr < c->nbits && nr < 40 &&
			       test_bit(bit + nr, c->map) &&
			       pool_ext_rng_below(&rng, 8))
				nr++;
			genpool_ext_free(pool, c->start + (bit << m.order),
					 nr << m.order);
			bitmap_clear(c->map, bit, nr);
		} else {
			enum gpt_algo algo = pool_ext_rng_below(&rng, 5);
			struct genpool_ext_data_align da;
			struct genpool_ext_data_fixed df;
			genpool_ext_algo_t fn;
			void *data = NULL;
			unsigned long fixed = 0, got;

			nr = 1 + pool_ext_rng_below(&rng, r < 90 ? 12 : 80);
			da.align = 1 << pool_ext_rng_below(&rng, 8);
			fixed = pool_ext_rng_below(&rng, 200);
			df.offset = fixed << m.order;
			switch (algo) {
			case GPT_FIRST:
				fn = genpool_ext_first_fit;
				break;
			case GPT_BEST:
				fn = genpool_ext_best_fit;
				break;
			case GPT_ORDER:
				fn = genpool_ext_first_fit_order_align;
				break;
			case GPT_ALIGN:
				fn = genpool_ext_first_fit_align;
				data = &da;
				break;
			default:
				fn = genpool_ext_fixed_alloc;
				data = &df;
				break;
			}
			for (i = 0; i < GPT_MODEL_CHUNKS && !want; i++) {
				unsigned long amask = 0, aoff = 0;

				c = &m.c[i];
				if (algo == GPT_ORDER)
					amask = roundup_pow_of_two(nr) - 1;
				if (algo == GPT_ALIGN) {
					amask = ((da.align + (1 << m.order) - 1) >>
						 m.order) - 1;
					aoff = (c->start & (da.align - 1)) >>
					       m.order;
				}
				if (bitmap_weight(c->map, c->nbits) + nr >
				    c->nbits)
					continue;
				bit = gpt_model_search(&m, c, algo, nr, amask,
						       aoff, fixed);
				if (bit < c->nbits) {
					bitmap_set(c->map, bit, nr);
					want = c->start + (bit << m.order);
				}
			}
			got = genpool_ext_alloc_algo(pool, nr << m.order, fn,
						     data);
			if (got != want)
				KUNIT_FAIL_AND_ABORT(test, "op %d algo %d nr %lu: %#lx, not %#lx",
						     op, algo, nr, got, want);
		}
		gpt_model_check(test, pool, &m, op);
		if (op % 64 == 0)
			KUNIT_ASSERT_EQ(test, genpool_ext_validate(pool), 0);
	}
}

static struct kunit_case genpool_ext_model_cases[] = {
	KUNIT_CASE(genpool_ext_model_test_random),
	{}
};

static struct kunit_suite genpool_ext_model_suite = {
	.name = "genpool_ext_model",
	.test_cases = genpool_ext_model_cases,
};

kunit_test_suites(&genpool_ext_diff_suite, &genpool_ext_model_suite);
