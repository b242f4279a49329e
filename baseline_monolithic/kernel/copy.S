/*
 * copy.S - copyin()/copyout(): move bytes between the kernel and the
 * current process's kuseg through the TLB, as Ultrix 4.2 does (locore
 * copyin/copyout with u.u_nofault): the range is checked to lie in kuseg,
 * `nofault` is set, and a copy loop runs.  A kernel-mode UTLB miss is
 * refilled by utlbmiss like a user one; an invalid or read-only page faults
 * to trap(), which resolves it as it would for the user (demand-zero fill,
 * Mod on a writable page) or else resumes at `nofault` -- here copyerr,
 * which returns EFAULT.  Both are leaves without a stack frame, so resuming
 * at copyerr needs nothing but the PC.
 *
 * int copyin(struct proc *p, uint32_t uva, void *kbuf, uint32_t n)
 * int copyout(struct proc *p, const void *kbuf, uint32_t uva, uint32_t n)
 * p must be curproc (its ASID is the current one); it is not used.
 */
#include "kern.h"

	.set	noreorder

	.globl	copyin
	.ent	copyin
copyin:
	move	$t0, $a1		/* src = uva (checked) */
	b	copy
	move	$t1, $a2		/* (delay) dst = kbuf */
	.end	copyin

	.globl	copyout
	.ent	copyout
copyout:
	move	$t0, $a1		/* src = kbuf */
	move	$t1, $a2		/* dst = uva (checked) */
	move	$a1, $a2
	/* fall through */
copy:
	addu	$t2, $a1, $a3		/* end of the user range */
	sltu	$t3, $t2, $a1		/* wrapped around? */
	bne	$t3, $zero, copyerr_early
	lui	$t4, %hi(KUSEG_TOP)	/* (delay) */
	sltu	$t3, $t4, $t2		/* ends beyond kuseg? */
	bne	$t3, $zero, copyerr_early
	lui	$t6, %hi(nofault)	/* (delay) */
	la	$t5, copyerr
	sw	$t5, %lo(nofault)($t6)
	or	$t3, $t0, $t1
	andi	$t3, $t3, 3
	bne	$t3, $zero, 2f		/* not co-aligned: bytes */
	srl	$t7, $a3, 2		/* (delay) words */
	beq	$t7, $zero, 2f
	nop
1:	lw	$t3, 0($t0)
	addiu	$t7, $t7, -1
	addiu	$t0, $t0, 4
	sw	$t3, 0($t1)
	bne	$t7, $zero, 1b
	addiu	$t1, $t1, 4		/* (delay) */
	andi	$a3, $a3, 3		/* the tail */
2:	beq	$a3, $zero, 4f
	nop
3:	lbu	$t3, 0($t0)
	addiu	$a3, $a3, -1
	addiu	$t0, $t0, 1
	sb	$t3, 0($t1)
	bne	$a3, $zero, 3b
	addiu	$t1, $t1, 1		/* (delay) */
4:	sw	$zero, %lo(nofault)($t6)
	j	$ra
	move	$v0, $zero
	.end	copyout

	.ent	copyerr
copyerr:
	lui	$t6, %hi(nofault)
	sw	$zero, %lo(nofault)($t6)
copyerr_early:
	j	$ra
	li	$v0, EFAULT
	.end	copyerr

	.data
	.globl	nofault
nofault:
	.word	0			/* resume address for a fault inside a copy, else 0 */
