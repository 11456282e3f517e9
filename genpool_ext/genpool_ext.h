/* SPDX-License-Identifier: GPL-2.0 */
/*
 * genpool_ext: general-purpose allocator for special memory (on-chip SRAM,
 * uncached or device memory), a drop-in for the kernel's gen_pool of Linux
 * 6.12 under the names genpool_ext_*. A driver ports by renaming:
 * gen_pool_X -> genpool_ext_X, struct gen_pool -> struct genpool_ext,
 * genpool_algo_t -> genpool_ext_algo_t, and so on.
 *
 * Concurrency contract (the same as the kernel's):
 *  - genpool_ext_alloc*() and genpool_ext_free*() take no lock. They are safe
 *    in any context, NMI included, on architectures with an NMI-safe
 *    cmpxchg (CONFIG_ARCH_HAVE_NMI_SAFE_CMPXCHG). Bitmap words change by
 *    cmpxchg only; an allocation that loses a race rolls back and retries.
 *  - Only adding a chunk takes the pool lock, and adding allocates memory,
 *    so it needs process context. Memory must be added before lockless
 *    users rely on it.
 *  - genpool_ext_destroy() must not race with any other call on the pool.
 *
 * Placement is the kernel's, bit for bit: for one sequence of calls every
 * built-in algorithm returns the addresses gen_pool returns. The search is
 * faster: a per-chunk index lets it skip regions that cannot hold the
 * request, so its cost follows the fragmentation, not the pool size.
 *
 * Misuse never crashes: a bad free warns once per pool (per kind of
 * mistake), is counted in the pool's misuse statistic, and changes
 * nothing; destroying a pool that still has allocations warns with the
 * leaked ranges, and bad arguments return an error. What counts as a bad
 * free depends on the pool's debug checks (genpool_ext_set_debug(), or the
 * module parameter "debug" for new pools):
 *  - always: an address in no chunk or not on an allocation unit, a size
 *    of 0 or one that runs past the chunk, a range with no unit allocated
 *    (double free) or only some (partial free);
 *  - with the checks on, also a wholly allocated range that is not exactly
 *    one allocation: part of a live block, or a block and its neighbour.
 *    Off, those are accepted as the kernel's gen_pool accepts them: a
 *    bitmap has no allocation boundaries. The checks cost two bit updates
 *    per alloc and free and two more bitmaps per chunk.
 */
#ifndef _GENPOOL_EXT_H
#define _GENPOOL_EXT_H

#include <linux/types.h>
#include <linux/spinlock_types.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/compiler.h>

struct device;
struct device_node;
struct dentry;
struct genpool_ext;
struct genpool_ext_pcpu;

/**
 * typedef genpool_ext_algo_t - allocation algorithm callback
 * @map: the chunk's bitmap, one bit per allocation unit, set when in use
 * @size: number of bits in @map
 * @start: bit number to start searching at
 * @nr: number of free bits wanted
 * @data: the algorithm's private data (see genpool_ext_set_algo())
 * @pool: the pool being allocated from
 * @start_addr: start address of the chunk @map describes
 *
 * The signature of the kernel's genpool_algo_t. A caller-supplied
 * algorithm gets the plain bitmap, exactly as with gen_pool.
 *
 * Return: the first bit of a free area of @nr bits, or a value >= @size
 * when there is none.
 */
typedef unsigned long (*genpool_ext_algo_t)(unsigned long *map,
					    unsigned long size,
					    unsigned long start,
					    unsigned int nr,
					    void *data, struct genpool_ext *pool,
					    unsigned long start_addr);

/**
 * struct genpool_ext - a special-memory pool
 * @lock: serialises adding chunks; alloc and free never take it
 * @chunks: the pool's chunks, RCU-protected, newest first
 * @min_alloc_order: log2 of the allocation unit in bytes
 * @algo: the pool's allocation algorithm
 * @data: private data passed to @algo
 * @name: the name given to devm_genpool_ext_create(), or NULL
 *
 * The public fields are those of the kernel's struct gen_pool; the rest is
 * private to genpool_ext.
 */
struct genpool_ext {
	spinlock_t lock;		/* protects adding to @chunks */
	struct list_head chunks;
	int min_alloc_order;
	genpool_ext_algo_t algo;
	void *data;
	const char *name;
	/* private: */
	unsigned long warned;		/* misuse kinds already warned about */
	unsigned int id;		/* unique, names the debugfs directory */
	struct genpool_ext_pcpu __percpu *stats;
	struct dentry *debugfs;
	bool debug;			/* check frees against boundaries */
};

/**
 * struct genpool_ext_chunk - a contiguous range of special memory in a pool
 * @next_chunk: entry in &genpool_ext.chunks
 * @avail: free bytes in the chunk
 * @phys_addr: physical start address, or -1 if none was given
 * @owner: private data of whoever added the chunk
 * @start_addr: start address of the chunk
 * @end_addr: end address of the chunk (inclusive)
 * @bits: allocation bitmap, one bit per unit, set when in use
 *
 * The public fields are those of the kernel's struct gen_pool_chunk, so a
 * genpool_ext_for_each_chunk() callback reads them as before. @bits is
 * changed only by cmpxchg and must be treated as read-only outside
 * genpool_ext.
 */
struct genpool_ext_chunk {
	struct list_head next_chunk;
	atomic_long_t avail;
	phys_addr_t phys_addr;
	void *owner;
	unsigned long start_addr;
	unsigned long end_addr;
	/* private: */
	/*
	 * @longest: a hint, no free run of the chunk is longer, so that a
	 * search skips a chunk that cannot hold its request at one read.
	 * It may claim more than there is, never less, once every alloc
	 * and free in flight has returned. Lockless: a free raises it (an
	 * atomic max) after its bitmap change; only a search that found no
	 * room lowers it, by a cmpxchg against the value it read before
	 * searching, and then rescans the whole bitmap and raises it back to
	 * the longest run that rescan sees. The rescan is what makes it
	 * safe: see gpx_chunk_tighten() in index.c. The high bits count the
	 * lowerings in progress; no search skips the chunk while one is
	 * (GPX_LONGEST_SHIFT in index.h).
	 */
	atomic_long_t longest;
	unsigned long nbits;		/* allocation units in the chunk */
	atomic_long_t *index;		/* search index, after the bitmap */
	unsigned long *marks;		/* debug: first/last units, or NULL */
	/* public: */
	unsigned long bits[];
};

/**
 * struct genpool_ext_data_align - data for genpool_ext_first_fit_align()
 * @align: alignment of the start address in bytes, a power of two
 */
struct genpool_ext_data_align {
	int align;
};

/**
 * struct genpool_ext_data_fixed - data for genpool_ext_fixed_alloc()
 * @offset: offset of the wanted region from the chunk start, in bytes
 */
struct genpool_ext_data_fixed {
	unsigned long offset;
};

/**
 * struct genpool_ext_stats - a snapshot of a pool's statistics
 * @size: bytes managed by the pool
 * @avail: free bytes
 * @largest_free: the largest free extent in bytes (within one chunk)
 * @fragmentation: free space outside the largest extent, per mille of the
 *	free space: 0 when all free space is one extent
 * @chunks: number of chunks
 * @allocs: successful allocations
 * @frees: successful frees
 * @alloc_failures: allocations that failed (no space or bad arguments)
 * @failures: deprecated name of @alloc_failures, kept for old callers
 * @misuse: frees and calls rejected as misuse (each kind warns once)
 * @search_words: bitmap and index words the built-in searches read
 *
 * The counters are summed over CPUs without a lock, so under concurrent
 * use they are a moment's approximation.
 */
struct genpool_ext_stats {
	size_t size;
	size_t avail;
	size_t largest_free;
	unsigned int fragmentation;
	unsigned int chunks;
	unsigned long allocs;
	unsigned long frees;
	union {
		unsigned long alloc_failures;
		unsigned long failures;	/* deprecated: use alloc_failures */
	};
	unsigned long misuse;
	unsigned long search_words;
};

struct genpool_ext *genpool_ext_create(int min_alloc_order, int nid);
void genpool_ext_destroy(struct genpool_ext *pool);
int genpool_ext_add_owner(struct genpool_ext *pool, unsigned long virt,
			  phys_addr_t phys, size_t size, int nid, void *owner);
phys_addr_t genpool_ext_virt_to_phys(struct genpool_ext *pool,
				     unsigned long addr);

/**
 * genpool_ext_add_virt - add a chunk with a physical address to a pool
 * @pool: pool to add the chunk to
 * @addr: start address of the chunk
 * @phys: physical start address of the chunk
 * @size: size of the chunk in bytes
 * @nid: node for the chunk's metadata, or NUMA_NO_NODE
 *
 * Context: process context; takes the pool lock.
 * Return: 0 on success, -EINVAL on bad arguments, -ENOMEM.
 */
static inline int genpool_ext_add_virt(struct genpool_ext *pool,
				       unsigned long addr, phys_addr_t phys,
				       size_t size, int nid)
{
	return genpool_ext_add_owner(pool, addr, phys, size, nid, NULL);
}

/**
 * genpool_ext_add - add a chunk of special memory to a pool
 * @pool: pool to add the chunk to
 * @addr: start address of the chunk
 * @size: size of the chunk in bytes
 * @nid: node for the chunk's metadata, or NUMA_NO_NODE
 *
 * Context: process context; takes the pool lock.
 * Return: 0 on success, -EINVAL on bad arguments, -ENOMEM.
 */
static inline int genpool_ext_add(struct genpool_ext *pool, unsigned long addr,
				  size_t size, int nid)
{
	return genpool_ext_add_virt(pool, addr, -1, size, nid);
}

unsigned long genpool_ext_alloc_algo_owner(struct genpool_ext *pool,
					   size_t size, genpool_ext_algo_t algo,
					   void *data, void **owner);

/*
 * The wrappers below are __always_inline: the exported function records
 * its caller (_RET_IP_) for the leak report and the tracepoints, and that
 * must be the driver, not a copy of the wrapper that a compiler chose to
 * emit out of line (arm64's debug build did).
 */
/**
 * genpool_ext_alloc_owner - allocate from a pool, report the chunk owner
 * @pool: pool to allocate from
 * @size: bytes to allocate, rounded up to the allocation unit
 * @owner: if not NULL, set to the owner of the chunk used, or NULL
 *
 * Uses the pool's algorithm (first fit unless genpool_ext_set_algo() chose
 * another).
 *
 * Context: any context, NMI included (lockless).
 * Return: the address of the allocation, or 0 on failure.
 */
static __always_inline unsigned long genpool_ext_alloc_owner(struct genpool_ext *pool,
							     size_t size, void **owner)
{
	return genpool_ext_alloc_algo_owner(pool, size, NULL, NULL, owner);
}

/**
 * genpool_ext_alloc_algo - allocate from a pool with a given algorithm
 * @pool: pool to allocate from
 * @size: bytes to allocate, rounded up to the allocation unit
 * @algo: algorithm to use, or NULL for the pool's
 * @data: data for @algo
 *
 * Context: any context, NMI included (lockless).
 * Return: the address of the allocation, or 0 on failure.
 */
static __always_inline unsigned long genpool_ext_alloc_algo(struct genpool_ext *pool,
							    size_t size,
							    genpool_ext_algo_t algo,
							    void *data)
{
	return genpool_ext_alloc_algo_owner(pool, size, algo, data, NULL);
}

/**
 * genpool_ext_alloc - allocate special memory from a pool
 * @pool: pool to allocate from
 * @size: bytes to allocate, rounded up to the allocation unit
 *
 * Uses the pool's algorithm (first fit by default).
 *
 * Context: any context, NMI included (lockless).
 * Return: the address of the allocation, or 0 on failure.
 */
static __always_inline unsigned long genpool_ext_alloc(struct genpool_ext *pool,
						       size_t size)
{
	return genpool_ext_alloc_algo_owner(pool, size, NULL, NULL, NULL);
}

void *genpool_ext_dma_alloc(struct genpool_ext *pool, size_t size,
			    dma_addr_t *dma);
void *genpool_ext_dma_alloc_algo(struct genpool_ext *pool, size_t size,
				 dma_addr_t *dma, genpool_ext_algo_t algo,
				 void *data);
void *genpool_ext_dma_alloc_align(struct genpool_ext *pool, size_t size,
				  dma_addr_t *dma, int align);
void *genpool_ext_dma_zalloc(struct genpool_ext *pool, size_t size,
			     dma_addr_t *dma);
void *genpool_ext_dma_zalloc_algo(struct genpool_ext *pool, size_t size,
				  dma_addr_t *dma, genpool_ext_algo_t algo,
				  void *data);
void *genpool_ext_dma_zalloc_align(struct genpool_ext *pool, size_t size,
				   dma_addr_t *dma, int align);

void genpool_ext_free_owner(struct genpool_ext *pool, unsigned long addr,
			    size_t size, void **owner);

/**
 * genpool_ext_free - free memory back to a pool
 * @pool: pool to free to
 * @addr: address returned by an allocation from @pool
 * @size: size given to that allocation
 *
 * A free of an address outside the pool, a double free, or a free of a
 * range that is not wholly allocated warns once per pool and changes
 * nothing.
 *
 * Context: any context, NMI included (lockless).
 */
static __always_inline void genpool_ext_free(struct genpool_ext *pool,
					     unsigned long addr, size_t size)
{
	genpool_ext_free_owner(pool, addr, size, NULL);
}

/**
 * genpool_ext_for_each_chunk - call a function for every chunk of a pool
 * @pool: the pool
 * @func: called with the pool, a chunk and @data, under rcu_read_lock()
 * @data: passed to @func
 *
 * Chunks come newest first. @func must not sleep.
 *
 * Context: any context.
 */
void genpool_ext_for_each_chunk(struct genpool_ext *pool,
				void (*func)(struct genpool_ext *pool,
					     struct genpool_ext_chunk *chunk,
					     void *data),
				void *data);
size_t genpool_ext_avail(struct genpool_ext *pool);
size_t genpool_ext_size(struct genpool_ext *pool);
bool genpool_ext_has_addr(struct genpool_ext *pool, unsigned long start,
			  size_t size);
void genpool_ext_set_algo(struct genpool_ext *pool, genpool_ext_algo_t algo,
			  void *data);

unsigned long genpool_ext_first_fit(unsigned long *map, unsigned long size,
				    unsigned long start, unsigned int nr,
				    void *data, struct genpool_ext *pool,
				    unsigned long start_addr);
unsigned long genpool_ext_first_fit_align(unsigned long *map,
					  unsigned long size,
					  unsigned long start, unsigned int nr,
					  void *data, struct genpool_ext *pool,
					  unsigned long start_addr);
unsigned long genpool_ext_first_fit_order_align(unsigned long *map,
						unsigned long size,
						unsigned long start,
						unsigned int nr, void *data,
						struct genpool_ext *pool,
						unsigned long start_addr);
unsigned long genpool_ext_best_fit(unsigned long *map, unsigned long size,
				   unsigned long start, unsigned int nr,
				   void *data, struct genpool_ext *pool,
				   unsigned long start_addr);
unsigned long genpool_ext_fixed_alloc(unsigned long *map, unsigned long size,
				      unsigned long start, unsigned int nr,
				      void *data, struct genpool_ext *pool,
				      unsigned long start_addr);

struct genpool_ext *devm_genpool_ext_create(struct device *dev,
					    int min_alloc_order, int nid,
					    const char *name);
struct genpool_ext *genpool_ext_get(struct device *dev, const char *name);

#ifdef CONFIG_OF
struct genpool_ext *of_genpool_ext_get(struct device_node *np,
				       const char *propname, int index);
#else
/**
 * of_genpool_ext_get - find a pool by a device-tree phandle property
 * @np: device node holding the property
 * @propname: name of the phandle property
 * @index: index into the phandle list
 *
 * Without CONFIG_OF there is no device tree to search.
 *
 * Context: process context.
 * Return: NULL.
 */
static inline struct genpool_ext *of_genpool_ext_get(struct device_node *np,
						     const char *propname,
						     int index)
{
	return NULL;
}
#endif

/* Beyond gen_pool: statistics and a consistency check. */
int genpool_ext_get_stats(struct genpool_ext *pool,
			  struct genpool_ext_stats *stats);
/* Deprecated: the old name of genpool_ext_get_stats(), kept for callers. */
int genpool_ext_read_stats(struct genpool_ext *pool,
			   struct genpool_ext_stats *stats);
int genpool_ext_validate(struct genpool_ext *pool);
int genpool_ext_set_debug(struct genpool_ext *pool, bool enable);

#endif /* _GENPOOL_EXT_H */
