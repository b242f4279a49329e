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
 */
#include "exos.h"

	.set	noreorder
	.set	noat
	.text
	.globl	exos_exc_entry
exos_exc_entry:
	sw	$t0, UAREA_VADDR+UA_TMP($zero)
	lw	$t0, UAREA_VADDR+UA_EXC_SP($zero)
	nop
	addiu	$t0, $t0, -XF_SIZE
	sw	$t0, UAREA_VADDR+UA_EXC_SP($zero)		/* a nested exception builds below us */
	sw	$t1, XF_FAULT+4($t0)
	sw	$t2, XF_FAULT+8($t0)
	lw	$t1, UAREA_VADDR+UA_TMP($zero)
	lw	$t2, UAREA_VADDR+SA_T0($zero)
	sw	$t1, XF_FAULT+0($t0)
	sw	$t2, XF_REG(8)($t0)
	lw	$t1, UAREA_VADDR+SA_T1($zero)
	lw	$t2, UAREA_VADDR+SA_T2($zero)
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
	sw	$29, XF_REG(29)($t0)
	sw	$31, XF_REG(31)($t0)
	mfhi	$t1
	mflo	$t2
	sw	$t1, XF_HI($t0)
	sw	$t2, XF_LO($t0)
	move	$sp, $t0			/* s0-s8, gp: the C code preserves them */
	jal	exos_exception
	addiu	$a0, $sp, XF_FAULT
	move	$t0, $sp
	lw	$t1, XF_HI($t0)
	lw	$t2, XF_LO($t0)
	mthi	$t1
	mtlo	$t2
	lw	$1, XF_REG(1)($t0)
	lw	$2, XF_REG(2)($t0)
	lw	$3, XF_REG(3)($t0)
	lw	$4, XF_REG(4)($t0)
	lw	$5, XF_REG(5)($t0)
	lw	$6, XF_REG(6)($t0)
	lw	$7, XF_REG(7)($t0)
	lw	$11, XF_REG(11)($t0)
	lw	$12, XF_REG(12)($t0)
	lw	$13, XF_REG(13)($t0)
	lw	$14, XF_REG(14)($t0)
	lw	$15, XF_REG(15)($t0)
	lw	$24, XF_REG(24)($t0)
	lw	$25, XF_REG(25)($t0)
	lw	$29, XF_REG(29)($t0)
	lw	$31, XF_REG(31)($t0)
	/* The interrupted t0 goes back to the save area, from where the delay slot reloads it. */
	lw	$t1, XF_REG(8)($t0)
	addiu	$t2, $t0, XF_SIZE
	sw	$t1, UAREA_VADDR+SA_T0($zero)
	sw	$t2, UAREA_VADDR+UA_EXC_SP($zero)		/* pop the frame (nothing below can fault) */
	lw	$t1, XF_REG(9)($t0)
	lw	$t2, XF_REG(10)($t0)
	lw	$t0, XF_FAULT+0($t0)		/* EPC, possibly changed by the handler */
	nop
	.globl	exos_exc_return
exos_exc_return:
	jr	$t0
	lw	$t0, UAREA_VADDR+SA_T0($zero)
