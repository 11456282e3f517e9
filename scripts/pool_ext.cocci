// SPDX-License-Identifier: GPL-2.0
/// Port a driver from the kernel's gen_pool, mempool and dma_pool to the
/// pool_ext suite (genpool_ext, mempool_ext, dmapool_ext).
///
/// Run it through scripts/port-driver, which passes the options and turns
/// the "pool_ext-port: LIST" lines into its report. What it does:
///  - the three headers become the suite's public headers;
///  - the types (struct gen_pool, struct gen_pool_chunk, genpool_algo_t,
///    struct genpool_data_align/_fixed, mempool_t, struct mempool_s,
///    struct mempool, mempool_alloc_t, mempool_free_t, struct dma_pool)
///    become the suite's;
///  - every function and macro of the three APIs, the allocation-profiling
///    _noprof spellings included, becomes the suite's, wherever the name
///    appears: called, or passed as a callback (mempool_kmalloc, say).
/// What it cannot do without guessing it lists, with file:line, and
/// leaves to the author: a field of a pool struct that the suite does not
/// mirror (any field of the kernel's private struct dma_pool, or of
/// gen_pool/mempool beyond the public ones the suite keeps with the same
/// meaning), and a cast to or from a pool pointer type. The listing rules
/// run first, on the unconverted code; every rule matches only kernel
/// names, so a second run finds nothing to do.
///
/// Confidence: High for the renames (names and types are exact matches).
/// The listing depends on Coccinelle's type inference: run it with the
/// driver's headers (port-driver passes --local-includes).
//
// Options: --local-includes

virtual patch

// ---- listed, not converted ------------------------------------------------

// Fields read or written through a pool pointer. The suite keeps the
// kernel's public fields with their meaning (see its headers); any other
// field, and every field of struct dma_pool (private to mm/dmapool.c), has
// no counterpart the tool could pick.
@list_field_dma@
struct dma_pool *p;
struct dma_pool s;
identifier fld;
position pos;
@@
(
 p->fld@pos
|
 s.fld@pos
)

@script:python depends on list_field_dma@
pos << list_field_dma.pos;
fld << list_field_dma.fld;
@@
import sys
sys.stderr.write("pool_ext-port: LIST %s:%s: field '%s' of struct dma_pool (private to the kernel; dmapool_ext has no such field: use dmapool_ext_get_stats())\n" % (pos[0].file, pos[0].line, fld))

@list_field_mempool@
typedef mempool_t;
{mempool_t *, struct mempool_s *, struct mempool *} p;
{mempool_t, struct mempool_s, struct mempool} s;
identifier fld != {min_nr, curr_nr, pool_data, alloc, free};
position pos;
@@
(
 p->fld@pos
|
 s.fld@pos
)

@script:python depends on list_field_mempool@
pos << list_field_mempool.pos;
fld << list_field_mempool.fld;
@@
import sys
sys.stderr.write("pool_ext-port: LIST %s:%s: field '%s' of mempool_t (struct mempool_ext keeps only min_nr, curr_nr, pool_data, alloc and free with the same meaning)\n" % (pos[0].file, pos[0].line, fld))

@list_field_genpool@
{struct gen_pool *} p;
{struct gen_pool_chunk *} c;
identifier fld != {lock, chunks, min_alloc_order, algo, data, name};
identifier cfld != {next_chunk, avail, phys_addr, owner, start_addr, end_addr, bits};
position pos;
@@
(
 p->fld@pos
|
 c->cfld@pos
)

@script:python depends on list_field_genpool@
pos << list_field_genpool.pos;
@@
import sys
sys.stderr.write("pool_ext-port: LIST %s:%s: field of struct gen_pool or gen_pool_chunk that genpool_ext does not keep\n" % (pos[0].file, pos[0].line))

// A cast to a pool pointer type, or of a pool pointer to another type:
// the tool cannot tell what the other side holds.
@list_cast disable drop_cast@
typedef mempool_t;
{struct gen_pool *, struct gen_pool_chunk *, mempool_t *, struct mempool_s *, struct mempool *, struct dma_pool *} p;
type T;
expression E;
position pos;
@@
(
 (struct gen_pool *)E@pos
|
 (struct gen_pool_chunk *)E@pos
|
 (mempool_t *)E@pos
|
 (struct mempool_s *)E@pos
|
 (struct mempool *)E@pos
|
 (struct dma_pool *)E@pos
|
 (T)p@pos
)

@script:python depends on list_cast@
pos << list_cast.pos;
@@
import sys
sys.stderr.write("pool_ext-port: LIST %s:%s: cast to or from a pool pointer type (check what the other side holds; its type name is converted, the cast is kept)\n" % (pos[0].file, pos[0].line))

// ---- headers --------------------------------------------------------------

@depends on patch@
@@
- #include <linux/genalloc.h>
+ #include <genpool_ext/genpool_ext.h>

@depends on patch@
@@
- #include <linux/mempool.h>
+ #include <mempool_ext/mempool_ext.h>

@depends on patch@
@@
- #include <linux/dmapool.h>
+ #include <dmapool_ext/dmapool_ext.h>

// ---- functions, macros and callbacks --------------------------------------

@fn depends on patch@
identifier f =~ "^(gen_pool_(create|virt_to_phys|add_owner|add_virt|add|destroy|alloc_algo_owner|alloc_owner|alloc_algo|alloc|dma_alloc|dma_alloc_algo|dma_alloc_align|dma_zalloc|dma_zalloc_algo|dma_zalloc_align|free_owner|free|for_each_chunk|avail|size|has_addr|set_algo|first_fit|first_fit_align|first_fit_order_align|best_fit|fixed_alloc|get)|devm_gen_pool_create|of_gen_pool_get|addr_in_gen_pool|mempool_(initialized|is_saturated|exit|init_node|init|init_noprof|create|create_node|create_node_noprof|resize|destroy|alloc|alloc_noprof|alloc_bulk|alloc_bulk_noprof|alloc_noreserve|alloc_preallocated|free|free_bulk|alloc_slab|free_slab|init_slab_pool|create_slab_pool|kmalloc|kfree|init_kmalloc_pool|create_kmalloc_pool|kvmalloc|kvfree|init_kvmalloc_pool|create_kvmalloc_pool|alloc_pages|free_pages|init_page_pool|create_page_pool)|dma_pool_(create|create_node|destroy|alloc|zalloc|free)|dmam_pool_(create|destroy))$";
@@
f

@script:python fn_new@
f << fn.f;
g;
@@
if f == "addr_in_gen_pool":
    n = "genpool_ext_has_addr"
elif f == "devm_gen_pool_create":
    n = "devm_genpool_ext_create"
elif f == "of_gen_pool_get":
    n = "of_genpool_ext_get"
elif f.startswith("gen_pool_"):
    n = "genpool_ext_" + f[len("gen_pool_"):]
elif f.startswith("mempool_"):
    n = "mempool_ext_" + f[len("mempool_"):]
    if n.endswith("_noprof"):
        n = n[:-len("_noprof")]
elif f.startswith("dma_pool_"):
    n = "dmapool_ext_" + f[len("dma_pool_"):]
else:
    n = "devm_dmapool_ext_" + f[len("dmam_pool_"):]
coccinelle.g = cocci.make_ident(n)

@depends on patch@
identifier fn.f, fn_new.g;
@@
- f
+ g

// ---- types ----------------------------------------------------------------

@depends on patch@
@@
- struct gen_pool_chunk
+ struct genpool_ext_chunk

@depends on patch@
@@
- struct gen_pool
+ struct genpool_ext

@depends on patch@
typedef genpool_algo_t;
typedef genpool_ext_algo_t;
@@
- genpool_algo_t
+ genpool_ext_algo_t

@depends on patch@
@@
- struct genpool_data_align
+ struct genpool_ext_data_align

@depends on patch@
@@
- struct genpool_data_fixed
+ struct genpool_ext_data_fixed

@depends on patch@
typedef mempool_t;
@@
- mempool_t
+ struct mempool_ext

// 6.12 names the struct mempool_s, 7.x struct mempool (one rule each:
// Coccinelle misses the second branch of a disjunction of struct types).
@depends on patch@
@@
- struct mempool_s
+ struct mempool_ext

@depends on patch@
@@
- struct mempool
+ struct mempool_ext

@depends on patch@
typedef mempool_alloc_t;
typedef mempool_ext_alloc_t;
@@
- mempool_alloc_t
+ mempool_ext_alloc_t

@depends on patch@
typedef mempool_free_t;
typedef mempool_ext_free_t;
@@
- mempool_free_t
+ mempool_ext_free_t

@depends on patch@
@@
- struct dma_pool
+ struct dmapool_ext

// ---- includes for files that got the kernel's header indirectly ---------
//
// A driver may use an API without including its header itself (NVMe's
// pci.c has mempool.h and dmapool.h through blkdev.h): the suite's header
// is then added after the file's last <linux/...> include. A file without
// any (a .c file included by another, say) is left alone.

@initialize:python@
@@
pool_ext_last_include = {}

@last_include depends on patch@
position p;
@@
#include <linux/...>@p

@script:python@
p << last_include.p;
@@
k = p[0].file
pool_ext_last_include[k] = max(pool_ext_last_include.get(k, 0), int(p[0].line))

@has_genpool_h depends on patch@
@@
#include <genpool_ext/genpool_ext.h>

@uses_genpool depends on patch@
identifier f =~ "^(devm_|of_)?genpool_ext_";
@@
f

@depends on patch && uses_genpool && !has_genpool_h@
position p : script:python() { int(p[0].line) == pool_ext_last_include.get(p[0].file) };
@@
#include <linux/...>@p
+ #include <genpool_ext/genpool_ext.h>

@has_mempool_h depends on patch@
@@
#include <mempool_ext/mempool_ext.h>

@uses_mempool depends on patch@
identifier f =~ "^mempool_ext_";
@@
f

@depends on patch && uses_mempool && !has_mempool_h@
position p : script:python() { int(p[0].line) == pool_ext_last_include.get(p[0].file) };
@@
#include <linux/...>@p
+ #include <mempool_ext/mempool_ext.h>

@has_dmapool_h depends on patch@
@@
#include <dmapool_ext/dmapool_ext.h>

@uses_dmapool depends on patch@
identifier f =~ "^(devm_)?dmapool_ext_";
@@
f

@depends on patch && uses_dmapool && !has_dmapool_h@
position p : script:python() { int(p[0].line) == pool_ext_last_include.get(p[0].file) };
@@
#include <linux/...>@p
+ #include <dmapool_ext/dmapool_ext.h>
