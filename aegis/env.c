/*
 * env.c - environments: creation from an ELF boot module (the kernel's ELF
 * loader), guaranteed mappings, faults and destruction.
 *
 * An environment's exception context is its handler table plus its save
 * area (the uarea page, mapped read-write at UAREA_VADDR and reached by the
 * dispatcher through kseg0); its protected-entry context the sync/async
 * entry PCs; its interrupt context the saved registers (tf) and the
 * slice-start PC; its addressing context the ASID and the guaranteed
 * mappings: text, data, stack, save area, board and boot-info pages, which
 * the kernel itself installs on a TLB miss so the environment's own
 * TLB-miss handler can always run.
 */
#include "kern.h"
#include "elf32.h"

struct env envs[NENV] __attribute__((aligned(65536)));   /* pct.S: %lo(envs) == 0 */
struct bootinfo *bootinfo;
uint32_t bootinfo_paddr;

#define MAX_PHNUM 16

static int add_guar(struct env *e, uint32_t start, uint32_t end, uint32_t lo)
{
	if (e->nguar >= ENV_NGUAR)
		return -1;
	e->guar[e->nguar].start = start;
	e->guar[e->nguar].end = end;
	e->guar[e->nguar].lo = lo;
	e->nguar++;
	return 0;
}

/* Is va covered by one of e's guaranteed mappings? */
int env_guaranteed(struct env *e, uint32_t va)
{
	if (va >= e->hole_lo && va < e->hole_hi)
		return 0;
	for (uint32_t i = 0; i < e->nguar; i++)
		if (va >= e->guar[i].start && va < e->guar[i].end)
			return 1;
	return 0;
}

/*
 * The kernel's view of [va, va + len) in e's address space, if it lies in one
 * of e's guaranteed ranges of RAM: those are physically contiguous and the
 * kernel made them, so it can read them through kseg0 without a TLB (Aegis
 * takes no faults).  0 otherwise.
 */
const void *env_kptr(struct env *e, uint32_t va, uint32_t len)
{
	for (uint32_t i = 0; i < e->nguar; i++) {
		const struct guar *g = &e->guar[i];
		if (va >= g->start && va < g->end && len <= g->end - va && !(g->lo & ENTRYLO_N))
			return KSEG0((g->lo & ENTRYLO_PFN_MASK) + (va - g->start));
	}
	return 0;
}

static int reject(const char *name, const char *why)
{
	kprintf("aegis: boot module %s: malformed ELF image: %s\n", name, why);
	return AE_EINVAL;
}

/* Copy every PT_LOAD segment of the module into fresh pages owned by e. */
static int load_elf(struct env *e, const struct boot_module *mod)
{
	const uint8_t *img = KSEG0(mod->paddr);
	const struct elf32_ehdr *eh = (const void *)img;
	uint32_t size = mod->size;
	const char *why = elf32_check(img, size, MAX_PHNUM);

	if (why)
		return reject(mod->name, why);
	const struct elf32_phdr *ph = elf32_phdrs(img);
	int entry_ok = 0;
	for (int i = 0; i < eh->phnum; i++) {
		const struct elf32_phdr *p = &ph[i];
		if (p->type != ELF_PT_LOAD || p->memsz == 0)
			continue;
		if ((why = elf32_check_segment(p, size)))
			return reject(mod->name, why);
		if (p->vaddr < USER_RESERVED_TOP || p->vaddr >= AE_STACK_TOP - AE_STACK_PAGES * PAGE_SIZE ||
		    p->memsz > AE_STACK_TOP - AE_STACK_PAGES * PAGE_SIZE - p->vaddr)
			return reject(mod->name, "segment outside the user address space");
		uint32_t start = p->vaddr & ~(uint32_t)(PAGE_SIZE - 1);
		uint32_t end = PAGE_UP(p->vaddr + p->memsz);
		for (uint32_t g = 0; g < e->nguar; g++)
			if (start < e->guar[g].end && end > e->guar[g].start)
				return reject(mod->name, "overlapping segments");
		int32_t ppn = phys_alloc(e->id, (end - start) >> PAGE_SHIFT, 0);
		if (ppn < 0)
			return reject(mod->name, "out of memory");
		uint32_t pa = (uint32_t)ppn << PAGE_SHIFT;
		memcpy((uint8_t *)KSEG0(pa) + (p->vaddr - start), img + p->offset, p->filesz);
		if (add_guar(e, start, end, pa | ENTRYLO_V | ((p->flags & ELF_PF_W) ? ENTRYLO_D : 0)))
			return reject(mod->name, "too many segments");
		if (eh->entry >= p->vaddr && eh->entry < p->vaddr + p->memsz)
			entry_ok = 1;
	}
	if (!entry_ok || (eh->entry & 3))
		return reject(mod->name, "entry point outside the loaded segments");
	e->epc = eh->entry;
	return 0;
}

/* Every slot starts at generation 0: its first environment's id is the slot number. */
void env_init(void)
{
	for (int i = 0; i < NENV; i++)
		envs[i].id = i;
}

/* The live environment with this id, or 0: the slot's occupant, if the id is its own. */
struct env *env_lookup(int32_t id)
{
	if (id < 0)
		return 0;
	struct env *e = &envs[id & (NENV - 1)];
	return e->state != ENV_FREE && e->id == id ? e : 0;
}

static void env_free(struct env *e)
{
	/* Its bindings: unreachable at once, removed (with every other retired ASID's) here. */
	asid_retire(e->asidhi);
	e->asidhi = 0;
	asid_scrub();
	for (uint32_t p = 0; p < npages; p++)
		if (ppages[p].owner == e->id)
			phys_free_page(p, 0);
	tlb_flush_free();
	dpf_env_gone(e->id);            /* its packet filters (and their ASHs) */
	net_env_gone(e->id);            /* its queued frames */
	sched_remove(e);
	for (struct env *a = env_lookup(e->parent); a; a = env_lookup(a->parent))
		a->ndesc--;
	e->state = ENV_FREE;
	e->sync_pc = e->async_pc = e->slice_pc = 0;
	e->tf_valid = TF_NONE;
	e->nguar = 0;
	/* The slot's next occupant gets another id: nothing names this environment any more. */
	e->id = (int32_t)(((uint32_t)e->id + NENV) & 0x7fffffff);
}

/*
 * Create an environment from boot module `module`, as a child of `parent` (0: none, the
 * first environment), with a0/a1 in its first registers.  Returns its id, AE_EINVAL (no
 * such module, malformed image), or AE_ENOMEM (no slot; the parent or an ancestor already
 * has ENV_SUBTREE_MAX live descendants; out of memory).
 */
int env_create(uint32_t module, struct env *parent, uint32_t a0, uint32_t a1)
{
	struct env *e = 0;
	if (module >= bootinfo->nmodules)
		return AE_EINVAL;
	/* Quota: every ancestor but the first environment (the host's, which owns the run)
	 * stays within ENV_SUBTREE_MAX descendants, so no environment can take every slot. */
	for (struct env *a = parent; a; a = env_lookup(a->parent))
		if (a->parent >= 0 && a->ndesc >= ENV_SUBTREE_MAX)
			return AE_ENOMEM;
	for (int i = 0; i < NENV; i++)
		if (envs[i].state == ENV_FREE) {
			e = &envs[i];
			break;
		}
	if (!e)
		return AE_ENOMEM;
	int32_t id = e->id;                     /* the slot's current generation */
	memset(e, 0, sizeof *e);
	e->id = id;
	e->parent = parent ? parent->id : -1;
	e->asidhi = asid_alloc();     /* never 0; changes at every SYS_TLB_FLUSH */
	for (int c = 0; c < EXC_NCODES; c++)
		e->handlers[c] = (uint32_t)(uintptr_t)exc_default;
	e->handlers[EXC_SYS] = (uint32_t)(uintptr_t)sys_entry;
	e->handlers[EXC_INT] = (uint32_t)(uintptr_t)intr_entry;
	e->state = ENV_RUNNABLE;      /* so the pages below are charged to it */
	for (struct env *a = parent; a; a = env_lookup(a->parent))
		a->ndesc++;

	int32_t ua = phys_alloc(id, 1, 0);
	int32_t st = phys_alloc(id, AE_STACK_PAGES, 0);
	if (ua < 0 || st < 0) {
		env_free(e);
		return AE_ENOMEM;
	}
	e->uarea_ppn = (uint32_t)ua;
	e->save = (uint32_t)(uintptr_t)KSEG0((uint32_t)ua << PAGE_SHIFT);
	add_guar(e, UAREA_VADDR, UAREA_VADDR + PAGE_SIZE, ((uint32_t)ua << PAGE_SHIFT) | ENTRYLO_V | ENTRYLO_D);
	add_guar(e, BOARD_USER_VADDR, BOARD_USER_VADDR + PAGE_SIZE,
		 BOARD_PADDR | ENTRYLO_N | ENTRYLO_D | ENTRYLO_V);     /* the board's user page only */
	add_guar(e, BOOTINFO_USER_VADDR, BOOTINFO_USER_VADDR + PAGE_SIZE, bootinfo_paddr | ENTRYLO_V);
	add_guar(e, AE_STACK_TOP - AE_STACK_PAGES * PAGE_SIZE, AE_STACK_TOP,
		 ((uint32_t)st << PAGE_SHIFT) | ENTRYLO_V | ENTRYLO_D);
	if (load_elf(e, &bootinfo->modules[module]) < 0) {
		env_free(e);
		return AE_EINVAL;
	}
	/* The STLB-miss path (trap.S utlb_miss) searches the ranges in order: put the
	 * program's own segments (text, data: the pages refilled most, e.g. after a
	 * SYS_TLB_FLUSH) and the stack before the uarea, board and boot-info pages. */
	for (uint32_t k = 0; k < 3; k++) {
		struct guar g = e->guar[0];
		for (uint32_t i = 0; i + 1 < e->nguar; i++)
			e->guar[i] = e->guar[i + 1];
		e->guar[e->nguar - 1] = g;
	}
	/* The widest gap between guaranteed ranges: most mapping calls land there. */
	for (uint32_t i = 0; i < e->nguar; i++) {
		uint32_t lo = e->guar[i].end, hi = KUSEG_TOP;
		for (uint32_t j = 0; j < e->nguar; j++)
			if (e->guar[j].start >= lo && e->guar[j].start < hi)
				hi = e->guar[j].start;
		if (hi - lo > e->hole_hi - e->hole_lo) {
			e->hole_lo = lo;
			e->hole_hi = hi;
		}
	}
	uint32_t *sa = (uint32_t *)(uintptr_t)e->save;
	sa[SA_ENVID / 4] = (uint32_t)id;
	sa[SA_PARENT / 4] = (uint32_t)e->parent;
	e->regs[29] = AE_STACK_TOP;
	e->regs[4] = a0;
	e->regs[5] = a1;
	e->tf_valid = TF_FULL;
	sched_add(e);
	return id;
}

int last_exit_code;

/*
 * Destroy e and, first, every environment it created (recursively: a run always ends once
 * its environments exit).  If curenv was among them, the caller must schedule
 * (sched_next) before resuming.
 */
void env_destroy(struct env *e, int code)
{
	if (e->state == ENV_FREE)
		return;
	for (int i = 0; i < NENV; i++)
		if (envs[i].state != ENV_FREE && envs[i].parent == e->id)
			env_destroy(&envs[i], HALT_PANIC);
	e->exit_code = code;
	last_exit_code = code;
	int was_current = e == curenv;
	env_free(e);
	if (was_current)
		sched_next();
}

static const char *const exc_names[EXC_NCODES] = {
	"Int", "Mod", "TLBL", "TLBS", "AdEL", "AdES", "IBE", "DBE",
	"Sys", "Bp", "RI", "CpU", "Ov", "13", "14", "15",
};

/* An exception the environment has no handler for: report and destroy it; others keep running. */
void env_fault(uint32_t cause, uint32_t epc, uint32_t badvaddr)
{
	uint32_t code = (cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;
	if (!(mfc0_status() & SR_KUP) && epc >= KUSEG_TOP)
		panic("kernel exception %s at %x (badvaddr %x)", exc_names[code], epc, badvaddr);
	if (code == EXC_SYS && (cause & CAUSE_BD))
		kprintf("aegis: env %d: syscall in the branch delay slot at pc %x (the kernel does not "
			"emulate the branch); destroyed\n", curenv->id, epc + 4);
	else
		kprintf("aegis: env %d: unhandled %s at pc %x (badvaddr %x); destroyed\n",
			curenv->id, exc_names[code], epc, badvaddr);
	env_destroy(curenv, HALT_PANIC);
}
