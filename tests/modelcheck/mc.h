/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model checker's scheduler and event log (sched.c), used by the
 * workload and the invariant checks (modelcheck.c).
 *
 * Simulated threads are ucontext coroutines on one OS thread. A thread
 * runs until it reaches a switch point (mc_point(), called by the kernel
 * header shims before every modelled access) where the scheduling policy
 * decides to run another one. All decisions come from a seeded generator,
 * so a seed replays the same interleaving.
 */
#ifndef _MC_H
#define _MC_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <mc_sched.h>

#define MC_MAX_THREADS	4

/* splitmix64: small, fast, and good enough to drive a search. */
static inline u64 mc_rand(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static inline unsigned long mc_below(u64 *s, unsigned long n)
{
	return n ? mc_rand(s) % n : 0;
}

enum mc_policy {
	/*
	 * PCT (Burckhardt et al., ASPLOS 2010): threads get random distinct
	 * priorities and the highest runnable one runs; at depth - 1 random
	 * steps the running thread drops below all others. Finds bugs that
	 * need a few preemptions at exact places in long operations.
	 */
	MC_PCT,
	/* At each switch point, switch to a random thread with probability 1/inv_p. */
	MC_RANDOM,
	/*
	 * PCT whose change points fall only on accesses to the focus (memory
	 * the round's operations are aimed at): the preemptions land where
	 * the threads interfere, and the thread that takes over runs on.
	 */
	MC_PCT_FOCUS,
};

#define MC_NR_FOCUS	3

struct mc_range {
	const void *lo, *hi;
};

struct mc_sched_cfg {
	enum mc_policy policy;
	unsigned int depth;		/* PCT: change points + 1 */
	/* PCT: steps the round is expected to take; PCT_FOCUS: accesses to the focus */
	unsigned long est_steps;
	unsigned int inv_p;		/* RANDOM */
	struct mc_range focus[MC_NR_FOCUS];	/* PCT_FOCUS: [lo, hi) each */
	u64 seed;
	unsigned long max_steps;	/* give up (and fail) after this many */
};

/* Events of the current round, for the failure trace. */
enum {
	MC_EV_SWITCH = MC_NR_ACCESS,	/* a thread was paused at a switch point */
	MC_EV_TEXT,			/* the workload said what a thread does */
};

struct mc_ev {
	const void *addr;
	const char *func;
	const char *file;
	unsigned long before;		/* value at the access (if size 4 or 8) */
	unsigned long after;		/* value once the access was done */
	unsigned long text;		/* MC_EV_TEXT: offset in mc_text */
	unsigned int step;
	int line;
	unsigned char tid;
	unsigned char kind;
	unsigned char size;
	unsigned char next;		/* MC_EV_SWITCH: thread that runs next */
};

extern struct mc_ev *mc_evs;
extern unsigned long mc_nevs;
extern char *mc_text;

/* Run @n threads, each calling @fn(tid), to completion. Return: steps taken. */
unsigned long mc_run(int n, void (*fn)(int tid), const struct mc_sched_cfg *cfg);
/* Accesses to the focus in the last mc_run(). */
unsigned long mc_focus_steps(void);
/* Whether the last mc_run() stopped at cfg->max_steps. */
bool mc_overran(void);
/* The calling simulated thread's id. */
int mc_tid(void);
/* A switch point of the workload's own, between operations. */
void mc_yield(void);
/* Log a line for the calling thread (or for no thread, outside mc_run()). */
__printf(1, 2) void mc_log(const char *fmt, ...);
/* Forget the events of the last round. */
void mc_log_reset(void);

/* Warnings from the code under test since this was last cleared (kernel.c). */
extern unsigned long mc_warnings;

#endif /* _MC_H */
