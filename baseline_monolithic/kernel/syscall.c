/*
 * syscall.c - system-call dispatch through sysent (Ultrix 4.2
 * sys/machine/mips/trap.c syscall(), sys/sys/init_sysent.c), called from
 * locore's VEC_syscall with interrupts enabled.
 *
 * Number in v0, arguments in a0-a3 copied to u.u_arg (more would be copied
 * in from the user stack at sp+16), setjmp(&u.u_qsave) on every call so a
 * signal can abandon a sleep, result in v0/v1 with a3 = 0 on success or
 * a3 = 1 and v0 = errno on failure.  Then the work Ultrix does on the way
 * out of every call: pending signals (psig), the per-CPU call count, the
 * priority reset, a reschedule if one is due (at splclock), and the
 * single-step and profiling checks.
 */
#include "kern.h"

typedef int (*sy_call_t)(uint32_t *args, uint32_t *rv);

struct sysent {
	int sy_narg;
	sy_call_t sy_call;
};

static const struct sysent sysent[SYS_NSYSENT] = {
	[SYS_exit] = {1, sys_exit},
	[SYS_fork] = {0, sys_fork},
	[SYS_read] = {3, sys_read},
	[SYS_write] = {3, sys_write},
	[SYS_close] = {1, sys_close},
	[SYS_wait] = {1, sys_wait},
	[SYS_getpid] = {0, sys_getpid},
	[SYS_kill] = {2, sys_kill},
	[SYS_pipe] = {0, sys_pipe},
	[SYS_mmap] = {2, sys_mmap},
	[SYS_mprotect] = {3, sys_mprotect},
	[SYS_sigreturn] = {1, sys_sigreturn},
	[SYS_sigvec] = {4, sys_sigvec},
	[SYS_sigblock] = {1, sys_sigblock},
	[SYS_sigsetmask] = {1, sys_sigsetmask},
	[SYS_sigpause] = {1, sys_sigpause},
	[SYS_shmat] = {3, sys_shmat},
	[SYS_spawn] = {1, sys_spawn},
	[SYS_yield] = {1, sys_yield},
	[SYS_getparam] = {1, sys_getparam},
	[SYS_socket] = {3, sys_socket},
	[SYS_bind] = {3, sys_bind},
	[SYS_sendto] = {6, sys_sendto},
	[SYS_recvfrom] = {6, sys_recvfrom},
};

#ifdef ATTR_SYS_NO_QSAVE
/* The calls that never reach sleep(): the VM calls (vm.c has no sleep: no
 * paging here) and the signal calls but sigpause.  Any other may sleep. */
static const unsigned char never_sleeps[SYS_NSYSENT] = {
	[SYS_getpid] = 1, [SYS_getparam] = 1, [SYS_mmap] = 1, [SYS_mprotect] = 1,
	[SYS_kill] = 1, [SYS_sigvec] = 1, [SYS_sigblock] = 1, [SYS_sigsetmask] = 1,
	[SYS_sigreturn] = 1,
};
#endif

#if defined(ATTR_SYS_ASM_DISPATCH) || defined(ATTR_SYS_VECTOR)
/* The leaf calls: those that never sleep and never post, take or unblock a
 * signal, so that none of the work syscall() does around a call has anything
 * to do for them (no qsave: no sleep; no signal check: none can become
 * deliverable; no reschedule: the exit takes one the clock flagged).
 * locore.S's VEC_syscall runs them from assembly without syscall(), each
 * handler getting its arguments in place in the frame's a0-a3 (none takes
 * more than four) and its results straight in the frame's v0/v1
 * (ATTR_SYS_ASM_DISPATCH); its sys_vector takes them on the exception vector
 * without the general frame (ATTR_SYS_VECTOR). */
const sy_call_t sysleaf[SYS_NSYSENT] = {
	[SYS_getpid] = sys_getpid, [SYS_getparam] = sys_getparam,
	[SYS_mmap] = sys_mmap, [SYS_mprotect] = sys_mprotect,
};
#endif

struct cpudata cpudata;
int audswitch;                          /* auditing is never on: the audit branch is not taken */
static uint32_t audit_calls;

/* Ultrix's times_to_ticks()/addupc(): profiling is never on here (no profil
 * call), so only the u_prof_scale test of the callers runs. */
static void addupc(uint32_t pc, uint32_t ticks)
{
	(void)pc;
	(void)ticks;
}

/*
 * syscall(ep, code, sr, cause): run system call `code` for the user frame ep.
 * Returns 1 when the frame must be restored whole (sigreturn's FULLRESTORE),
 * 0 when VEC_syscall's partial restore (v0/v1 and exception's set) will do.
 */
int syscall(struct trapframe *ep, uint32_t code, uint32_t sr, uint32_t cause)
{
	const struct sysent *callp;
	struct proc *p;
	struct timeval_k syst;
	uint32_t rv[2];
	int error, nargs;

	(void)cause;
	syst = u.u_ru_stime;
	if (!(sr & SR_KUP))
		panic("syscall from kernel mode at pc %x", ep->epc);
	ep->epc += 4;                   /* past the syscall (never in a delay slot: see README) */
	u.u_eosys = NORMALRETURN;
	if (code >= SYS_NSYSENT || !sysent[code].sy_call) {
		/* Ultrix's nosys() posts SIGSYS, whose default kills the process;
		 * we return ENOSYS so a bad number is an error, not a death. */
		error = ENOSYS;
		goto done;
	}
	callp = &sysent[code];
	nargs = callp->sy_narg;
	u.u_arg[0] = ep->regs[R_A0];
	u.u_arg[1] = ep->regs[R_A1];
	u.u_arg[2] = ep->regs[R_A2];
	u.u_arg[3] = ep->regs[R_A3];
	if (nargs > 4 && copyin(curproc, ep->regs[R_SP] + 16, &u.u_arg[4], (nargs - 4) * 4)) {
		error = EFAULT;
		goto done;
	}
	rv[0] = 0;
	rv[1] = ep->regs[R_V1];
#ifdef ATTR_SYS_NO_QSAVE
	/* Research switch (benchmarks/attribution): no setjmp for a call that
	 * can never sleep, so no signal can need to abandon it. */
	if (never_sleeps[code])
		error = callp->sy_call(u.u_arg, rv);
	else
#endif
	if (setjmp(&u.u_qsave))
		error = EINTR;          /* a signal interrupted a sleep */
	else if (audswitch == 0)
		error = callp->sy_call(u.u_arg, rv);
	else {
		audit_calls++;          /* (Ultrix records an audit event here) */
		error = callp->sy_call(u.u_arg, rv);
	}
done:
	if (u.u_eosys == NORMALRETURN) {
		if (error) {
			ep->regs[R_V0] = error;
			ep->regs[R_A3] = 1;
		} else {
			ep->regs[R_V0] = rv[0];
			ep->regs[R_V1] = rv[1];
			ep->regs[R_A3] = 0;
		}
	}
	p = curproc;
#ifdef ATTR_SYS_FLAGGED_EXIT
	/* Research switch (benchmarks/attribution): the way out does only work
	 * that was flagged.  psignal() and a due reschedule (runrun) already set
	 * u_resched, which exception_exit turns into a SEXC_RESCHED pass through
	 * trap(); only a signal an interrupted sleep took (p_cursig) or a pending
	 * one a call unblocked has no flag yet.  The per-CPU count and the
	 * single-step and profiling tests are dropped. */
	if (p->p_cursig || (p->p_sig & ~p->p_sigmask))
		aston();
	p->p_pri = p->p_usrpri;         /* a sleep raised it */
	return u.u_eosys == FULLRESTORE;
#endif
	if (p->p_cursig || ISSIG(p))
		psig();
	cpudata.cpu_syscall++;
	p->p_pri = p->p_usrpri;
	if (runrun) {
		(void)splclock();
		setrq(p);
		u.u_ru_nivcsw++;
		swtch();
	}
	if (u.u_sstep)
		panic("single step");   /* no ptrace here: never set */
	if (u.u_prof_scale > 1)
		addupc(ep->epc, u.u_ru_stime.tv_sec - syst.tv_sec);
	return u.u_eosys == FULLRESTORE;
}
