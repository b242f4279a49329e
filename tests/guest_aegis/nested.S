/*
 * nested.S - nested_torture(seed, iterations, q): reg_torture (torture.S) with two ExOS
 * exceptions in every iteration: an overflow (the program's handler, nested.c, skips the add
 * and drops the binding of page q) and a TLB miss on q (ExOS's vm_fault maps it again).
 * Every general register (but zero, k0/k1, sp) and HI/LO hold a pattern derived from seed and
 * are checked on every iteration.  Returns 0, or the number of the first register found wrong.
 */
	.set	noreorder
	.set	noat
	.text
	.globl	nested_torture
nested_torture:
	addiu	$sp, $sp, -64
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
	sw	$a1, 44($sp)			/* iterations */
	sw	$a0, 48($sp)			/* seed */
	sw	$a2, 52($sp)			/* q */

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
loop:
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
	lui	$a0, 0x7fff
	ori	$a0, $a0, 0xffff
	add	$a0, $a0, $a0			/* Ov: skipped by the handler, which unmaps q */
	lw	$a0, 52($sp)
	nop
	lw	$a0, 0($a0)			/* a TLB miss on q: ExOS's page-fault path */
	lw	$a0, 44($sp)			/* count down in memory: no register to spare */
	nop
	addiu	$a0, $a0, -1
	sw	$a0, 44($sp)
	beqz	$a0, done
	nop
	lw	$a0, 48($sp)
	b	loop
	nop

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
	jr	$ra
	addiu	$sp, $sp, 64
