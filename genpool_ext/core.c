// SPDX-License-Identifier: GPL-2.0
/*
 * Pools and chunks: creation, adding memory, destruction, and the
 * read-only queries over the chunk list.
 *
 * Concurrency (the contract for users is in genpool_ext.h):
 *  - The chunk list is RCU-protected. Readers (alloc, free and every query
 *    here) walk it under rcu_read_lock() and may run in any context.
 *  - pool->lock serialises writers of the list, which only add: a chunk
 *    is never removed while the pool lives. Adding allocates with
 *    GFP_KERNEL, so it needs process context.
 *  - genpool_ext_destroy() frees chunks without waiting for a grace
 *    period: like the kernel's, it must not race with any other call.
 */
#include <linux/bug.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "index.h"

static atomic_t gpx_pool_ids = ATOMIC_INIT(0);

/**
 * gpx_pool_new - create a pool, taking over @name
 * @min_alloc_order: log2 of the allocation unit in bytes
 * @nid: node for the pool structure, or NUMA_NO_NODE
 * @name: name from kstrdup_const(), or NULL; freed with the pool (on
 *	failure the caller keeps it)
 *
 * Context: process context.
 * Return: the pool, or NULL on a bad order or no memory.
 */
struct genpool_ext *gpx_pool_new(int min_alloc_order, int nid,
				 const char *name)
{
	struct genpool_ext *pool;

	if (min_alloc_order < 0 || min_alloc_order >= BITS_PER_LONG)
		return NULL;
	pool = kzalloc_node(sizeof(*pool), GFP_KERNEL, nid);
	if (!pool)
		return NULL;
	pool->stats = alloc_percpu(struct genpool_ext_pcpu);
	if (!pool->stats) {
		kfree(pool);
		return NULL;
	}
	spin_lock_init(&pool->lock);
	INIT_LIST_HEAD(&pool->chunks);
	pool->min_alloc_order = min_alloc_order;
	pool->algo = genpool_ext_first_fit;
	pool->name = name;
	pool->debug = READ_ONCE(gpx_debug_default);
	pool->id = atomic_inc_return(&gpx_pool_ids);
	gpx_debugfs_add(pool);
	return pool;
}

/**
 * genpool_ext_create - create a special memory pool
 * @min_alloc_order: log2 of the allocation unit in bytes, 0..BITS_PER_LONG-1
 * @nid: node for the pool structure, or NUMA_NO_NODE
 *
 * The pool starts empty, with the first-fit algorithm; add memory with
 * genpool_ext_add() and friends.
 *
 * Context: process context.
 * Return: the pool, or NULL if @min_alloc_order is out of range or memory
 * ran out.
 */
struct genpool_ext *genpool_ext_create(int min_alloc_order, int nid)
{
	return gpx_pool_new(min_alloc_order, nid, NULL);
}
EXPORT_SYMBOL_GPL(genpool_ext_create);

/**
 * genpool_ext_add_owner - add a chunk of special memory to a pool
 * @pool: pool to add the chunk to
 * @virt: start address of the chunk
 * @phys: physical start address of the chunk, or -1 if it has none
 * @size: size of the chunk in bytes
 * @nid: node for the chunk's metadata, or NUMA_NO_NODE
 * @owner: private data returned by the *_owner() calls for this chunk
 *
 * The chunk is searched before older chunks, as in the kernel. A trailing
 * part smaller than the allocation unit counts in the chunk's size and
 * avail, as in the kernel, but is never handed out.
 *
 * Context: process context; takes the pool lock.
 * Return: 0 on success; -EINVAL for a NULL @pool, a @size smaller than one
 * allocation unit, a range that wraps around, or one that overlaps a chunk
 * of the pool; -ENOMEM.
 */
int genpool_ext_add_owner(struct genpool_ext *pool, unsigned long virt,
			  phys_addr_t phys, size_t size, int nid, void *owner)
{
	struct genpool_ext_chunk *chunk, *other;
	unsigned long nbits, nwords;
	size_t bytes;

	if (!pool || !size || virt + (size - 1) < virt)
		return -EINVAL;
	nbits = size >> pool->min_alloc_order;
	if (!nbits)
		return -EINVAL;
	nwords = BITS_TO_LONGS(nbits);
	bytes = size_add(struct_size(chunk, bits, nwords),
			 array_size(gpx_index_words(nbits),
				    sizeof(atomic_long_t)));
	/* No bitmap that big can be meant; vmalloc would warn about it. */
	if (bytes > INT_MAX)
		return -ENOMEM;
	/*
	 * Like the kernel, vmalloc above a page: kvmalloc() would try kmalloc
	 * first and could take twice the memory (power-of-two pages). Small
	 * chunks fit a slab object, smaller than a vmalloc page.
	 */
	if (bytes <= PAGE_SIZE)
		chunk = kzalloc_node(bytes, GFP_KERNEL, nid);
	else
		chunk = vzalloc_node(bytes, nid);
	if (!chunk)
		return -ENOMEM;
	chunk->phys_addr = phys;
	chunk->start_addr = virt;
	chunk->end_addr = virt + size - 1;
	chunk->owner = owner;
	chunk->nbits = nbits;
	chunk->index = (atomic_long_t *)(chunk->bits + nwords);
	atomic_long_set(&chunk->avail, size);
	gpx_index_init(chunk);
	if (gpx_debug_chunk_init(pool, chunk)) {
		kvfree(chunk);
		return -ENOMEM;
	}

	spin_lock(&pool->lock);
	list_for_each_entry(other, &pool->chunks, next_chunk) {
		if (virt <= other->end_addr && other->start_addr <= chunk->end_addr)
			goto overlap;
	}
	/* Publishes the initialised chunk to lockless readers. */
	list_add_rcu(&chunk->next_chunk, &pool->chunks);
	spin_unlock(&pool->lock);
	return 0;

overlap:
	spin_unlock(&pool->lock);
	kvfree(chunk->marks);
	kvfree(chunk);
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(genpool_ext_add_owner);

/* Count the allocated ranges (maximal busy runs) and units of @chunk. */
static void gpx_count_busy(struct genpool_ext_chunk *chunk,
			   unsigned long *ranges, unsigned long *units)
{
	struct gpx_ctx c = { .map = chunk->bits, .size = chunk->nbits };
	unsigned long p = 0, b;

	for (;;) {
		b = gpx_next_busy(&c, p, c.size);
		if (b >= c.size)
			break;
		p = gpx_next_free(&c, b, c.size);
		*ranges += 1;
		*units += p - b;
	}
}

/**
 * genpool_ext_destroy - destroy a pool and free its metadata
 * @pool: pool to destroy, or NULL
 *
 * Outstanding allocations are a caller bug, which the kernel answers with
 * BUG(). Here they are counted and reported in one warning (ranges are
 * maximal runs of allocated units, so adjacent allocations count as one),
 * and the pool is freed anyway; the special memory itself was never the
 * pool's to free. With the debug checks on, the warning is followed by
 * the live allocations grouped by the code that made them.
 *
 * Context: process context; no other call on @pool may run concurrently.
 */
void genpool_ext_destroy(struct genpool_ext *pool)
{
	struct genpool_ext_chunk *chunk, *next;
	unsigned long ranges = 0, units = 0;

	if (!pool)
		return;
	gpx_debugfs_remove(pool);
	list_for_each_entry(chunk, &pool->chunks, next_chunk)
		gpx_count_busy(chunk, &ranges, &units);
	if (gpx_warn(ranges,
		     "destroying pool %s-%u with %lu outstanding allocation ranges (%lu bytes)\n",
		     pool->name ?: "pool", pool->id, ranges,
		     units << pool->min_alloc_order))
		gpx_debug_report_leaks(pool);
	list_for_each_entry_safe(chunk, next, &pool->chunks, next_chunk) {
		list_del(&chunk->next_chunk);
		kvfree(chunk->marks);
		kvfree(chunk);
	}
	free_percpu(pool->stats);
	kfree_const(pool->name);
	kfree(pool);
}
EXPORT_SYMBOL_GPL(genpool_ext_destroy);

/**
 * genpool_ext_virt_to_phys - translate a pool address to a physical one
 * @pool: the pool
 * @addr: an address inside one of @pool's chunks
 *
 * Context: any context.
 * Return: the physical address, or -1 if @addr is in no chunk or its chunk
 * was added without a physical address.
 */
phys_addr_t genpool_ext_virt_to_phys(struct genpool_ext *pool,
				     unsigned long addr)
{
	struct genpool_ext_chunk *chunk;
	phys_addr_t paddr = -1;

	if (!pool)
		return -1;
	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		if (addr >= chunk->start_addr && addr <= chunk->end_addr) {
			if (chunk->phys_addr != (phys_addr_t)-1)
				paddr = chunk->phys_addr +
					(addr - chunk->start_addr);
			break;
		}
	}
	rcu_read_unlock();
	return paddr;
}
EXPORT_SYMBOL_GPL(genpool_ext_virt_to_phys);

/*
 * Documented in genpool_ext.h, because kernel-doc cannot parse the
 * parenthesised name that keeps checkpatch from taking this function for a
 * for_each loop macro.
 */
void (genpool_ext_for_each_chunk)(struct genpool_ext *pool, gpx_chunk_fn func,
				  void *data)
{
	struct genpool_ext_chunk *chunk;

	if (!pool || !func)
		return;
	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk)
		func(pool, chunk, data);
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(genpool_ext_for_each_chunk);

/**
 * genpool_ext_has_addr - check that a range lies inside one chunk of a pool
 * @pool: the pool
 * @start: start address of the range
 * @size: size of the range in bytes
 *
 * Context: any context.
 * Return: true if [@start, @start + @size) lies wholly in one chunk; false
 * otherwise, and for a NULL @pool, a zero @size or a range that wraps.
 */
bool genpool_ext_has_addr(struct genpool_ext *pool, unsigned long start,
			  size_t size)
{
	struct genpool_ext_chunk *chunk;
	unsigned long end = start + size - 1;
	bool found = false;

	if (!pool || !size || end < start)
		return false;
	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		if (start >= chunk->start_addr && end <= chunk->end_addr) {
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}
EXPORT_SYMBOL_GPL(genpool_ext_has_addr);

/**
 * genpool_ext_avail - free bytes in a pool
 * @pool: the pool
 *
 * Context: any context.
 * Return: the sum of the chunks' free bytes (0 for a NULL @pool).
 */
size_t genpool_ext_avail(struct genpool_ext *pool)
{
	struct genpool_ext_chunk *chunk;
	size_t avail = 0;

	if (!pool)
		return 0;
	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk)
		avail += atomic_long_read(&chunk->avail);
	rcu_read_unlock();
	return avail;
}
EXPORT_SYMBOL_GPL(genpool_ext_avail);

/**
 * genpool_ext_size - bytes managed by a pool
 * @pool: the pool
 *
 * Context: any context.
 * Return: the sum of the chunks' sizes (0 for a NULL @pool).
 */
size_t genpool_ext_size(struct genpool_ext *pool)
{
	struct genpool_ext_chunk *chunk;
	size_t size = 0;

	if (!pool)
		return 0;
	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk)
		size += gpx_chunk_size(chunk);
	rcu_read_unlock();
	return size;
}
EXPORT_SYMBOL_GPL(genpool_ext_size);

/**
 * genpool_ext_set_algo - set a pool's allocation algorithm
 * @pool: the pool
 * @algo: the algorithm, or NULL for genpool_ext_first_fit()
 * @data: data passed to @algo
 *
 * Allocations running concurrently may still use the old algorithm.
 *
 * Context: any context.
 */
void genpool_ext_set_algo(struct genpool_ext *pool, genpool_ext_algo_t algo,
			  void *data)
{
	if (!pool)
		return;
	WRITE_ONCE(pool->algo, algo ?: genpool_ext_first_fit);
	WRITE_ONCE(pool->data, data);
}
EXPORT_SYMBOL_GPL(genpool_ext_set_algo);

static int __init gpx_module_init(void)
{
	gpx_debugfs_init();
	return 0;
}
module_init(gpx_module_init);

static void __exit gpx_module_exit(void)
{
	gpx_debugfs_exit();
}
module_exit(gpx_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Lockless general-purpose special-memory pool with an indexed search (gen_pool API)");
