/*
 * nested.S - nested_torture(seed, iterations, q): reg_torture (torture.S) with two ExOS
 * exceptions in every iteration: an overflow (the program's handler, nested.c, skips the add
 * and drops the binding of page q) and a TLB miss on q (ExOS's vm_fault maps it again).
 * Every general register (but zero, k0/k1, sp) and HI/LO hold a pattern derived from seed and
 * are checked on every iteration.  Returns 0, or the number of the first register found wrong.
 */
#include "torture.h"
	.set	noreorder
	.set	noat
	.text
	.globl	nested_torture
nested_torture:
	addiu	$sp, $sp, -64
	SAVE_CALLEE_REGS
	sw	$a1, 44($sp)			/* iterations */
	sw	$a0, 48($sp)			/* seed */
	sw	$a2, 52($sp)			/* q */

	TORTURE_SET
loop:
	TORTURE_CHECK
	lui	$a0, 0x7fff
	ori	$a0, $a0, 0xffff
	add	$a0, $a0, $a0			/* Ov: skipped by the handler, which unmaps q */
	lw	$a0, 52($sp)
	nop
	lw	$a0, 0($a0)			/* a TLB miss on q: ExOS's page-fault path */
	TORTURE_NEXT
	TORTURE_EXITS
