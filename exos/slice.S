/*
 * slice.S - ExOS's end-of-slice upcall (Aegis interrupt context).
 *
 * Aegis enters exos_slice_end_entry with every register as the interrupted
 * code left it and that whole context already in the save-area page
 * (SA_ISAVE).  Run the policy (exos_slice_end: by default, yield) on the
 * upcall stack; when this environment runs again, reload the interrupted
 * context from SA_ISAVE and jump back -- without the kernel.  From clearing
 * SA_INUPCALL to the jump's delay slot (exos_slice_resume, in exc.S) is the
 * resume range registered with Aegis, together with the end of exc.S's
 * return: no upcall is delivered there, so SA_ISAVE cannot change under it.
 *
 * The interrupted code may be anywhere in ExOS's exception handling (exc.S
 * or a handler below its frame), and the policy may take exceptions of its
 * own.  Their frames must not land on live words there: the save-area words
 * exc.S still has to read are kept on the upcall stack, and exos_slice_end
 * (exos.c) lowers UA_EXC_SP below the interrupted handler's stack and any
 * frame exc.S has begun but not yet published for as long as the policy runs.
 */
#include "exos.h"

#define I(off)	UAREA_VADDR+(off)($zero)

	.set	noreorder
	.set	noat
	.bss
	.align	3
	.space	4096
upcall_stack_top:

	.text
	.globl	exos_slice_end_entry
exos_slice_end_entry:
	la	$t9, exos_slice_end		/* exos.c: also keeps UA_EXC_SP below the live words */
	la	$t8, upcall_stack_top
	/* fall through */

/*
 * exos_upcall_run: every upcall's body (slice end here; revocation and repossession
 * in revoke.S).  Run the C function in t9 on the stack ending at t8, keeping the
 * save-area words exc.S may still need on that stack, then reload the interrupted
 * context from SA_ISAVE and resume it through exc.S's resume range.  t8/t9 are free:
 * the interrupted values are in SA_ISAVE.
 */
	.globl	exos_upcall_run
exos_upcall_run:
	addiu	$sp, $t8, -32
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
