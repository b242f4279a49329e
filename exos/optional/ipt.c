/*
 * ipt.c - an inverted (hashed) page table for ExOS: the page-table structure
 * (pt.h) an application may choose instead of the default two-level table
 * (paper section 7.2, extensible page tables: e.g. for a sparse address space).
 *
 * Not part of ExOS's own sources: a program selects it by linking this file as
 * one of its sources.  Its definitions of pt.h's calls are strong and replace
 * the default's weak ones (pt_twolevel.c), so everything ExOS maps (the
 * namespace page at init, pipe rings, shm) goes into the inverted table too,
 * and the default pays nothing for the choice.
 *
 * The table has one entry per physical page the program may map:
 * EXOS_IPT_ENTRIES, a power of two, 256 unless the program's build defines it
 * (-DEXOS_IPT_ENTRIES=n).  Its size follows the memory the environment holds,
 * not the virtual space it spreads over.  Entries are keyed by virtual page
 * number and chained from a hash-anchor table of as many buckets; an entry is
 * {struct pte, vpn, next}.  Mappings are only ever added or replaced, never
 * removed, so entries are handed out in order and a full table refuses the
 * next new page (vm_map_page / os_alloc_pages: OS_ENOMEM, nothing changed).
 * Both tables live in bss.
 */
#include "pt.h"

#ifndef EXOS_IPT_ENTRIES
#define EXOS_IPT_ENTRIES 256
#endif
#if (EXOS_IPT_ENTRIES) < 2 || ((EXOS_IPT_ENTRIES) & ((EXOS_IPT_ENTRIES) - 1))
#error "EXOS_IPT_ENTRIES: the number of entries, a power of two"
#endif
#define IPT_SIZE        (EXOS_IPT_ENTRIES)
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

/* va's entry; a new one at the end of its chain only if create (0: the table is full). */
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

struct pte *pt_lookup(uint32_t va)
{
	return ipt_get(va, 0);
}

struct pte *pt_insert(uint32_t va)
{
	return ipt_get(va, 1);
}

/* PTEs of consecutive pages are not adjacent here: one lookup per page. */
int pt_protect(uint32_t va, uint32_t npages, uint32_t set, uint32_t *accp)
{
	uint32_t acc = 0;
	for (; npages; npages--, va += PAGE_SIZE) {
		struct pte *p = ipt_get(va, 0);
		if (!p || !(p->word & PTE_P)) {
			*accp = acc;
			return OS_EINVAL;
		}
		acc |= p->word;
		p->word = (p->word & ~(uint32_t)(PTE_R | PTE_W)) | set;
	}
	*accp = acc;
	return OS_OK;
}

/* The whole structure: it is allocated up front, whatever the address space's shape */
uint32_t vm_pt_bytes(void)
{
	return sizeof exos_ipt_entry + sizeof exos_ipt_anchor;
}
