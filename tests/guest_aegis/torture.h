/*
 * torture.h - the register torture loop shared by torture.S and nested.S: every general
 * register (but zero, k0/k1, sp, a0) and HI/LO hold seed + register number; the frame
 * keeps s0-s8/gp/ra at 0..40(sp), the iteration count at 44(sp) and the seed at 48(sp).
 * TORTURE_SET loads the pattern, TORTURE_CHECK compares every register (a0 is the only
 * scratch), TORTURE_NEXT counts down and goes back to `loop`, TORTURE_EXITS holds the
 * bad_<r>/done/out exits (returning the first wrong register's number, 32/33 for HI/LO,
 * or 0) and the epilogue of a 64-byte frame.
 */
#include "o32.h"

	.macro	TORTURE_SET
	lw	$a0, 48($sp)
	nop
	addu	$1, $a0, 1
	addu	$2, $a0, 2
	addu	$3, $a0, 3
	addu	$5, $a0, 5
	addu	$6, $a0, 6
	addu	$7, $a0, 7
	addu	$8, $a0, 8
	addu	$9, $a0, 9
	addu	$10, $a0, 10
	addu	$11, $a0, 11
	addu	$12, $a0, 12
	addu	$13, $a0, 13
	addu	$14, $a0, 14
	addu	$15, $a0, 15
	addu	$16, $a0, 16
	addu	$17, $a0, 17
	addu	$18, $a0, 18
	addu	$19, $a0, 19
	addu	$20, $a0, 20
	addu	$21, $a0, 21
	addu	$22, $a0, 22
	addu	$23, $a0, 23
	addu	$24, $a0, 24
	addu	$25, $a0, 25
	addu	$28, $a0, 28
	addu	$30, $a0, 30
	addu	$31, $a0, 31
	mthi	$30
	mtlo	$31
	.endm

	.macro	TORTURE_CHECK
	/* a0 = the seed and the only scratch: compare each r with seed + r. */
	.irp	r, 1,2,3,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,28,30,31
	addiu	$a0, $a0, \r
	bne	$a0, $\r, bad_\r
	addiu	$a0, $a0, -\r
	.endr
	mfhi	$a0
	bne	$a0, $30, bad_hi
	nop
	mflo	$a0
	bne	$a0, $31, bad_lo
	nop
	.endm

	.macro	TORTURE_NEXT
	lw	$a0, 44($sp)			/* count down in memory: no register to spare */
	nop
	addiu	$a0, $a0, -1
	sw	$a0, 44($sp)
	beqz	$a0, done
	nop
	lw	$a0, 48($sp)
	b	loop
	nop

	.endm

	.macro	TORTURE_EXITS
	.irp	r, 1,2,3,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,28,30,31
bad_\r:
	b	out
	li	$v0, \r
	.endr
bad_hi:
	b	out
	li	$v0, 32
bad_lo:
	b	out
	li	$v0, 33
done:
	move	$v0, $zero
out:
	lw	$ra, 40($sp)
	RESTORE_CALLEE_REGS
	jr	$ra
	addiu	$sp, $sp, 64
	.endm
