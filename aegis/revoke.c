/*
 * revoke.c - visible revocation of physical pages and the abort protocol
 * (paper section 3: "an exokernel uses visible revocation for most
 * resources"; a library OS that does not comply loses the resource by
 * force, recorded in a repossession vector).
 *
 * SYS_PAGE_RECLAIM(env, n), allowed to the environment's parent only, stands
 * in for memory pressure.  It asks for n of the environment's revocable
 * pages: every page it owns except its guaranteed ones (text, data, bss,
 * stack, uarea: the "small number of resources that will not be
 * repossessed"), i.e. the pages it got with SYS_PAGE_ALLOC.
 *
 *  1. Visible: if the environment registered AE_ENTRY_REVOKE, at its next
 *     timer tick the kernel saves its context in SA_ISAVE (as for the
 *     end-of-slice upcall), writes n to SA_REVOKE_WANT and enters the
 *     revocation entry.  The library OS picks pages, unmaps them, frees them
 *     with SYS_PAGE_FREE and calls SYS_REVOKE_DONE.
 *  2. Abort protocol: if it has no revocation entry (at once), does not call
 *     SYS_REVOKE_DONE before the following tick (its slice), or calls it
 *     having given back too few, the kernel takes the rest by force: highest
 *     physical page first, never a guaranteed one.  Each page is freed, which
 *     breaks every TLB/STLB binding to it and voids its capabilities (a new
 *     allocation gets new ones), and recorded in the repossession vector
 *     (SA_REPO: {ppn, the va the environment had it bound at, or 0}).  The
 *     environment then gets a repossession upcall (AE_ENTRY_REPOSSESS, again
 *     with its context in SA_ISAVE) at its next tick; without one it simply
 *     goes on (the vector is there to read).  A revocation handler that
 *     spins is abandoned: the repossession upcall replaces it, with the
 *     context it interrupted.
 *
 * Requests reach an environment only while it runs (at a tick); one that
 * waits for a PCT forever is never asked nor forced.  One request at a time.
 */
#include "kern.h"

#define RV_ASKED    1   /* posted; the upcall not yet delivered */
#define RV_UPCALL   2   /* its revocation handler runs */

static int guaranteed_page(struct env *e, uint32_t ppn)
{
	uint32_t pa = ppn << PAGE_SHIFT;
	for (uint32_t i = 0; i < e->nguar; i++) {
		const struct guar *g = &e->guar[i];
		uint32_t base = g->lo & ENTRYLO_PFN_MASK;
		if (!(g->lo & ENTRYLO_N) && pa >= base && pa - base < g->end - g->start)
			return 1;
	}
	return ppn == e->uarea_ppn;
}

static int revocable(struct env *e, uint32_t ppn)
{
	return ppages[ppn].owner == e->id && !guaranteed_page(e, ppn);
}

static uint32_t count_revocable(struct env *e)
{
	uint32_t n = 0;
	for (uint32_t p = 0; p < npages; p++)
		n += revocable(e, p);
	return n;
}

/* The va e's current address space binds ppn at (STLB, then hardware TLB), or 0. */
static uint32_t bound_va(struct env *e, uint32_t ppn)
{
	uint32_t pfn = ppn << PAGE_SHIFT;
	for (uint32_t i = 0; i < STLB_NENTRIES; i++) {
		uint32_t hi = stlb[2 * i], lo = stlb[2 * i + 1];
		if (hi != STLB_EMPTY && (lo & ENTRYLO_V) && (lo & ENTRYLO_PFN_MASK) == pfn &&
		    (hi & ENTRYHI_ASID_MASK) == e->asidhi)
			return hi & ENTRYHI_VPN_MASK;
	}
	uint32_t cur = mfc0_entryhi(), va = 0;
	for (uint32_t i = 0; i < TLB_NENTRIES && !va; i++) {
		mtc0_index(i << INDEX_SHIFT);
		tlbr();
		uint32_t hi = mfc0_entryhi(), lo = mfc0_entrylo();
		if ((hi & ENTRYHI_VPN_MASK) < KUSEG_TOP && (lo & ENTRYLO_V) &&
		    (lo & ENTRYLO_PFN_MASK) == pfn && (hi & ENTRYHI_ASID_MASK) == e->asidhi)
			va = hi & ENTRYHI_VPN_MASK;
	}
	mtc0_entryhi(cur);
	return va;
}

/* The abort protocol: take n revocable pages from e, record them, and owe it an upcall. */
static uint32_t repossess(struct env *e, uint32_t n)
{
	uint32_t *ua = (uint32_t *)(uintptr_t)e->save;
	uint32_t taken = 0;
	for (uint32_t p = npages; p-- > 0 && taken < n;) {
		if (!revocable(e, p))
			continue;
		uint32_t k = ua[SA_REPO / 4];
		if (k < SA_REPO_MAX) {
			ua[SA_REPO / 4 + 1 + 2 * k] = p;
			ua[SA_REPO / 4 + 2 + 2 * k] = bound_va(e, p);
			ua[SA_REPO / 4] = k + 1;
		}
		phys_free_page(p, 0);
		taken++;
	}
	tlb_flush_free();       /* every binding, in every address space, to a page just freed */
	e->repo_pending = taken != 0;
	e->revoke_state = 0;
	return taken;
}

sysret_t sys_page_reclaim(uint32_t id, uint32_t n)
{
	struct env *e = env_lookup((int32_t)id);
	if (!e)
		return AE_ESRCH;
	if (e->parent != curenv->id || e == curenv)
		return AE_EPERM;
	if (e->revoke_state)
		return AE_EBUSY;
	uint32_t have = count_revocable(e);
	if (n > have)
		n = have;
	if (n == 0)
		return 0;
	e->revoke_goal = have - n;
	if (!e->revoke_pc)
		return (int32_t)repossess(e, n);
	((uint32_t *)(uintptr_t)e->save)[SA_REVOKE_WANT / 4] = n;
	e->revoke_state = RV_ASKED;
	e->revoke_waits = 0;
	return (int32_t)n;
}

/* The revocation handler is done: what it did not give back is taken. -> pages taken by force */
sysret_t sys_revoke_done(void)
{
	struct env *e = curenv;
	if (e->revoke_state != RV_UPCALL)
		return AE_EINVAL;
	e->revoke_state = 0;
	((uint32_t *)(uintptr_t)e->save)[SA_REVOKE_WANT / 4] = 0;
	uint32_t have = count_revocable(e);
	return have > e->revoke_goal ? (int32_t)repossess(e, have - e->revoke_goal) : 0;
}

/* A tick in e (curenv, its context in tf) with a request or repossession outstanding:
 * 1 if an upcall was delivered (e goes on at it), 0 if the tick goes on as usual. */
int revoke_tick(struct env *e)
{
	uint32_t *ua = (uint32_t *)(uintptr_t)e->save;
	int busy = sched_upcall_busy(e);

	if (e->revoke_state == RV_ASKED) {
		if (!busy) {
			sched_upcall(e, e->revoke_pc);
			e->revoke_state = RV_UPCALL;
			return 1;
		}
		if (++e->revoke_waits < 2)
			return 0;
		uint32_t have = count_revocable(e);                  /* busy for two slices */
		ua[SA_REVOKE_WANT / 4] = 0;
		e->revoke_state = 0;
		if (have > e->revoke_goal)
			repossess(e, have - e->revoke_goal);
	} else if (e->revoke_state == RV_UPCALL) {
		/* A slice went by without SYS_REVOKE_DONE: abort; the handler is abandoned. */
		uint32_t have = count_revocable(e);
		ua[SA_REVOKE_WANT / 4] = 0;
		e->revoke_state = 0;
		if (have > e->revoke_goal)
			repossess(e, have - e->revoke_goal);
		/* Its own context is the one the revocation upcall interrupted (still in SA_ISAVE). */
		for (int i = 1; i < 32; i++)
			e->regs[i] = ua[SA_IREG(i) / 4];
		e->hi = ua[SA_IHI / 4];
		e->lo = ua[SA_ILO / 4];
		e->epc = ua[SA_IEPC / 4];
		ua[SA_INUPCALL / 4] = 0;
		busy = 0;
	}
	if (e->repo_pending && (!e->repo_pc || !busy)) {
		e->repo_pending = 0;
		if (e->repo_pc) {
			sched_upcall(e, e->repo_pc);
			return 1;
		}
	}
	return 0;
}
