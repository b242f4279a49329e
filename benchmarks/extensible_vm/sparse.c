/*
 * sparse.c - Section 7.2: TLB-miss service cost of ExOS's page-table structure on a
 * sparse address space.  Linked as it is, ExOS uses its default two-level page table;
 * linked with exos/optional/ipt.c, the inverted page table.  Aegis only.
 *
 * The program maps `pages` pages (default 12) scattered over a 1 GiB region, each in a
 * different 4 MiB slot (a different second-level table for the default structure) at a
 * pseudo-random page within it, and writes a word to each.  Then, n times, it loads one
 * page's word: every `pages` loads it first drops all its TLB and STLB bindings
 * (SYS_TLB_FLUSH, outside the timed intervals), so each load of a round misses in the
 * TLB and the STLB and ExOS serves it: fault, page-table lookup, SYS_TLB_MAP, return.
 * The time per operation is one such miss, including the refills of whatever
 * guaranteed-mapped pages the fault path touches (its stack, code, and the page table's
 * own pages: a structure spread over more pages costs more refills).  With parameter
 * warm=1 the round instead drops only the bindings of its own pages (SYS_TLB_UNMAP each,
 * not timed): the fault path and the page table stay mapped, and what is left is the miss
 * path itself (ExOS's lookup included).
 *
 * Results: pt_bytes (the page-table structure in use after mapping the region),
 * region_bytes (what mapping the region added), misses (ExOS-resolved faults while
 * timed), sum (of the words read).  Validation: every load returned what was written
 * to that page, misses == n, and every mapping succeeded.
 */
#include "benchutil.h"
#include "exos.h"

#define VM_FAULTS       (*(volatile uint32_t *)&vm_faults_resolved)  /* changed by the fault path */

#define REGION          0x20000000u             /* 1 GiB: 0x20000000 - 0x5fffffff */
#define SLOT_SHIFT      22                      /* 4 MiB: one second-level table */
#define REGION_SLOTS          256
#define MAXPAGES        64

static uint32_t page[MAXPAGES];
static uint32_t rng = 0x2545f491u;

static uint32_t next_rand(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

static inline uint32_t word(uint32_t i) { return 0xa5000000u ^ (i << 12) ^ page[i]; }

int main(void)
{
	uint32_t n = os_param("n", 120), npages = os_param("pages", 12), warm = os_param("warm", 0);
	uint32_t bad = 0, sum = 0, misses = 0;
	uint8_t used[REGION_SLOTS] = {0};

	if (npages == 0 || npages > MAXPAGES || npages > REGION_SLOTS)
		bench_finish(0);
	for (uint32_t i = 0; i < npages; i++) {
		uint32_t slot;
		do
			slot = next_rand() % REGION_SLOTS;
		while (used[slot]);
		used[slot] = 1;
		page[i] = REGION + (slot << SLOT_SHIFT) + (next_rand() % 1024) * PAGE_SIZE;
	}
	uint32_t before = vm_pt_bytes();
	for (uint32_t i = 0; i < npages; i++)
		if (os_alloc_pages(page[i], 1) != OS_OK)
			bench_finish(0);
	uint32_t after = vm_pt_bytes();
	for (uint32_t i = 0; i < npages; i++)
		*(volatile uint32_t *)page[i] = word(i);

	for (uint32_t t = 0; t < n; t += npages) {
		uint32_t k = n - t < npages ? n - t : npages;
		if (warm)
			for (uint32_t i = 0; i < k; i++)
				ae_tlb_unmap(page[i]);
		else
			ae_tlb_flush();
		uint32_t f0 = VM_FAULTS;
		bench_marker(BENCH_MARK_START);
		for (uint32_t i = 0; i < k; i++) {
			uint32_t v = *(volatile uint32_t *)page[i];
			bad |= v ^ word(i);
			sum += v;
		}
		bench_marker(BENCH_MARK_END);
		misses += VM_FAULTS - f0;
	}
	bench_result("pages", npages);
	bench_result("pt_bytes", after);
	bench_result("region_bytes", after - before);
	bench_result("misses", misses);
	bench_result("sum", sum);
	bench_finish(bad == 0 && misses == n);
}
