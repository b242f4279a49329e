/*
 * ash_call.S - enter a verified application-specific handler (ash.c) and come back.
 *
 * uint64_t ash_call(void *msg, uint32_t len, void *data, const uint32_t *code)
 *
 * The handler runs in kernel mode with interrupts off (it is called from the
 * kernel's receive path), as a leaf function: a0 = the message buffer, a1 = the
 * frame's length, a2 = the owner's data region, a3 = 0; it returns v0 (the
 * ASH_* actions) and v1 (their argument) with `jr ra`.  The verifier (ash.c)
 * proved that it never writes a0, a2 or ra, ends at this return point, and
 * cannot fault; it may write every other register.  So the kernel's callee-saved
 * registers, gp and sp are kept here (a static area: one handler at a time, with
 * interrupts off), and every register but the four arguments, ra and t9 (the
 * handler's own address) is cleared first: no kernel value reaches the handler.
 */
#include "aegis.h"

	.set	noreorder
	.set	noat
	.text

	.globl	ash_call
ash_call:
	lui	$t0, %hi(ash_save)
	addiu	$t0, $t0, %lo(ash_save)
	sw	$s0, 0($t0)
	sw	$s1, 4($t0)
	sw	$s2, 8($t0)
	sw	$s3, 12($t0)
	sw	$s4, 16($t0)
	sw	$s5, 20($t0)
	sw	$s6, 24($t0)
	sw	$s7, 28($t0)
	sw	$s8, 32($t0)
	sw	$gp, 36($t0)
	sw	$sp, 40($t0)
	sw	$ra, 44($t0)
	sw	$k1, 48($t0)			/* sys_c's return address (trap.S) */
	move	$t9, $a3
	move	$a3, $zero
	.irp	r, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 26, 27, 28, 29
	move	$\r, $zero
	.endr
	jalr	$t9
	move	$30, $zero			/* (delay slot) */
	lui	$t0, %hi(ash_save)
	addiu	$t0, $t0, %lo(ash_save)
	lw	$ra, 44($t0)
	lw	$s0, 0($t0)
	lw	$s1, 4($t0)
	lw	$s2, 8($t0)
	lw	$s3, 12($t0)
	lw	$s4, 16($t0)
	lw	$s5, 20($t0)
	lw	$s6, 24($t0)
	lw	$s7, 28($t0)
	lw	$s8, 32($t0)
	lw	$gp, 36($t0)
	lw	$k1, 48($t0)
	lw	$sp, 40($t0)
	jr	$ra
	nop

	.data
	.align	2
ash_save:
	.space	52
