/*
 * pct.S - protected control transfer.
 *
 * v1 names the callee.  No general register is read beyond v1 or written
 * (they carry the message); only k0/k1 and CP0 are used.  The transfer
 * installs the callee's address space (ASID) and makes it current, and
 * enters it in user mode at its sync or async entry PC.  The caller's
 * registers are not saved: its context is now its library OS's business
 * (a context the kernel saved earlier, at a preemption the caller was
 * resumed from, was consumed then: see env_run_cur).  Neither is the
 * callee's: a context saved when it was preempted stays, to be resumed
 * by the scheduler later -- which is why a PCT into an environment that
 * has a saved context (it was preempted or yielded, it is not waiting for
 * a transfer) is refused with AE_EBUSY: entering it would stack a second
 * activation on a context the kernel keeps only one of.  Sync also donates the
 * current time slice: the slot's owner becomes the callee until someone
 * transfers back.  Failure (no such environment, or no entry PC) returns
 * AE_ESRCH in v0 to the caller.
 */
#include "aegis.h"

	.set	noreorder
	.set	noat
	.text

	.macro	pct entry_off
	andi	$k0, $v1, NENV - 1		/* the id's slot */
	sll	$k0, $k0, ENV_SHIFT
	lui	$k1, %hi(envs)
	addu	$k0, $k0, $k1			/* callee */
	lw	$k1, %lo(envs + ENV_ID)($k0)	/* envs is 64 KiB aligned: %lo is 0 */
	nop
	bne	$k1, $v1, pct_bad		/* no such environment (an old id, or never one) */
	lw	$k1, ENV_TFVALID($k0)		/* it has a saved context (not TF_NONE): busy */
	nop
	bnez	$k1, pct_busy
	lw	$k1, \entry_off($k0)		/* 0 for a free env or no entry */
	nop
	beqz	$k1, pct_bad
	lui	$k1, %hi(curenv)		/* curenv and cur_slot share a %hi (kernel.ld) */
	sw	$k0, %lo(curenv)($k1)
	.endm

	/* Enter the callee's address space at its entry PC (k0 = callee). */
	.macro	enter entry_off
	lw	$k1, ENV_ASIDHI($k0)
	nop
	mtc0	$k1, $C0_ENTRYHI
	lw	$k1, \entry_off($k0)
	move	$k0, $zero			/* (the load delay) the callee's env is no user value */
	jr	$k1
	rfe
	.endm

	.globl	sys_pct_sync
sys_pct_sync:
	pct	ENV_SYNC_PC
	lw	$k1, %lo(cur_slot)($k1)		/* donate the slice */
	nop
	sw	$k0, SLOT_OWNER($k1)
	enter	ENV_SYNC_PC

	.globl	sys_pct_async
sys_pct_async:
	pct	ENV_ASYNC_PC
	enter	ENV_ASYNC_PC

pct_busy:
	mfc0	$k0, $C0_EPC
	li	$v0, AE_EBUSY
	move	$k1, $zero			/* k1 held the callee's state */
	addiu	$k0, $k0, 4
	jr	$k0
	rfe

pct_bad:
	mfc0	$k0, $C0_EPC
	li	$v0, AE_ESRCH
	move	$k1, $zero			/* k1 held another environment's id or entry */
	addiu	$k0, $k0, 4
	jr	$k0
	rfe
