/*
 * stlb.c - the software TLB (4096 direct-mapped entries in kseg0, probed by
 * the UTLB refill handler in trap.S) and hardware TLB maintenance.
 *
 * The STLB caches secure bindings the kernel already checked; the hardware
 * TLB is a cache of the STLB.  Every change goes to both.
 *
 * ASIDs are handed out here too (asid_alloc): an environment's ASID is not
 * fixed, because SYS_TLB_FLUSH drops all of its bindings at once by moving
 * it to a fresh one (see asid_alloc for why that is safe).
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

/* Take write permission away from hi's binding, wherever it is cached. */
void tlb_rdonly(uint32_t hi)
{
	uint32_t *s = stlb_slot(hi);
	uint32_t cur = mfc0_entryhi();
	if (s[0] == hi)
		s[1] &= ~(uint32_t)ENTRYLO_D;
	mtc0_entryhi(hi);
	tlbp();
	if (!(mfc0_index() & INDEX_P)) {
		tlbr();                 /* (EntryHi reads back as hi: it matched) */
		mtc0_entrylo(mfc0_entrylo() & ~(uint32_t)ENTRYLO_D);
		tlbwi();
	}
	mtc0_entryhi(cur);
}

/* An entry to drop, by its EntryLo lo: mask 0 means "maps a free RAM page". */
static int doomed(uint32_t lo, uint32_t mask, uint32_t value)
{
	if (mask)
		return (lo & mask) == value;
	uint32_t ppn = (lo & ENTRYLO_PFN_MASK) >> PAGE_SHIFT;
	return (lo & ENTRYLO_V) && ppn < npages && ppages[ppn].owner == -1;
}

/* Remove every user binding, STLB and hardware TLB, whose EntryLo is doomed. */
static void flush_matching(uint32_t mask, uint32_t value)
{
	uint32_t cur = mfc0_entryhi();
	for (uint32_t i = 0; i < STLB_NENTRIES; i++) {
		uint32_t lo = stlb[2 * i + 1];
		if (stlb[2 * i] != STLB_EMPTY && doomed(lo, mask, value)) {
			stlb[2 * i] = STLB_EMPTY;
			stlb[2 * i + 1] = 0;
		}
	}
	for (uint32_t i = 0; i < TLB_NENTRIES; i++) {
		mtc0_index(i << INDEX_SHIFT);
		tlbr();
		uint32_t lo = mfc0_entrylo();
		uint32_t ehi = mfc0_entryhi();
		if ((ehi & ENTRYHI_VPN_MASK) < KUSEG_TOP && doomed(lo, mask, value))
			tlb_kill(i);
	}
	mtc0_entryhi(cur);
}

void tlb_flush_pfn(uint32_t ppn)
{
	flush_matching(ENTRYLO_PFN_MASK, ppn << PAGE_SHIFT);
}

void tlb_flush_free(void)
{
	flush_matching(0, 0);
}

/*
 * ASIDs.  Both the hardware TLB and the STLB tag every binding with the
 * ASID it was installed for (the STLB tag is the whole EntryHi, compared
 * with the faulting EntryHi), so an environment reaches exactly the
 * entries tagged with its current ASID.  The invariant that keeps this
 * secure: an ASID is handed out only when no TLB or STLB entry carries it.
 *
 *   FREE  - no entry anywhere carries it;
 *   LIVE  - some environment's current ASID (and 0: never handed out, the
 *           tag of killed TLB entries and of empty STLB slots);
 *   STALE - given up (SYS_TLB_FLUSH, or the environment died); entries may
 *           still carry it, but no environment runs with it, so none can
 *           reach them (no binding is ever global: ENTRYLO_G is never set).
 *
 * When no FREE ASID is left, asid_scrub() removes every entry carrying a
 * STALE ASID from the STLB and the hardware TLB in one pass and makes them
 * all FREE.  At most NENV ASIDs are LIVE, so a pass is needed at most once
 * per NASIDS - 1 - NENV = 47 flushes (with one environment, once per 62);
 * the pass costs what the old per-environment flush at destruction cost,
 * and env_free now does it there too.  The kernel runs with interrupts off,
 * so nothing installs an entry between the scrub and the hand-out.
 */
#define ASID_FREE   0
#define ASID_LIVE   1
#define ASID_STALE  2
static uint8_t asid_state[NASIDS] = { [0] = ASID_LIVE };
/* Nonzero where asid_state is ASID_STALE: the scrub's lookup, indexed by the EntryHi
 * ASID field itself (ASID << 6, a byte offset), which saves a shift per STLB slot. */
static uint32_t asid_stale[NASIDS << (ENTRYHI_ASID_SHIFT - 2)];
static uint32_t asid_cursor;
uint32_t asid_scrubs;   /* scrub passes so far */

#define STALE(hi) (*(uint32_t *)((char *)asid_stale + ((hi) & ENTRYHI_ASID_MASK)))

void asid_scrub(void)
{
	uint32_t cur = mfc0_entryhi();
	/* Empty slots have tag STLB_EMPTY, whose ASID field is 0: never stale.  Eight
	 * slots at a time: the common case is none stale, one branch for the eight. */
	for (uint32_t *s = stlb; s < stlb + 2 * STLB_NENTRIES; s += 16) {
		if (!(STALE(s[0]) | STALE(s[2]) | STALE(s[4]) | STALE(s[6]) |
		      STALE(s[8]) | STALE(s[10]) | STALE(s[12]) | STALE(s[14])))
			continue;
		for (uint32_t j = 0; j < 16; j += 2)
			if (STALE(s[j])) {
				s[j] = STLB_EMPTY;
				s[j + 1] = 0;
			}
	}
	for (uint32_t i = 0; i < TLB_NENTRIES; i++) {
		mtc0_index(i << INDEX_SHIFT);
		tlbr();
		if (STALE(mfc0_entryhi()))
			tlb_kill(i);
	}
	mtc0_entryhi(cur);
	for (uint32_t a = 1; a < NASIDS; a++)
		if (asid_state[a] == ASID_STALE) {
			asid_state[a] = ASID_FREE;
			STALE(a << ENTRYHI_ASID_SHIFT) = 0;
		}
	asid_scrubs++;
}

/* A FREE ASID, made LIVE; returned as an EntryHi ASID field.  Round robin, so a
 * given-up ASID is reused as late as possible (and scrubbed before it is). */
uint32_t asid_alloc(void)
{
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t k = 0; k < NASIDS; k++) {
			uint32_t a = asid_cursor = (asid_cursor + 1) % NASIDS;
			if (asid_state[a] == ASID_FREE) {
				asid_state[a] = ASID_LIVE;
				return a << ENTRYHI_ASID_SHIFT;
			}
		}
		asid_scrub();
	}
	panic("out of ASIDs");   /* cannot happen: at most NENV are LIVE */
}

/* Give up an ASID: its entries become unreachable now and are removed before it is reused. */
void asid_retire(uint32_t asidhi)
{
	uint32_t a = (asidhi & ENTRYHI_ASID_MASK) >> ENTRYHI_ASID_SHIFT;
	if (a != 0) {
		asid_state[a] = ASID_STALE;
		STALE(a << ENTRYHI_ASID_SHIFT) = 1;
	}
}
