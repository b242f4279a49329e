/*
 * mmu.c - address translation: segments, the 64-entry TLB, the host
 * translation maps that make the common case fast, and the slow paths of
 * loads, stores and instruction fetch.
 *
 * R3000 rules (docs/references.md#r3000-tlb, #r3000-address-space): kuseg and kseg2 go
 * through the TLB (match on VPN and, unless G, on the current ASID); kseg0
 * and kseg1 map to physical 0 directly, cached and uncached; user-mode
 * access to anything at or above 0x80000000 is an address error.
 */
#include <string.h>
#include "machine.h"

#define XF_WRITABLE 1
#define XF_UNCACHED 2

/*
 * Translate without side effects.  Returns 0 and fills in pa and flags, or
 * returns the ExcCode of the fault with *refill set when the UTLB vector
 * applies (no matching entry for a kuseg address).
 */
static int translate(struct machine *m, uint32_t va, int acc, uint32_t *pa,
		     uint32_t *flags, int *refill)
{
	*refill = 0;
	if (va >= KUSEG_TOP) {
		if (m->cp0[C0_STATUS] & SR_KUC)
			return acc == ACC_STORE ? EXC_ADES : EXC_ADEL;
		if (va < KSEG1_BASE) {
			*pa = va - KSEG0_BASE;
			*flags = XF_WRITABLE;
			return 0;
		}
		if (va < KSEG2_BASE) {
			*pa = va - KSEG1_BASE;
			*flags = XF_WRITABLE | XF_UNCACHED;
			return 0;
		}
	}
	uint32_t asid = m->cp0[C0_ENTRYHI] & ENTRYHI_ASID_MASK;
	uint32_t vpn = va & ENTRYHI_VPN_MASK;
	/* Duplicate matches are a software error on the R3000; we take the lowest index:
	 * the bucket's candidates are visited in ascending index order. */
	for (uint64_t cand = m->tlb_bucket[TLB_BUCKET(vpn)]; cand; cand &= cand - 1) {
		const struct tlb_entry *t = &m->tlb[__builtin_ctzll(cand)];
		if ((t->hi & ENTRYHI_VPN_MASK) != vpn)
			continue;
		if (!(t->lo & ENTRYLO_G) && (t->hi & ENTRYHI_ASID_MASK) != asid)
			continue;
		if (!(t->lo & ENTRYLO_V))
			return acc == ACC_STORE ? EXC_TLBS : EXC_TLBL;
		if (acc == ACC_STORE && !(t->lo & ENTRYLO_D))
			return EXC_MOD;
		*pa = (t->lo & ENTRYLO_PFN_MASK) | (va & (PAGE_SIZE - 1));
		*flags = ((t->lo & ENTRYLO_D) ? XF_WRITABLE : 0) |
			 ((t->lo & ENTRYLO_N) ? XF_UNCACHED : 0);
		return 0;
	}
	*refill = va < KUSEG_TOP;
	return acc == ACC_STORE ? EXC_TLBS : EXC_TLBL;
}

int machine_virt_to_phys(machine_t *m, uint32_t va, uint32_t *pa)
{
	uint32_t flags;
	int refill;
	return translate(m, va, ACC_LOAD, pa, &flags, &refill) ? -1 : 0;
}

static inline int is_ram(struct machine *m, uint32_t pa)
{
	return pa < m->ram_size;
}

static inline int is_board(uint32_t pa)
{
	return (pa & ~(uint32_t)(BOARD_SIZE - 1)) == BOARD_PADDR;
}

static inline int is_nic(uint32_t pa)
{
	return (pa & ~(uint32_t)(LANCE_SIZE - 1)) == LANCE_PADDR;
}

/* Enter a cacheable RAM page into the host maps under context ctx (m->ctx: fill()): the
 * store map too if the page is writable and holds no predecoded code (dpages). */
static void fill_ctx(struct machine *m, uint32_t va, uint32_t pa, uint32_t flags, uint32_t ctx)
{
	uint32_t vpage = va & ~(uint32_t)(PAGE_SIZE - 1);
	uint32_t ppage = pa & ~(uint32_t)(PAGE_SIZE - 1);
	unsigned i = HMAP_INDEX(va);
	struct hmap_entry e = {
		.tag = vpage | ctx,
		.pdelta = ppage - vpage,
		.host = (uintptr_t)m->ram + ppage - vpage,
		.dec = m->dpages[ppage >> PAGE_SHIFT],
	};
	m->rmap[i] = e;
	if ((flags & XF_WRITABLE) && e.dec == NULL)
		m->wmap[i] = e;
}

/* Enter a cacheable RAM page into the host maps for the current context. */
static void fill(struct machine *m, uint32_t va, uint32_t pa, uint32_t flags)
{
	fill_ctx(m, va, pa, flags, m->ctx);
}

void mmu_flush_vpn(struct machine *m, uint32_t vpn)
{
	unsigned i = HMAP_INDEX(vpn);
	m->rmap[i].tag = HMAP_NONE;
	m->wmap[i].tag = HMAP_NONE;
	/* Only the fetch page's own VPN can change how it translates (a TLB write elsewhere,
	 * even a duplicate at a lower index, matches other VPNs): keep it otherwise. */
	if ((vpn & ENTRYHI_VPN_MASK) == m->ftag)
		m->ftag = FTAG_NONE;
}

void mmu_flush_all(struct machine *m)
{
	for (unsigned i = 0; i < HMAP_SIZE; i++) {
		m->rmap[i].tag = HMAP_NONE;
		m->wmap[i].tag = HMAP_NONE;
	}
	m->ftag = FTAG_NONE;
}

/* EntryHi.ASID or KUc changed: host-map keys change with them. */
void mmu_context_changed(struct machine *m)
{
	uint32_t ctx = (m->cp0[C0_ENTRYHI] & ENTRYHI_ASID_MASK) |
		       ((m->cp0[C0_STATUS] & SR_KUC) ? HMAP_CTX_USER : 0u);
	/* The fetch page was translated in the old context: keep it while the context is
	 * the same (a kernel-to-kernel rfe, a refill handler's mtc0 EntryHi). */
	if (ctx != m->ctx)
		m->ftag = FTAG_NONE;
	m->ctx = ctx;
}

/* Raise a translation fault or a bus error for an access at va. */
static void fault(struct machine *m, int exc, int refill, uint32_t va,
		  uint32_t cur, int bd)
{
	cpu_address_fault(m, exc, cur, bd, va, refill);
}

static uint32_t ram_read(struct machine *m, uint32_t pa, int size)
{
	const uint8_t *p = m->ram + pa;
	switch (size) {
	case 1: return *p;
	case 2: return *(const uint16_t *)p;
	default: return *(const uint32_t *)p;
	}
}

static void ram_write(struct machine *m, uint32_t pa, int size, uint32_t v)
{
	uint8_t *p = m->ram + pa;
	decode_store(m, pa);
	switch (size) {
	case 1: *p = (uint8_t)v; break;
	case 2: *(uint16_t *)p = (uint16_t)v; break;
	default: *(uint32_t *)p = v; break;
	}
}

/*
 * Slow path of a load of `size` bytes (1, 2, 4) at va by the instruction at
 * cur.  Returns nonzero when an exception was raised instead.  The value is
 * zero-extended; the caller sign-extends.
 */
int mmu_load(struct machine *m, uint32_t va, int size, uint32_t cur, int bd, uint32_t *val)
{
	uint32_t pa, flags;
	int refill, exc;

	if (size == MMU_LWLR) {
		/* Same page as the aligned word, so translating va translates it; BadVAddr
		 * keeps the unaligned address lwl/lwr were given. */
		exc = translate(m, va, ACC_LOAD, &pa, &flags, &refill);
		if (exc) {
			fault(m, exc, refill, va, cur, bd);
			return 1;
		}
		va &= ~3u;
		size = 4;
	}
	if (va & (uint32_t)(size - 1)) {
		fault(m, EXC_ADEL, 0, va, cur, bd);
		return 1;
	}
	exc = translate(m, va, ACC_LOAD, &pa, &flags, &refill);
	if (exc) {
		fault(m, exc, refill, va, cur, bd);
		return 1;
	}
	if (is_ram(m, pa)) {
		if (flags & XF_UNCACHED) {
			m->c.cycles += cost_uncached(m, 0, m->c.cycles);
		} else {
			fill(m, va, pa, flags);
			m->c.cycles += cost_dload(m, pa, m->c.cycles);
		}
		*val = ram_read(m, pa, size);
		return 0;
	}
	if (is_board(pa)) {
		m->c.cycles += cost_uncached(m, 0, m->c.cycles);
		uint32_t w = board_read(m, pa & (BOARD_SIZE - 4));
		unsigned shift = (pa & 3) * 8;
		*val = size == 4 ? w : (w >> shift) & (size == 1 ? 0xffu : 0xffffu);
		return 0;
	}
	if (is_nic(pa)) {
		m->c.cycles += cost_uncached(m, 0, m->c.cycles);
		uint32_t w = nic_read(m, pa & (LANCE_SIZE - 4));
		unsigned shift = (pa & 3) * 8;
		*val = size == 4 ? w : (w >> shift) & (size == 1 ? 0xffu : 0xffffu);
		return 0;
	}
	cpu_exception(m, EXC_DBE, cur, bd, 0);
	return 1;
}

/* Little-endian swl/swr merges of register v into memory word w at byte b. */
/*
 * Slow path of a store.  size is 1, 2, 4, or MMU_SWL/MMU_SWR for the
 * unaligned-store halves, which read-modify-write the enclosing word.
 */
int mmu_store(struct machine *m, uint32_t va, int size, uint32_t val, uint32_t cur, int bd)
{
	uint32_t pa, flags;
	int refill, exc;
	int partial = size == MMU_SWL || size == MMU_SWR;

	if (!partial && (va & (uint32_t)(size - 1))) {
		fault(m, EXC_ADES, 0, va, cur, bd);
		return 1;
	}
	exc = translate(m, va, ACC_STORE, &pa, &flags, &refill);
	if (exc) {
		fault(m, exc, refill, va, cur, bd);
		return 1;
	}
	if (partial) {
		uint32_t wpa = pa & ~3u;
		uint32_t w = is_ram(m, wpa) ? ram_read(m, wpa, 4) : 0;
		val = size == MMU_SWL ? merge_swl(w, val, pa & 3) : merge_swr(w, val, pa & 3);
		pa = wpa;
		size = 4;
	}
	if (is_ram(m, pa)) {
		if (flags & XF_UNCACHED) {
			m->c.cycles += cost_uncached(m, 1, m->c.cycles);
		} else {
			fill(m, va, pa, flags);
			m->c.cycles += cost_dstore(m, pa, partial ? COST_PARTIAL : size, m->c.cycles);
		}
		ram_write(m, pa, size, val);
		return 0;
	}
	if (is_board(pa)) {
		m->c.cycles += cost_uncached(m, 1, m->c.cycles);
		board_write(m, pa & (BOARD_SIZE - 4), val, cur);
		return 0;
	}
	if (is_nic(pa)) {
		m->c.cycles += cost_uncached(m, 1, m->c.cycles);
		nic_write(m, pa & (LANCE_SIZE - 4), val);
		return 0;
	}
	/* DECstations report write bus errors asynchronously; we raise DBE at the store. */
	cpu_exception(m, EXC_DBE, cur, bd, 0);
	return 1;
}

/*
 * Slow path of an instruction fetch: the PC left the current fetch page, or
 * the context changed.  Sets up the fetch page for cacheable RAM so the loop
 * can fetch through a host pointer until the next page change.
 */
int mmu_fetch(struct machine *m, uint32_t pc, int bd, uint32_t *insn)
{
	uint32_t pa, flags;
	int refill, exc = 0;

	if (pc & 3) {
		exc = EXC_ADEL;
	} else {
		exc = translate(m, pc, ACC_FETCH, &pa, &flags, &refill);
		if (!exc && !is_ram(m, pa))
			exc = EXC_IBE;
	}
	if (exc) {
		if (m->fetching_vector) {
			m->stop.pc = pc;
			m->stop.badvaddr = pc;
			cpu_stop(m, STOP_DOUBLE_FAULT, exc);
			return 1;
		}
		/* raise_exc() un-counts the faulting instruction (insns--, cycles--), but a
		 * fetch fault comes before the loop counts it: count it first, so a fetch
		 * fault, like a data fault, retires nothing and costs exc_entry_cycles. */
		m->c.insns++;
		m->c.cycles++;
		if (exc == EXC_IBE)
			cpu_exception(m, EXC_IBE, pc, bd, 0);
		else
			fault(m, exc, exc == EXC_ADEL ? 0 : refill, pc, pc, bd);
		return 1;
	}
	m->fetching_vector = 0;
	*insn = ram_read(m, pa, 4);
	if (flags & XF_UNCACHED) {
		m->c.cycles += cost_uncached(m, 0, m->c.cycles);
		return 0;
	}
	fill(m, pc, pa, flags);
	m->ftag = pc & ENTRYHI_VPN_MASK;
	m->fpdelta = (pa - pc) & ENTRYHI_VPN_MASK;
	m->fhost = (uintptr_t)m->ram + (pa & ENTRYHI_VPN_MASK) - (pc & ENTRYHI_VPN_MASK);
	m->c.cycles += cost_icache(m, pa);
	return 0;
}

/* ---- TLB instructions ---- */

uint32_t cp0_random(struct machine *m)
{
	/* Counts down once per cycle from 63 to 8, then wraps (MAME's model). */
	uint64_t span = TLB_NENTRIES - TLB_NWIRED;
	return (uint32_t)(TLB_NENTRIES - 1 - (m->c.cycles - m->random_base) % span);
}

void tlb_read(struct machine *m)
{
	const struct tlb_entry *t = &m->tlb[(m->cp0[C0_INDEX] & INDEX_MASK) >> INDEX_SHIFT];
	/* tlbr overwrites EntryHi, ASID included: the current address space changes. */
	m->cp0[C0_ENTRYHI] = t->hi;
	m->cp0[C0_ENTRYLO] = t->lo;
	mmu_context_changed(m);
}

/* Rebuild the lookup index from tlb[] (after machine_reset() fills it directly). */
void tlb_reindex(struct machine *m)
{
	memset(m->tlb_bucket, 0, sizeof m->tlb_bucket);
	for (int i = 0; i < TLB_NENTRIES; i++)
		m->tlb_bucket[TLB_BUCKET(m->tlb[i].hi)] |= 1ull << i;
}

/* Write TLB entry index, keeping the host maps and the lookup index in step. */
void tlb_set(struct machine *m, int index, uint32_t hi, uint32_t lo)
{
	struct tlb_entry *t = &m->tlb[index];
	mmu_flush_vpn(m, t->hi);
	m->tlb_bucket[TLB_BUCKET(t->hi)] &= ~(1ull << index);
	t->hi = hi & (ENTRYHI_VPN_MASK | ENTRYHI_ASID_MASK);
	t->lo = lo & ENTRYLO_MASK;
	m->tlb_bucket[TLB_BUCKET(t->hi)] |= 1ull << index;
	mmu_flush_vpn(m, t->hi);
}

/*
 * After tlbwr/tlbwi: enter the kuseg page just written into the host maps, keyed for
 * user mode in the current ASID.  A refill handler's rfe returns to the user instruction
 * that missed, whose retry would otherwise miss the maps (tlb_set flushed the slot) and
 * take the slow path only to make this same fill.  The maps are a cache of translate():
 * the entry is what translate() gives now (the lowest matching index, V, D, N), and a
 * kuseg translation does not depend on KUc; any later TLB write of the VPN flushes the
 * slot, and another ASID or mode has another key.  The slot is the one tlb_set just
 * flushed, so nothing else is evicted.  Counters cannot tell: a map hit and the slow
 * path charge a cacheable RAM access alike.
 */
static void tlb_prefill(struct machine *m, uint32_t vpn)
{
	uint32_t pa, flags;
	int refill;
	if (vpn >= KUSEG_TOP || translate(m, vpn, ACC_LOAD, &pa, &flags, &refill) != 0 ||
	    !is_ram(m, pa) || (flags & XF_UNCACHED))
		return;
	fill_ctx(m, vpn, pa, flags, (m->cp0[C0_ENTRYHI] & ENTRYHI_ASID_MASK) | HMAP_CTX_USER);
}

void tlb_write(struct machine *m, int index)
{
	tlb_set(m, index, m->cp0[C0_ENTRYHI], m->cp0[C0_ENTRYLO]);
	m->c.tlb_writes++;
	tlb_prefill(m, m->cp0[C0_ENTRYHI] & ENTRYHI_VPN_MASK);
}

void tlb_probe(struct machine *m)
{
	uint32_t hi = m->cp0[C0_ENTRYHI];
	for (uint64_t cand = m->tlb_bucket[TLB_BUCKET(hi & ENTRYHI_VPN_MASK)]; cand; cand &= cand - 1) {
		int i = __builtin_ctzll(cand);
		const struct tlb_entry *t = &m->tlb[i];
		if ((t->hi & ENTRYHI_VPN_MASK) == (hi & ENTRYHI_VPN_MASK) &&
		    ((t->lo & ENTRYLO_G) || (t->hi & ENTRYHI_ASID_MASK) == (hi & ENTRYHI_ASID_MASK))) {
			m->cp0[C0_INDEX] = (uint32_t)i << INDEX_SHIFT;
			return;
		}
	}
	m->cp0[C0_INDEX] = INDEX_P;
}
