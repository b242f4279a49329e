/*
 * syscall.c - system-call dispatch through sysent (Ultrix 4.2
 * sys/machine/mips/trap.c syscall(), sys/sys/init_sysent.c).  locore's
 * causevec sends ExcCode Sys here directly, as Ultrix's VEC_syscall does.
 *
 * Number in v0, arguments in a0-a3 copied to u.u_arg (more would be copied
 * in from the user stack at sp+16), setjmp(&u.u_qsave) on every call so a
 * signal can abandon a sleep, result in v0/v1 with a3 = 0 on success or
 * a3 = 1 and v0 = errno on failure.
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
};

void syscall(struct trapframe *tf)
{
	uint32_t code = tf->regs[R_V0];
	const struct sysent *callp;
	uint32_t rv[2];
	int error;

	if (!(tf->sr & SR_KUP))
		panic("syscall from kernel mode at pc %x", tf->epc);
	spl0();                         /* Ultrix VEC_syscall: interrupts on for the call */
	tf->epc += 4;                   /* past the syscall (never in a delay slot: see README) */
	if (code >= SYS_NSYSENT || !sysent[code].sy_call) {
		/* Ultrix's nosys() posts SIGSYS, whose default kills the process;
		 * we return ENOSYS so a bad number is an error, not a death. */
		error = ENOSYS;
		goto done;
	}
	callp = &sysent[code];
	u.u_arg[0] = tf->regs[R_A0];
	u.u_arg[1] = tf->regs[R_A1];
	u.u_arg[2] = tf->regs[R_A2];
	u.u_arg[3] = tf->regs[R_A3];
	if (callp->sy_narg > 4 &&
	    copyin(curproc, tf->regs[R_SP] + 16, &u.u_arg[4], (callp->sy_narg - 4) * 4)) {
		error = EFAULT;
		goto done;
	}
	rv[0] = 0;
	rv[1] = tf->regs[R_V1];
	if (setjmp(&u.u_qsave))
		error = EINTR;          /* a signal interrupted a sleep */
	else
		error = callp->sy_call(u.u_arg, rv);
done:
	if (error == EJUSTRETURN) {
		/* sigreturn: the frame is already what it should be */
	} else if (error) {
		tf->regs[R_V0] = error;
		tf->regs[R_A3] = 1;
	} else {
		tf->regs[R_V0] = rv[0];
		tf->regs[R_V1] = rv[1];
		tf->regs[R_A3] = 0;
	}
	userret(tf);
}
