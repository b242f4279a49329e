/*
 * vm.c - ExOS virtual memory: its own page table, TLB-miss and write-fault
 * handling at user level, protection and dirty bits.  Where the PTEs live is
 * the page-table structure's business (pt.h: the default two-level table, or
 * one the program links instead); this file holds what does not depend on it.
 *
 * The kernel's STLB caches what ExOS installed; when both the hardware TLB
 * and the STLB miss, Aegis hands the fault to exos_exc_entry and we look
 * the page up here and install it with SYS_TLB_MAP, presenting the page's
 * capability (the kernel checks it: secure binding).
 *
 * Dirty tracking: a page is mapped read-only until it is written; the
 * first store raises Mod, which marks it dirty and maps it writable.
 * Protection faults ExOS cannot resolve go to the program's handler
 * (os_set_handler on EXC_TLBL/TLBS/MOD), then the access is retried.
 */
#include "pt.h"

uint32_t vm_faults_resolved;

int vm_lookup(uint32_t va, ae_cap_t *cap, uint32_t *flags)
{
	struct pte *p = pt_lookup(va);
	if (!p || !(p->word & PTE_P))
		return -1;
	*cap = pte_cap(p) & ~(ae_cap_t)AE_CAP_USER_BITS;
	*flags = p->word & AE_CAP_USER_BITS;
	return 0;
}

static inline int map_page(uint32_t va, ae_cap_t cap, uint32_t prot)
{
	struct pte *p = pt_insert(va);
	if (!p)
		return OS_ENOMEM;
	if (p->word & PTE_P)
		ae_tlb_unmap(va);
	p->word = ((uint32_t)cap & ~(uint32_t)AE_CAP_USER_BITS) | PTE_P | (prot & (PTE_R | PTE_W));
	p->hi = (uint32_t)(cap >> 32);
	return OS_OK;
}

void vm_unmap_page(uint32_t va)
{
	struct pte *p = pt_lookup(va);
	if (p && (p->word & PTE_P)) {
		p->word = p->hi = 0;
		ae_tlb_unmap(va & ~(uint32_t)(PAGE_SIZE - 1));
	}
}

int vm_map_page(uint32_t va, ae_cap_t cap, uint32_t prot)
{
	return map_page(va, cap, prot);
}

/* Install the hardware mapping the PTE allows: writable only once dirty. */
static int install(uint32_t va, struct pte *p)
{
	uint32_t w = (p->word & PTE_W) && (p->word & PTE_D);
	return ae_tlb_map(va | (w ? AE_MAP_W : 0), pte_cap(p));
}

int vm_fault(uint32_t code, struct os_fault *f)
{
	uint32_t va = f->badvaddr;
	struct pte *p = pt_lookup(va);
	if (!p || !(p->word & PTE_P) || !(p->word & PTE_R))
		return (int)code;
	if (code == EXC_MOD && !(p->word & PTE_W))
		return EXC_MOD;                 /* a protection fault: the program's */
	if (code == EXC_TLBS && !(p->word & PTE_W)) {
		/* The same, found on a miss (no binding was cached, e.g. after a range
		 * protect flushed them): the program sees the Mod it would have seen. */
		f->cause = (f->cause & ~(uint32_t)CAUSE_EXC_MASK) | (EXC_MOD << CAUSE_EXC_SHIFT);
		return EXC_MOD;
	}
	if (code != EXC_TLBL)
		p->word |= PTE_D;
	if (install(va & ~(uint32_t)(PAGE_SIZE - 1), p) < 0)
		return (int)code;
	vm_faults_resolved++;
	return VM_RESOLVED;
}

int os_alloc_pages(uint32_t va, uint32_t npages)
{
	if (va & (PAGE_SIZE - 1))
		return OS_EINVAL;
	for (uint32_t i = 0; i < npages; i++) {
		ae_cap_t cap = ae_page_alloc();
		if (AE_CAP_IS_ERR(cap))
			return OS_ENOMEM;
		int err = map_page(va + i * PAGE_SIZE, cap, PTE_R | PTE_W);
		if (err) {
			ae_page_free(cap);      /* e.g. the page table is full */
			return err;
		}
	}
	return OS_OK;
}

/*
 * Change the protection of npages pages at va.  The page table is ExOS's
 * own, so the change itself is made in user mode; what costs a kernel
 * crossing is bringing the cached bindings (TLB and STLB) in line, and
 * only where rights are taken away:
 *
 * - Rights added (unprotect): nothing to do for large ranges.  A binding
 *   never grants more than the page table, and ExOS installs bindings
 *   lazily anyway: the next store to a page still bound read-only raises
 *   Mod (or misses), and vm_fault() installs the writable binding then.
 *   Small ranges (at most PROT_EAGER pages) are installed at once: a
 *   handler that unprotects the page it faulted on is about to touch it,
 *   and a map is cheaper than a second fault.
 * - Rights taken away: up to PROT_EAGER pages, each page's binding is
 *   replaced (read-only re-install) or removed, as Ultrix's newptes() uses
 *   unmaptlb per page.  One page: SYS_TLB_RDONLY (write taken away, no
 *   capability to check; no call at all if the binding cannot be
 *   writable), SYS_TLB_UNMAP or SYS_TLB_MAP, the cheapest calls; 2 to PROT_EAGER pages: one SYS_TLB_MAPV (the same
 *   checks per page, one crossing; all or nothing).  Past that, one
 *   SYS_TLB_FLUSH drops all our bindings (a new ASID, as Ultrix does
 *   past 7 pages) and the pages we still touch fault back in through the
 *   STLB refill (guaranteed mappings) or vm_fault().  A flush is needed
 *   only if some page may be bound with more than it now allows.
 *
 * A page that is not present makes it OS_EINVAL: up to PROT_EAGER pages
 * nothing changes then; past that, the pages before it have changed (as
 * mprotect may change part of a range).  The pages changed are always in
 * line with their bindings.
 */
#define PROT_EAGER      7

/* 2 to PROT_EAGER pages: the same for each page, as one vector: one crossing,
 * every capability checked. */
static __attribute__((noinline)) int protect_few(uint32_t va, uint32_t npages, uint32_t set)
{
	struct pte *ps[PROT_EAGER];
	struct ae_mapv v[PROT_EAGER];
	if (!npages)
		return OS_OK;
	for (uint32_t i = 0; i < npages; i++) {
		struct pte *p = ps[i] = pt_lookup(va + i * PAGE_SIZE);
		if (!p || !(p->word & PTE_P))
			return OS_EINVAL;
	}
	for (uint32_t i = 0; i < npages; i++) {
		struct pte *p = ps[i];
		uint32_t w = p->word = (p->word & ~(uint32_t)(PTE_R | PTE_W)) | set;
		v[i].va = (va + i * PAGE_SIZE) | (!(w & PTE_R) ? AE_MAP_UNMAP :
						  (w & PTE_W) && (w & PTE_D) ? AE_MAP_W : 0);
		v[i].cap_lo = w;                /* the PTE is the capability (its flag bits ignored) */
		v[i].cap_hi = p->hi;
	}
	if ((int32_t)(uint32_t)ae_tlb_mapv(v, npages) < 0) {
		ae_tlb_flush();         /* refused, nothing changed: drop every binding instead */
		return OS_EPERM;
	}
	return OS_OK;
}

/* Past PROT_EAGER pages: PTEs in user mode (pt_protect, the structure's walk), at most one SYS_TLB_FLUSH. */
static __attribute__((noinline)) int protect_range(uint32_t va, uint32_t npages, uint32_t set)
{
	if ((va & (PAGE_SIZE - 1)) || npages > (0u - va) >> PAGE_SHIFT)
		return OS_EINVAL;
	/* What a binding may grant beyond the new protection: a readable page may be
	 * bound at all; a writable dirty one writable (install()).  acc, the OR of the
	 * old PTEs, tells conservatively (W and D may be on different pages: then we
	 * flush for nothing, never the other way round). */
	uint32_t need = !(set & PTE_R) ? PTE_R : !(set & PTE_W) ? PTE_W | PTE_D : 0;
	uint32_t acc = 0;
	int err = pt_protect(va, npages, set, &acc);
	if (need && (acc & need) == need)
		ae_tlb_flush();
	return err;
}

int os_protect(uint32_t va, uint32_t npages, int prot)
{
	uint32_t set = 0;
	if (prot & (OS_PROT_READ | OS_PROT_WRITE))
		set |= PTE_R;
	if (prot & OS_PROT_WRITE)
		set |= PTE_W;
	if (npages == 1) {
		struct pte *p = pt_lookup(va);
		if (!p || !(p->word & PTE_P))
			return OS_EINVAL;
		uint32_t old = p->word;
		p->word = (old & ~(uint32_t)(PTE_R | PTE_W)) | set;
		/* Bring the TLB and STLB in line: drop the binding, write-protect it (it
		 * may be writable only if the page was writable and dirty), leave it (it
		 * grants no more than before and nothing is added), or install it. */
		if (!(set & PTE_R))
			ae_tlb_unmap(va);
		else if (!(set & PTE_W) && (old & PTE_R)) {
			if ((old & PTE_W) && (old & PTE_D))
				ae_tlb_rdonly(va);
		} else if (install(va, p) < 0) {
			ae_tlb_unmap(va);       /* refused (page gone?): at least grant nothing */
			return OS_EPERM;
		}
		return OS_OK;
	}
	return npages <= PROT_EAGER ? protect_few(va, npages, set) : protect_range(va, npages, set);
}

int os_dirty(uint32_t va)
{
	struct pte *p = pt_lookup(va);
	if (!p || !(p->word & PTE_P))
		return OS_EINVAL;
	return (p->word & PTE_D) != 0;
}
