/*
 * trap.c - the C side of the VEC_* handlers in locore.S: trap() for faults
 * that become signals and for the SEXC_RESCHED pass, tlbmiss() and tlbmod()
 * for the TLB exceptions, intr() for interrupts, and the unaligned-access
 * fix-up.
 *
 * Models Ultrix 4.2 sys/machine/mips/trap.c: trap() posts a signal with
 * psignal() (overflow SIGFPE, protection/unmapped SIGSEGV, bus errors
 * SIGBUS, break SIGTRAP, reserved/coprocessor SIGILL) and then, as on every
 * return to user mode, takes pending signals (psig) and reschedules if
 * asked; tlbmiss() handles invalid PTEs and the nested page-table miss,
 * tlbmod() the Mod exception; unaligned user loads/stores are emulated in
 * the kernel (fixade) rather than delivered -- which is why the paper has
 * no Ultrix "unalign" row.  Kernel-mode faults on user addresses (copyin/
 * copyout, sendsig's and sigreturn's direct accesses) are resolved like the
 * user's own; one that cannot be resumes at `nofault` if a copy set it, and
 * any other kernel exception is a panic.
 */
#include "kern.h"

static const char *const excname[EXC_NCODES] = {
	"Int", "Mod", "TLBL", "TLBS", "AdEL", "AdES", "IBE", "DBE",
	"Sys", "Bp", "RI", "CpU", "Ov", "13", "14", "15",
};

#define EXC(n) ((n) << 2)               /* an ExcCode as VEC_* hand it to us */

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

static void kernel_fault(struct trapframe *tf, uint32_t exc) __attribute__((noreturn));
static void kernel_fault(struct trapframe *tf, uint32_t exc)
{
	panic("kernel %s at pc %x badvaddr %x cause %x sr %x", exc < EXC_NCODES ? excname[exc] : "SEGV",
	      tf->epc, tf->badvaddr, tf->cause, tf->sr);
}

/* Ultrix's times_to_ticks()/addupc(): profiling is never on here (no profil
 * call), so only the u_prof_scale tests of the callers run. */
static void addupc(uint32_t pc, uint32_t ticks)
{
	(void)pc;
	(void)ticks;
}

/*
 * trap(ep, code, sr, cause): code is the ExcCode << 2 of a hardware
 * exception, or SEXC_SEGV (a TLB fault tlbmiss/tlbmod could not resolve),
 * or SEXC_RESCHED (exception_exit found pcb_resched set).  Post the fault's
 * signal, then what every return to user does: psig() for a pending signal,
 * swtch() if a reschedule is due.
 */
void trap(struct trapframe *ep, uint32_t code, uint32_t sr, uint32_t cause)
{
	struct proc *p = curproc;
	struct timeval_k syst = u.u_ru_stime;
	uint32_t nofault_save;
	int signo = 0;

	(void)cause;
	if (sr & SR_KUP)
		code |= USERFAULT;
	nofault_save = nofault;
	nofault = 0;
	switch (code) {
	case SEXC_SEGV | USERFAULT:
		if (grow(ep->badvaddr))
			break;
		u.u_code = (ep->cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;
		signo = SIGSEGV;
		break;
	case SEXC_RESCHED | USERFAULT:
		astoff();
		if ((u.u_oweupc & 1) && u.u_prof_scale > 1) {
			addupc(ep->epc, 1);
			u.u_oweupc &= ~1u;
		}
		break;
	case EXC(EXC_RI) | USERFAULT:
	case EXC(EXC_CPU) | USERFAULT:          /* no FPU to hand out */
		u.u_code = code >> 2;
		signo = SIGILL;
		break;
	case EXC(EXC_OV) | USERFAULT:
		u.u_code = code >> 2;
		signo = SIGFPE;
		break;
	case EXC(EXC_IBE) | USERFAULT:
	case EXC(EXC_DBE) | USERFAULT:
		u.u_code = code >> 2;
		signo = SIGBUS;
		break;
	case EXC(EXC_ADEL) | USERFAULT:
	case EXC(EXC_ADES) | USERFAULT:
		if ((signo = fixade(p, ep)))
			u.u_code = code >> 2;
		break;
	case EXC(EXC_BP) | USERFAULT:
		u.u_code = code >> 2;
		signo = SIGTRAP;
		break;
	case SEXC_SEGV:                         /* a kernel fault on a user address */
		if (nofault_save) {
			ep->epc = nofault_save; /* the copy returns EFAULT */
			nofault_save = 0;
			goto done;
		}
		/* fall through */
	default:
		kernel_fault(ep, code >> 2);
	}
	cpudata.cpu_trap++;
	if (signo) {
		/* A fault whose signal is blocked or ignored would only repeat:
		 * take the default action instead (4.4BSD trapsignal; Ultrix
		 * loops).  See README. */
		uint32_t mask = SIGMASK(signo);
		if ((p->p_sigmask | p->p_sigignore) & mask) {
			p->p_sigmask &= ~mask;
			p->p_sigignore &= ~mask;
			p->p_sigcatch &= ~mask;
			p->p_handler[signo] = SIG_DFL;
		}
#ifdef ATTR_EXC_DIRECT
		/* Research switch (benchmarks/attribution): a caught, unblocked
		 * fault goes straight to its handler -- no psignal(), no aston()
		 * and second trap() pass, no issig(). */
		if (p->p_sigcatch & ~p->p_sigmask & mask) {
			p->p_cursig = signo;
			psig();
		} else
#endif
		psignal(p, signo);
		if (u.u_bd_ra)
			u.u_bd_ra = 0;  /* (Ultrix undoes a branch-delay emulation here) */
	}
	if (p->p_cursig || ISSIG(p))
		psig();
	p->p_pri = p->p_usrpri;
	if (runrun) {
		(void)splclock();
		setrq(p);
		u.u_ru_nivcsw++;
		swtch();
	}
	if (u.u_sstep && (sr & SR_KUP))
		panic("single step");   /* no ptrace here: never set */
	if (u.u_prof_scale > 1)
		addupc(ep->epc, u.u_ru_stime.tv_sec - syst.tv_sec);
done:
	nofault = nofault_save;
}

/*
 * tlbmiss(ep, code, vaddr, cause): TLBL/TLBS at the general vector.  The
 * refill's own page-table load missed (vm_ptmiss), or the TLB held an
 * invalid PTE for a user address: resolve it (demand-zero stack) or return
 * SEXC_SEGV for trap().  Interrupts are off.
 */
int tlbmiss(struct trapframe *ep, uint32_t code, uint32_t vaddr, uint32_t cause)
{
	(void)cause;
	if (vaddr - KPTEBASE < KPTESIZE &&
	    ep->epc >= (uint32_t)utlbmiss && ep->epc < (uint32_t)eutlbmiss) {
		vm_ptmiss(ep);          /* nested miss in utlbmiss (Ultrix tlbmiss()) */
		return 0;
	}
	if (vaddr >= KUSEG_TOP)
		kernel_fault(ep, code >> 2);    /* kseg2 outside the wired entries */
	if (vm_fault(curproc, vaddr, code == EXC(EXC_TLBS), code >> 2))
		return SEXC_SEGV;
	return 0;
}

/* Is va in one of p's shared-memory segments (Ultrix isasmsv)?  Only
 * processes that attached one pay for the look. */
static int isasmsv(struct proc *p, uint32_t va)
{
	struct region *r;

	if (!p->p_smcount)
		return 0;
	r = vm_region_find(p, va);
	return r && r->type == RG_SHM;
}

/*
 * tlbmod(ep, code, vaddr, cause): a store hit a valid TLB entry with D
 * clear.  Ultrix tlbmod(): if the page is user-writable (or in a writable
 * shared segment), mark it modified and drop the entry back in with D set;
 * otherwise SEXC_SEGV for trap().
 */
int tlbmod(struct trapframe *ep, uint32_t code, uint32_t vaddr, uint32_t cause)
{
	struct proc *p = curproc;
	pte_t *pte = vtopte(p, vaddr, 0);

	(void)cause;
	if (!pte)
		kernel_fault(ep, code >> 2);    /* Ultrix: "tlbmod on invalid pte" */
	if (!(*pte & PG_UW)) {
		if (isasmsv(p, vaddr))
			return SEXC_SEGV;       /* our segments are all read-write: no such case */
		return SEXC_SEGV;
	}
	*pte |= PG_M;
	tlb_dropin((vaddr & ENTRYHI_VPN_MASK) | (p->p_asid << ENTRYHI_ASID_SHIFT), PTE_TO_LO(*pte));
	return 0;
}

/*
 * intr(ep, code, sr, cause): Ultrix kn02ba_intr.  The only line is the
 * clock (the 3MIN's TOY interrupt arrives through the IOASIC): read the
 * current IOASIC mask, raise the level to splclock and run hardclock().
 */
void intr(struct trapframe *ep, uint32_t code, uint32_t sr, uint32_t cause)
{
	uint32_t sirm = *(volatile uint32_t *)(BOARD_KSEG1 + BOARD_IOASIC_IMSK);

	(void)code;
	(void)sirm;                     /* Ultrix masks the IOASIC's request register with it */
	cpudata.cpu_inisr++;
	if (cause & sr & SR_IM_TIMER) {
		(void)splx(SPLCLOCK);
		hardclock(ep);
		cpudata.cpu_intr++;
	}
	if (cause & sr & SR_IM_LANCE) {
		lnintr();               /* at splimp */
		cpudata.cpu_intr++;
	}
	if (cause & sr & SR_IM_SOFTNET)
		softnet();              /* at splnet */
	cpudata.cpu_inisr--;
}
