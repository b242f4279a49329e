/*
 * torture.S - reg_torture(seed, iterations): hold a pattern derived from
 * seed in every general register (but zero, k0/k1, sp) and in HI/LO, and
 * check them all on every iteration.  Run by two environments under a fast
 * timer, every preemption and resume must bring each one's registers back
 * exactly.  Returns 0, or the number of the first register found wrong.
 */
#include "torture.h"
	.set	noreorder
	.set	noat
	.text
	.globl	reg_torture
reg_torture:
	addiu	$sp, $sp, -64
	SAVE_CALLEE_REGS
	sw	$a1, 44($sp)			/* iterations */
	sw	$a0, 48($sp)			/* seed */

	TORTURE_SET
loop:
	TORTURE_CHECK
	TORTURE_NEXT
	TORTURE_EXITS
