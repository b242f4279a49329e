/*
 * o32.h - assembler macros for the o32 calling convention, for guest assembly that
 * must keep the caller's callee-saved registers: SAVE_CALLEE_REGS stores s0-s8, gp
 * and ra at 0..40(sp) (the caller has made at least 44 bytes of frame);
 * RESTORE_CALLEE_REGS reloads s0-s8 and gp (ra is left to the caller, which may want
 * it earlier or later).
 */
#ifndef EXOBENCH_GUEST_O32_H
#define EXOBENCH_GUEST_O32_H
#ifdef __ASSEMBLER__
	.macro	SAVE_CALLEE_REGS
	sw	$s0, 0($sp)
	sw	$s1, 4($sp)
	sw	$s2, 8($sp)
	sw	$s3, 12($sp)
	sw	$s4, 16($sp)
	sw	$s5, 20($sp)
	sw	$s6, 24($sp)
	sw	$s7, 28($sp)
	sw	$s8, 32($sp)
	sw	$gp, 36($sp)
	sw	$ra, 40($sp)
	.endm

	.macro	RESTORE_CALLEE_REGS
	lw	$s0, 0($sp)
	lw	$s1, 4($sp)
	lw	$s2, 8($sp)
	lw	$s3, 12($sp)
	lw	$s4, 16($sp)
	lw	$s5, 20($sp)
	lw	$s6, 24($sp)
	lw	$s7, 28($sp)
	lw	$s8, 32($sp)
	lw	$gp, 36($sp)
	.endm
#endif
#endif
