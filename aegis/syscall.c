/*
 * syscall.c - the system-call tables and the calls written in C.
 *
 * systab (read by trap.S sys_entry) holds the assembly entry of each call:
 * sys_null (no kernel stack), sys_c (kernel stack, C, straight back),
 * sys_switch (full context save, C, resume whoever is current), or a PCT
 * path.  systab_c holds the C function for the sys_c / sys_switch ones.
 */
#include "kern.h"

static sysret_t sys_null_stack(void)
{
	return 0;
}

/* The caller's saved v0 gets exit's return value only if it survives, which it does not. */
static sysret_t sys_exit(int32_t code)
{
	env_destroy(curenv, code);
	return 0;
}

static sysret_t sys_pct_wait(void)
{
	curenv->tf_valid = TF_NONE;
	sched_next();
	return 0;
}

static sysret_t sys_set_handler(uint32_t code, uint32_t pc)
{
	if (code >= EXC_NCODES || code == EXC_SYS || code == EXC_INT || (pc & 3) || pc >= KUSEG_TOP)
		return AE_EINVAL;
	curenv->handlers[code] = pc ? pc : (uint32_t)(uintptr_t)exc_default;
	return 0;
}

static sysret_t sys_set_entry(uint32_t kind, uint32_t pc)
{
	if ((pc & 3) || pc >= KUSEG_TOP)
		return AE_EINVAL;
	switch (kind) {
	case AE_ENTRY_SYNC: curenv->sync_pc = pc; return 0;
	case AE_ENTRY_ASYNC: curenv->async_pc = pc; return 0;
	case AE_ENTRY_SLICE: curenv->slice_pc = pc; return 0;
	case AE_ENTRY_SLICE_END: curenv->slice_end_pc = pc; return 0;
	case AE_ENTRY_RESUME_LO: curenv->resume_lo = pc; return 0;
	case AE_ENTRY_RESUME_HI: curenv->resume_hi = pc; return 0;
	case AE_ENTRY_REVOKE: curenv->revoke_pc = pc; return 0;
	case AE_ENTRY_REPOSSESS: curenv->repo_pc = pc; return 0;
	default: return AE_EINVAL;
	}
}

/* A fresh page charged to the caller: its read-write capability in v0:v1 (o32 returns a
 * 64-bit value there), or the error, sign-extended (AE_CAP_IS_ERR). */
static sysret_t sys_page_alloc(void)
{
	int32_t ppn = phys_alloc(curenv->id, 1, 1);
	if (ppn < 0)
		return (ae_cap_t)(int64_t)ppn;
	return phys_cap((uint32_t)ppn, 1);
}

/* Free the page `cap` (its read-write capability) names: every binding to it is gone, and
 * every capability to it void, before the call returns. */
static sysret_t sys_page_free(ae_cap_t cap)
{
	int32_t ppn = phys_check_cap(cap, 1);
	if (ppn < 0)
		return AE_EPERM;
	phys_free_page((uint32_t)ppn, 1);
	return 0;
}

static sysret_t sys_cap_ro(ae_cap_t cap)
{
	int32_t ppn = phys_check_cap(cap, 1);
	if (ppn < 0)
		return (ae_cap_t)(int64_t)AE_EPERM;
	return phys_cap((uint32_t)ppn, 0);
}

/*
 * The secure binding: install va -> the page `cap` names for the current environment,
 * after checking the capability.  The flags ride in va's page-offset bits (as in
 * SYS_TLB_MAPV); a2:a3 hold the capability (o32 passes a 64-bit argument in an aligned
 * pair, so a1 is unused).  Refuses kernel addresses, the reserved low pages and the
 * guaranteed mappings, unknown flags, capabilities that name no live allocation, and
 * writable mappings under a read-only capability.
 */
static sysret_t sys_tlb_map(uint32_t va_flags, ae_cap_t cap)
{
	uint32_t va = va_flags & ENTRYHI_VPN_MASK, flags = va_flags & ~ENTRYHI_VPN_MASK;
	if ((flags & ~(uint32_t)(AE_MAP_W | AE_MAP_N)) ||
	    va >= KUSEG_TOP || va < USER_RESERVED_TOP || env_guaranteed(curenv, va))
		return AE_EINVAL;
	int32_t ppn = phys_check_cap(cap, flags & AE_MAP_W);
	if (ppn < 0)
		return AE_EPERM;
	uint32_t lo = ((uint32_t)ppn << PAGE_SHIFT) | ENTRYLO_V | ((flags & AE_MAP_W) ? ENTRYLO_D : 0) |
		      ((flags & AE_MAP_N) ? ENTRYLO_N : 0);
	tlb_install(va | curenv->asidhi, lo);
	return 0;
}

static sysret_t sys_tlb_unmap(uint32_t va)
{
	va &= ENTRYHI_VPN_MASK;
	if (va >= KUSEG_TOP || va < USER_RESERVED_TOP || env_guaranteed(curenv, va))
		return AE_EINVAL;
	tlb_remove(va | curenv->asidhi);
	return 0;
}

/*
 * Write-protect the caller's binding of va, if it has one: the cheapest way
 * for a library OS to take write permission from a page it keeps readable
 * (no capability: only a right is removed, and only from the caller's own
 * binding; nothing is installed where nothing was bound).
 */
static sysret_t sys_tlb_rdonly(uint32_t va)
{
	va &= ENTRYHI_VPN_MASK;
	if (va >= KUSEG_TOP || va < USER_RESERVED_TOP || env_guaranteed(curenv, va))
		return AE_EINVAL;
	tlb_rdonly(va | curenv->asidhi);
	return 0;
}

/*
 * SYS_TLB_MAP and SYS_TLB_UNMAP for up to AE_MAPV_MAX pages with one kernel
 * crossing.  The vector must lie in the caller's guaranteed-mapped RAM (its
 * stack, data or bss), which the kernel reads through kseg0.  Every entry is
 * checked exactly as the single calls check it -- address, and for a mapping
 * the capability for the rights asked -- before anything is installed: one
 * refused entry refuses the whole vector (v0 = the error, v1 = its index) and
 * no binding changes.  Nothing can change the vector between the two passes
 * (the kernel runs with interrupts off on the only processor).
 */
static sysret_t sys_tlb_mapv(uint32_t uva, uint32_t n)
{
	const struct ae_mapv *v = (uva & 3) || n > AE_MAPV_MAX ? 0 : env_kptr(curenv, uva, n * MAPV_SIZE);
	if (!v)
		return (uint32_t)AE_EINVAL;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t va = v[i].va & ENTRYHI_VPN_MASK, fl = v[i].va & ~ENTRYHI_VPN_MASK;
		int32_t err = 0;
		if ((fl & ~(uint32_t)(AE_MAP_W | AE_MAP_N | AE_MAP_UNMAP)) ||
		    va >= KUSEG_TOP || va < USER_RESERVED_TOP || env_guaranteed(curenv, va))
			err = AE_EINVAL;
		else if (!(fl & AE_MAP_UNMAP) &&
			 phys_check_cap((ae_cap_t)v[i].cap_hi << 32 | v[i].cap_lo, fl & AE_MAP_W) < 0)
			err = AE_EPERM;
		if (err)
			return (uint32_t)err | (uint64_t)i << 32;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t va = v[i].va & ENTRYHI_VPN_MASK, fl = v[i].va;
		if (fl & AE_MAP_UNMAP)
			tlb_remove(va | curenv->asidhi);
		else
			tlb_install(va | curenv->asidhi, (AE_CAP_PPN((ae_cap_t)v[i].cap_hi << 32) << PAGE_SHIFT) | ENTRYLO_V |
				    ((fl & AE_MAP_W) ? ENTRYLO_D : 0) | ((fl & AE_MAP_N) ? ENTRYLO_N : 0));
	}
	return 0;
}

/*
 * Drop every TLB and STLB binding of the calling environment at once: move
 * it to a fresh ASID (stlb.c: one no entry carries; the old one's entries
 * are unreachable from now on and scrubbed before the ASID is handed out
 * again).  Nothing is checked because nothing is granted: the environment
 * only loses its own cached bindings, which its library OS re-installs on
 * demand (guaranteed mappings: the kernel, on the next miss).  This is how
 * a library OS changes the protection of many pages with one kernel
 * crossing: it rewrites its own page table in user mode, then flushes
 * (Ultrix's newptes() takes a new ASID past 7 pages in the same way).
 */
static sysret_t sys_tlb_flush(void)
{
	asid_retire(curenv->asidhi);
	curenv->asidhi = asid_alloc();
	mtc0_entryhi(curenv->asidhi);   /* sys_c returns straight to the caller: run it in the new one */
	return 0;
}

static sysret_t sys_env_create(uint32_t module, uint32_t a0, uint32_t a1)
{
	return env_create(module, curenv, a0, a1);
}

/* Destroy an environment: the caller itself, or one it created (with its children). */
static sysret_t sys_env_destroy(uint32_t id)
{
	struct env *e = env_lookup((int32_t)id);
	if (!e)
		return AE_ESRCH;
	if (e->parent != curenv->id && e != curenv)
		return AE_EPERM;
	env_destroy(e, HALT_PANIC);
	return 0;
}

static sysret_t sys_env_alive(uint32_t id)
{
	return env_lookup((int32_t)id) != 0;
}

/*
 * Charge a page to another environment (it is freed when that one exits), within that
 * one's quota.  For pages several environments share; the capabilities do not change.
 */
static sysret_t sys_page_give(ae_cap_t cap, uint32_t id)
{
	int32_t ppn = phys_check_cap(cap, 1);
	if (ppn < 0)
		return AE_EPERM;
	if (!env_lookup((int32_t)id))
		return AE_ESRCH;
	return phys_give((uint32_t)ppn, (int32_t)id);
}

#define A(f) ((uint32_t)(uintptr_t)(f))
uint32_t systab[NSYSCALLS] = {
	[SYS_NULL] = A(sys_null),
	[SYS_NULL_STACK] = A(sys_c),
	[SYS_EXIT] = A(sys_switch),
	[SYS_YIELD] = A(sys_yield),
	[SYS_SET_HANDLER] = A(sys_c),
	[SYS_SET_ENTRY] = A(sys_c),
	[SYS_PAGE_ALLOC] = A(sys_c),
	[SYS_PAGE_FREE] = A(sys_c),
	[SYS_CAP_RO] = A(sys_c),
	[SYS_TLB_MAP] = A(sys_c),
	[SYS_TLB_UNMAP] = A(sys_c),
	[SYS_ENV_CREATE] = A(sys_c),
	[SYS_ENV_DESTROY] = A(sys_switch),
	[SYS_PCT_SYNC] = A(sys_pct_sync),
	[SYS_PCT_ASYNC] = A(sys_pct_async),
	[SYS_PCT_WAIT] = A(sys_switch),
	[SYS_ENV_ALIVE] = A(sys_c),
	[SYS_PAGE_GIVE] = A(sys_c),
	[SYS_TLB_FLUSH] = A(sys_c),
	[SYS_TLB_MAPV] = A(sys_c),
	[SYS_TLB_RDONLY] = A(sys_c),
	[SYS_DPF_INSERT] = A(sys_c),
	[SYS_DPF_REMOVE] = A(sys_c),
	[SYS_DPF_CLASSIFY] = A(sys_c),
	[SYS_DPF_BENCH] = A(sys_c),
	[SYS_PAGE_RECLAIM] = A(sys_c),
	[SYS_REVOKE_DONE] = A(sys_c),
	[SYS_ASH_DOWNLOAD] = A(sys_c),
	[SYS_NET_DELIVER] = A(sys_c),
	[SYS_NET_RECV] = A(sys_c),
	[SYS_NET_SEND] = A(sys_c),
	[SYS_NET_STATION] = A(sys_c),
};

uint32_t systab_c[NSYSCALLS] = {
	[SYS_NULL_STACK] = A(sys_null_stack),
	[SYS_EXIT] = A(sys_exit),
	[SYS_SET_HANDLER] = A(sys_set_handler),
	[SYS_SET_ENTRY] = A(sys_set_entry),
	[SYS_PAGE_ALLOC] = A(sys_page_alloc),
	[SYS_PAGE_FREE] = A(sys_page_free),
	[SYS_CAP_RO] = A(sys_cap_ro),
	[SYS_TLB_MAP] = A(sys_tlb_map),
	[SYS_TLB_UNMAP] = A(sys_tlb_unmap),
	[SYS_ENV_CREATE] = A(sys_env_create),
	[SYS_ENV_DESTROY] = A(sys_env_destroy),
	[SYS_PCT_WAIT] = A(sys_pct_wait),
	[SYS_ENV_ALIVE] = A(sys_env_alive),
	[SYS_PAGE_GIVE] = A(sys_page_give),
	[SYS_TLB_FLUSH] = A(sys_tlb_flush),
	[SYS_TLB_MAPV] = A(sys_tlb_mapv),
	[SYS_TLB_RDONLY] = A(sys_tlb_rdonly),
	[SYS_DPF_INSERT] = A(sys_dpf_insert),
	[SYS_DPF_REMOVE] = A(sys_dpf_remove),
	[SYS_DPF_CLASSIFY] = A(sys_dpf_classify),
	[SYS_DPF_BENCH] = A(sys_dpf_bench),
	[SYS_PAGE_RECLAIM] = A(sys_page_reclaim),
	[SYS_REVOKE_DONE] = A(sys_revoke_done),
	[SYS_ASH_DOWNLOAD] = A(sys_ash_download),
	[SYS_NET_DELIVER] = A(sys_net_deliver),
	[SYS_NET_RECV] = A(sys_net_recv),
	[SYS_NET_SEND] = A(sys_net_send),
	[SYS_NET_STATION] = A(sys_net_station),
};
