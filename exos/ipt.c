/*
 * ipt.c - an inverted (hashed) page table for ExOS: the page-table structure an
 * application may choose instead of the default two-level table (paper §7.2,
 * extensible page tables: e.g. for a sparse address space).
 *
 * The table has one entry per physical page the program may map (EXOS_VM_IPT,
 * a power of two): its size follows the memory the environment holds, not
 * the virtual space it spreads over.  Entries are keyed by virtual page number
 * and chained from a hash-anchor table of as many buckets; an entry is
 * {struct pte, vpn, next}, so the PTE logic of vm.c works on it unchanged.
 * Mappings are only ever added or replaced, never removed, so entries are
 * handed out in order and a full table refuses the next new page
 * (vm_map_page / os_alloc_pages: OS_ENOMEM, nothing changed).  Both tables
 * live in bss, which Aegis maps with guaranteed mappings: the fault path can
 * read them without faulting itself.
 *
 * Selection is at link time, so the default pays nothing for this choice:
 * compiled as part of ExOS (no EXOS_VM_IPT) this file is empty.  A program
 * selects the inverted table with one more source file of its own:
 *
 *     #define EXOS_VM_IPT 256
 *     #include "ipt.c"
 *
 * which compiles vm.c's logic again there over ipt_get() with strong entry
 * points (vm_fault, vm_map_page, vm_lookup, os_alloc_pages, os_protect,
 * os_dirty, vm_pt_bytes, vm_faults_resolved) that replace the default's weak
 * ones.  Everything ExOS maps (the namespace page at init, pipe rings, shm)
 * then goes into the inverted table too.
 */
#ifdef EXOS_VM_IPT
#include "exos.h"

#if (EXOS_VM_IPT) < 2 || ((EXOS_VM_IPT) & ((EXOS_VM_IPT) - 1))
#error "EXOS_VM_IPT: the number of entries, a power of two"
#endif
#define IPT_SIZE        (EXOS_VM_IPT)
#define IPT_LOG2        (__builtin_ctz(IPT_SIZE))

struct ipte {
	struct pte pte;         /* first: a struct pte * to an entry is the entry */
	uint32_t vpn;
	struct ipte *next;      /* the bucket's next entry, or 0 */
};

struct ipte exos_ipt_entry[IPT_SIZE];           /* handed out in order */
struct ipte *exos_ipt_anchor[IPT_SIZE];         /* bucket -> its first entry */
uint32_t exos_ipt_used;                         /* entries handed out */
uint32_t exos_ipt_longest;                      /* the longest chain built so far */

/* Bucket of a virtual page: its low bits folded with the next ones, so that pages
 * a multiple of IPT_SIZE apart (e.g. the same offset in 4 MiB regions) spread. */
static inline uint32_t ipt_hash(uint32_t vpn)
{
	return (vpn ^ (vpn >> IPT_LOG2)) & (IPT_SIZE - 1);
}

static struct pte *ipt_get(uint32_t va, int create)
{
	uint32_t vpn = va >> PAGE_SHIFT;
	struct ipte **link = &exos_ipt_anchor[ipt_hash(vpn)];
	struct ipte *e;
	uint32_t depth = 1;
	for (e = *link; e; e = *link) {
		if (e->vpn == vpn)
			return &e->pte;
		link = &e->next;
		depth++;
	}
	if (!create || exos_ipt_used >= IPT_SIZE)
		return 0;                               /* absent, or the table is full */
	e = &exos_ipt_entry[exos_ipt_used++];
	e->pte.word = e->pte.hi = 0;
	e->vpn = vpn;
	e->next = 0;
	*link = e;
	if (depth > exos_ipt_longest)
		exos_ipt_longest = depth;
	return &e->pte;
}

/* The whole structure: it is allocated up front, whatever the address space's shape */
uint32_t vm_pt_bytes(void)
{
	return sizeof exos_ipt_entry + sizeof exos_ipt_anchor;
}

/* vm.c's logic over the inverted table: PTEs of consecutive pages are not adjacent here */
#define VM_API
#define VM_PTE_GET
#define pte_get         ipt_get
#define PTE_RUN(va)     1u
#include "vm.c"
#undef pte_get
#undef PTE_RUN
#endif
