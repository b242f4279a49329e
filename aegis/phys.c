/*
 * phys.c - physical page allocation with capabilities (secure bindings for
 * memory).
 *
 * Every allocated page carries two self-authenticating capabilities, random
 * 32-bit words: the read-write one, returned to the allocating environment,
 * and a read-only one derived on request (SYS_CAP_RO).  Installing a
 * mapping presents a capability; holding a page means knowing one, so a
 * page is shared only by passing its capability (in a PCT message, a
 * shared page, or a new environment's start registers).  Pages below the
 * first free address (kernel, boot modules, boot info) never get one.
 */
#include "kern.h"

#define MAX_PAGES   (128u << 20 >> PAGE_SHIFT)   /* up to 128 MiB of RAM */

uint32_t npages;
static struct ppage ppage_array[MAX_PAGES];
struct ppage *ppages = ppage_array;
static uint32_t first_ppn;
static uint32_t rng = 0x9e3779b9u;

/* xorshift32: unguessable enough for a prototype; deterministic so runs repeat. */
static uint32_t random32(void)
{
	uint32_t x;
	do {
		x = rng;
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		rng = x;
	} while (x == 0);
	return x;
}

void phys_init(uint32_t first_free, uint32_t ram_size)
{
	npages = ram_size >> PAGE_SHIFT;
	if (npages > MAX_PAGES)
		npages = MAX_PAGES;
	first_ppn = PAGE_UP(first_free) >> PAGE_SHIFT;
	for (uint32_t i = 0; i < npages; i++) {
		ppages[i].owner = i < first_ppn ? -2 : -1;
		ppages[i].cap_rw = ppages[i].cap_ro = 0;
	}
}

int32_t phys_alloc(int owner, uint32_t n)
{
	uint32_t run = 0;
	if (n == 0)
		return AE_EINVAL;
	for (uint32_t i = first_ppn; i < npages; i++) {
		run = ppages[i].owner == -1 ? run + 1 : 0;
		if (run == n) {
			uint32_t first = i + 1 - n;
			for (uint32_t p = first; p <= i; p++) {
				ppages[p].owner = (int8_t)owner;
				ppages[p].cap_rw = random32();
				ppages[p].cap_ro = 0;
			}
			memset(KSEG0(first << PAGE_SHIFT), 0, n << PAGE_SHIFT);
			return (int32_t)first;
		}
	}
	return AE_ENOMEM;
}

/*
 * Free a page.  Every binding to it (TLB and STLB entries in all address
 * spaces) must be broken: here, or, when flush is 0, by the caller with one
 * tlb_flush_free() after freeing many pages.
 */
void phys_free_page(uint32_t ppn, int flush)
{
	if (ppn < first_ppn || ppn >= npages || ppages[ppn].owner == -1)
		return;
	if (flush)
		tlb_flush_pfn(ppn);
	ppages[ppn].owner = -1;
	ppages[ppn].cap_rw = ppages[ppn].cap_ro = 0;
}

/* Does cap grant access to ppn (for writing, if writable)? */
int phys_check_cap(uint32_t ppn, uint32_t cap, int writable)
{
	if (ppn < first_ppn || ppn >= npages || ppages[ppn].owner == -1 || cap == 0)
		return 0;
	if (cap == ppages[ppn].cap_rw)
		return 1;
	return !writable && cap == ppages[ppn].cap_ro;
}

/* The read-only capability of a page, made on first request. */
uint32_t phys_cap_ro(uint32_t ppn)
{
	if (ppages[ppn].cap_ro == 0)
		ppages[ppn].cap_ro = random32();
	return ppages[ppn].cap_ro;
}
