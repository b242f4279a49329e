/*
 * trap.c - C side of the general exception entry: dispatch by ExcCode, the
 * return-to-user checks, and the unaligned-access fix-up.
 *
 * Models Ultrix 4.2 sys/machine/mips/trap.c: trap() turns user exceptions
 * into signals (overflow SIGFPE, protection/unmapped SIGSEGV, bus errors
 * SIGBUS, break SIGTRAP, reserved/coprocessor SIGILL), tlbmiss() handles
 * the nested page-table miss, tlbmod() the Mod exception, and unaligned
 * user loads/stores are emulated in the kernel (Ultrix fixade) rather than
 * delivered -- which is why the paper has no Ultrix "unalign" row.
 * Any other exception the kernel itself takes is a panic: the kernel touches
 * user memory only inside copyin/copyout (copy.S), whose faults are resolved
 * like the user's own or turned into EFAULT through `nofault`.
 */
#include "kern.h"

static const char *const excname[EXC_NCODES] = {
	"Int", "Mod", "TLBL", "TLBS", "AdEL", "AdES", "IBE", "DBE",
	"Sys", "Bp", "RI", "CpU", "Ov", "13", "14", "15",
};

/* Emulate an unaligned lw/lh/lhu/sw/sh: 0 done, SIGBUS/SIGSEGV otherwise. */
static int fixade(struct proc *p, struct trapframe *tf)
{
	uint32_t insn, op, rs, rt, va, val = 0;
	int n, err;

	if (tf->badvaddr >= KUSEG_TOP)
		return SIGSEGV;                 /* a user reference to kernel space */
	if (tf->badvaddr == tf->epc || (tf->cause & CAUSE_BD))
		return SIGBUS;                  /* misaligned fetch; no branch emulation (README) */
	if (copyin(p, tf->epc, &insn, 4))
		return SIGSEGV;
	op = insn >> 26;
	rs = (insn >> 21) & 31;
	rt = (insn >> 16) & 31;
	va = tf->regs[rs] + (uint32_t)(int32_t)(int16_t)insn;
	switch (op) {
	case 0x23: case 0x21: case 0x25:        /* lw lh lhu */
		n = op == 0x23 ? 4 : 2;
		if ((err = copyin(p, va, &val, n)))
			return SIGSEGV;
		if (op == 0x21)
			val = (uint32_t)(int32_t)(int16_t)val;
		if (rt)
			tf->regs[rt] = val;
		break;
	case 0x2b: case 0x29:                   /* sw sh */
		val = tf->regs[rt];
		if (copyout(p, &val, va, op == 0x2b ? 4 : 2))
			return SIGSEGV;
		break;
	default:
		return SIGBUS;
	}
	tf->epc += 4;
	return 0;
}

/* A fault inside copyin/copyout on a user address: resolve it as the
 * user's own reference would be, or make the copy return EFAULT. */
static int copyfault(struct trapframe *tf, uint32_t exc)
{
	int bad;

	if (!nofault || tf->badvaddr >= KUSEG_TOP)
		return 0;
	bad = exc == EXC_MOD ? vm_tlbmod(curproc, tf->badvaddr)
	                     : vm_fault(curproc, tf->badvaddr, exc == EXC_TLBS, exc);
	if (bad)
		tf->epc = nofault;
	return 1;
}

static void kernel_fault(struct trapframe *tf, uint32_t exc) __attribute__((noreturn));
static void kernel_fault(struct trapframe *tf, uint32_t exc)
{
	panic("kernel %s at pc %x badvaddr %x cause %x sr %x", excname[exc], tf->epc,
	      tf->badvaddr, tf->cause, tf->sr);
}

void trap(struct trapframe *tf)
{
	struct proc *p = curproc;
	uint32_t exc = (tf->cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;
	int user = (tf->sr & SR_KUP) != 0;
	int sig = 0;

	switch (exc) {
	case EXC_INT:
		if (tf->cause & SR_IM_TIMER)    /* Cause.IP and Status.IM share bit positions */
			clock_intr(tf);
		break;
	case EXC_TLBL:
	case EXC_TLBS:
		if (tf->badvaddr - KPTEBASE < KPTESIZE &&
		    tf->epc >= (uint32_t)utlbmiss && tf->epc < (uint32_t)eutlbmiss) {
			vm_ptmiss(tf);          /* nested miss in utlbmiss (Ultrix tlbmiss()) */
			break;
		}
		if (!user) {
			if (!copyfault(tf, exc))
				kernel_fault(tf, exc);
			break;
		}
		if (vm_fault(p, tf->badvaddr, exc == EXC_TLBS, exc))
			sig = SIGSEGV;
		break;
	case EXC_MOD:
		if (!user) {
			if (!copyfault(tf, exc))
				kernel_fault(tf, exc);
			break;
		}
		if (vm_tlbmod(p, tf->badvaddr))
			sig = SIGSEGV;
		break;
	case EXC_ADEL:
	case EXC_ADES:
		if (!user)
			kernel_fault(tf, exc);
		sig = fixade(p, tf);
		break;
	case EXC_IBE:
	case EXC_DBE:
		sig = SIGBUS;
		break;
	case EXC_BP:
		sig = SIGTRAP;
		break;
	case EXC_OV:
		sig = SIGFPE;
		break;
	default:                                /* RI, CpU (no FPU to hand out); Sys goes to syscall() */
		sig = SIGILL;
		break;
	}
	if (sig) {
		if (!user)
			kernel_fault(tf, exc);
		trapsignal(p, sig, tf);
	}
	if (tf->sr & SR_KUP)
		userret(tf);
}

/*
 * On every return to user mode: deliver pending signals (Ultrix psig() at
 * the end of syscall()/trap()) and give up the CPU if a reschedule is due
 * (pcb_resched -> SEXC_RESCHED -> swtch()).
 */
void userret(struct trapframe *tf)
{
	struct proc *p = curproc;

	while (issig(p))
		psig(tf);
	if (runrun) {
		runrun = 0;
		setrq(p);
		swtch();
		while (issig(p))
			psig(tf);
	}
}
