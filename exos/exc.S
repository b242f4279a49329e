/*
 * exc.S - ExOS's user-level exception entry and return.
 *
 * Aegis enters here in user mode with t0 = EPC, t1 = BadVAddr, t2 = Cause
 * and the interrupted t0-t2 in the save area (uarea, below 32 KiB, so
 * reachable relative to $zero).  Build a frame on the exception stack (in
 * guaranteed-mapped bss: touching it can only cost a kernel-resolved TLB
 * refill, never another dispatch), call exos_exception(frame), then restore
 * everything and jump back to the (possibly changed) EPC -- without
 * entering the kernel.  The last register, t0, is reloaded in the jump's
 * delay slot.
 *
 * Nesting.  UA_EXC_SP is where the next frame goes.  The handlers' C code
 * runs on the exception stack too, from XF_SIZE below its frame, and that
 * is what the frame publishes as the next one's place; but the handlers'
 * stack grows below it, so an exception taken with sp on the exception
 * stack (in a handler: sp <= UA_EXC_SP) builds its frame below that sp
 * instead.  Telling the cases apart costs the common one (the program's
 * stack, above) two instructions more on entry; the return, which finds
 * the frame from sp and reloads the last registers from the frame's end,
 * two fewer than before.  An end-of-slice upcall that interrupts the
 * handlers runs its policy on its own stack: exos_slice_end (exos.c) keeps
 * UA_EXC_SP below their live words while the policy runs.  From the pop of
 * the frame to the jump's delay slot the frame's last words are read after
 * it is free: that is the start of the resume range registered with Aegis
 * (exos_resume_lo..hi, which goes on with slice.S's resume sequence), so no
 * upcall is delivered there.
 */
#include "exos.h"

#define U(off)	UAREA_VADDR+(off)($zero)

	.set	noreorder
	.set	noat
	.text
	.globl	exos_exc_entry
exos_exc_entry:
	sw	$t0, U(UA_TMP)
	lw	$t0, U(UA_EXC_SP)
	nop
	subu	$t0, $t0, $sp
	bgez	$t0, exc_sp_low			/* sp <= UA_EXC_SP: is sp on the exception stack? */
	addu	$t0, $t0, $sp			/* UA_EXC_SP again: the frame */
exc_frame:
	sw	$29, XF_REG(29)($t0)
	.globl	exos_exc_unpublished
exos_exc_unpublished:				/* (exos_slice_end: the frame is not published yet) */
	addiu	$sp, $t0, -XF_SIZE		/* the handlers' stack, with room for a frame */
	sw	$sp, U(UA_EXC_SP)		/* a nested exception builds below us */
	sw	$t1, XF_FAULT+4($t0)
	sw	$t2, XF_FAULT+8($t0)
	lw	$t1, U(UA_TMP)
	lw	$t2, U(SA_T0)
	sw	$t1, XF_FAULT+0($t0)
	sw	$t2, XF_REG(8)($t0)
	lw	$t1, U(SA_T1)
	lw	$t2, U(SA_T2)
	sw	$t1, XF_REG(9)($t0)
	sw	$t2, XF_REG(10)($t0)
	sw	$1, XF_REG(1)($t0)
	sw	$2, XF_REG(2)($t0)
	sw	$3, XF_REG(3)($t0)
	sw	$4, XF_REG(4)($t0)
	sw	$5, XF_REG(5)($t0)
	sw	$6, XF_REG(6)($t0)
	sw	$7, XF_REG(7)($t0)
	sw	$11, XF_REG(11)($t0)
	sw	$12, XF_REG(12)($t0)
	sw	$13, XF_REG(13)($t0)
	sw	$14, XF_REG(14)($t0)
	sw	$15, XF_REG(15)($t0)
	sw	$24, XF_REG(24)($t0)
	sw	$25, XF_REG(25)($t0)
	sw	$31, XF_REG(31)($t0)
	mfhi	$t1
	mflo	$t2
	sw	$t1, XF_HI($t0)
	sw	$t2, XF_LO($t0)
	jal	exos_exception			/* s0-s8, gp: the C code preserves them */
	addiu	$a0, $t0, XF_FAULT
	/* sp is the frame - XF_SIZE again */
#define F(off)	(off)+XF_SIZE($sp)
	lw	$t1, F(XF_HI)
	lw	$t2, F(XF_LO)
	mthi	$t1
	mtlo	$t2
	lw	$1, F(XF_REG(1))
	lw	$2, F(XF_REG(2))
	lw	$3, F(XF_REG(3))
	lw	$4, F(XF_REG(4))
	lw	$5, F(XF_REG(5))
	lw	$6, F(XF_REG(6))
	lw	$7, F(XF_REG(7))
	lw	$11, F(XF_REG(11))
	lw	$12, F(XF_REG(12))
	lw	$13, F(XF_REG(13))
	lw	$14, F(XF_REG(14))
	lw	$15, F(XF_REG(15))
	lw	$24, F(XF_REG(24))
	lw	$25, F(XF_REG(25))
	lw	$31, F(XF_REG(31))
	/* The interrupted t0 goes back to the save area, from where the delay slot reloads it. */
	lw	$t1, F(XF_REG(8))
	addiu	$t2, $sp, XF_SIZE		/* the frame: the base from here on */
	sw	$t1, U(SA_T0)
	lw	$29, XF_REG(29)($t2)
	.globl	exos_resume_lo
exos_resume_lo:					/* no upcall from here (the frame is free) to the jump */
	sw	$t2, U(UA_EXC_SP)		/* pop the frame (nothing below can fault) */
	lw	$t1, XF_REG(9)($t2)
	lw	$t0, XF_FAULT+0($t2)		/* EPC, possibly changed by the handler */
	lw	$t2, XF_REG(10)($t2)
	.globl	exos_exc_return
exos_exc_return:
	jr	$t0
	lw	$t0, U(SA_T0)

/* slice.S's resume sequence, here to share the resume range (Aegis has one per environment):
 * it jumps here with every register but t0 restored from SA_ISAVE. */
	.globl	exos_slice_resume
exos_slice_resume:
	sw	$zero, U(SA_INUPCALL)
	lw	$t0, U(SA_IEPC)
	nop
	jr	$t0
	lw	$t0, U(SA_IREG(8))
	.globl	exos_resume_hi
exos_resume_hi:

/* Out of line: sp is at or below UA_EXC_SP.  On the exception stack (a handler's), the frame
 * goes below it; below the exception stack (not ours: the program's), at UA_EXC_SP. */
exc_sp_low:
	lui	$t0, %hi(exos_exc_stack)
	addiu	$t0, $t0, %lo(exos_exc_stack)
	subu	$t0, $sp, $t0
	bltz	$t0, 1f				/* exact: both bounds are below 2 GiB, 8 KiB apart */
	srl	$t0, $sp, 3
	sll	$t0, $t0, 3
	b	exc_frame
	addiu	$t0, $t0, -XF_SIZE
1:	lw	$t0, U(UA_EXC_SP)
	b	exc_frame
	nop
	.globl	exos_exc_end
exos_exc_end:
