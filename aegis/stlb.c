/*
 * stlb.c - the software TLB (4096 direct-mapped entries in kseg0, probed by
 * the UTLB refill handler in trap.S) and hardware TLB maintenance.
 *
 * The STLB caches secure bindings the kernel already checked; the hardware
 * TLB is a cache of the STLB.  Every change goes to both.
 */
#include "kern.h"

uint32_t stlb[STLB_NENTRIES * 2] __attribute__((aligned(65536)));  /* {tag, EntryLo}; trap.S needs %lo(stlb) == 0 */

static inline uint32_t *stlb_slot(uint32_t hi)
{
	uint32_t off = ((hi >> STLB_SHIFT_A) ^ (hi >> STLB_SHIFT_B)) & STLB_OFF_MASK;
	return &stlb[off / 4];
}

/* Invalidate hardware entry i: a kseg0 VPN never matches (kseg0 is unmapped). */
static void tlb_kill(uint32_t i)
{
	mtc0_index(i << INDEX_SHIFT);
	mtc0_entryhi(KSEG0_BASE + (i << PAGE_SHIFT));
	mtc0_entrylo(0);
	tlbwi();
}

void stlb_init(void)
{
	uint32_t hi = mfc0_entryhi();
	for (uint32_t i = 0; i < STLB_NENTRIES; i++) {
		stlb[2 * i] = STLB_EMPTY;
		stlb[2 * i + 1] = 0;
	}
	for (uint32_t i = 0; i < TLB_NENTRIES; i++)
		tlb_kill(i);
	mtc0_entryhi(hi);
}

void tlb_install(uint32_t hi, uint32_t lo)
{
	uint32_t *s = stlb_slot(hi);
	uint32_t cur = mfc0_entryhi();
	s[0] = hi;
	s[1] = lo;
	mtc0_entryhi(hi);
	tlbp();
	mtc0_entrylo(lo);
	if (mfc0_index() & INDEX_P)
		tlbwr();
	else
		tlbwi();
	mtc0_entryhi(cur);
}

void tlb_remove(uint32_t hi)
{
	uint32_t *s = stlb_slot(hi);
	uint32_t cur = mfc0_entryhi();
	if (s[0] == hi) {
		s[0] = STLB_EMPTY;
		s[1] = 0;
	}
	mtc0_entryhi(hi);
	tlbp();
	uint32_t idx = mfc0_index();
	if (!(idx & INDEX_P))
		tlb_kill((idx & INDEX_MASK) >> INDEX_SHIFT);
	mtc0_entryhi(cur);
}

/* An entry to drop: mask 0 means "maps a free RAM page". */
static int doomed(uint32_t w, uint32_t mask, uint32_t value)
{
	if (mask)
		return (w & mask) == value;
	uint32_t ppn = (w & ENTRYLO_PFN_MASK) >> PAGE_SHIFT;
	return (w & ENTRYLO_V) && ppn < npages && ppages[ppn].owner == -1;
}

static void flush_matching(uint32_t mask, uint32_t value, int by_lo)
{
	uint32_t cur = mfc0_entryhi();
	for (uint32_t i = 0; i < STLB_NENTRIES; i++) {
		uint32_t w = stlb[2 * i + (by_lo ? 1 : 0)];
		if (stlb[2 * i] != STLB_EMPTY && doomed(w, mask, value)) {
			stlb[2 * i] = STLB_EMPTY;
			stlb[2 * i + 1] = 0;
		}
	}
	for (uint32_t i = 0; i < TLB_NENTRIES; i++) {
		mtc0_index(i << INDEX_SHIFT);
		tlbr();
		uint32_t w = by_lo ? mfc0_entrylo() : mfc0_entryhi();
		uint32_t ehi = mfc0_entryhi();
		if ((ehi & ENTRYHI_VPN_MASK) < KUSEG_TOP && doomed(w, mask, value))
			tlb_kill(i);
	}
	mtc0_entryhi(cur);
}

void tlb_flush_asid(uint32_t asidhi)
{
	flush_matching(ENTRYHI_ASID_MASK, asidhi, 0);
}

void tlb_flush_pfn(uint32_t ppn)
{
	flush_matching(ENTRYLO_PFN_MASK, ppn << PAGE_SHIFT, 1);
}

void tlb_flush_free(void)
{
	flush_matching(0, 0, 1);
}
