/*
 * signal.c - posting and delivering signals, Ultrix 4.2 style
 * (sys/sys/kern_sig.c psignal/issig/psig/sigvec/kill/sigpause/sigblock/
 * sigsetmask, sys/machine/mips/machdep.c sendsig/sigreturn).
 *
 * psignal() sets the pending bit and, for the running process, aston(); the
 * signal is taken by issig()/psig() at the end of trap() or syscall().
 * sendsig() writes a partial struct sigcontext (onstack, mask, pc, v0,
 * a0-a3, sp, cause, badvaddr) onto the user stack and starts the user
 * trampoline registered by sigvec's hidden argument with a0 = signal,
 * a1 = code, a2 = &sigcontext, a3 = handler.  The trampoline stores every
 * other register, calls the handler and enters sigreturn(), which copies
 * every register back into the frame for a full restore.
 */
#include "kern.h"

#define CANTMASK (SIGMASK(SIGKILL) | SIGMASK(SIGSTOP))
#define SIG_HOLD 3                      /* psignal's action for a blocked signal */
#define SIG_CATCH 4

/*
 * psignal(p, sig): post sig to p (Ultrix kern_sig.c psignal).  Decide the
 * action, set the pending bit at splhigh, and then: a blocked signal waits;
 * an interruptible sleeper is made runnable; a running process is asked to
 * look (aston(): its next exception_exit takes a SEXC_RESCHED pass through
 * trap(), which delivers it).  Stop signals and job control do not exist
 * here (README).
 */
void psignal(struct proc *p, int sig)
{
	uint32_t mask;
	int s, action;

	if ((unsigned)sig >= NSIG)
		return;
	mask = SIGMASK(sig);
	if (p->p_trace & STRC) {
		action = SIG_DFL;
	} else {
		if ((p->p_sigignore & mask) && sig != SIGCONT)
			return;
		if (p->p_sigmask & mask)
			action = SIG_HOLD;
		else if (p->p_sigcatch & mask)
			action = SIG_CATCH;
		else
			action = SIG_DFL;
	}
	s = splhigh();
	if (sig)
		p->p_sig |= mask;
	if (action == SIG_HOLD && sig != SIGCONT) {
		splx(s);
		return;
	}
	switch (p->p_stat) {
	case SSLEEP:
		if (!p->p_intr) {               /* p_pri <= PZERO: the sleep cannot be broken */
			splx(s);
			return;
		}
		if (p->p_trace & STRC)
			goto run;
		switch (sig) {
		case SIGCHLD:                   /* (and SIGIO, SIGURG, SIGWINCH) */
			if (action != SIG_DFL)
				goto run;
			p->p_sig &= ~mask;      /* not wanted: forget it */
			splx(s);
			return;
		default:
			goto run;
		}
	default:                                /* SRUN, SZOMB */
		if (p == curproc)
			aston();                /* noticed on the way out of the kernel */
		splx(s);
		return;
	}
run:
	setrun(p);
	splx(s);
}

/* issig's body (Ultrix issig_subr): take the lowest pending, unblocked,
 * unignored signal whose action is not to discard it into p_cursig. */
static int issig_subr(struct proc *p)
{
	uint32_t sigbits, mask;
	int sig;

	for (;;) {
		sigbits = p->p_sig & ~p->p_sigmask;
		if (!(p->p_trace & STRC))
			sigbits &= ~p->p_sigignore;
		if (!sigbits)
			break;
		sig = (sigbits & SIGMASK(SIGKILL)) ? SIGKILL : __builtin_ffs(sigbits);
		mask = SIGMASK(sig);
		p->p_sig &= ~mask;              /* take the signal */
		p->p_cursig = sig;
		switch (p->p_handler[sig]) {
		case SIG_DFL:
			if (sig == SIGCHLD)     /* discarded by default (and SIGCONT, SIGURG, ...) */
				continue;
			return sig;
		case SIG_IGN:
			continue;
		default:
			return sig;
		}
	}
	p->p_cursig = 0;
	return 0;
}

/* issig(): is there a signal for the current process to act on?  It is left
 * in p_cursig for psig() (Ultrix: issig_subr at splhigh). */
int issig(void)
{
	int s = splhigh(), sig;

	sig = issig_subr(curproc);
	splx(s);
	return sig;
}

/*
 * sendsig(handler, sig, returnmask): Ultrix machdep.c.  Below the user's sp
 * (16-byte aligned), grow the stack if need be, check with useracc() that
 * the process may write there, then store straight into user memory the
 * part of struct sigcontext the trampoline cannot: onstack, mask, pc, v0,
 * a0-a3, sp, cause, badvaddr.  Enter the trampoline with a0 = signal,
 * a1 = code (fault signals), a2 = scp, a3 = handler, sp = scp aligned.
 */
#ifdef ATTR_EXC_ASM_DISPATCH
void sendsig(uint32_t handler, int sig, uint32_t returnmask);   /* locore.S exc_dispatch calls it */
#else
static
#endif
void sendsig(uint32_t handler, int sig, uint32_t returnmask)
{
	struct trapframe *ep = USER_FRAME;
	struct proc *p = curproc;
#ifdef ATTR_EXC_REGS_IN_PLACE
	/* Research switch (benchmarks/attribution): the handler gets the registers
	 * in place.  No sigcontext copy-out (no grow(), no useracc() page walk):
	 * the exception state goes into the agreed-upon save area, the 8 words
	 * below the interrupted sp (uabi.h struct sigsave), by one guarded
	 * copyout -- a fault there (a hostile sp) is refused as Ultrix refuses a
	 * sigcontext it cannot write -- and only the pc changes; the trampoline
	 * saves what it uses.  (Aegis: three scratch registers into a save area,
	 * the state into them.) */
	struct sigsave ss;

	ss.ss_sig = sig;
	ss.ss_code = 0;
	if (sig == SIGFPE || sig == SIGSEGV || sig == SIGILL || sig == SIGBUS || sig == SIGTRAP) {
		ss.ss_code = u.u_code;
		u.u_code = 0;
	}
	ss.ss_handler = handler;
	ss.ss_pc = ep->epc;
	ss.ss_cause = ep->cause;
	ss.ss_badvaddr = ep->badvaddr;
	ss.ss_mask = returnmask;
	ss.ss_onstack = u.u_onstack;
	if (!p->p_sigtramp || copyout(p, &ss, ep->regs[R_SP] - SS_SIZE, SS_SIZE)) {
		kprintf("pid %d: cannot deliver signal %d\n", p->p_pid, sig);
		proc_exit(128 + SIGILL);
	}
	ep->epc = p->p_sigtramp;
#else
	struct sigcontext *scp;
	uint32_t oonstack = u.u_onstack;

	scp = (struct sigcontext *)(ep->regs[R_SP] & ~15u) - 1;
	if (!u.u_onstack)
		grow((uint32_t)scp);
	if (!useracc((uint32_t)scp, sizeof(*scp), B_WRITE) || !p->p_sigtramp) {
		/* No room for the context, or no trampoline: Ultrix kills with SIGILL. */
		kprintf("pid %d: cannot deliver signal %d\n", p->p_pid, sig);
		proc_exit(128 + SIGILL);
	}
	scp->sc_onstack = oonstack;
	scp->sc_mask = returnmask;
	scp->sc_pc = ep->epc;
	scp->sc_regs[R_V0] = ep->regs[R_V0];
	scp->sc_regs[R_A0] = ep->regs[R_A0];
	scp->sc_regs[R_A1] = ep->regs[R_A1];
	scp->sc_regs[R_A2] = ep->regs[R_A2];
	scp->sc_regs[R_A3] = ep->regs[R_A3];
	scp->sc_regs[R_SP] = ep->regs[R_SP];
	scp->sc_ownedfp = 0;            /* no FPU */
	scp->sc_cause = ep->cause;
	scp->sc_badvaddr = ep->badvaddr;
	ep->regs[R_A0] = sig;
	if (sig == SIGFPE || sig == SIGSEGV || sig == SIGILL || sig == SIGBUS || sig == SIGTRAP) {
		ep->regs[R_A1] = u.u_code;
		u.u_code = 0;
	} else {
		ep->regs[R_A1] = 0;
	}
	ep->regs[R_A2] = (uint32_t)scp;
	ep->regs[R_A3] = handler;
	ep->regs[R_SP] = (uint32_t)scp & ~15u;
	ep->epc = p->p_sigtramp;
#endif
}

/*
 * psig(): act on p_cursig (Ultrix kern_sig.c psig): for a caught signal,
 * block it (and its sigvec mask) at splhigh, count it and sendsig(); the
 * default action of every signal that gets here is to terminate (no core
 * dumps, no stop signals).
 */
void psig(void)
{
	struct proc *p = curproc;
	int sig = p->p_cursig;
	uint32_t mask = SIGMASK(sig), returnmask, action;

	if (sig == 0)
		panic("psig");
	action = p->p_handler[sig];
	if (action != SIG_DFL) {
		if (action == SIG_IGN || (p->p_sigmask & mask))
			panic("psig action");
		(void)splhigh();
		if (u.u_sigflag & SOMASK) {
			returnmask = u.u_oldmask;
			u.u_sigflag &= ~SOMASK;
		} else {
			returnmask = p->p_sigmask;
		}
#ifndef ATTR_EXC_USER_RETURN
		p->p_sigmask |= (p->p_hmask[sig] | mask) & ~CANTMASK;
#else
		/* Research switch (benchmarks/attribution): the handler returns at
		 * user level (sigtramp), with no sigreturn to put a mask back, so
		 * none is installed -- as Aegis has none. */
		(void)returnmask;
#endif
		(void)spl0();
		u.u_ru_nsignals++;
		sendsig(action, sig, returnmask);
		p->p_cursig = 0;
		return;
	}
	kprintf("pid %d (%s): killed by signal %d (pc %x badvaddr %x)\n", p->p_pid,
	        p->p_name, sig, USER_FRAME->epc, USER_FRAME->badvaddr);
	proc_exit(128 + sig);
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
	(void)splhigh();                /* Ultrix setsigvec */
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
	(void)spl0();
	return 0;
}

/*
 * sigreturn(scp): Ultrix machdep.c.  After useracc() says the process may
 * read the context, take the mask back and copy pc, LO/HI and every
 * register from AT to ra straight from user memory into the frame; mark the
 * return FULLRESTORE so VEC_syscall leaves through full_restore.  SR is not
 * taken from the user, so the context cannot raise the privilege level; we
 * also refuse a pc that is not a word-aligned user address (Ultrix lets the
 * process fault there).
 */
int sys_sigreturn(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc;
	struct trapframe *ep = USER_FRAME;
	struct sigcontext *scp = (struct sigcontext *)a[0];
	uint32_t *urp, *srp;

	(void)rv;
	if (!useracc((uint32_t)scp, sizeof(*scp), B_READ))
		return EFAULT;
	if ((scp->sc_pc & 3) || scp->sc_pc >= KUSEG_TOP)
		return EINVAL;
	u.u_eosys = FULLRESTORE;
	u.u_onstack = scp->sc_onstack & 1;
	p->p_sigmask = scp->sc_mask & ~(CANTMASK | SIGMASK(SIGCONT));
	ep->epc = scp->sc_pc;
	ep->lo = scp->sc_mdlo;
	ep->hi = scp->sc_mdhi;
	for (urp = &ep->regs[R_AT], srp = &scp->sc_regs[R_AT]; urp <= &ep->regs[R_RA]; urp++, srp++)
		*urp = *srp;
	return 0;
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
	u.u_oldmask = p->p_sigmask;
	u.u_sigflag |= SOMASK;
	p->p_sigmask = a[0] & ~CANTMASK;
	for (;;)
		sleep(&u, PSLEP);       /* leaves by longjmp: EINTR */
}

int sys_sigblock(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc;

	(void)splhigh();
	rv[0] = p->p_sigmask;
	p->p_sigmask |= a[0] & ~CANTMASK;
	(void)spl0();
	return 0;
}

int sys_sigsetmask(uint32_t *a, uint32_t *rv)
{
	struct proc *p = curproc;

	(void)splhigh();
	rv[0] = p->p_sigmask;
	p->p_sigmask = a[0] & ~CANTMASK;
	(void)spl0();
	return 0;
}
