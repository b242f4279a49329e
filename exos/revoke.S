/*
 * revoke.S - entries of ExOS's revocation and repossession upcalls (Aegis:
 * aegis/revoke.c), and the two system-call stubs.  Like slice.S: Aegis
 * enters with the interrupted context in SA_ISAVE; run the C handler
 * (revoke.c) on the revocation stack, then reload that context and resume
 * through exc.S's resume range (exos_slice_resume), without the kernel.
 * A spinning revocation handler is abandoned by Aegis, which then enters the
 * repossession entry (same stack: the abandoned frame is dead) or resumes
 * the interrupted context itself.
 */
#include "exos.h"

#define I(off)	UAREA_VADDR+(off)($zero)

	.set	noreorder
	.set	noat
	.bss
	.align	3
	.space	4096
revoke_stack_top:

	.text
	.globl	ae_page_reclaim
ae_page_reclaim:
	li	$v0, SYS_PAGE_RECLAIM
	syscall
	jr	$ra
	nop
	.globl	ae_revoke_done
ae_revoke_done:
	li	$v0, SYS_REVOKE_DONE
	syscall
	jr	$ra
	nop

	.globl	exos_revoke_entry
exos_revoke_entry:
	la	$t9, exos_revoke
	b	upcall_common
	nop
	.globl	exos_repossess_entry
exos_repossess_entry:
	la	$t9, exos_repossess
upcall_common:
	la	$sp, revoke_stack_top - 32
	lw	$t0, I(SA_T0)
	lw	$t1, I(SA_T1)
	lw	$t2, I(SA_T2)
	lw	$t3, I(UA_TMP)
	sw	$t0, 16($sp)
	sw	$t1, 20($sp)
	sw	$t2, 24($sp)
	jalr	$t9
	sw	$t3, 28($sp)
	lw	$t0, 16($sp)
	lw	$t1, 20($sp)
	lw	$t2, 24($sp)
	lw	$t3, 28($sp)
	sw	$t0, I(SA_T0)
	sw	$t1, I(SA_T1)
	sw	$t2, I(SA_T2)
	sw	$t3, I(UA_TMP)
	lw	$t0, I(SA_IHI)
	lw	$t1, I(SA_ILO)
	mthi	$t0
	mtlo	$t1
	lw	$1, I(SA_IREG(1))
	lw	$2, I(SA_IREG(2))
	lw	$3, I(SA_IREG(3))
	lw	$4, I(SA_IREG(4))
	lw	$5, I(SA_IREG(5))
	lw	$6, I(SA_IREG(6))
	lw	$7, I(SA_IREG(7))
	lw	$9, I(SA_IREG(9))
	lw	$10, I(SA_IREG(10))
	lw	$11, I(SA_IREG(11))
	lw	$12, I(SA_IREG(12))
	lw	$13, I(SA_IREG(13))
	lw	$14, I(SA_IREG(14))
	lw	$15, I(SA_IREG(15))
	lw	$16, I(SA_IREG(16))
	lw	$17, I(SA_IREG(17))
	lw	$18, I(SA_IREG(18))
	lw	$19, I(SA_IREG(19))
	lw	$20, I(SA_IREG(20))
	lw	$21, I(SA_IREG(21))
	lw	$22, I(SA_IREG(22))
	lw	$23, I(SA_IREG(23))
	lw	$24, I(SA_IREG(24))
	lw	$25, I(SA_IREG(25))
	lw	$28, I(SA_IREG(28))
	lw	$29, I(SA_IREG(29))
	lw	$30, I(SA_IREG(30))
	j	exos_slice_resume		/* exc.S: the resume range */
	lw	$31, I(SA_IREG(31))
