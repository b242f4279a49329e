/*
 * syscalls.S - the system-call stubs and the signal trampoline of the
 * baseline's user runtime, in the shape of Ultrix libc
 * (lib/libc/mips/sys/getpid.s and friends, SYSCALL macro): number in v0, `syscall`, a3 set
 * means v0 is an errno.  Our stubs return -errno instead of Ultrix's
 * _cerror (errno = v0; return -1), which suits osapi.h's negative codes;
 * the instruction count is the same.
 */
#include "uabi.h"

	.set	noreorder

#define SYSCALL(name, num)		\
	.globl	name;			\
	.ent	name;			\
name:					\
	li	$v0, num;		\
	syscall;			\
	bne	$a3, $zero, _cerror;	\
	nop;				\
	j	$ra;			\
	nop;				\
	.end	name

	.text
	.ent	_cerror
_cerror:
	j	$ra
	subu	$v0, $zero, $v0
	.end	_cerror

SYSCALL(_exit, SYS_exit)
SYSCALL(read, SYS_read)
SYSCALL(write, SYS_write)
SYSCALL(close, SYS_close)
SYSCALL(wait, SYS_wait)
SYSCALL(getpid, SYS_getpid)
SYSCALL(kill, SYS_kill)
SYSCALL(mmap, SYS_mmap)
SYSCALL(mprotect, SYS_mprotect)
SYSCALL(sigblock, SYS_sigblock)
SYSCALL(sigsetmask, SYS_sigsetmask)
SYSCALL(sigpause, SYS_sigpause)
SYSCALL(shmat, SYS_shmat)
SYSCALL(spawn, SYS_spawn)
SYSCALL(yield, SYS_yield)
SYSCALL(socket, SYS_socket)
SYSCALL(bind, SYS_bind)
SYSCALL(sendto, SYS_sendto)
SYSCALL(recvfrom, SYS_recvfrom)

/* fork(): the kernel answers v1 = 0 in the parent (v0 = child pid) and
 * v1 = 1 in the child, which returns 0 (Ultrix fork.s). */
	.globl	fork
	.ent	fork
fork:
	li	$v0, SYS_fork
	syscall
	bne	$a3, $zero, _cerror
	nop
	beq	$v1, $zero, 1f
	nop
	move	$v0, $zero
1:	j	$ra
	nop
	.end	fork

/* pipe(int fds[2]): the kernel returns both descriptors, in v0 and v1. */
	.globl	pipe
	.ent	pipe
pipe:
	li	$v0, SYS_pipe
	syscall
	bne	$a3, $zero, _cerror
	nop
	sw	$v0, 0($a0)
	sw	$v1, 4($a0)
	j	$ra
	move	$v0, $zero
	.end	pipe

/* getparam(name, dflt): the value, or dflt when there is no such parameter
 * (any 32-bit value is a valid answer, so the error flag decides). */
	.globl	getparam
	.ent	getparam
getparam:
	li	$v0, SYS_getparam
	syscall
	bne	$a3, $zero, 1f
	nop
	j	$ra
	nop
1:	j	$ra
	move	$v0, $a1
	.end	getparam

/* sigvec(sig, nsv, osv): the trampoline goes to the kernel as a hidden
 * fourth argument (Ultrix sigvec.s: "la a3, sigtramp"). */
	.globl	sigvec
	.ent	sigvec
sigvec:
	la	$a3, sigtramp
	li	$v0, SYS_sigvec
	syscall
	bne	$a3, $zero, _cerror
	nop
	j	$ra
	nop
	.end	sigvec

/*
 * sigtramp: the kernel's sendsig() enters here with a0 = signal, a1 = code,
 * a2 = &sigcontext, a3 = handler, sp = &sigcontext, having saved v0, a0-a3,
 * sp and pc.  Store every other register into the sigcontext, call the
 * handler, then sigreturn(scp), which restores them all (Ultrix libc
 * sigtramp).  k0/k1 belong to the kernel and are not saved.
 */
	.globl	sigtramp
	.ent	sigtramp
sigtramp:
#ifdef ATTR_EXC_REGS_IN_PLACE
	/* Research switch (benchmarks/attribution): the kernel wrote no sigcontext
	 * and left every register in place but the pc; the exception state is in
	 * the save area just below the interrupted sp (uabi.h struct sigsave).
	 * The trampoline builds the sigcontext below it itself: first what
	 * Ultrix's sendsig would have stored (v0, a0-a3, sp), then, with a2 =
	 * scp, every other register as below, then the state from the save area,
	 * and goes on with a0-a3 as sendsig sets them. */
#define SC_FRAME ((SC_SIZE + 15) & ~15)
	addiu	$sp, $sp, -(SS_SIZE + SC_FRAME)	/* sp = scp, the save area above it */
	sw	$v0, SC_REG(2)($sp)
	sw	$a0, SC_REG(4)($sp)
	sw	$a1, SC_REG(5)($sp)
	sw	$a2, SC_REG(6)($sp)
	sw	$a3, SC_REG(7)($sp)
	addiu	$a0, $sp, SS_SIZE + SC_FRAME	/* the interrupted sp */
	sw	$a0, SC_REG(29)($sp)
	move	$a2, $sp
#endif
	.set	noat
	sw	$zero, SC_REG(0)($a2)
	sw	$at, SC_REG(1)($a2)
	.set	at
	sw	$v1, SC_REG(3)($a2)
	sw	$t0, SC_REG(8)($a2)
	sw	$t1, SC_REG(9)($a2)
	sw	$t2, SC_REG(10)($a2)
	sw	$t3, SC_REG(11)($a2)
	sw	$t4, SC_REG(12)($a2)
	sw	$t5, SC_REG(13)($a2)
	sw	$t6, SC_REG(14)($a2)
	sw	$t7, SC_REG(15)($a2)
	sw	$s0, SC_REG(16)($a2)
	sw	$s1, SC_REG(17)($a2)
	sw	$s2, SC_REG(18)($a2)
	sw	$s3, SC_REG(19)($a2)
	sw	$s4, SC_REG(20)($a2)
	sw	$s5, SC_REG(21)($a2)
	sw	$s6, SC_REG(22)($a2)
	sw	$s7, SC_REG(23)($a2)
	sw	$t8, SC_REG(24)($a2)
	sw	$t9, SC_REG(25)($a2)
	sw	$gp, SC_REG(28)($a2)
	sw	$s8, SC_REG(30)($a2)
	sw	$ra, SC_REG(31)($a2)
	mflo	$t0
	mfhi	$t1
	sw	$t0, SC_MDLO($a2)
	sw	$t1, SC_MDHI($a2)
#ifdef ATTR_EXC_REGS_IN_PLACE
	lw	$t0, SC_FRAME + SS_PC($sp)
	lw	$t1, SC_FRAME + SS_CAUSE($sp)
	lw	$t2, SC_FRAME + SS_BADVADDR($sp)
	lw	$t3, SC_FRAME + SS_MASK($sp)
	lw	$t4, SC_FRAME + SS_ONSTACK($sp)
	sw	$t0, SC_PC($sp)
	sw	$t1, SC_CAUSE($sp)
	sw	$t2, SC_BADVADDR($sp)
	sw	$t3, SC_MASK($sp)
	sw	$t4, SC_ONSTACK($sp)
	sw	$zero, SC_OWNEDFP($sp)
	lw	$a0, SC_FRAME + SS_SIG($sp)
	lw	$a1, SC_FRAME + SS_CODE($sp)
	lw	$a3, SC_FRAME + SS_HANDLER($sp)
#endif
	move	$s0, $a2		/* scp survives the call in a callee-saved register */
	jalr	$a3
	addiu	$sp, $sp, -16		/* (delay) the handler's argument save area */
#ifdef ATTR_EXC_USER_RETURN
	/* Research switch (benchmarks/attribution): return from user level, no
	 * kernel sigreturn.  The interrupted t0 is parked in the word just below
	 * the interrupted sp (free stack; at most sc_badpaddr, which is not
	 * read, lives there), every other register comes back from the
	 * sigcontext, and "jr t0; lw t0" resumes.  As with ExOS's return
	 * (exos/README.md), the resumed instruction may read t0 in the load's
	 * delay slot: the emulator interlocks, a real R3000 would not. */
	move	$sp, $s0		/* the sigcontext is the base from here */
	lw	$t1, SC_REG(8)($sp)
	lw	$t2, SC_REG(29)($sp)
	lw	$t3, SC_MDLO($sp)
	lw	$t4, SC_MDHI($sp)
	sw	$t1, -4($t2)
	mtlo	$t3
	mthi	$t4
	lw	$t0, SC_PC($sp)
	.set	noat
	lw	$at, SC_REG(1)($sp)
	lw	$v0, SC_REG(2)($sp)
	lw	$v1, SC_REG(3)($sp)
	lw	$a0, SC_REG(4)($sp)
	lw	$a1, SC_REG(5)($sp)
	lw	$a2, SC_REG(6)($sp)
	lw	$a3, SC_REG(7)($sp)
	lw	$t1, SC_REG(9)($sp)
	lw	$t2, SC_REG(10)($sp)
	lw	$t3, SC_REG(11)($sp)
	lw	$t4, SC_REG(12)($sp)
	lw	$t5, SC_REG(13)($sp)
	lw	$t6, SC_REG(14)($sp)
	lw	$t7, SC_REG(15)($sp)
	lw	$s0, SC_REG(16)($sp)
	lw	$s1, SC_REG(17)($sp)
	lw	$s2, SC_REG(18)($sp)
	lw	$s3, SC_REG(19)($sp)
	lw	$s4, SC_REG(20)($sp)
	lw	$s5, SC_REG(21)($sp)
	lw	$s6, SC_REG(22)($sp)
	lw	$s7, SC_REG(23)($sp)
	lw	$t8, SC_REG(24)($sp)
	lw	$t9, SC_REG(25)($sp)
	lw	$gp, SC_REG(28)($sp)
	lw	$s8, SC_REG(30)($sp)
	lw	$ra, SC_REG(31)($sp)
	lw	$sp, SC_REG(29)($sp)
	jr	$t0
	lw	$t0, -4($sp)		/* (delay) */
	.set	at
#else
	move	$a0, $s0
	li	$v0, SYS_sigreturn
	syscall
	break	0			/* sigreturn refused the context */
#endif
	.end	sigtramp
