/*
 * o32.h - assembler macros for the o32 calling convention, for guest assembly that
 * must keep the caller's callee-saved registers (s0-s8, gp, sp, and ra to return to):
 *
 * SAVE_CALLEE_REGS stores s0-s8, gp and ra at 0..40(sp) (the caller has made at least
 * 44 bytes of frame); RESTORE_CALLEE_REGS reloads s0-s8 and gp (ra is left to the
 * caller, which may want it earlier or later).
 *
 * SAVE_CALLEE_REGS_REGFILE base, off stores all of them, sp included, into a
 * register-file image indexed by register number -- register n at off + 4 * n from
 * base -- the layout of a kernel's saved context (Aegis's tf).  O32_CALLEE_REGNUMS is
 * that set by number, in the order the macro stores it, for code that does something
 * else per register (`.irp r, O32_CALLEE_REGNUMS`).
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

#define O32_CALLEE_REGNUMS 16, 17, 18, 19, 20, 21, 22, 23, 28, 29, 30, 31   /* s0-s7, gp, sp, s8, ra */

	.macro	SAVE_CALLEE_REGS_REGFILE base, off
	.irp	r, O32_CALLEE_REGNUMS
	sw	$\r, (\off + 4 * \r)(\base)
	.endr
	.endm
#endif
#endif
