// SPDX-License-Identifier: GPL-2.0
/*
 * The model checker's scheduler: simulated threads as ucontext coroutines
 * on one OS thread, switched only at the shims' switch points, by a seeded
 * policy (PCT or uniform random). See mc.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#ifdef MC_VALGRIND		/* set by the Makefile if valgrind.h is there */
#include <valgrind/valgrind.h>
#endif
#include "mc.h"

#define MC_STACK_SIZE	(256 * 1024)

struct mc_thread {
	ucontext_t ctx;
	char *stack;
	bool done;
	unsigned int prio;
};

int mc_active;
struct mc_ev *mc_evs;
unsigned long mc_nevs;
char *mc_text;

static unsigned long mc_evs_cap, mc_text_len, mc_text_cap;
static struct mc_thread mc_thr[MC_MAX_THREADS];
static ucontext_t mc_main;
static int mc_nthr, mc_cur = -1, mc_next;
static void (*mc_fn)(int tid);
static const struct mc_sched_cfg *mc_cfg;
static u64 mc_rng;
static unsigned long mc_step, mc_fsteps;
static bool mc_over;
/* PCT: change points (steps) and the priority each one gives. */
static unsigned long mc_cp[8];
static unsigned int mc_cp_prio[8], mc_ncp;
/* The last access logged, whose "after" value is still to be read. */
static long mc_pending = -1;

/* The value at @addr, for the log: words and ints only. */
static unsigned long mc_peek(const void *addr, unsigned int size)
{
	if (!addr)
		return 0;
	if (size == sizeof(long))
		return mc_load((const unsigned long *)addr);
	if (size == sizeof(int))
		return mc_load((const unsigned int *)addr);
	return 0;
}

static struct mc_ev *mc_ev_new(void)
{
	if (mc_nevs == mc_evs_cap) {
		mc_evs_cap = mc_evs_cap ? 2 * mc_evs_cap : 4096;
		mc_evs = realloc(mc_evs, mc_evs_cap * sizeof(*mc_evs));
		if (!mc_evs) {
			perror("modelcheck");
			exit(2);
		}
	}
	memset(&mc_evs[mc_nevs], 0, sizeof(*mc_evs));
	mc_evs[mc_nevs].step = mc_step;
	mc_evs[mc_nevs].tid = mc_cur < 0 ? 0xff : mc_cur;
	return &mc_evs[mc_nevs++];
}

/* The last access has happened: record what it left in memory. */
static void mc_settle(void)
{
	struct mc_ev *e;

	if (mc_pending < 0)
		return;
	e = &mc_evs[mc_pending];
	e->after = mc_peek(e->addr, e->size);
	mc_pending = -1;
}

void mc_log_reset(void)
{
	mc_nevs = 0;
	mc_text_len = 0;
	mc_pending = -1;
}

void mc_log(const char *fmt, ...)
{
	struct mc_ev *e;
	va_list ap;
	int n;

	mc_settle();
	e = mc_ev_new();
	e->kind = MC_EV_TEXT;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(mc_text + mc_text_len, mc_text_cap - mc_text_len,
			      fmt, ap);
		va_end(ap);
		if (mc_text && mc_text_len + n < mc_text_cap)
			break;
		mc_text_cap = 2 * mc_text_cap + n + 4096;
		mc_text = realloc(mc_text, mc_text_cap);
		if (!mc_text) {
			perror("modelcheck");
			exit(2);
		}
	}
	e->text = mc_text_len;
	mc_text_len += n + 1;
}

int mc_tid(void)
{
	return mc_cur;
}

unsigned long mc_focus_steps(void)
{
	return mc_fsteps;
}

bool mc_overran(void)
{
	return mc_over;
}

/* The runnable thread with the highest priority (PCT). */
static int mc_pct_pick(void)
{
	int t, best = -1;

	for (t = 0; t < mc_nthr; t++)
		if (!mc_thr[t].done && (best < 0 || mc_thr[t].prio > mc_thr[best].prio))
			best = t;
	return best;
}

/* A runnable thread chosen uniformly. */
static int mc_random_pick(void)
{
	int t, n = 0, pick[MC_MAX_THREADS];

	for (t = 0; t < mc_nthr; t++)
		if (!mc_thr[t].done)
			pick[n++] = t;
	return n ? pick[mc_below(&mc_rng, n)] : -1;
}

static bool mc_in_focus(const void *addr)
{
	const char *p = (const char *)addr;
	int i;

	for (i = 0; i < MC_NR_FOCUS; i++)
		if (p >= (const char *)mc_cfg->focus[i].lo &&
		    p < (const char *)mc_cfg->focus[i].hi)
			return true;
	return false;
}

/* A runnable thread other than the current one, or the current one if none. */
static int mc_random_other(void)
{
	int t, n = 0, pick[MC_MAX_THREADS];

	for (t = 0; t < mc_nthr; t++)
		if (!mc_thr[t].done && t != mc_cur)
			pick[n++] = t;
	return n ? pick[mc_below(&mc_rng, n)] : mc_cur;
}

/* Who runs after the current thread's step mc_step, which accesses @addr. */
static int mc_decide(const void *addr)
{
	unsigned long step = mc_step;
	unsigned int i;

	if (mc_cfg->policy == MC_PCT_FOCUS) {
		if (!addr || !mc_in_focus(addr))
			return mc_pct_pick();
		step = ++mc_fsteps;
	}
	if (mc_cfg->policy != MC_RANDOM) {
		for (i = 0; i < mc_ncp; i++)
			if (mc_cp[i] == step)
				mc_thr[mc_cur].prio = mc_cp_prio[i];
		return mc_pct_pick();
	}
	if (mc_below(&mc_rng, mc_cfg->inv_p))
		return mc_cur;
	return mc_random_other();
}

void mc_point(enum mc_kind kind, const void *addr, unsigned int size,
	      const char *func, const char *file, int line)
{
	struct mc_ev *e;
	int next;

	mc_settle();
	mc_step++;
	if (mc_step > mc_cfg->max_steps) {
		/* Abandon the round: the threads are never resumed. */
		mc_over = true;
		mc_next = -1;
		swapcontext(&mc_thr[mc_cur].ctx, &mc_main);
	}
	next = mc_decide(addr);
	if (next != mc_cur) {
		e = mc_ev_new();
		e->kind = MC_EV_SWITCH;
		e->next = next;
		e->addr = addr;
		e->size = size;
		e->func = func;
		e->file = file;
		e->line = line;
		/* Stored here, read back below to log the access itself. */
		e->before = kind;
		mc_next = next;
		swapcontext(&mc_thr[mc_cur].ctx, &mc_main);
	}
	if (kind == MC_YIELD)
		return;
	e = mc_ev_new();
	e->kind = kind;
	e->addr = addr;
	e->size = size;
	e->func = func;
	e->file = file;
	e->line = line;
	e->before = mc_peek(addr, size);
	mc_pending = e - mc_evs;
}

void mc_yield(void)
{
	mc_point(MC_YIELD, NULL, 0, "yield", "", 0);
}

static void mc_trampoline(void)
{
	mc_fn(mc_cur);
	mc_settle();
	mc_thr[mc_cur].done = true;
	mc_next = -2;
	swapcontext(&mc_thr[mc_cur].ctx, &mc_main);
}

/* A random permutation of @lo .. @lo + @n - 1 into @out. */
static void mc_permute(unsigned int *out, unsigned int n, unsigned int lo)
{
	unsigned int i, j, t;

	for (i = 0; i < n; i++)
		out[i] = lo + i;
	for (i = n; i > 1; i--) {
		j = mc_below(&mc_rng, i);
		t = out[i - 1];
		out[i - 1] = out[j];
		out[j] = t;
	}
}

unsigned long mc_run(int n, void (*fn)(int tid), const struct mc_sched_cfg *cfg)
{
	unsigned int prio[MC_MAX_THREADS], i;
	int t, live = n;

	mc_nthr = n;
	mc_fn = fn;
	mc_cfg = cfg;
	mc_rng = cfg->seed;
	mc_step = 0;
	mc_fsteps = 0;
	mc_over = false;
	mc_ncp = 0;
	if (cfg->policy != MC_RANDOM) {
		/* Low priorities 1 .. depth - 1, in random order, for the change points. */
		mc_ncp = cfg->depth > 1 ? cfg->depth - 1 : 0;
		if (mc_ncp > 8)
			mc_ncp = 8;
		mc_permute(mc_cp_prio, mc_ncp, 1);
		for (i = 0; i < mc_ncp; i++)
			mc_cp[i] = 1 + mc_below(&mc_rng, cfg->est_steps);
		mc_permute(prio, n, mc_ncp + 1);
	}
	for (t = 0; t < n; t++) {
		struct mc_thread *th = &mc_thr[t];

		if (!th->stack) {
			th->stack = malloc(MC_STACK_SIZE);
			if (!th->stack) {
				perror("modelcheck");
				exit(2);
			}
#ifdef MC_VALGRIND
			/* Or valgrind takes each switch for a stack overflow. */
			VALGRIND_STACK_REGISTER(th->stack, th->stack + MC_STACK_SIZE);
#endif
		}
		getcontext(&th->ctx);
		th->ctx.uc_stack.ss_sp = th->stack;
		th->ctx.uc_stack.ss_size = MC_STACK_SIZE;
		th->ctx.uc_link = NULL;
		makecontext(&th->ctx, mc_trampoline, 0);
		th->done = false;
		th->prio = cfg->policy != MC_RANDOM ? prio[t] : 0;
	}
	mc_active = 1;
	mc_cur = cfg->policy != MC_RANDOM ? mc_pct_pick() : mc_random_pick();
	while (live) {
		swapcontext(&mc_main, &mc_thr[mc_cur].ctx);
		if (mc_next == -1)
			break;
		if (mc_next == -2) {
			live--;
			mc_cur = cfg->policy != MC_RANDOM ? mc_pct_pick() :
							    mc_random_pick();
			continue;
		}
		mc_cur = mc_next;
	}
	mc_settle();
	mc_active = 0;
	mc_cur = -1;
	return mc_step;
}
