/*
 * phys.c - physical pages and their capabilities (secure bindings for memory).
 *
 * A page an environment allocates carries two capabilities (aegis.h): the read-write one,
 * returned to the allocator, and a read-only one made on request (SYS_CAP_RO).  Each is the
 * page number and a 44-bit tag from the kernel's keyed generator (random.c), fresh at every
 * allocation, so a capability names one allocation of one page: once the page is freed or
 * taken, every old capability to it is refused, also after the page is allocated again.
 * Holding a page means knowing a capability; a page is shared only by passing one (a PCT
 * message, a shared page, a new environment's start registers).  Pages the kernel maps for
 * an environment itself (its guaranteed mappings) and pages below the first free address
 * (kernel, boot modules, boot info) never get one: they cannot be freed, given, or mapped
 * anywhere else.
 *
 * An environment may hold at most page_quota pages beyond its guaranteed ones (default: a
 * quarter of the free RAM; boot parameter "aegis_page_quota").
 */
#include "kern.h"

#define MAX_PAGES   (128u << 20 >> PAGE_SHIFT)   /* up to 128 MiB of RAM */
_Static_assert(MAX_PAGES <= 1u << (64 - AE_CAP_PPN_SHIFT), "a page number fits its capability field");

uint32_t npages;
static struct ppage ppage_array[MAX_PAGES];
struct ppage *ppages = ppage_array;
static uint32_t first_ppn;
uint32_t page_quota;

/* Charge n pages (negative: give back) to environment `id`: 0, or AE_ENOMEM past its quota. */
static int charge(int32_t id, int32_t n)
{
	struct env *e = env_lookup(id);
	if (!e)
		return 0;
	if (n > 0 && e->npages + (uint32_t)n > page_quota)
		return AE_ENOMEM;
	e->npages += (uint32_t)n;
	return 0;
}

void phys_init(uint32_t first_free, uint32_t ram_size, uint32_t quota)
{
	npages = ram_size >> PAGE_SHIFT;
	if (npages > MAX_PAGES)
		npages = MAX_PAGES;
	first_ppn = PAGE_UP(first_free) >> PAGE_SHIFT;
	for (uint32_t i = 0; i < npages; i++) {
		ppages[i].owner = i < first_ppn ? PAGE_KERNEL : PAGE_FREE;
		ppages[i].tag_rw = ppages[i].tag_ro = 0;
	}
	page_quota = quota ? quota : (npages - first_ppn) / AE_PAGE_QUOTA_DIV;
}

/*
 * n contiguous zeroed pages for env `owner` (an id): the first page number, or AE_ENOMEM.
 * With caps, each page gets a fresh read-write tag (SYS_PAGE_ALLOC); without, none (the
 * kernel's own mappings for the environment).
 */
int32_t phys_alloc(int32_t owner, uint32_t n, int caps)
{
	uint32_t run = 0;
	if (n == 0)
		return AE_EINVAL;
	if (caps && charge(owner, (int32_t)n))
		return AE_ENOMEM;
	for (uint32_t i = first_ppn; i < npages; i++) {
		run = ppages[i].owner == PAGE_FREE ? run + 1 : 0;
		if (run == n) {
			uint32_t first = i + 1 - n;
			for (uint32_t p = first; p <= i; p++) {
				ppages[p].owner = owner;
				ppages[p].tag_rw = caps ? random_tag() : 0;
				ppages[p].tag_ro = 0;
			}
			memset(KSEG0(first << PAGE_SHIFT), 0, n << PAGE_SHIFT);
			return (int32_t)first;
		}
	}
	if (caps)
		charge(owner, -(int32_t)n);
	return AE_ENOMEM;
}

/*
 * Free a page, voiding its capabilities.  Every binding to it (TLB and STLB entries in all
 * address spaces) must be broken before anyone can get it again: here, or, when flush is
 * 0, by the caller with one tlb_flush_free() after freeing many pages (before it returns
 * to any environment).
 */
void phys_free_page(uint32_t ppn, int flush)
{
	if (ppn < first_ppn || ppn >= npages || ppages[ppn].owner == PAGE_FREE)
		return;
	if (flush)
		tlb_flush_pfn(ppn);
	if (ppages[ppn].tag_rw)
		charge(ppages[ppn].owner, -1);
	ppages[ppn].owner = PAGE_FREE;
	ppages[ppn].tag_rw = ppages[ppn].tag_ro = 0;
}

static uint64_t tag_of(ae_cap_t cap)
{
	return cap & ((((uint64_t)1 << AE_CAP_PPN_SHIFT) - 1) & ~(uint64_t)AE_CAP_USER_BITS);
}

/*
 * The page `cap` grants (for writing, if writable): its number, or -1.  Comparing the tag
 * costs the same whatever its value, so timing tells a guesser nothing.
 */
int32_t phys_check_cap(ae_cap_t cap, int writable)
{
	uint32_t ppn = AE_CAP_PPN(cap);
	uint64_t tag = tag_of(cap);
	if (ppn < first_ppn || ppn >= npages || tag == 0)
		return -1;
	if (tag == ppages[ppn].tag_rw || (!writable && tag == ppages[ppn].tag_ro))
		return (int32_t)ppn;
	return -1;
}

/* Charge capability page ppn to environment `to` instead: 0, or AE_ENOMEM past its quota. */
int phys_give(uint32_t ppn, int32_t to)
{
	if (charge(to, 1))
		return AE_ENOMEM;
	charge(ppages[ppn].owner, -1);
	ppages[ppn].owner = to;
	return 0;
}

/* The capability of ppn for the right asked (read-only made on first request). */
ae_cap_t phys_cap(uint32_t ppn, int writable)
{
	if (!writable && ppages[ppn].tag_ro == 0)
		ppages[ppn].tag_ro = random_tag();
	return (ae_cap_t)ppn << AE_CAP_PPN_SHIFT | (writable ? ppages[ppn].tag_rw : ppages[ppn].tag_ro);
}
