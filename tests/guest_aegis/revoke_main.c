/*
 * revoke_main.c - visible revocation and the abort protocol (aegis/revoke.c,
 * exos/revoke.c).  The same image is boot module "revoke" (the parent) and
 * "revoke2" (the child it spawns); the role comes from SA_PARENT.  Boot
 * parameter "t": 1 a compliant child (ExOS's revocation handler), 2 a child
 * with no revocation entry, 3 a child whose revocation handler spins (ExOS's
 * repossession handler), 4 a compliant child that can give back only 3 of the 6
 * pages asked (the kernel takes the rest), 5 a child with no revocation entry
 * asked for more pages than it has, 6 a compliant child caught in a long end-of-slice
 * upcall (busy for two ticks: the kernel cannot ask, and takes the pages); every
 * case also checks the parent's own pages.
 * The child spins (so timer ticks land in it) until the revocation is over.
 */
#include "exos.h"

#define REG      0x40000000     /* the child's revocable region */
#define NPG      16
#define PREG     0x48000000     /* the parent's own pages */
#define PNPG     8
#define SCRATCH  0x4c000000
#define ASK      6

static uint32_t asked(int t) { return t == 5 ? 1000 : t == 1 || t == 4 ? ASK : ASK - 1; }
static int no_handler(int t) { return t == 2 || t == 5; }

/* t 6: the first end-of-slice upcall spins until the kernel has taken pages; later ones return. */
static void slow_policy(void)
{
	static int spun;
	if (spun++)
		return;
	while (*(volatile uint32_t *)(UAREA_VADDR + SA_REPO) == 0)
		__asm__ volatile("");
}

static uint32_t ppn[NPG];
static ae_cap_t cap[NPG];
static volatile uint32_t faults, fault_va;

static uint32_t word(uint32_t va) { return *(volatile uint32_t *)va; }
static uint32_t pat(uint32_t i, uint32_t k) { return 0x5a000000u ^ (i << 12) ^ k * 2654435761u; }

static void skip(struct os_fault *f)
{
	faults++;
	fault_va = f->badvaddr;
	f->pc += 4;
}

static void spin_entry(void)
{
	for (;;)
		__asm__ volatile("");
}

static void fill(uint32_t va, uint32_t i)
{
	for (uint32_t k = 0; k < PAGE_SIZE / 4; k += 64)
		*(volatile uint32_t *)(va + 4 * k) = pat(i, k);
}

static int intact(uint32_t va, uint32_t i)
{
	for (uint32_t k = 0; k < PAGE_SIZE / 4; k += 64)
		if (word(va + 4 * k) != pat(i, k))
			return 0;
	return 1;
}

static void child(int t)
{
	if (t == 1 || t == 4 || t == 6)
		exos_revoke_init();
	if (t == 6)
		exos_slice_end_handler(slow_policy);
	if (t == 3) {
		exos_revoke_init();
		ae_set_entry(AE_ENTRY_REVOKE, (uint32_t)(uintptr_t)spin_entry);
	}
	exos_revocable(REG, t == 4 ? 3 : NPG);
	os_alloc_pages(REG, NPG);
	/* t 1: pages 0-11 written (dirty), 12-15 never touched (clean); else all written */
	uint32_t written = t == 1 ? 12 : NPG;
	for (uint32_t i = 0; i < written; i++)
		fill(REG + i * PAGE_SIZE, i);
	uint32_t fl;
	for (uint32_t i = 0; i < NPG; i++)
		vm_lookup(REG + i * PAGE_SIZE, &cap[i], &fl), ppn[i] = AE_CAP_PPN(cap[i]);
	bench_result("reclaim_parent", (uint32_t)ae_page_reclaim((uint32_t)exos_parent(), 1));
	bench_result("reclaim_self", (uint32_t)ae_page_reclaim((uint32_t)os_self(), 1));
	volatile uint32_t *repo = (volatile uint32_t *)(UAREA_VADDR + SA_REPO);
	os_yield(exos_parent());        /* the parent asks now */
	/* Run until the revocation is over (or give up). */
	for (uint32_t spins = 0; spins < 200000000; spins++) {
		if (t == 1 && *(volatile uint32_t *)&exos_revoked >= ASK && spins > 1000000)
			break;
		if (no_handler(t) && repo[0] != 0)
			break;
		if (t >= 3 && !no_handler(t) && *(volatile uint32_t *)&exos_repossessed != 0)
			break;
	}
	bench_result("revoked", exos_revoked);
	bench_result("repossessed", exos_repossessed);
	bench_result("repo_count", repo[0]);
	/* Which pages are gone: for t 2, the kernel's vector says; otherwise the page table. */
	uint32_t gone = 0, gone_n = 0, vec_ok = 1, va_known = 0;
	if (no_handler(t)) {
		uint32_t n = repo[0];
		for (uint32_t k = 0; k < n; k++) {
			uint32_t p = repo[1 + 2 * k], va = repo[2 + 2 * k];
			int hit = -1;
			for (uint32_t i = 0; i < NPG; i++)
				if (ppn[i] == p)
					hit = (int)i;
			/* a page it did not allocate (e.g. a guaranteed one), or a wrong va (0: the kernel
			 * found no binding left -- the STLB is direct mapped, the TLB random) */
			if (hit < 0 || (va != 0 && va != REG + (uint32_t)hit * PAGE_SIZE))
				vec_ok = 0;
			else {
				va_known += va != 0;
				gone |= 1u << hit;
				gone_n++;
			}
		}
	} else {
		for (uint32_t i = 0; i < NPG; i++) {
			ae_cap_t c;
			if (vm_lookup(REG + i * PAGE_SIZE, &c, &fl) < 0) {
				gone |= 1u << i;
				gone_n++;
			}
		}
	}
	bench_result("vec_ok", vec_ok);
	bench_result("va_known", va_known);
	bench_result("gone", gone);
	bench_result("gone_n", gone_n);
	/* The pages it lost are free again: allocate as many, which hands (some of) them out anew, with
	 * new capabilities -- to this very environment, so the old ones are tested against live pages. */
	uint32_t reused = 0;
	for (uint32_t k = 0; k < gone_n; k++) {
		uint32_t p = AE_CAP_PPN(ae_page_alloc());
		for (uint32_t i = 0; i < NPG; i++)
			reused += (gone & (1u << i)) && ppn[i] == p;
	}
	bench_result("reused", reused);
	/* Kept pages: data intact, capabilities good.  Gone pages: old capabilities refused. */
	uint32_t kept_ok = 0, old_refused = 0, free_refused = 0;
	for (uint32_t i = 0; i < NPG; i++) {
		if (gone & (1u << i)) {
			old_refused += ae_tlb_map(SCRATCH | AE_MAP_W, cap[i]) == AE_EPERM &&
				       ae_tlb_map(SCRATCH, cap[i]) == AE_EPERM;
			free_refused += ae_page_free(cap[i]) == AE_EPERM;
		} else {
			kept_ok += (i >= written || intact(REG + i * PAGE_SIZE, i)) &&
				   ae_tlb_map(SCRATCH | AE_MAP_W, cap[i]) == 0 && ae_tlb_unmap(SCRATCH) == 0;
		}
	}
	bench_result("kept_ok", kept_ok);
	bench_result("old_refused", old_refused);
	bench_result("free_refused", free_refused);
	/* An access to a page that is gone faults to the program's handler. */
	os_set_handler(EXC_TLBL, skip);
	int first = -1;
	for (uint32_t i = 0; i < NPG && first < 0; i++)
		if (gone & (1u << i))
			first = (int)i;
	if (first >= 0) {
		uint32_t va = REG + (uint32_t)first * PAGE_SIZE + 8;
		word(va);
		bench_result("gone_fault", faults == 1 && fault_va == va);
	}
	bench_result("child_done", 1);
}

static void parent(int t)
{
	os_alloc_pages(PREG, PNPG);
	for (uint32_t i = 0; i < PNPG; i++)
		fill(PREG + i * PAGE_SIZE, 100 + i);
	int c = os_spawn("revoke2");
	bench_result("reclaim_nochild", (uint32_t)ae_page_reclaim(NENV - 1, 1));
	os_yield(c);    /* the child sets up (within one slice: the tests' timer is slow) and yields back */
	if (t == 6)
		os_yield(c);    /* back at the second tick, the child in its end-of-slice upcall */
	bench_result("asked", (uint32_t)ae_page_reclaim((uint32_t)c, asked(t)));
	if (!no_handler(t))     /* (t 2 was forced at once: nothing outstanding, a second call would take more) */
		bench_result("again", (uint32_t)ae_page_reclaim((uint32_t)c, 1));
	while (ae_env_alive((uint32_t)c))
		os_yield(c);
	uint32_t ok = 0;
	for (uint32_t i = 0; i < PNPG; i++)
		ok += intact(PREG + i * PAGE_SIZE, 100 + i);
	bench_result("parent_ok", ok);
}

int main(void)
{
	int t = (int)os_param("t", 1);
	if (exos_parent() < 0)
		parent(t);
	else
		child(t);
	return 0;
}
