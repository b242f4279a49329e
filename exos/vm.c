/*
 * vm.c - ExOS virtual memory: its own two-level page table, TLB-miss and
 * write-fault handling at user level, protection and dirty bits.
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
#include "exos.h"

#define L1_SHIFT        22
#define L2_ENTRIES      1024
#define PT_POOL         16

struct pte {
	uint32_t word;          /* ppn << PAGE_SHIFT | PTE_* */
	uint32_t cap;
};

static struct pte *pt_dir[1 << (32 - L1_SHIFT)];
static struct pte pt_pool[PT_POOL][L2_ENTRIES];
static uint32_t pt_used;
uint32_t vm_faults_resolved;

static struct pte *pte_get(uint32_t va, int create)
{
	uint32_t i = va >> L1_SHIFT;
	if (!pt_dir[i]) {
		if (!create || pt_used >= PT_POOL)
			return 0;
		pt_dir[i] = pt_pool[pt_used++];
	}
	return &pt_dir[i][(va >> PAGE_SHIFT) & (L2_ENTRIES - 1)];
}

int vm_lookup(uint32_t va, uint32_t *ppn, uint32_t *cap, uint32_t *flags)
{
	struct pte *p = pte_get(va, 0);
	if (!p || !(p->word & PTE_P))
		return -1;
	*ppn = p->word >> PAGE_SHIFT;
	*cap = p->cap;
	*flags = p->word & (PAGE_SIZE - 1);
	return 0;
}

int vm_map_page(uint32_t va, uint32_t ppn, uint32_t cap, uint32_t prot)
{
	struct pte *p = pte_get(va, 1);
	if (!p)
		return OS_ENOMEM;
	if (p->word & PTE_P)
		ae_tlb_unmap(va);
	p->word = (ppn << PAGE_SHIFT) | PTE_P | (prot & (PTE_R | PTE_W));
	p->cap = cap;
	return OS_OK;
}

/* Install the hardware mapping the PTE allows: writable only once dirty. */
static int install(uint32_t va, struct pte *p)
{
	uint32_t w = (p->word & PTE_W) && (p->word & PTE_D);
	return ae_tlb_map(va, p->word >> PAGE_SHIFT, p->cap, w ? AE_MAP_W : 0);
}

int vm_fault(uint32_t code, uint32_t va)
{
	struct pte *p = pte_get(va, 0);
	if (!p || !(p->word & PTE_P) || !(p->word & PTE_R))
		return 0;
	if (code == EXC_MOD && !(p->word & PTE_W))
		return 0;               /* a protection fault: the program's */
	if ((code == EXC_TLBS || code == EXC_MOD) && (p->word & PTE_W))
		p->word |= PTE_D;
	/* A store that missed to a read-only page: install it read-only; the retry raises Mod. */
	if (install(va & ~(uint32_t)(PAGE_SIZE - 1), p) < 0)
		return 0;
	vm_faults_resolved++;
	return 1;
}

int os_alloc_pages(uint32_t va, uint32_t npages)
{
	if (va & (PAGE_SIZE - 1))
		return OS_EINVAL;
	for (uint32_t i = 0; i < npages; i++) {
		uint64_t r = ae_page_alloc();
		int32_t ppn = (int32_t)(uint32_t)r;
		if (ppn < 0)
			return OS_ENOMEM;
		int err = vm_map_page(va + i * PAGE_SIZE, (uint32_t)ppn, (uint32_t)(r >> 32), PTE_R | PTE_W);
		if (err)
			return err;
	}
	return OS_OK;
}

int os_protect(uint32_t va, uint32_t npages, int prot)
{
	for (uint32_t i = 0; i < npages; i++, va += PAGE_SIZE) {
		struct pte *p = pte_get(va, 0);
		if (!p || !(p->word & PTE_P))
			return OS_EINVAL;
		p->word &= ~(uint32_t)(PTE_R | PTE_W);
		if (prot & (OS_PROT_READ | OS_PROT_WRITE))
			p->word |= PTE_R;
		if (prot & OS_PROT_WRITE)
			p->word |= PTE_W;
		/* Bring the TLB and STLB in line: drop the binding or re-install it. */
		if (!(p->word & PTE_R))
			ae_tlb_unmap(va);
		else if (install(va, p) < 0)
			return OS_EPERM;
	}
	return OS_OK;
}

int os_dirty(uint32_t va)
{
	struct pte *p = pte_get(va, 0);
	if (!p || !(p->word & PTE_P))
		return OS_EINVAL;
	return (p->word & PTE_D) != 0;
}
