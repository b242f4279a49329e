/*
 * vm.c - physical pages, per-process linear page tables, regions, faults,
 * fork's copy, mprotect, anonymous and shared mappings, ASIDs.
 *
 * Models Ultrix 4.2: linear page table reached through the kseg2 KPTE window
 * (cpu.h, pte.h), tlbmiss() for nested page-table misses (trap.c), tlbmod()
 * for write protection through the Mod exception, mprotect() (kern_mman.c)
 * with newptes() (vm_machdep.c): unmaptlb per page, or a new ASID past 7
 * pages; get_tlbpid()/flush_tlb() for ASIDs.
 */
#include "kern.h"

#define KVA_TO_PA(kva)  ((uint32_t)(kva) - KSEG0_BASE)
#define PA_TO_KVA(pa)   ((void *)((pa) + KSEG0_BASE))
#define PTE_PA(pte)     (((pte) & PG_PFNMASK) << (PAGE_SHIFT - PG_PFNSHIFT))
#define PA_PTE(pa)      (((pa) >> (PAGE_SHIFT - PG_PFNSHIFT)) & PG_PFNMASK)

static void *freelist;
static uint32_t nfree;                   /* free pages, for debugging */
static int next_asid = 1;               /* ASID 0 is never given to a process */

/* An all-invalid page-table page mapped read-only into the window where a
 * process has no page table: the refill then loads a zero PTE and the
 * retried reference faults with its exact BadVAddr (vm_fault -> SIGSEGV). */
static pte_t *zeropt;

void vm_init(uint32_t free_paddr, uint32_t ram_size)
{
	uint32_t pa;

	for (pa = ram_size - PAGE_SIZE; pa >= free_paddr; pa -= PAGE_SIZE) {
		*(void **)PA_TO_KVA(pa) = freelist;
		freelist = PA_TO_KVA(pa);
		nfree++;
	}
	zeropt = pgalloc();
}

void *pgalloc(void)
{
	void *pg = freelist;

	if (!pg)
		return 0;
	freelist = *(void **)pg;
	nfree--;
	memset(pg, 0, PAGE_SIZE);
	return pg;
}

void pgfree(void *kva)
{
	*(void **)kva = freelist;
	freelist = kva;
	nfree++;
}

/* The PTE for va, allocating the page-table page if asked. */
pte_t *vtopte(struct proc *p, uint32_t va, int alloc)
{
	uint32_t i = va >> 22;
	pte_t *pt;

	if (va >= KUSEG_TOP)
		return 0;
	pt = p->p_pdir[i];
	if (!pt) {
		if (!alloc || !(pt = pgalloc()))
			return 0;
		p->p_pdir[i] = pt;
		/* The window page may be cached pointing at zeropt: drop it. */
		if (p->p_asid >= 0) {
			uint32_t wva = KPTEBASE + i * PAGE_SIZE;
			int s;
			for (s = 0; s < NPAGEMAP; s++)
				if (p->p_tlbhi[s] == wva) {
					p->p_tlbhi[s] = KSEG0_BASE | ((TLBWIRED_PTMAP + s) << PAGE_SHIFT);
					p->p_tlblo[s] = 0;
					if (p == curproc)
						tlb_write_indexed(TLBWIRED_PTMAP + s, p->p_tlbhi[s], 0);
				}
			if (p == curproc)
				tlb_unmap(wva | (p->p_asid << ENTRYHI_ASID_SHIFT));
		}
	}
	return &pt[(va >> PAGE_SHIFT) & (PAGE_SIZE / 4 - 1)];
}

int vm_region_add(struct proc *p, uint32_t start, uint32_t end, int type, int shm)
{
	struct region *r;

	for (r = p->p_regions; r < &p->p_regions[NREGION]; r++)
		if (r->type && start < r->end && r->start < end)
			return EEXIST;
	for (r = p->p_regions; r < &p->p_regions[NREGION]; r++)
		if (!r->type) {
			r->start = start;
			r->end = end;
			r->type = type;
			r->shm = shm;
			return 0;
		}
	return ENOMEM;
}

/* The region holding va.  The last one found is tried first: Ultrix tells
 * its few segments apart with a range compare or two (isadsv, isassv), and
 * a program keeps touching the same one. */
struct region *vm_region_find(struct proc *p, uint32_t va)
{
	struct region *r = p->p_rhint;

	if (r && r->type && va - r->start < r->end - r->start)
		return r;
	for (r = p->p_regions; r < &p->p_regions[NREGION]; r++)
		if (r->type && va >= r->start && va < r->end)
			return p->p_rhint = r;
	return 0;
}

int vm_map_page(struct proc *p, uint32_t va, pte_t pte)
{
	pte_t *ptep = vtopte(p, va, 1);

	if (!ptep)
		return ENOMEM;
	*ptep = pte;
	return 0;
}

static inline uint32_t tlbhi(struct proc *p, uint32_t va)
{
	return (va & ENTRYHI_VPN_MASK) | (p->p_asid << ENTRYHI_ASID_SHIFT);
}

/* Fill a demand-zero page (Ultrix fill-on-demand) if va is in the stack region. */
static pte_t *fill_zero(struct proc *p, uint32_t va)
{
	struct region *r = vm_region_find(p, va);
	pte_t *ptep;
	void *pg;

	if (!r || r->type != RG_STACK)
		return 0;
	if (!(ptep = vtopte(p, va, 1)) || *ptep)
		return 0;
	if (!(pg = pgalloc()))
		return 0;
	*ptep = PA_PTE(KVA_TO_PA(pg)) | PG_V | PG_M | PG_UR | PG_UW | PG_ALLOC;
	return ptep;
}

/*
 * A TLBL/TLBS at the general vector for a kuseg address: the TLB held an
 * invalid entry for it (the refill copies invalid PTEs in as they are).
 * Returns 0 when the reference can be retried, -1 for SIGSEGV.
 */
int vm_fault(struct proc *p, uint32_t va, int write, int exc)
{
	pte_t *ptep = vtopte(p, va, 0);

	(void)exc;
	if (!ptep || !*ptep)
		ptep = fill_zero(p, va);
	if (!ptep || !(*ptep & PG_V) || !(*ptep & PG_UR))
		return -1;
	if (write && !(*ptep & PG_M)) {
		if (!(*ptep & PG_UW))
			return -1;
		*ptep |= PG_M;
	}
	tlb_dropin(tlbhi(p, va), PTE_TO_LO(*ptep));
	return 0;
}

/*
 * The Mod exception: a store hit a valid entry with D clear.  Ultrix
 * tlbmod(): if the page is user-writable, mark it modified and drop the
 * entry back in with D set; otherwise it is a protection violation.
 */
int vm_tlbmod(struct proc *p, uint32_t va)
{
	pte_t *ptep = vtopte(p, va, 0);

	if (!ptep || !(*ptep & PG_V) || !(*ptep & PG_UW))
		return -1;
	*ptep |= PG_M;
	tlb_dropin(tlbhi(p, va), PTE_TO_LO(*ptep));
	return 0;
}

/*
 * A nested miss in utlbmiss: its load from the KPTE window missed in kseg2.
 * Ultrix tlbmiss(): map the page-table page into the next free wired slot
 * 2..7 (tlbwired) or, when all NPAGEMAP are taken, randomly (tlbdropin);
 * pop the KU/IE stack by hand and resume at the user EPC that utlbmiss had
 * saved in k1; also drop in the user PTE so the refill need not run again.
 */
void vm_ptmiss(struct trapframe *tf)
{
	struct proc *p = curproc;
	uint32_t wva = tf->badvaddr & ~(PAGE_SIZE - 1);
	uint32_t i = (wva - KPTEBASE) >> PAGE_SHIFT;
	uint32_t uva = (tf->badvaddr - KPTEBASE) << (PAGE_SHIFT - 2);
	pte_t *pt = p->p_pdir[i];
	uint32_t hi = wva | (p->p_asid << ENTRYHI_ASID_SHIFT);
	uint32_t lo = KVA_TO_PA(pt ? pt : zeropt) | ENTRYLO_V;
	int s;

	/* Only real page tables earn a wired slot; the all-invalid page goes in
	 * randomly, so stray references cannot crowd out the process's tables. */
	for (s = 0; s < NPAGEMAP; s++)
		if (p->p_tlblo[s] == 0)
			break;
	if (pt && s < NPAGEMAP) {
		p->p_tlbhi[s] = wva;
		p->p_tlblo[s] = lo;
		tlb_write_indexed(TLBWIRED_PTMAP + s, hi, lo);
	} else {
		tlb_dropin(hi, lo);
	}
	tf->sr = (tf->sr & ~(SR_KUP | SR_IEP)) | ((tf->sr & (SR_KUO | SR_IEO)) >> 2);
	tf->epc = tf->regs[R_K1];
	if (pt)
		tlb_dropin(tlbhi(p, uva), PTE_TO_LO(pt[(uva >> PAGE_SHIFT) & (PAGE_SIZE / 4 - 1)]));
}

/* Free a process's user pages and page tables (exit).  Shared pages are
 * the segment's, not the process's. */
void vm_free(struct proc *p)
{
	uint32_t i, j;
	struct region *r;

	for (r = p->p_regions; r < &p->p_regions[NREGION]; r++)
		if (r->type == RG_SHM) {
			uint32_t va;
			for (va = r->start; va < r->end; va += PAGE_SIZE)
				*vtopte(p, va, 0) = 0;
		}
	for (i = 0; i < NPDIR; i++) {
		pte_t *pt = p->p_pdir[i];
		if (!pt)
			continue;
		for (j = 0; j < PAGE_SIZE / 4; j++)
			if ((pt[j] & PG_ALLOC) && !(pt[j] & PG_N))
				pgfree(PA_TO_KVA(PTE_PA(pt[j])));
		pgfree(pt);
		p->p_pdir[i] = 0;
	}
	memset(p->p_regions, 0, sizeof(p->p_regions));
	p->p_rhint = 0;
}

/* fork: give c a copy of p's address space.  Shared-memory pages and the
 * board page are shared; every other page is copied now. */
int vm_fork(struct proc *p, struct proc *c)
{
	uint32_t i, j;

	memcpy(c->p_regions, p->p_regions, sizeof(c->p_regions));
	for (i = 0; i < NPDIR; i++) {
		pte_t *pt = p->p_pdir[i], *cpt;
		if (!pt)
			continue;
		if (!(cpt = pgalloc()))
			return ENOMEM;
		c->p_pdir[i] = cpt;
		for (j = 0; j < PAGE_SIZE / 4; j++) {
			pte_t pte = pt[j];
			struct region *r;
			void *pg;
			if (!pte)
				continue;
			if ((pte & PG_N) || !(pte & PG_ALLOC) ||
			    ((r = vm_region_find(p, (i << 22) | (j << PAGE_SHIFT))) && r->type == RG_SHM)) {
				cpt[j] = pte;
				continue;
			}
			if (!(pg = pgalloc()))
				return ENOMEM;
			memcpy(pg, PA_TO_KVA(PTE_PA(pte)), PAGE_SIZE);
			cpt[j] = (pte & ~PG_PFNMASK) | PA_PTE(KVA_TO_PA(pg));
		}
	}
	return 0;
}

/* ---- user memory access from the kernel (copyin/copyout are in copy.S) ---- */

/*
 * useracc(va, len, rw): may the current process read (B_READ) or write
 * (B_WRITE) the len bytes at va?  Ultrix machdep.c: a kuseg address, and per
 * page a page table and the protection (shared segments answer for their
 * own pages).  After a yes the kernel touches the bytes straight through
 * kuseg; a page whose TLB entry is missing, invalid or clean is put right
 * by tlbmiss()/tlbmod() as for the user.
 */
int useracc(uint32_t va, uint32_t len, int rw)
{
	struct proc *p = curproc;
	uint32_t vpn, last, need = rw ? PG_UR : PG_UW;
	pte_t *pte;

	if (va >= KUSEG_TOP || len > KUSEG_TOP - va || len == 0)
		return 0;
	last = (va + len - 1) >> PAGE_SHIFT;
	for (vpn = va >> PAGE_SHIFT; vpn <= last; vpn++) {
		pte = vtopte(p, vpn << PAGE_SHIFT, 0);
		if (!pte || (*pte & PG_N))      /* no table; or device memory (Ultrix: mmap'd I/O) */
			return 0;
		if (!(*pte & need))
			return 0;
	}
	return 1;
}

/*
 * grow(va): Ultrix kern_mman.c grow() -- is va a stack address below the
 * part in use but within the stack limit?  Our stack region is declared
 * whole and filled a page at a time, so "grow" fills va's page if it is an
 * unfilled stack page.  1 if it did.
 */
int grow(uint32_t va)
{
	struct proc *p = curproc;
	pte_t *ptep;
	void *pg;

	if (va >= USRSTACK || va < USRSTACK - MAXSSIZ)
		return 0;
	if (!(ptep = vtopte(p, va, 1)) || *ptep)
		return 0;
	if (!(pg = pgalloc()))
		return 0;
	*ptep = PA_PTE(KVA_TO_PA(pg)) | PG_V | PG_M | PG_UR | PG_UW | PG_ALLOC;
	return 1;
}

/* copyinstr: a NUL-terminated string of at most max bytes (rare: spawn
 * and getparam names), a byte at a time through copyin. */
int copyinstr(struct proc *p, uint32_t uva, char *kbuf, uint32_t max)
{
	uint32_t i;

	for (i = 0; i < max; i++) {
		if (copyin(p, uva + i, &kbuf[i], 1))
			return EFAULT;
		if (kbuf[i] == 0)
			return 0;
	}
	return EINVAL;
}

/* ---- ASIDs ---- */

/* Ultrix get_tlbpid(): hand ASIDs out in order; when they run out, flush
 * the non-wired TLB, take every process's ASID away and start again.  At
 * splextreme, as Ultrix's. */
void get_tlbpid(struct proc *p)
{
	int s = splextreme();

	if (next_asid >= NASIDS) {
		struct proc *q;
		tlb_flush_nonwired();
		for (q = proc; q < &proc[NPROC]; q++)
			q->p_asid = -1;
		next_asid = 1;
	}
	p->p_asid = next_asid++;
	splx(s);
}

/* Ultrix release_tlbpid(): p gives its ASID up (it is not reused before the
 * next rollover: ASIDs are handed out in order). */
static void release_tlbpid(struct proc *p)
{
	int s = splextreme();

	p->p_asid = -1;
	splx(s);
}

/* Rewrite wired slots 2..7 for p (current) after its ASID changed, and make
 * the ASID current (Ultrix set_tlbwired). */
void set_tlbwired(struct proc *p)
{
	int s;

	for (s = 0; s < NPAGEMAP; s++)
		tlb_write_indexed(TLBWIRED_PTMAP + s,
		                  p->p_tlbhi[s] | (p->p_asid << ENTRYHI_ASID_SHIFT), p->p_tlblo[s]);
	tlb_set_asid(p->p_asid);
}

/* Ultrix newptes(): after PTEs changed, invalidate their TLB entries -- by
 * tlbp per page, or past 7 pages ("WAG") by moving to a new ASID. */
void newptes(struct proc *p, uint32_t va, uint32_t npages)
{
	if (p != curproc || p->p_asid < 0)
		return;
	if (npages > 7) {
		release_tlbpid(p);
		get_tlbpid(p);
		set_tlbwired(p);
		return;
	}
	while (npages > 0) {
		tlb_unmap(tlbhi(p, va));
		va += PAGE_SIZE;
		npages--;
	}
}

/* ---- system calls ---- */

/*
 * mprotect(addr, len, prot): Ultrix kern_mman.c.  The block must start in
 * the private data space (our anonymous regions, from mmap: Ultrix allows
 * only the data segment) and lie in it.  Then, at splimp, one pass over the
 * PTEs: when write permission goes from a dirty page, set PG_SWAPM and clear
 * PG_M (the hardware D bit), so the next store traps as Mod and tlbmod()
 * refuses it; PROT_NONE also clears V.  newptes() then drops the stale TLB
 * entries.  Returns the bytes protected, as Ultrix does.
 */
int sys_mprotect(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc;
	uint32_t va = a[0], prot = a[2], npages, keep, set, dirty, v0, left, n;
	struct region *r;
	pte_t *pte;
#ifndef ATTR_VM_NO_SPL
	int s;
#endif

	if (va & (PAGE_SIZE - 1))
		return EINVAL;                  /* Ultrix: EALIGN */
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return EINVAL;
	npages = (a[1] + PAGE_SIZE - 1) >> PAGE_SHIFT;
	r = vm_region_find(p, va);              /* Ultrix isadsv(): in the data space? */
	if (!r || r->type != RG_ANON || npages > (r->end - va) >> PAGE_SHIFT)
		return ENOMEM;                  /* Ultrix: EACCES */
	/* the protection bits for the block, the PTE bits to keep, and (when
	 * write permission goes) what marks a page whose dirt must be kept */
	set = (prot & PROT_WRITE) ? PG_V | PG_UR | PG_UW : prot ? PG_V | PG_UR : 0;
	keep = prot ? ~(PG_UR | PG_UW) : ~(PG_V | PG_UR | PG_UW);
	dirty = (set & PG_UW) ? ~0u : PG_UW | PG_M;
#ifdef ATTR_VM_NO_SPL
	/* Research switch (benchmarks/attribution): no interrupt masking around
	 * the page-table update.  The page table is this process's own and no
	 * interrupt handler here reads or writes a user PTE (there is no pageout
	 * daemon or swapper); the TLB primitives mask interrupts themselves.  As
	 * ExOS updates its own page table at user level, interrupts on. */
#else
	s = splimp();
#endif
	/* Ultrix walks one linear data page table; ours is in 4 MB pieces, so
	 * walk it a page-table page at a time. */
	for (v0 = va, left = npages; left; left -= n, v0 += n << PAGE_SHIFT) {
		pte_t *end;
		pte = vtopte(p, v0, 0);
		n = PAGE_SIZE / 4 - ((v0 >> PAGE_SHIFT) & (PAGE_SIZE / 4 - 1));
		if (n > left)
			n = left;
		for (end = pte + n; pte < end; pte++) {
			pte_t v = *pte;
			if ((v & dirty) == dirty)
				v = (v | PG_SWAPM) & ~PG_M;     /* losing write: trap the next store */
			*pte = (v & keep) | set;
		}
	}
	newptes(p, va, npages);
#ifndef ATTR_VM_NO_SPL
	splx(s);
#endif
	rv[0] = npages << PAGE_SHIFT;
	return 0;
}

/* mmap(addr, npages): fresh zeroed read-write pages at a fixed address (the
 * anonymous-memory part of mmap; Ultrix 4.2 had only sbrk for this). */
int sys_mmap(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc;
	uint32_t va = a[0], n = a[1], i;
	int err;

	(void)rv;
	if ((va & (PAGE_SIZE - 1)) || va < USRTEXT || n == 0 || n > (KUSEG_TOP - va) >> PAGE_SHIFT)
		return EINVAL;
	for (i = 0; i < n; i++) {
		pte_t *ptep = vtopte(p, va + i * PAGE_SIZE, 0);
		if (ptep && *ptep)
			return EEXIST;          /* already mapped (e.g. a program page) */
	}
	if ((err = vm_region_add(p, va, va + n * PAGE_SIZE, RG_ANON, 0)))
		return err;
	for (i = 0; i < n; i++) {
		void *pg = pgalloc();
		if (!pg || vm_map_page(p, va + i * PAGE_SIZE,
		                       PA_PTE(KVA_TO_PA(pg)) | PG_V | PG_M | PG_UR | PG_UW | PG_ALLOC)) {
			if (pg)
				pgfree(pg);
			return ENOMEM;  /* the pages mapped so far stay mapped until exit */
		}
	}
	newptes(p, va, n);
	return 0;
}

/* ---- shared memory (System V shmget+shmat, folded into one call) ----
 * A segment lives until the machine halts, as a System V segment lives until
 * IPC_RMID; there is no shmdt/shmctl. */
#define NSHM 8
#define SHMMAXPG 64
static struct shm {
	int key, npages;
	uint32_t pa[SHMMAXPG];
} shms[NSHM];

int sys_shmat(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc;
	uint32_t va = a[0], n = a[1], i;
	int key = a[2], err;
	struct shm *s, *fr = 0;

	(void)rv;
	if ((va & (PAGE_SIZE - 1)) || va < USRTEXT || n == 0 || n > SHMMAXPG ||
	    n > (KUSEG_TOP - va) >> PAGE_SHIFT)
		return EINVAL;
	for (i = 0; i < n; i++) {
		pte_t *ptep = vtopte(p, va + i * PAGE_SIZE, 0);
		if (ptep && *ptep)
			return EEXIST;
	}
	for (s = shms; s < &shms[NSHM]; s++) {
		if (s->npages && s->key == key)
			break;
		if (!s->npages && !fr)
			fr = s;
	}
	if (s == &shms[NSHM]) {
		if (!(s = fr))
			return ENOMEM;
		for (i = 0; i < n; i++) {
			void *pg = pgalloc();
			if (!pg) {
				while (i--)
					pgfree(PA_TO_KVA(s->pa[i]));
				return ENOMEM;
			}
			s->pa[i] = KVA_TO_PA(pg);
		}
		s->key = key;
		s->npages = n;
	} else if ((uint32_t)s->npages < n) {
		return EINVAL;
	}
	if ((err = vm_region_add(p, va, va + n * PAGE_SIZE, RG_SHM, s - shms)))
		return err;
	p->p_smcount++;
	for (i = 0; i < n; i++)
		if (vm_map_page(p, va + i * PAGE_SIZE, PA_PTE(s->pa[i]) | PG_V | PG_M | PG_UR | PG_UW | PG_ALLOC))
			return ENOMEM;
	newptes(p, va, n);
	return 0;
}
