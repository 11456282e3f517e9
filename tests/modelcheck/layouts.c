// SPDX-License-Identifier: GPL-2.0
/*
 * The bench's 90%-fill layouts (tests/genpool_ext_bench.c, seed 1) rebuilt
 * in userspace on the real genpool_ext sources, to count what a search
 * reads there: the words each built-in search reads for 8 and 64 units
 * (genpool_ext's search_words counter), against what the kernel's linear
 * search of the same bitmap reads, and the same placement checked against
 * a plain search. No threads: the shims are plain code here. Arguments:
 * how many more alloc+free pairs to time per row, one layout's name, and
 * one row ("bf_64"): run under valgrind --tool=callgrind, the A/B in
 * instructions.
 * make -C tests/modelcheck layouts [O=DIR] builds and runs it.
 *
 * The layout processes are the bench's, on a plain bitmap instead of the
 * bench's segment tree: same PRNG, same sequence, so the same layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "genpool_ext/index.h"
#include "mc.h"

#define UNITS		262144UL
#define NW		(UNITS / 64)
#define BASE		BIT(30)
#define ORDER		6

static unsigned long map[NW];
static unsigned short blen[UNITS];
static unsigned int *live, nlive, *shortl, nshort;
static unsigned long used;
static u64 rs;

static u64 xrand(void)
{
	u64 x = rs;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rs = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static bool busy(unsigned long u)
{
	return map[u / 64] >> (u % 64) & 1;
}

static void set_range(unsigned long s, unsigned long n, bool v)
{
	for (unsigned long u = s; u < s + n; u++) {
		if (v)
			map[u / 64] |= 1UL << (u % 64);
		else
			map[u / 64] &= ~(1UL << (u % 64));
	}
}

/* Next free unit at or after @u, UNITS if none. */
static unsigned long nfree(unsigned long u)
{
	while (u < UNITS) {
		unsigned long v = ~map[u / 64] & (~0UL << (u % 64));

		if (v)
			return u / 64 * 64 + __builtin_ctzl(v);
		u = (u / 64 + 1) * 64;
	}
	return UNITS;
}

static unsigned long nbusy(unsigned long u)
{
	while (u < UNITS) {
		unsigned long v = map[u / 64] & (~0UL << (u % 64));

		if (v)
			return u / 64 * 64 + __builtin_ctzl(v);
		u = (u / 64 + 1) * 64;
	}
	return UNITS;
}

static long fit(unsigned long len, bool best)
{
	unsigned long u = 0, s, e, bl = ~0UL;
	long bp = -1;

	while ((s = nfree(u)) < UNITS) {
		e = nbusy(s);
		if (e - s >= len) {
			if (!best)
				return s;
			if (e - s < bl) {
				bl = e - s;
				bp = s;
				if (bl == len)
					return bp;
			}
		}
		u = e;
	}
	return bp;
}

static void take(unsigned long pos, unsigned long len, bool sh)
{
	set_range(pos, len, true);
	blen[pos] = len;
	if (sh)
		shortl[nshort++] = pos;
	else
		live[nlive++] = pos;
	used += len;
}

static void put(unsigned long s)
{
	set_range(s, blen[s], false);
	used -= blen[s];
	blen[s] = 0;
}

static void put_random(void)
{
	unsigned int k = xrand() % nlive, s = live[k];

	live[k] = live[--nlive];
	put(s);
}

static bool alloc_m(unsigned long len, bool best, bool sh)
{
	long p = fit(len, best);

	if (p < 0)
		return false;
	take(p, len, sh);
	return true;
}

static unsigned long size_small(void)
{
	return 1 + xrand() % 16;
}

static unsigned long size_large(void)
{
	unsigned long a = xrand() % 256, b = xrand() % 256, d = xrand() % 256;

	return 1 + (a > b ? (a > d ? a : d) : (b > d ? b : d));
}

static void churn_ff(unsigned long target, unsigned long (*size)(void))
{
	unsigned int allocs = 0, fails = 0;

	while (used < target) {
		if (!alloc_m(size(), false, false) && ++fails > 100000)
			break;
		if (++allocs % 4 || !nlive)
			continue;
		put_random();
	}
}

static void fill_bf(unsigned long target)
{
	while (used < target)
		if (!alloc_m(size_small(), true, false))
			break;
}

static void make_layout(const char *name, int fill)
{
	unsigned long target = UNITS * fill / 100, high = UNITS * 97 / 100;

	memset(map, 0, sizeof(map));
	memset(blen, 0, sizeof(blen));
	nlive = 0;
	nshort = 0;
	used = 0;
	rs = 1;
	if (!strcmp(name, "small")) {
		churn_ff(target, size_small);
	} else if (!strcmp(name, "large")) {
		churn_ff(target, size_large);
	} else if (!strcmp(name, "bfchurn")) {
		unsigned long low = UNITS * 85 / 100;

		for (int r = 0; r < 4; r++) {
			fill_bf(high);
			while (used > low && nlive)
				put_random();
		}
		fill_bf(target);
	} else if (!strcmp(name, "lifetimes")) {
		while (used < high) {
			bool sh = !(xrand() % 32);
			unsigned long len = sh ? 1 + xrand() % 64 : size_small();

			if (!alloc_m(len, false, sh))
				break;
		}
		while (nshort)
			put(shortl[--nshort]);
		while (used > target && nlive)
			put_random();
		while (used < target)
			if (!alloc_m(size_small(), false, false))
				break;
	}
}

/*
 * Words the kernel's search reads: up to its answer (best fit: to the
 * first exact fit, or all).
 */
static unsigned long kernel_words(unsigned long nr, bool best, long *pos)
{
	long p = fit(nr, best);
	unsigned long end = UNITS;

	*pos = p;
	if (!best || (p >= 0 && nbusy(p) - p == nr))
		end = p < 0 ? UNITS : p + nr;
	return (end + 63) / 64;
}

static unsigned long words(struct genpool_ext *pool)
{
	struct genpool_ext_stats st;

	genpool_ext_get_stats(pool, &st);
	return st.search_words;
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "small", "bfchurn", "large",
					     "lifetimes" };
	int reps = argc > 1 ? atoi(argv[1]) : 0;
	const char *only = argc > 2 ? argv[2] : NULL;
	const char *row = argc > 3 ? argv[3] : NULL;

	live = calloc(UNITS, sizeof(*live));
	shortl = calloc(UNITS, sizeof(*shortl));
	for (unsigned int i = 0; i < 4; i++) {
		struct genpool_ext *pool;
		unsigned long u, runs = 0;

		if (only && strcmp(only, names[i]))
			continue;
		pool = genpool_ext_create(ORDER, -1);

		make_layout(names[i], 90);
		genpool_ext_add(pool, BASE, UNITS << ORDER, -1);
		genpool_ext_alloc(pool, UNITS << ORDER);
		for (u = 0; u < UNITS; u = nbusy(u)) {
			u = nfree(u);
			if (u >= UNITS)
				break;
			runs++;
			genpool_ext_free(pool, BASE + (u << ORDER),
					 (nbusy(u) - u) << ORDER);
		}
		if (genpool_ext_validate(pool))
			printf("validate failed\n");
		{
			unsigned long sg = 0, g;

			for (g = 1; g <= UNITS / 1024; g++)
				sg += !busy(g * 1024 - 1);
			printf("layout=%s used=%lu runs=%lu suffix_groups=%lu\n",
			       names[i], used, runs, sg);
		}
		for (int best = 0; best < 2; best++) {
			for (unsigned long nr = 8; nr <= 64; nr *= 8) {
				genpool_ext_algo_t algo = best ? genpool_ext_best_fit :
						       genpool_ext_first_fit;
				unsigned long a, w0, w1, kw;
				long kp;
				struct timespec t0, t1;
				char name[16];

				snprintf(name, sizeof(name), "%s_%lu",
					 best ? "bf" : "ff", nr);
				if (row && strcmp(row, name))
					continue;

				kw = kernel_words(nr, best, &kp);
				printf("  %s_%lu: answer %lu units at %ld;", best ? "bf" : "ff", nr,
				       kp >= 0 ? nbusy(kp) - kp : 0, kp);
				/* warm: the first pair may tighten */
				a = genpool_ext_alloc_algo(pool, nr << ORDER, algo, NULL);
				genpool_ext_free(pool, a, nr << ORDER);
				w0 = words(pool);
				a = genpool_ext_alloc_algo(pool, nr << ORDER, algo, NULL);
				genpool_ext_free(pool, a, nr << ORDER);
				w1 = words(pool);
				clock_gettime(CLOCK_MONOTONIC, &t0);
				for (int k = 0; k < reps; k++) {
					a = genpool_ext_alloc_algo(pool, nr << ORDER, algo, NULL);
					genpool_ext_free(pool, a, nr << ORDER);
				}
				clock_gettime(CLOCK_MONOTONIC, &t1);
				printf(" suite %lu words, kernel %lu words (%.1fx)%s%s",
				       w1 - w0, kw,
				       (double)kw / (w1 - w0 ?: 1),
				       (long)((a - BASE) >> ORDER) == kp ? "" :
				       " PLACEMENT DIFFERS",
				       reps ? "" : "\n");
				if (reps)
					printf(" %.1f ns/pair\n",
					       ((t1.tv_sec - t0.tv_sec) * 1e9 +
						(t1.tv_nsec - t0.tv_nsec)) / reps);
			}
		}
		for (u = 0; u < UNITS; u++)
			if (busy(u) && blen[u])
				genpool_ext_free(pool, BASE + (u << ORDER),
						 blen[u] << ORDER);
		genpool_ext_destroy(pool);
	}
	return 0;
}
