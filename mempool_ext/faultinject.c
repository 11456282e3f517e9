// SPDX-License-Identifier: GPL-2.0
/*
 * mempool_ext per-pool fault injection.
 *
 * Mainline gained a global fail_mempool_alloc attribute only in 6.19, and
 * it hits every pool at once. Here each pool has its own knob, set from
 * kernel code with mempool_ext_set_fault() or from user space through
 * /sys/kernel/debug/mempool_ext/<pool>/fault:
 *
 *	off | always | every <N> | probability <percent>
 *
 * While a fault is due, the allocation paths skip the backing allocator
 * and behave as if it had returned NULL, so the reserve and the wait queue
 * can be exercised on demand. The mode and its argument share one word,
 * so the lockless allocation path never sees a mode with a stale argument.
 * While the knob is off, the flag bit MEMPOOL_EXT_F_FAULT is clear and the
 * allocation fast path never looks at the knob at all.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/string.h>

#include "internal.h"
#include "trace.h"

#define MEMPOOL_EXT_FAULT_MODE_BITS	2
#define MEMPOOL_EXT_FAULT_MODE_MASK	((1UL << MEMPOOL_EXT_FAULT_MODE_BITS) - 1)
/* Largest argument that fits beside the mode on 32-bit machines. */
#define MEMPOOL_EXT_FAULT_ARG_MAX	(UINT_MAX >> MEMPOOL_EXT_FAULT_MODE_BITS)

static const char * const mpx_fault_names[] = {
	[MEMPOOL_EXT_FAULT_OFF] = "off",
	[MEMPOOL_EXT_FAULT_ALWAYS] = "always",
	[MEMPOOL_EXT_FAULT_EVERY_NTH] = "every",
	[MEMPOOL_EXT_FAULT_PROBABILITY] = "probability",
};

/**
 * mempool_ext_set_fault - make a pool's backing allocator fail on purpose
 * @pool: the pool
 * @mode: when to fail, see &enum mempool_ext_fault_mode
 * @arg: N for %MEMPOOL_EXT_FAULT_EVERY_NTH (at least 1), the percentage
 *	(0 to 100) for %MEMPOOL_EXT_FAULT_PROBABILITY; ignored otherwise
 *
 * Takes effect for the next allocation; the every-Nth count restarts.
 * Injected failures make mempool_ext_alloc() and mempool_ext_alloc_bulk()
 * fall back to the reserve exactly as a real allocation failure would.
 *
 * Context: Any context (takes the pool's lock, IRQ-safe).
 * Return: 0, or -EINVAL for an unknown mode, an argument out of range or
 * an uninitialised pool (the setting is then unchanged).
 */
int mempool_ext_set_fault(struct mempool_ext *pool,
			  enum mempool_ext_fault_mode mode, unsigned int arg)
{
	unsigned long flags;

	if (!pool || !mempool_ext_initialized(pool))
		return -EINVAL;
	switch (mode) {
	case MEMPOOL_EXT_FAULT_OFF:
	case MEMPOOL_EXT_FAULT_ALWAYS:
		arg = 0;
		break;
	case MEMPOOL_EXT_FAULT_EVERY_NTH:
		if (!arg || arg > MEMPOOL_EXT_FAULT_ARG_MAX)
			return -EINVAL;
		break;
	case MEMPOOL_EXT_FAULT_PROBABILITY:
		if (arg > 100)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	/*
	 * The flag sends the allocation paths to mpx_should_fail().
	 * pool->lock keeps it in step with the knob when two settings race;
	 * an allocation in between the writes may use the old or the new
	 * setting, either is fine.
	 */
	spin_lock_irqsave(&pool->lock, flags);
	atomic_long_set(&pool->fault_calls, 0);
	WRITE_ONCE(pool->fault,
		   ((unsigned long)arg << MEMPOOL_EXT_FAULT_MODE_BITS) | mode);
	if (mode == MEMPOOL_EXT_FAULT_OFF)
		clear_bit(MEMPOOL_EXT_F_FAULT, &pool->flags);
	else
		set_bit(MEMPOOL_EXT_F_FAULT, &pool->flags);
	spin_unlock_irqrestore(&pool->lock, flags);
	return 0;
}
EXPORT_SYMBOL_GPL(mempool_ext_set_fault);

/*
 * Should this call of the backing allocator fail? Any context; called only
 * while MEMPOOL_EXT_F_FAULT is set.
 */
bool mpx_should_fail(struct mempool_ext *pool)
{
	unsigned long fault = READ_ONCE(pool->fault);
	unsigned long arg = fault >> MEMPOOL_EXT_FAULT_MODE_BITS;
	bool fail;

	switch (fault & MEMPOOL_EXT_FAULT_MODE_MASK) {
	case MEMPOOL_EXT_FAULT_ALWAYS:
		fail = true;
		break;
	case MEMPOOL_EXT_FAULT_EVERY_NTH:
		fail = atomic_long_inc_return(&pool->fault_calls) % arg == 0;
		break;
	case MEMPOOL_EXT_FAULT_PROBABILITY:
		/* Scale a uniform 32-bit value to [0, 100). */
		fail = (((u64)get_random_u32() * 100) >> 32) < arg;
		break;
	default:
		return false;
	}
	if (fail) {
		this_cpu_inc(pool->pcpu->faults_injected);
		trace_mempool_ext_fault(pool, fault & MEMPOOL_EXT_FAULT_MODE_MASK);
	}
	return fail;
}

/* The knob's current setting, in the syntax the debugfs file accepts. */
void mpx_fault_describe(struct mempool_ext *pool, char *buf,
			size_t len)
{
	unsigned long fault = READ_ONCE(pool->fault);
	unsigned long mode = fault & MEMPOOL_EXT_FAULT_MODE_MASK;
	unsigned long arg = fault >> MEMPOOL_EXT_FAULT_MODE_BITS;

	if (mode == MEMPOOL_EXT_FAULT_EVERY_NTH ||
	    mode == MEMPOOL_EXT_FAULT_PROBABILITY)
		snprintf(buf, len, "%s %lu", mpx_fault_names[mode], arg);
	else
		snprintf(buf, len, "%s", mpx_fault_names[mode]);
}

/* Parse "off", "always", "every N" or "probability P" and apply it. */
int mpx_fault_parse(struct mempool_ext *pool, char *cmd)
{
	char *word = strsep(&cmd, " \t");
	unsigned int arg = 0;
	int mode;

	mode = match_string(mpx_fault_names,
			    ARRAY_SIZE(mpx_fault_names), word);
	if (mode < 0)
		return -EINVAL;
	if (mode == MEMPOOL_EXT_FAULT_EVERY_NTH ||
	    mode == MEMPOOL_EXT_FAULT_PROBABILITY) {
		if (!cmd || kstrtouint(skip_spaces(cmd), 0, &arg))
			return -EINVAL;
	} else if (cmd && *skip_spaces(cmd)) {
		return -EINVAL;
	}
	return mempool_ext_set_fault(pool, mode, arg);
}
