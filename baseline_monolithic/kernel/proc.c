/*
 * proc.c - boot, the process table, process creation from a boot module,
 * exit and wait.
 *
 * Ultrix creates processes with fork() + execve(); the boot modules are
 * the only "files" here, so spawn(name) does both at once: a new process
 * with the caller's open files (as fork+exec keeps them), its own address
 * space loaded from the module's ELF image, and a u-area (u page + kernel
 * stack) that resume() maps at UADDR through wired entries 0 and 1.
 */
#include "kern.h"

#define KVA_TO_PA(kva)  ((uint32_t)(kva) - KSEG0_BASE)

struct proc proc[NPROC];
struct bootinfo *bootinfo;
static int nextpid = 1;

struct proc *pfind(int pid)
{
	struct proc *p;

	for (p = proc; p < &proc[NPROC]; p++)
		if (p->p_stat != SUNUSED && p->p_stat != SZOMB && p->p_pid == pid)
			return p;
	return 0;
}

static void proc_free(struct proc *p)
{
	pgfree((void *)(KSEG0_BASE + (p->p_upte & ENTRYLO_PFN_MASK)));
	pgfree((void *)(KSEG0_BASE + (p->p_kspte & ENTRYLO_PFN_MASK)));
	if (p->p_pdir)
		pgfree(p->p_pdir);
	memset(p, 0, sizeof(*p));
}

/* A process slot with a fresh u-area (u page + kernel stack), an empty
 * page directory and empty wired-slot cache, the parent's open files, and
 * nothing runnable yet. */
static struct proc *proc_alloc(struct proc *parent, const char *name, int *err)
{
	struct proc *p;
	void *upage, *kstack;
	uint32_t i;

	for (p = proc; p < &proc[NPROC]; p++) {
		if (p->p_stat == SZOMB && !p->p_parent && p != curproc)
			proc_free(p);   /* an orphan's zombie: nobody will wait for it */
		if (p->p_stat == SUNUSED)
			break;
	}
	*err = EAGAIN;
	if (p == &proc[NPROC])
		return 0;
	*err = ENOMEM;
	upage = pgalloc();
	kstack = pgalloc();
	p->p_pdir = pgalloc();
	if (!upage || !kstack || !p->p_pdir) {
		if (upage) pgfree(upage);
		if (kstack) pgfree(kstack);
		if (p->p_pdir) pgfree(p->p_pdir);
		p->p_pdir = 0;
		return 0;
	}
	p->p_stat = SSLEEP;             /* not runnable until complete */
	p->p_pid = nextpid++;
	p->p_parent = parent;
	p->p_asid = -1;
	p->p_pri = p->p_usrpri = PUSER;         /* never recomputed: no p_cpu decay */
	p->p_upte = KVA_TO_PA(upage) | ENTRYLO_G | ENTRYLO_V | ENTRYLO_D;
	p->p_kspte = KVA_TO_PA(kstack) | ENTRYLO_G | ENTRYLO_V | ENTRYLO_D;
	for (i = 0; i < NPAGEMAP; i++) {
		p->p_tlbhi[i] = KSEG0_BASE | ((TLBWIRED_PTMAP + i) << PAGE_SHIFT);
		p->p_tlblo[i] = 0;
	}
	for (i = 0; name[i] && i < BOOT_NAME_LEN - 1; i++)
		p->p_name[i] = name[i];
	for (i = 0; i < NOFILE; i++) {
		p->p_ofile[i] = parent ? parent->p_ofile[i] : (i < 3 ? file_console() : 0);
		if (p->p_ofile[i])
			file_dup(p->p_ofile[i]);
	}
	return p;
}

/* The kseg0 address of p's trapframe at the top of its kernel stack. */
static struct trapframe *proc_frame(struct proc *p)
{
	return (struct trapframe *)(KSEG0_BASE + (p->p_kspte & ENTRYLO_PFN_MASK) + PAGE_SIZE - TF_SIZE);
}

/* Make p runnable: its first resume() lands in proc_trampoline, which
 * leaves through exception_exit with the frame proc_frame(p). */
static void proc_start(struct proc *p)
{
	struct user *up = (struct user *)(KSEG0_BASE + (p->p_upte & ENTRYLO_PFN_MASK));

	up->u_pcb.val[PCB_RA / 4] = (uint32_t)proc_trampoline;
	up->u_pcb.val[PCB_SP / 4] = KERNELSTACK - TF_SIZE;
	up->u_pcb.val[PCB_SR / 4] = 0;
	up->u_procp = p;
	setrq(p);
}

static void proc_unalloc(struct proc *p)
{
	int i;

	for (i = 0; i < NOFILE; i++)
		if (p->p_ofile[i])
			file_close(p->p_ofile[i]);
	vm_free(p);
	proc_free(p);
}

struct proc *proc_create(const char *module, struct proc *parent, int *err)
{
	struct boot_module *m = 0;
	struct proc *p;
	struct trapframe *tf;
	uint32_t i, entry;

	for (i = 0; i < bootinfo->nmodules; i++)
		if (!strcmp(bootinfo->modules[i].name, module))
			m = &bootinfo->modules[i];
	if (!m) {
		*err = ENOENT;
		return 0;
	}
	if (!(p = proc_alloc(parent, module, err)))
		return 0;
	if ((*err = elf_load(p, (const uint8_t *)(KSEG0_BASE + m->paddr), m->size, &entry)))
		goto fail;
	/* The stack: demand-zero pages below USRSTACK. */
	if ((*err = vm_region_add(p, USRSTACK - MAXSSIZ, USRSTACK, RG_STACK, 0)))
		goto fail;
	/* The board page, uncached and writable, for markers and results. */
	if ((*err = vm_map_page(p, BOARD_USER_VADDR, ((BOARD_PADDR >> PAGE_SHIFT) << PG_PFNSHIFT) |
	                        PG_N | PG_M | PG_V | PG_UR | PG_UW)))
		goto fail;
	tf = proc_frame(p);
	tf->epc = entry;
	tf->regs[R_SP] = USRSTACK;
	tf->sr = SR_USER_PREV;
	proc_start(p);
	return p;
fail:
	proc_unalloc(p);
	return 0;
}

/* fork(): a copy of the caller -- address space (shared segments and the
 * board page shared, everything else copied), open files, signal state and
 * registers.  Ultrix's return convention: the parent gets the child's pid
 * with v1 = 0, the child gets the parent's pid with v1 = 1 (libc turns that
 * into 0).  Every private page is copied at fork time, text included;
 * Ultrix 4.2 also copies data and stack eagerly (no copy-on-write) but
 * shares text through its text table -- we have no refcounted text.
 * The child gets a copy of our u page and kernel stack (Ultrix procdup) and
 * first runs by returning 1 from the save() below, so it leaves the kernel
 * through the same calls we do (the system-call frame holds only part of
 * the user's registers; the rest are in those calls' saved registers). */
int sys_fork(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc, *c;
	int err, ppid = p->p_pid;       /* on the stack: the child's copy has it */

	(void)a;
	if (!(c = proc_alloc(p, p->p_name, &err)))
		return err;
	if ((err = vm_fork(p, c))) {
		proc_unalloc(c);
		return err;
	}
	memcpy(c->p_handler, p->p_handler, sizeof(c->p_handler));
	memcpy(c->p_hmask, p->p_hmask, sizeof(c->p_hmask));
	c->p_sigmask = p->p_sigmask;
	c->p_sigignore = p->p_sigignore;
	c->p_sigcatch = p->p_sigcatch;
	c->p_sigtramp = p->p_sigtramp;
	c->p_smcount = p->p_smcount;
	if (save(&u.u_pcb)) {
		/* the child, resumed for the first time */
		rv[0] = ppid;
		rv[1] = 1;
		return 0;
	}
	memcpy((void *)(KSEG0_BASE + (c->p_kspte & ENTRYLO_PFN_MASK)), (void *)KSTACKADDR, PAGE_SIZE);
	memcpy((void *)(KSEG0_BASE + (c->p_upte & ENTRYLO_PFN_MASK)), (void *)UADDR, PAGE_SIZE);
	((struct user *)(KSEG0_BASE + (c->p_upte & ENTRYLO_PFN_MASK)))->u_procp = c;
	setrq(c);
	rv[0] = c->p_pid;
	rv[1] = 0;
	return 0;
}

/* exit: release everything but the u-area (we are running on its kernel
 * stack); the parent's wait() frees that.  The last live process halts
 * the machine with its exit status. */
void proc_exit(int xstat)
{
	struct proc *p = curproc, *q;
	int i, live = 0;

	for (i = 0; i < NOFILE; i++)
		if (p->p_ofile[i]) {
			file_close(p->p_ofile[i]);
			p->p_ofile[i] = 0;
		}
	vm_free(p);
	p->p_xstat = xstat;
	p->p_stat = SZOMB;
	for (q = proc; q < &proc[NPROC]; q++) {
		if (q->p_parent == p) {
			if (q->p_stat == SZOMB)
				proc_free(q);   /* an unwaited-for child's zombie */
			else
				q->p_parent = 0;        /* reclaimed by proc_create once it exits */
		}
		if (q->p_stat == SRUN || q->p_stat == SSLEEP)
			live++;
	}
	if (!live)
		halt(xstat);
	if (p->p_parent)
		wakeup(p->p_parent);
	swtch();
	panic("exit: zombie resumed");
}

int sys_exit(uint32_t *a, uint32_t *rv)
{
	(void)rv;
	proc_exit(a[0] & 0xff);
}

int sys_getpid(uint32_t *a, uint32_t *rv)
{
	(void)a;
	rv[0] = curproc->p_pid;
	return 0;
}

int sys_spawn(uint32_t *a, uint32_t *rv)
{
	char name[BOOT_NAME_LEN];
	struct proc *p;
	int err;

	if ((err = copyinstr(curproc, a[0], name, sizeof(name))))
		return err == EINVAL ? ENOENT : err;
	if (!(p = proc_create(name, curproc, &err)))
		return err;
	rv[0] = p->p_pid;
	return 0;
}

/* wait(&status): reap a zombie child, sleeping until one exits. */
int sys_wait(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc, *q;
	int have;

	for (;;) {
		have = 0;
		for (q = proc; q < &proc[NPROC]; q++) {
			if (q->p_stat == SUNUSED || q->p_parent != p)
				continue;
			have = 1;
			if (q->p_stat == SZOMB) {
				uint32_t st = q->p_xstat;
				int pid = q->p_pid;
				if (a[0] && copyout(p, &st, a[0], 4))
					return EFAULT;
				proc_free(q);
				rv[0] = pid;
				return 0;
			}
		}
		if (!have)
			return ECHILD;
		sleep(p, PWAIT);
	}
}

/* yield(pid): give up the processor; a runnable pid runs next. */
int sys_yield(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc, *to = (int)a[0] > 0 ? pfind(a[0]) : 0;

	(void)rv;
	(void)splclock();
	setrq(p);
	if (to && to->p_stat == SRUN && to != p)
		runq_front(to);
	swtch();
	return 0;
}

/* A boot parameter's value, or dflt when the host gave none. */
uint32_t boot_param(const char *name, uint32_t dflt)
{
	for (uint32_t i = 0; i < bootinfo->nparams && i < BOOT_MAX_PARAMS; i++)
		if (!strcmp(bootinfo->params[i].name, name))
			return bootinfo->params[i].value;
	return dflt;
}

/* getparam(name): a boot parameter's value, ENOENT if there is none. */
int sys_getparam(uint32_t *a, uint32_t *rv)
{
	char name[BOOT_NAME_LEN];
	uint32_t i;
	int err;

	if ((err = copyinstr(curproc, a[0], name, sizeof(name))))
		return err == EINVAL ? ENOENT : err;
	for (i = 0; i < bootinfo->nparams; i++)
		if (!strcmp(bootinfo->params[i].name, name)) {
			rv[0] = bootinfo->params[i].value;
			return 0;
		}
	return ENOENT;
}

/* main: called by _start on the boot stack with the boot-info block. */
void main(struct bootinfo *bi, uint32_t magic)
{
	struct proc *p;
	int i, err;

	if (magic != BOOTINFO_MAGIC || bi->magic != BOOTINFO_MAGIC)
		panic("bad boot-info block");
	bootinfo = bi;
	if (bi->nmodules == 0)
		panic("no boot module to run");
	vm_init(bi->free_paddr, bi->ram_size);
	/* The TLB holds garbage at reset: invalidate all of it, wired included. */
	for (i = 0; i < TLB_NENTRIES; i++)
		tlb_write_indexed(i, KSEG0_BASE | (i << PAGE_SHIFT), 0);
	if (!(p = proc_create(bi->modules[0].name, 0, &err)))
		panic("cannot start %s: error %d", bi->modules[0].name, err);
	/* The first process owns the benchmark: only its address space may report results
	 * (the board reads p_asid itself, so this costs nothing afterwards), unless the host
	 * asks for "report_any" (tests whose several programs report). */
	if (!boot_param("report_any", 0))
		*(volatile uint32_t *)(BOARD_KSEG1 + BOARD_OWNER_ASID_ADDR) =
			((uint32_t)(uintptr_t)&p->p_asid - KSEG0_BASE) | BOARD_OWNER_RAW;
	clock_init();
	sched_start();
}
