// SPDX-License-Identifier: GPL-2.0
/*
 * Placement against a kernel-faithful reference, on large and odd chunks.
 *
 * modelcheck.c compares the index searches with gpx_plain_first() and
 * gpx_plain_best(), which are genpool_ext's own code, on chunks of 3-4
 * groups (rows of one word, one or two chunks). This checks the whole
 * allocation path (chunk order, avail, chunk hint, summaries, rows)
 * against an independent reimplementation of lib/genalloc.c's algorithms
 * over a shadow bitmap, written from the kernel's contract:
 * bitmap_find_next_zero_area_off(), gen_pool_best_fit() (smallest run,
 * earliest of equals, stop at the first exact fit), chunks newest first,
 * a chunk passed over when the request is larger than its avail.
 *
 * Each seed builds a pool of 1-3 chunks of 1 bit to 200 groups (rows of
 * up to four words, partial last groups, sizes that are no multiple of
 * the unit), fragments it, and alternates:
 *  - concurrent phases: 2-3 simulated threads (sched.c, random or PCT
 *    preemption at every shared access, so any op may run nested inside
 *    another, as an NMI would) allocate with every algorithm and free;
 *  - quiet phases: the shadow bitmap is taken from the chunk, the index is
 *    spoiled with random over-claims (summary bits, row bits, the chunk
 *    hint: all allowed by the promise), genpool_ext_validate() must pass,
 *    and then every allocation through the API must land exactly where
 *    the reference puts it; gpx_search_best()/gpx_search_first() from a
 *    random start are compared with the reference's too.
 *
 * make -C tests/modelcheck bfref && tests/modelcheck/bfref [first seeds]
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "genpool_ext/index.h"
#include "mc.h"

#define MAXC		3
#define MAXB		20000
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static u64 rng;
static struct genpool_ext *pool;
static struct genpool_ext_chunk *chk[MAXC];	/* newest first */
static unsigned long *ref[MAXC];
static long ref_avail[MAXC], chunk_bytes[MAXC];
static int nch, order;
static unsigned long unit;
static bool failed;
static unsigned long seed_now, nchecks, nspoils;
static int opt_spoil_beyond;

struct blk {
	unsigned long addr, bytes;
	bool live, taken;
};

static struct blk blks[MAXB];
static int nblk;

static unsigned long below(unsigned long n)
{
	return mc_below(&rng, n);
}

static void failf(const char *fmt, ...)
{
	va_list ap;

	if (failed)
		return;
	failed = true;
	printf("FAIL seed %lu: ", seed_now);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* ---- the kernel's bitmap searches, bit by bit ---- */

static bool kb(const unsigned long *m, unsigned long b)
{
	return m[b / BITS_PER_LONG] >> (b % BITS_PER_LONG) & 1;
}

static unsigned long k_next_zero(const unsigned long *m, unsigned long size,
				 unsigned long s)
{
	while (s < size && kb(m, s))
		s++;
	return s < size ? s : size;
}

static unsigned long k_next_bit(const unsigned long *m, unsigned long size,
				unsigned long s)
{
	while (s < size && !kb(m, s))
		s++;
	return s < size ? s : size;
}

/* bitmap_find_next_zero_area_off() */
static unsigned long k_zero_area(const unsigned long *m, unsigned long size,
				 unsigned long start, unsigned long nr,
				 unsigned long amask, unsigned long aoff)
{
	unsigned long index, end, i;

again:
	index = k_next_zero(m, size, start);
	index = ((index + aoff + amask) & ~amask) - aoff;
	end = index + nr;
	if (end > size)
		return end;
	i = k_next_bit(m, end, index);
	if (i < end) {
		start = i + 1;
		goto again;
	}
	return index;
}

/* gen_pool_best_fit() */
static unsigned long k_best(const unsigned long *m, unsigned long size,
			    unsigned long start, unsigned long nr)
{
	unsigned long start_bit = size, len = size + 1, index, next_bit;

	index = k_zero_area(m, size, start, nr, 0, 0);
	while (index < size) {
		next_bit = k_next_bit(m, size, index + nr);
		if (next_bit - index < len) {
			len = next_bit - index;
			start_bit = index;
			if (len == nr)
				return start_bit;
		}
		index = k_zero_area(m, size, next_bit + 1, nr, 0, 0);
	}
	return start_bit;
}

enum { A_FIRST, A_BEST, A_FIXED, A_ORDER, A_ALIGN, A_NR };

static const genpool_ext_algo_t algo_fn[A_NR] = {
	genpool_ext_first_fit, genpool_ext_best_fit, genpool_ext_fixed_alloc,
	genpool_ext_first_fit_order_align, genpool_ext_first_fit_align,
};

static const char *const algo_name[A_NR] = {
	"first", "best", "fixed", "order", "align",
};

struct req {
	int algo;
	unsigned long bytes;
	struct genpool_ext_data_fixed fixed;
	struct genpool_ext_data_align align;
};

static void *req_data(struct req *q)
{
	return q->algo == A_FIXED ? (void *)&q->fixed :
	       q->algo == A_ALIGN ? (void *)&q->align : NULL;
}

/* gen_pool_alloc_algo_owner() on the shadow bitmaps: chunk and bit, or -1. */
static int k_alloc(struct req *q, unsigned long *bitp)
{
	unsigned long nr = (q->bytes + unit - 1) >> order, size, bit, amask, aoff;
	int c;

	for (c = 0; c < nch; c++) {
		if (q->bytes > (unsigned long)ref_avail[c])
			continue;
		size = chk[c]->nbits;
		switch (q->algo) {
		case A_FIRST:
			bit = k_zero_area(ref[c], size, 0, nr, 0, 0);
			break;
		case A_BEST:
			bit = k_best(ref[c], size, 0, nr);
			break;
		case A_FIXED:
			bit = k_zero_area(ref[c], size, q->fixed.offset >> order,
					  nr, 0, 0);
			if (bit != q->fixed.offset >> order)
				bit = size;
			break;
		case A_ORDER:
			amask = roundup_pow_of_two(nr) - 1;
			bit = k_zero_area(ref[c], size, 0, nr, amask, 0);
			break;
		default:
			amask = ((q->align.align + unit - 1) >> order) - 1;
			aoff = (chk[c]->start_addr & (q->align.align - 1)) >> order;
			bit = k_zero_area(ref[c], size, 0, nr, amask, aoff);
			break;
		}
		if (bit >= size)
			continue;
		*bitp = bit;
		return c;
	}
	return -1;
}

static void ref_set(int c, unsigned long bit, unsigned long n, bool v)
{
	for (unsigned long b = bit; b < bit + n; b++) {
		if (v)
			ref[c][b / BITS_PER_LONG] |= BIT(b % BITS_PER_LONG);
		else
			ref[c][b / BITS_PER_LONG] &= ~BIT(b % BITS_PER_LONG);
	}
}

static int chunk_of(unsigned long addr)
{
	for (int c = 0; c < nch; c++)
		if (addr >= chk[c]->start_addr &&
		    addr < chk[c]->start_addr + chk[c]->nbits * unit)
			return c;
	return -1;
}

/* ---- the workload ---- */

/* A length worth asking for: free runs' (exact fits), bucket edges, odd. */
static unsigned long pick_nr(void)
{
	unsigned long k = below(10), c, b, s, e, n;

	if (k < 4) {
		/* The length of a random free run of a random chunk, +-1. */
		c = below(nch);
		for (int t = 0; t < 8; t++) {
			s = k_next_zero(ref[c], chk[c]->nbits, below(chk[c]->nbits));
			if (s >= chk[c]->nbits)
				continue;
			e = k_next_bit(ref[c], chk[c]->nbits, s);
			while (s && !kb(ref[c], s - 1))
				s--;
			n = e - s + below(3);
			return n > 1 ? n - 1 : 1;
		}
	}
	if (k < 6) {
		b = below(GPX_NR_BUCKETS);
		n = gpx_bucket_lo(b) + below(3);
		return n > 1 ? n - 1 : 1;
	}
	if (k < 7)
		return GPX_GROUP_BITS - 2 + below(5) + below(2) * GPX_GROUP_BITS;
	if (k < 9)
		return 1 + below(40);
	return 1 + below(3000);
}

static void make_req(struct req *q)
{
	unsigned long nr = pick_nr();
	int c;

	q->algo = below(A_NR);
	if (below(3) == 0)
		q->algo = A_BEST;
	q->bytes = nr * unit - below(unit);
	if (q->algo == A_FIXED) {
		c = below(nch);
		/* A free unit's offset, often a run's start. */
		unsigned long s = below(chk[c]->nbits);

		if (below(2))
			while (s && !kb(ref[c], s - 1) && !kb(ref[c], s))
				s--;
		q->fixed.offset = s * unit;
	}
	if (q->algo == A_ALIGN)
		q->align.align = 1 << below(10);
}

static int new_blk(unsigned long addr, unsigned long bytes)
{
	for (int i = 0; i < nblk; i++)
		if (!blks[i].live) {
			blks[i] = (struct blk){ addr, bytes, true, false };
			return i;
		}
	if (nblk >= MAXB)
		return -1;
	blks[nblk] = (struct blk){ addr, bytes, true, false };
	return nblk++;
}

/* A sequential, checked allocation. */
static void checked_alloc(struct req *q)
{
	unsigned long bit = 0, addr, want;
	int c = k_alloc(q, &bit);

	want = c < 0 ? 0 : chk[c]->start_addr + bit * unit;
	addr = genpool_ext_alloc_algo(pool, q->bytes, algo_fn[q->algo], req_data(q));
	nchecks++;
	if (addr != want) {
		int ac = chunk_of(addr);

		failf("%s fit of %lu bytes (%lu units%s): got c%d bit %ld, %s c%d bit %ld",
		      algo_name[q->algo], q->bytes, (q->bytes + unit - 1) >> order,
		      q->algo == A_FIXED ? ", fixed" : "",
		      ac, ac < 0 ? -1L : (long)((addr - chk[ac]->start_addr) / unit),
		      "kernel", c, c < 0 ? -1L : (long)bit);
		return;
	}
	if (!addr)
		return;
	ref_set(c, bit, (q->bytes + unit - 1) >> order, true);
	ref_avail[c] -= ((q->bytes + unit - 1) >> order) * unit;
	if (new_blk(addr, q->bytes) < 0) {
		genpool_ext_free(pool, addr, q->bytes);
		ref_set(c, bit, (q->bytes + unit - 1) >> order, false);
		ref_avail[c] += ((q->bytes + unit - 1) >> order) * unit;
	}
}

static void checked_free(int i)
{
	int c = chunk_of(blks[i].addr);
	unsigned long n = (blks[i].bytes + unit - 1) >> order;

	genpool_ext_free(pool, blks[i].addr, blks[i].bytes);
	ref_set(c, (blks[i].addr - chk[c]->start_addr) / unit, n, false);
	ref_avail[c] += n * unit;
	blks[i].live = false;
}

static int pick_live(void)
{
	for (int t = 0; t < 16 && nblk; t++) {
		int i = below(nblk);

		if (blks[i].live && !blks[i].taken)
			return i;
	}
	return -1;
}

/* ---- quiet points ---- */

/* Take the shadow from the chunks, and check it against the live blocks. */
static void resync(void)
{
	for (int c = 0; c < nch; c++) {
		unsigned long nw = BITS_TO_LONGS(chk[c]->nbits);

		memset(ref[c], 0, nw * sizeof(long));
		ref_avail[c] = chunk_bytes[c];
	}
	for (int i = 0; i < nblk; i++) {
		int c;
		unsigned long n, bit;

		if (!blks[i].live)
			continue;
		c = chunk_of(blks[i].addr);
		n = (blks[i].bytes + unit - 1) >> order;
		bit = (blks[i].addr - chk[c]->start_addr) / unit;
		for (unsigned long b = bit; b < bit + n; b++)
			if (kb(ref[c], b))
				failf("unit %lu of c%d handed out twice", b, c);
		ref_set(c, bit, n, true);
		ref_avail[c] -= n * unit;
	}
	for (int c = 0; c < nch; c++) {
		if (memcmp(ref[c], chk[c]->bits,
			   BITS_TO_LONGS(chk[c]->nbits) * sizeof(long)))
			failf("c%d bitmap differs from the live blocks", c);
		if (atomic_long_read(&chk[c]->avail) != ref_avail[c])
			failf("c%d avail %ld, live blocks say %ld", c,
			      atomic_long_read(&chk[c]->avail), ref_avail[c]);
	}
}

static void spoil_row(atomic_long_t *ix, unsigned long ng, unsigned int row,
		      unsigned long g)
{
	/* A chunk below GPX_ROWS_MIN_GROUPS has no rows to spoil. */
	if (!gpx_has_rows(ng))
		return;
	atomic_long_or(BIT(g % BITS_PER_LONG),
		       gpx_row(ix, ng, row) + g / BITS_PER_LONG);
}

/* Over-claim at random: what stale bits look like. */
static void spoil(void)
{
	for (int c = 0; c < nch; c++) {
		unsigned long ng = DIV_ROUND_UP(chk[c]->nbits, GPX_GROUP_BITS);
		unsigned long nrw = BITS_TO_LONGS(ng), k = below(4) * ng / 4 + below(3);
		atomic_long_t *ix = chk[c]->index;

		for (unsigned long i = 0; i < k; i++) {
			unsigned long g = below(ng), b = below(GPX_NR_BUCKETS + 2);
			unsigned long bit = b < GPX_NR_BUCKETS ? BIT(b) :
					    b == GPX_NR_BUCKETS ? GPX_SUM_SUFFIX : GPX_SUM_PREFIX;

			nspoils++;
			switch (below(3)) {
			case 0:		/* summary only */
				atomic_long_or(bit, &ix[g]);
				break;
			case 1:		/* row only */
				if (b <= GPX_ROW_SUFFIX)
					spoil_row(ix, ng, b, g);
				break;
			default:	/* both */
				atomic_long_or(bit, &ix[g]);
				if (b <= GPX_ROW_SUFFIX)
					spoil_row(ix, ng, b, g);
				break;
			}
		}
		/* Row bits of groups the chunk does not have. */
		if (opt_spoil_beyond && gpx_has_rows(ng) &&
		    ng % BITS_PER_LONG && below(2))
			for (int r = 0; r < GPX_NR_ROWS; r++)
				atomic_long_or(~BITMAP_LAST_WORD_MASK(ng),
					       gpx_row(ix, ng, r) + nrw - 1);
		if (!below(4)) {
			long v = atomic_long_read(&chk[c]->longest);

			atomic_long_set(&chk[c]->longest,
					(v & ~GPX_LONGEST_LEN) |
					min_t(unsigned long, GPX_LONGEST_LEN,
					      (v & GPX_LONGEST_LEN) + below(3000)));
		}
	}
}

/* The index searches from a random start, against the kernel's. */
static void check_searches(void)
{
	for (int c = 0; c < nch && !failed; c++) {
		struct gpx_ctx ic = { .map = chk[c]->bits, .size = chk[c]->nbits,
				      .index = chk[c]->index };
		unsigned long size = chk[c]->nbits;

		for (int i = 0; i < 6 && !failed; i++) {
			unsigned long nr = pick_nr(), start = below(2) ? below(size) : 0;
			unsigned long a, k;
			struct gpx_req r = { .nr = nr };

			a = gpx_search_best(&ic, start, nr);
			k = k_best(ref[c], size, start, nr);
			if (k > size)
				k = size;
			nchecks++;
			if (a != k)
				failf("gpx_search_best(c%d, start %lu, nr %lu) = %lu, kernel %lu",
				      c, start, nr, a, k);
			if (below(2)) {
				r.amask = BIT(below(8)) - 1;
				r.aoff = below(r.amask + 1);
			}
			a = gpx_search_first(&ic, start, &r);
			k = k_zero_area(ref[c], size, start, nr, r.amask, r.aoff);
			if (k > size)
				k = size;
			nchecks++;
			if (a != k)
				failf("first(c%d, from %lu, nr %lu, %lu/%lu) = %lu, kernel %lu",
				      c, start, nr, r.amask, r.aoff, a, k);
		}
	}
}

static void quiet_phase(int nops)
{
	struct req q;

	resync();
	if (failed)
		return;
	if (genpool_ext_validate(pool))
		failf("validate fails at a quiet point");
	if (below(2))
		spoil();
	check_searches();
	for (int i = 0; i < nops && !failed; i++) {
		if (below(2)) {
			make_req(&q);
			checked_alloc(&q);
		} else {
			int b = pick_live();

			if (b >= 0)
				checked_free(b);
		}
		if (!below(20) && genpool_ext_validate(pool))
			failf("validate fails after op %d", i);
		if (!below(30))
			spoil();
	}
	if (mc_warnings)
		failf("the code under test warned");
}

/* ---- concurrent phases ---- */

static int thread_ops;

static void worker(int tid)
{
	struct req q;

	for (int i = 0; i < thread_ops; i++) {
		if (!below(4)) {
			/*
			 * A search's tightening step on its own, as
			 * modelcheck.c's do_tighten(): any group may be found
			 * stale at any moment.
			 */
			int c = below(nch);
			struct gpx_ctx ic = { .map = chk[c]->bits,
					      .size = chk[c]->nbits,
					      .index = chk[c]->index };
			unsigned long g = below(gpx_ngroups(&ic));
			unsigned long stale = atomic_long_read(&ic.index[g]) |
					      GPX_SUM_SUFFIX | BIT(below(GPX_NR_BUCKETS));

			if (below(2))
				gpx_index_tighten(&ic, g, stale);
			gpx_rows_tighten(&ic, g, stale);
		} else if (below(2)) {
			unsigned long addr;

			make_req(&q);
			addr = genpool_ext_alloc_algo(pool, q.bytes, algo_fn[q.algo],
						      req_data(&q));
			if (addr && new_blk(addr, q.bytes) < 0)
				genpool_ext_free(pool, addr, q.bytes);
		} else {
			int b = pick_live();

			if (b < 0)
				continue;
			blks[b].taken = true;
			genpool_ext_free(pool, blks[b].addr, blks[b].bytes);
			blks[b].live = false;
			blks[b].taken = false;
		}
	}
}

static void concurrent_phase(void)
{
	struct mc_sched_cfg cfg = { 0 };

	cfg.seed = mc_rand(&rng);
	cfg.max_steps = 50000000;
	if (below(2)) {
		cfg.policy = MC_RANDOM;
		cfg.inv_p = 2 + below(30);
	} else {
		cfg.policy = MC_PCT;
		cfg.depth = 2 + below(3);
		cfg.est_steps = 2000 + below(20000);
	}
	thread_ops = 1 + below(6);
	mc_run(2 + below(2), worker, &cfg);
	if (mc_overran())
		failf("concurrent phase overran");
	/* Nothing reads the event log here: keep it from growing. */
	mc_log_reset();
}

/* ---- seeds ---- */

static unsigned long pick_nbits(void)
{
	static const unsigned long groups[] = { 1, 2, 3, 5, 63, 64, 65, 66, 127, 128, 129, 200 };
	unsigned long n;

	switch (below(5)) {
	case 0:
		return 1 + below(3 * BITS_PER_LONG);
	case 1:
		return 1 + below(3 * GPX_GROUP_BITS);
	default:
		n = groups[below(ARRAY_SIZE(groups))] * GPX_GROUP_BITS;
		if (below(2))
			n -= 1 + below(GPX_GROUP_BITS - 1);
		return n;
	}
}

static void fragment(void)
{
	unsigned long total = 0, want;
	struct req q = { 0 };

	for (int c = 0; c < nch; c++)
		total += chk[c]->nbits;
	want = total * (50 + below(45)) / 100;
	/* Fill with random blocks, then punch holes. */
	for (int t = 0; t < 20000 && want; t++) {
		unsigned long nr = below(4) ? 1 + below(24) : 1 + below(400);
		unsigned long bit;

		q.algo = A_FIRST;
		q.bytes = nr * unit;
		if (nr > want || k_alloc(&q, &bit) < 0)
			break;
		checked_alloc(&q);
		if (failed)
			return;
		want -= nr;
	}
	for (int i = 0; i < nblk; i++)
		if (blks[i].live && below(3) == 0)
			checked_free(i);
}

static void run_seed(unsigned long seed)
{
	int c;

	seed_now = seed;
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	mc_rand(&rng);
	failed = false;
	nblk = 0;
	mc_warnings = 0;
	order = below(3);
	unit = 1UL << order;
	nch = 1 + below(MAXC);
	pool = genpool_ext_create(order, -1);
	if (!pool || (below(3) == 0 && genpool_ext_set_debug(pool, true))) {
		printf("setup failed\n");
		exit(2);
	}
	for (c = 0; c < nch; c++) {
		unsigned long nbits = pick_nbits();
		unsigned long base = (2UL + c) << (BITS_PER_LONG - 8);
		size_t size = nbits * unit + (below(4) ? 0 : below(unit));

		base += below(64) * unit;
		if (genpool_ext_add(pool, base, size, -1)) {
			printf("add failed\n");
			exit(2);
		}
	}
	/* Newest first, as the pool lists them. */
	c = 0;
	{
		struct genpool_ext_chunk *ch;

		list_for_each_entry(ch, &pool->chunks, next_chunk)
			chk[c++] = ch;
	}
	for (c = 0; c < nch; c++) {
		ref[c] = calloc(BITS_TO_LONGS(chk[c]->nbits), sizeof(long));
		/* The kernel's avail counts a tail shorter than a unit too. */
		chunk_bytes[c] = atomic_long_read(&chk[c]->avail);
		ref_avail[c] = chunk_bytes[c];
	}
	fragment();
	for (int ph = 0; ph < 12 && !failed; ph++) {
		if (below(2))
			concurrent_phase();
		quiet_phase(20 + below(60));
	}
	if (failed) {
		printf("  pool: order %d, %d chunks:", order, nch);
		for (c = 0; c < nch; c++)
			printf(" c%d %lu units (%lu groups) at %#lx", c, chk[c]->nbits,
			       DIV_ROUND_UP(chk[c]->nbits, GPX_GROUP_BITS),
			       chk[c]->start_addr);
		printf("\n");
	}
	if (!failed) {
		for (int i = 0; i < nblk; i++)
			if (blks[i].live)
				genpool_ext_free(pool, blks[i].addr, blks[i].bytes);
		genpool_ext_destroy(pool);
	}
	for (c = 0; c < nch; c++)
		free(ref[c]);
}

int main(int argc, char **argv)
{
	unsigned long first = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 0) : 300;
	unsigned long nfail = 0, s;

	opt_spoil_beyond = argc > 3 ? atoi(argv[3]) : 0;
	for (s = first; s < first + n; s++) {
		run_seed(s);
		nfail += failed;
		if (nfail >= 5)
			break;
	}
	printf("bfref (%d-bit, %d buckets of %d-unit groups): seeds %lu..%lu, ",
	       BITS_PER_LONG, GPX_NR_BUCKETS, GPX_GROUP_BITS, first,
	       s - (s == first + n));
	printf("%lu placements checked, %lu spoils, %lu failed\n",
	       nchecks, nspoils, nfail);
	return nfail ? 1 : 0;
}
