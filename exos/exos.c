/*
 * exos.c - ExOS start-up, processes, and user-level exception handling:
 * the process half of osapi.h on Aegis.
 */
#include "exos.h"

#define UA_WORD(off)    (*(volatile uint32_t *)(UAREA_VADDR + (off)))

uint8_t exos_exc_stack[EXOS_EXC_STACK_SIZE] __attribute__((aligned(8)));
static os_handler_t user_handlers[EXC_NCODES];
static const struct bootinfo *const bootinfo = (const struct bootinfo *)BOOTINFO_USER_VADDR;

void exos_sync_entry(void);

int exos_claim(uint32_t code)
{
	return ae_set_handler(code, (uint32_t)(uintptr_t)exos_exc_entry);
}

/* Called by crt0 with the creator's a0/a1: the family namespace page's capability, or 0. */
void exos_init(ae_cap_t ns)
{
	UA_WORD(UA_EXC_SP) = (uint32_t)(uintptr_t)(exos_exc_stack + EXOS_EXC_STACK_SIZE - XF_SIZE);
	/* TLB misses and write faults on ExOS-managed pages come to our VM code. */
	exos_claim(EXC_TLBL);
	exos_claim(EXC_TLBS);
	exos_claim(EXC_MOD);
	/* Replies to our lrpc calls arrive at the sync entry. */
	ae_set_entry(AE_ENTRY_SYNC, (uint32_t)(uintptr_t)exos_sync_entry);
	if (exos_ns_init(ns) < 0) {
		exos_puts("exos: cannot set up the namespace page\n");
		ae_exit(HALT_PANIC);
	}
}

/* exc.S calls this with the frame's fault record; the handler may change f->pc. */
void exos_exception(struct os_fault *f)
{
	uint32_t code = (f->cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;
	if (code == EXC_TLBL || code == EXC_TLBS || code == EXC_MOD) {
		int r = vm_fault(code, f);
		if (r == VM_RESOLVED)
			return;
		code = (uint32_t)r;
	}
	if (user_handlers[code]) {
		user_handlers[code](f);
		return;
	}
	exos_puts("exos: env ");
	exos_putx((uint32_t)os_self());
	exos_puts(": unhandled exception ");
	exos_putx(code);
	exos_puts(" at pc ");
	exos_putx(f->pc);
	exos_puts(" badvaddr ");
	exos_putx(f->badvaddr);
	exos_puts("\n");
	ae_exit(HALT_PANIC);
}

int os_set_handler(int exccode, os_handler_t h)
{
	if (exccode <= 0 || exccode >= EXC_NCODES || exccode == EXC_SYS)
		return OS_EINVAL;
	user_handlers[exccode] = h;
	if (exccode == EXC_TLBL || exccode == EXC_TLBS || exccode == EXC_MOD)
		return OS_OK;           /* already ours: the VM code passes unresolved faults on */
	return exos_claim((uint32_t)exccode) < 0 ? OS_EINVAL : OS_OK;
}

/* Aegis never gives an environment the coprocessor (there is no FPU): COP1 use always raises CpU. */
int os_coproc_disable(void)
{
	return OS_OK;
}

uint32_t os_param(const char *name, uint32_t dflt)
{
	for (uint32_t i = 0; i < bootinfo->nparams && i < BOOT_MAX_PARAMS; i++)
		if (strcmp(bootinfo->params[i].name, name) == 0)
			return bootinfo->params[i].value;
	return dflt;
}

void os_exit(int code)
{
	ae_exit(code);
}

int os_self(void)
{
	return (int)UA_WORD(SA_ENVID);
}

void os_yield(int to)
{
	exos_yield(to);         /* the system call inline: a leaf, no frame */
}

int os_null_syscall(void)
{
	return ae_null();
}

int os_null_syscall_stack(void)
{
	return ae_null_stack();
}

extern ae_cap_t exos_ns_cap;

/* Start boot module `module`; it shares our namespace page (pipes, shm keys). */
int os_spawn(const char *module)
{
	for (uint32_t i = 0; i < bootinfo->nmodules && i < BOOT_MAX_MODULES; i++)
		if (strcmp(bootinfo->modules[i].name, module) == 0) {
			int id = ae_env_create(i, (uint32_t)exos_ns_cap, (uint32_t)(exos_ns_cap >> 32));
			return id < 0 ? OS_EINVAL : id;
		}
	return OS_EINVAL;
}

/* ---- end of slice (interrupt context) ---- */
void exos_slice_end_entry(void);
extern const char exos_resume_lo[], exos_resume_hi[];
static void (*slice_end_policy)(void);
uint32_t exos_slice_ends;

/* Called on the upcall stack at the end of each slice; the interrupted context is safe in SA_ISAVE.
 * It may be in the middle of ExOS's exception handling, and the policy may take exceptions of its
 * own (exc.S builds their frames at UA_EXC_SP, the policy's stack being elsewhere): while the
 * policy runs, UA_EXC_SP is kept below the interrupted handler's stack (its sp, on the exception
 * stack: everything live there is at or above it) and below a frame exc.S has begun to fill but
 * not yet published (its sp word stored, at t0).  Everywhere else the live frames are above
 * UA_EXC_SP, and the end of exc.S's return is in the resume range (no upcall there). */
extern const char exos_exc_unpublished[];

void exos_slice_end(void)
{
	uint32_t next = UA_WORD(UA_EXC_SP), low = next;
	uint32_t sp = UA_WORD(SA_IREG(29)), epc = UA_WORD(SA_IEPC);
	if (sp - (uint32_t)(uintptr_t)exos_exc_stack <= EXOS_EXC_STACK_SIZE && (sp & ~7u) - XF_SIZE < low)
		low = (sp & ~7u) - XF_SIZE;
	if (epc == (uint32_t)(uintptr_t)exos_exc_unpublished && UA_WORD(SA_IREG(8)) - XF_SIZE < low)
		low = UA_WORD(SA_IREG(8)) - XF_SIZE;
	UA_WORD(UA_EXC_SP) = low;
	exos_slice_ends++;
	if (slice_end_policy)
		slice_end_policy();
	else
		ae_yield(-1);
	UA_WORD(UA_EXC_SP) = next;
}

/*
 * Take end-of-slice upcalls from now on; policy (NULL: yield round robin)
 * decides what to do with the processor, e.g. a directed yield.
 */
int exos_slice_end_handler(void (*policy)(void))
{
	slice_end_policy = policy;
	if (ae_set_entry(AE_ENTRY_RESUME_LO, (uint32_t)(uintptr_t)exos_resume_lo) < 0 ||
	    ae_set_entry(AE_ENTRY_RESUME_HI, (uint32_t)(uintptr_t)exos_resume_hi) < 0)
		return OS_EINVAL;
	return ae_set_entry(AE_ENTRY_SLICE_END, (uint32_t)(uintptr_t)exos_slice_end_entry) < 0 ? OS_EINVAL : OS_OK;
}
