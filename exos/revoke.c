/*
 * revoke.c - ExOS's side of visible revocation (aegis/revoke.c).
 *
 * A program names the regions whose pages it can live without
 * (exos_revocable(va, npages): pages of os_alloc_pages regions) and calls
 * exos_revoke_init() to register the two upcalls.
 *
 * Revocation handler, policy: give back the least useful pages first --
 * clean pages (never written since mapped: PTE_D clear, nothing lost) before
 * dirty ones, and within each class the highest address first (the pages a
 * program that fills a region upwards touched last).  ExOS keeps no
 * reference bits, so "not touched recently" is approximated by clean.  Each
 * page is removed from the page table (and its binding dropped), freed with
 * SYS_PAGE_FREE, and SYS_REVOKE_DONE tells Aegis we are done.
 *
 * Repossession handler (the abort protocol): every page in the vector is
 * removed from the page table (found by its va, or by its ppn in the
 * revocable regions when Aegis did not know the va), and the vector reset.
 * A later access to such a page faults to the program: vm_fault finds no
 * page, so the program's handler for TLBL/TLBS sees the fault (or, without
 * one, ExOS reports it and exits); os_protect on it returns OS_EINVAL.
 * A program without the upcalls registered only finds the vector filled.
 *
 * Works through vm.c's calls on either page-table structure (pt.h); the tests
 * exercise it on the default two-level table.
 */
#include "exos.h"

#define UA(off)  (*(volatile uint32_t *)(UAREA_VADDR + (off)))
#define NREGIONS 8

void exos_revoke_entry(void);
void exos_repossess_entry(void);
int ae_revoke_done(void);

static struct { uint32_t va, npages; } regions[NREGIONS];
static uint32_t nregions;
uint32_t exos_revoked, exos_repossessed;   /* pages given back, pages taken by force */

int exos_revocable(uint32_t va, uint32_t npages)
{
	if (nregions >= NREGIONS || (va & (PAGE_SIZE - 1)))
		return OS_EINVAL;
	regions[nregions].va = va;
	regions[nregions].npages = npages;
	nregions++;
	return OS_OK;
}

int exos_revoke_init(void)
{
	extern char exos_resume_lo[], exos_resume_hi[];
	if (ae_set_entry(AE_ENTRY_RESUME_LO, (uint32_t)(uintptr_t)exos_resume_lo) < 0 ||
	    ae_set_entry(AE_ENTRY_RESUME_HI, (uint32_t)(uintptr_t)exos_resume_hi) < 0 ||
	    ae_set_entry(AE_ENTRY_REVOKE, (uint32_t)(uintptr_t)exos_revoke_entry) < 0 ||
	    ae_set_entry(AE_ENTRY_REPOSSESS, (uint32_t)(uintptr_t)exos_repossess_entry) < 0)
		return OS_EINVAL;
	return OS_OK;
}

/* Give back up to want pages of one class (dirty or clean): highest address first. */
static uint32_t give_back(uint32_t want, uint32_t dirty)
{
	uint32_t given = 0;
	for (uint32_t r = nregions; r-- > 0 && given < want;)
		for (uint32_t i = regions[r].npages; i-- > 0 && given < want;) {
			uint32_t va = regions[r].va + i * PAGE_SIZE, fl;
			ae_cap_t cap;
			if (vm_lookup(va, &cap, &fl) < 0 || ((fl & PTE_D) != 0) != dirty)
				continue;
			vm_unmap_page(va);
			if (ae_page_free(cap) == 0) {
				given++;
				exos_revoked++;
			}
		}
	return given;
}

void exos_revoke(void)
{
	uint32_t want = UA(SA_REVOKE_WANT);
	uint32_t given = give_back(want, 0);
	if (given < want)
		give_back(want - given, 1);
	ae_revoke_done();
}

/* The page ppn at va (0: unknown) is gone: forget it. */
static void forget(uint32_t ppn, uint32_t va)
{
	uint32_t fl;
	ae_cap_t cap;
	if (va && vm_lookup(va, &cap, &fl) == 0 && AE_CAP_PPN(cap) == ppn) {
		vm_unmap_page(va);
		return;
	}
	for (uint32_t r = 0; r < nregions; r++)
		for (uint32_t i = 0; i < regions[r].npages; i++) {
			uint32_t v = regions[r].va + i * PAGE_SIZE;
			if (vm_lookup(v, &cap, &fl) == 0 && AE_CAP_PPN(cap) == ppn) {
				vm_unmap_page(v);
				return;
			}
		}
}

void exos_repossess(void)
{
	uint32_t n = UA(SA_REPO);
	if (n > SA_REPO_MAX)
		n = SA_REPO_MAX;
	for (uint32_t k = 0; k < n; k++) {
		forget(UA(SA_REPO + 4 + 8 * k), UA(SA_REPO + 8 + 8 * k));
		exos_repossessed++;
	}
	UA(SA_REPO) = 0;
}
