/*
 * yieldregs.S - yield_check(target, seed): load a pattern derived from seed
 * into every register a directed yield promises to keep (s0-s8, gp, ra; sp
 * is checked too), yield to target with the raw system call, and check them
 * on return.  Returns a mask: bit n set if register n came back wrong, bit 0
 * if the yield did not return 0.
 */
#include "o32.h"
#include "aegis.h"

	.set	noreorder
	.set	noat
	.bss
	.align	2
saved_sp:	.space	4
saved_seed:	.space	4

	.text
	.globl	yield_check
yield_check:
	addiu	$sp, $sp, -48
	SAVE_CALLEE_REGS
	la	$t0, saved_sp
	sw	$sp, 0($t0)
	la	$t0, saved_seed
	sw	$a1, 0($t0)
	addiu	$s0, $a1, 16
	addiu	$s1, $a1, 17
	addiu	$s2, $a1, 18
	addiu	$s3, $a1, 19
	addiu	$s4, $a1, 20
	addiu	$s5, $a1, 21
	addiu	$s6, $a1, 22
	addiu	$s7, $a1, 23
	addiu	$gp, $a1, 28
	addiu	$s8, $a1, 30
	addiu	$ra, $a1, 31
	li	$v0, SYS_YIELD			/* a0 = target */
	syscall
	move	$t9, $zero
	sltu	$t9, $zero, $v0			/* bit 0: the yield's result */
	la	$t0, saved_seed
	lw	$t0, 0($t0)
	nop

	.macro	check r
	addiu	$t1, $t0, \r
	xor	$t1, $t1, $\r
	sltu	$t1, $zero, $t1
	sll	$t1, $t1, \r
	or	$t9, $t9, $t1
	.endm

	check	16
	check	17
	check	18
	check	19
	check	20
	check	21
	check	22
	check	23
	check	28
	check	30
	check	31
	la	$t0, saved_sp
	lw	$t0, 0($t0)
	nop
	xor	$t1, $t0, $sp
	sltu	$t1, $zero, $t1
	sll	$t1, $t1, 29
	or	$t9, $t9, $t1
	move	$sp, $t0			/* (in case it was wrong) */
	RESTORE_CALLEE_REGS
	lw	$ra, 40($sp)
	move	$v0, $t9
	jr	$ra
	addiu	$sp, $sp, 48
