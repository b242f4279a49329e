/*
 * signal.c - posting and delivering signals, Ultrix 4.2 style
 * (sys/sys/kern_sig.c psignal/issig/psig, sys/machine/mips/machdep.c
 * sendsig/sigreturn).
 *
 * sendsig() writes a partial struct sigcontext (onstack, mask, pc, v0,
 * a0-a3, sp, cause, badvaddr) onto the user stack and starts the user
 * trampoline registered by sigvec's hidden argument with a0 = signal,
 * a1 = code, a2 = &sigcontext, a3 = handler.  The trampoline stores every
 * other register, calls the handler and enters sigreturn(), which checks
 * the context and restores every register into the frame.
 */
#include "kern.h"

#define CANTMASK (SIGMASK(SIGKILL) | SIGMASK(SIGSTOP))
/* Signals whose default action is to be discarded (4.3BSD sigprop). */
#define DFL_IGNORE (SIGMASK(SIGCHLD))

void psignal(struct proc *p, int sig)
{
	uint32_t mask = SIGMASK(sig);

	if ((p->p_sigignore & mask) && sig != SIGKILL)
		return;
	if (!(p->p_sigcatch & mask) && (DFL_IGNORE & mask))
		return;
	p->p_sig |= mask;
	if (p->p_stat == SSLEEP && p->p_intr && (!(p->p_sigmask & mask) || sig == SIGKILL))
		setrun(p);
}

/* A synchronous signal from a fault.  A fault whose signal is blocked or
 * ignored would only repeat, so it kills (the action 4.4BSD trapsignal
 * takes too). */
void trapsignal(struct proc *p, int sig, struct trapframe *tf)
{
	uint32_t mask = SIGMASK(sig);

	p->p_faultsig = sig;
	p->p_code = (tf->cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;
	p->p_fault_cause = tf->cause;
	p->p_fault_badvaddr = tf->badvaddr;
	if ((p->p_sigmask | p->p_sigignore) & mask) {
		p->p_sigmask &= ~mask;
		p->p_sigignore &= ~mask;
		p->p_sigcatch &= ~mask;
		p->p_handler[sig] = SIG_DFL;
	}
	p->p_sig |= mask;
}

/* The lowest pending, unblocked signal, or 0. */
int issig(struct proc *p)
{
	uint32_t pend = p->p_sig & ~p->p_sigmask;

	return pend ? __builtin_ctz(pend) + 1 : 0;
}

/* fault: the signal came from trapsignal(); code is the ExcCode then
 * (Ultrix passes a code for SIGFPE/SEGV/ILL/BUS/TRAP), else 0. */
static void sendsig(struct trapframe *tf, int sig, uint32_t handler, uint32_t returnmask, int fault)
{
	struct proc *p = curproc;
	uint32_t scp = (tf->regs[R_SP] - SC_SIZE) & ~7u;
	struct sigcontext *sc = uptr(p, scp, SC_SIZE, 1), ksc;
	int direct = sc != 0;
	uint32_t code = fault ? p->p_code : 0;

	if (!direct) {
		sc = &ksc;              /* straddles a page: build it here and copy out */
		memset(sc, 0, sizeof(*sc));     /* no kernel stack contents to the user */
	}
	sc->sc_onstack = 0;
	sc->sc_mask = returnmask;
	sc->sc_pc = tf->epc;
	sc->sc_regs[R_V0] = tf->regs[R_V0];
	sc->sc_regs[R_A0] = tf->regs[R_A0];
	sc->sc_regs[R_A1] = tf->regs[R_A1];
	sc->sc_regs[R_A2] = tf->regs[R_A2];
	sc->sc_regs[R_A3] = tf->regs[R_A3];
	sc->sc_regs[R_SP] = tf->regs[R_SP];
	sc->sc_ownedfp = 0;
	sc->sc_cause = fault ? p->p_fault_cause : tf->cause;
	sc->sc_badvaddr = fault ? p->p_fault_badvaddr : tf->badvaddr;
	if ((!direct && copyout(p, sc, scp, SC_SIZE)) || !p->p_sigtramp) {
		/* No room for the context, or no trampoline: Ultrix kills with SIGILL. */
		kprintf("pid %d: cannot deliver signal %d\n", p->p_pid, sig);
		proc_exit(128 + SIGILL);
	}
	tf->regs[R_A0] = sig;
	tf->regs[R_A1] = code;
	tf->regs[R_A2] = scp;
	tf->regs[R_A3] = handler;
	tf->regs[R_SP] = scp;
	tf->epc = p->p_sigtramp;
}

/* Take the next pending signal: default action or sendsig(). */
void psig(struct trapframe *tf)
{
	struct proc *p = curproc;
	int sig = issig(p);
	uint32_t mask = SIGMASK(sig), handler = p->p_handler[sig], returnmask;
	int fault;

	p->p_sig &= ~mask;
	if (handler == SIG_DFL) {
		kprintf("pid %d (%s): killed by signal %d (pc %x badvaddr %x)\n", p->p_pid,
		        p->p_name, sig, tf->epc, p->p_fault_badvaddr);
		proc_exit(128 + sig);
	}
	if (handler == SIG_IGN)
		return;
	if (p->p_flag & SOMASK) {
		returnmask = p->p_oldmask;
		p->p_flag &= ~SOMASK;
	} else {
		returnmask = p->p_sigmask;
	}
	p->p_sigmask |= (p->p_hmask[sig] | mask) & ~CANTMASK;
	fault = p->p_faultsig == sig;
	p->p_faultsig = 0;
	sendsig(tf, sig, handler, returnmask, fault);
}

/* sigvec(sig, &new, &old, trampoline): the libc stub passes the trampoline
 * as a hidden fourth argument (Ultrix lib/libc/mips/sys/sigvec.s). */
int sys_sigvec(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc;
	int sig = a[0];
	uint32_t mask = SIGMASK(sig);
	struct sigvec sv;

	(void)rv;
	if (sig <= 0 || sig >= NSIG)
		return EINVAL;
	if (a[2]) {
		sv.sv_handler = p->p_handler[sig];
		sv.sv_mask = p->p_hmask[sig];
		sv.sv_flags = 0;
		if (copyout(p, &sv, a[2], sizeof(sv)))
			return EFAULT;
	}
	if (!a[1])
		return 0;
	if (copyin(p, a[1], &sv, sizeof(sv)))
		return EFAULT;
	if (mask & CANTMASK)
		return EINVAL;
	p->p_sigtramp = a[3];
	p->p_handler[sig] = sv.sv_handler;
	p->p_hmask[sig] = sv.sv_mask & ~CANTMASK;
	p->p_sigcatch &= ~mask;
	p->p_sigignore &= ~mask;
	if (sv.sv_handler == SIG_IGN) {
		p->p_sigignore |= mask;
		p->p_sig &= ~mask;
	} else if (sv.sv_handler != SIG_DFL) {
		p->p_sigcatch |= mask;
	}
	return 0;
}

/* sigreturn(scp): restore every register, pc, LO/HI and the mask from the
 * user's sigcontext.  SR is not taken from the user, so the context cannot
 * raise the privilege level; the pc must be a word-aligned user address. */
int sys_sigreturn(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc;
	struct trapframe *tf = (struct trapframe *)(KERNELSTACK - TF_SIZE);
	struct sigcontext sc;

	(void)rv;
	if (copyin(p, a[0], &sc, SC_MDHI + 4))
		return EFAULT;
	if ((sc.sc_pc & 3) || sc.sc_pc >= KUSEG_TOP)
		return EINVAL;
	/* every register but zero and k0/k1 (26, 27), which belong to the kernel */
	memcpy(&tf->regs[1], &sc.sc_regs[1], 25 * 4);
	memcpy(&tf->regs[28], &sc.sc_regs[28], 4 * 4);
	tf->lo = sc.sc_mdlo;
	tf->hi = sc.sc_mdhi;
	tf->epc = sc.sc_pc;
	p->p_sigmask = sc.sc_mask & ~CANTMASK;
	return EJUSTRETURN;
}

int sys_kill(uint32_t *a, uint32_t *rv)
{
	struct proc *p = pfind(a[0]);
	int sig = a[1];

	(void)rv;
	if (sig < 0 || sig >= NSIG)
		return EINVAL;
	if (!p)
		return ESRCH;
	if (sig)
		psignal(p, sig);
	return 0;
}

/* sigpause(mask): wait for a signal with mask installed; the old mask comes
 * back through the sigcontext (SOMASK) when the handler returns. */
int sys_sigpause(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc;

	(void)rv;
	p->p_oldmask = p->p_sigmask;
	p->p_flag |= SOMASK;
	p->p_sigmask = a[0] & ~CANTMASK;
	for (;;)
		sleep(&p->p_sigmask, 1);        /* leaves by longjmp: EINTR */
}

int sys_sigblock(uint32_t *a, uint32_t *rv)
{
	rv[0] = curproc->p_sigmask;
	curproc->p_sigmask |= a[0] & ~CANTMASK;
	return 0;
}

int sys_sigsetmask(uint32_t *a, uint32_t *rv)
{
	rv[0] = curproc->p_sigmask;
	curproc->p_sigmask = a[0] & ~CANTMASK;
	return 0;
}
