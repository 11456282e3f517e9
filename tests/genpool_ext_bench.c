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

#include <linux/genalloc.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>

#include <genpool_ext/genpool_ext.h>

#include "bench/pool_ext_bench.h"

static int reps = 9;
module_param(reps, int, 0444);
MODULE_PARM_DESC(reps, "measurements per implementation and row (1-15, default 9)");

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
struct gpb_model {
	u32 chunk_units;
	u32 *pre, *suf, *best;
	u8 *blen;		/* at a block's first unit: its length */
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

static void gpb_model_destroy(struct gpb_model *m)
{
	vfree(m->pre);
	vfree(m->suf);
	vfree(m->best);
	vfree(m->blen);
}

static int gpb_model_init(struct gpb_model *m, u32 chunk_units)
{
	u32 i, span;

	m->chunk_units = chunk_units;
	m->pre = vmalloc(array_size(2 * GPB_UNITS, sizeof(u32)));
	m->suf = vmalloc(array_size(2 * GPB_UNITS, sizeof(u32)));
	m->best = vmalloc(array_size(2 * GPB_UNITS, sizeof(u32)));
	m->blen = vzalloc(GPB_UNITS);
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
 * Churn the model from empty to @fill_pct percent: see the top comment.
 * Return the number of units in use, or -ENOSPC if the fill level is
 * unreachable.
 */
static long gpb_model_fragment(struct gpb_model *m, int fill_pct)
{
	u64 target = (u64)GPB_UNITS * fill_pct / 100, used = 0, rs;
	u32 *live, nlive = 0, allocs = 0, fails = 0, k, len, start;
	long pos;

	live = vmalloc(array_size(GPB_UNITS, sizeof(u32)));
	if (!live)
		return -ENOMEM;
	rs = seed ?: 1;
	while (used < target) {
		len = 1 + gpb_rand(&rs) % GPB_MAX_SIZE;
		pos = gpb_model_first_fit(m, len);
		if (pos < 0) {
			if (++fails > 100000)
				break;
		} else {
			gpb_model_set(m, pos, len, true);
			m->blen[pos] = len;
			live[nlive++] = pos;
			used += len;
		}
		if (++allocs % GPB_FREE_EVERY || !nlive)
			continue;
		k = gpb_rand(&rs) % nlive;
		start = live[k];
		live[k] = live[--nlive];
		gpb_model_set(m, start, m->blen[start], false);
		used -= m->blen[start];
		m->blen[start] = 0;
	}
	vfree(live);
	return used < target ? -ENOSPC : used;
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

static int gpb_rows(const char *prefix, struct gpb_pool *s, struct gpb_pool *k)
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

	for (a = 0; a < ARRAY_SIZE(gpb_algos); a++) {
		for (z = 0; z < ARRAY_SIZE(gpb_sizes); z++) {
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

/* Describe a layout: fill, free runs, largest run, first 8/64-unit fits. */
static void gpb_describe(const char *prefix, struct gpb_model *m, long used)
{
	u32 u, runs = 0, run = 0, largest = 0;

	for (u = 0; u < GPB_UNITS; u++) {
		if (!gpb_model_free(m, u)) {
			run = 0;
		} else if (run && u % m->chunk_units) {
			run++;
		} else {
			run = 1;
			runs++;
		}
		largest = max(largest, run);
	}
	pr_info("layout=%s used_units=%ld of %u free_runs=%u largest_free=%u first_fit_8=%ld first_fit_64=%ld\n",
		prefix, used, GPB_UNITS, runs, largest,
		gpb_model_first_fit(m, 8), gpb_model_first_fit(m, 64));
}

/* One layout: fragment, build both pools, check them, run the rows. */
static int gpb_layout_rows(const char *prefix, u32 nchunks, int fill_pct)
{
	struct gpb_pool s = {}, k = {};
	u32 s_placed = 0, k_placed = 0;
	struct gpb_model m;
	size_t want;
	long used = 0;
	int ret;

	ret = gpb_model_init(&m, GPB_UNITS / nchunks);
	if (ret)
		return ret;
	if (fill_pct) {
		used = gpb_model_fragment(&m, fill_pct);
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
		ret = gpb_rows(prefix, &s, &k);
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
 * (chunk->index) and holds one word per 16 bitmap words (internal.h,
 * GPX_GROUP_WORDS).
 */
#define GPB_SUITE_GROUP_WORDS	16

static void gpb_suite_chunk_meta(struct genpool_ext *pool,
				 struct genpool_ext_chunk *chunk, void *data)
{
	size_t words = DIV_ROUND_UP(BITS_TO_LONGS(chunk->nbits),
				    GPB_SUITE_GROUP_WORDS);
	size_t requested = (const char *)(chunk->index + words) -
			   (const char *)chunk;

	*(size_t *)data += gpb_alloc_bytes(chunk, requested);
}

/*
 * The suite also keeps per-CPU statistics: the five counters of struct
 * genpool_ext_stats that are summed over CPUs, per possible CPU.
 */
#define GPB_SUITE_PCPU_BYTES	(5 * sizeof(unsigned long))

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

static int __init genpool_ext_bench_init(void)
{
	static const int fills[] = { 0, 50, 90, 99 };
	char prefix[32];
	int i, ret;

	if (reps < 1 || reps > PE_BENCH_MAX_REPS)
		return -EINVAL;
	pr_info("module=genpool_ext_bench kernel=%s reps=%d seed=%lu\n",
		utsname()->release, reps, seed);

	ret = gpb_meta_row("genpool_metadata_1x16MiB", 1);
	if (!ret)
		ret = gpb_meta_row("genpool_metadata_64x256KiB", GPB_MULTI_CHUNKS);
	for (i = 0; !ret && i < ARRAY_SIZE(fills); i++) {
		snprintf(prefix, sizeof(prefix), "genpool_fill%d", fills[i]);
		ret = gpb_layout_rows(prefix, 1, fills[i]);
	}
	if (!ret)
		ret = gpb_layout_rows("genpool_64chunk_fill90", GPB_MULTI_CHUNKS, 90);
	if (!ret)
		pr_info("done module=genpool_ext_bench rows=%zu\n",
			2 + (ARRAY_SIZE(fills) + 1) * ARRAY_SIZE(gpb_algos) *
			ARRAY_SIZE(gpb_sizes));
	return ret;
}

static void __exit genpool_ext_bench_exit(void)
{
}

module_init(genpool_ext_bench_init);
module_exit(genpool_ext_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pool_ext benchmark: genpool_ext against the in-kernel gen_pool");
