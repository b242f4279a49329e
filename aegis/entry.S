/*
 * entry.S - where the boot loader starts Aegis: a0 = kseg0 address of the
 * boot-info block, Status = BEV.  Set up the kernel stack and go to C.
 * The exception vectors are already at 0x80000000/0x80000080 (kernel.ld
 * links them there); kmain clears BEV once the kernel state they use is
 * initialised.
 */
#include "aegis.h"

	.set	noreorder
	.section .text.start, "ax"
	.globl	_start
_start:
	lui	$sp, %hi(kstack_top)
	addiu	$sp, $sp, %lo(kstack_top)
	jal	kmain
	addiu	$sp, $sp, -16
1:	b	1b				/* kmain does not return */
	nop

	/* For kernel.ld's placement checks: the vectors named in r3000.h. */
	.globl	vec_utlb_addr, vec_general_addr
	.set	vec_utlb_addr, VEC_UTLB
	.set	vec_general_addr, VEC_GENERAL

	.bss
	.align	4
	.globl	kstack, kstack_top
kstack:
	.space	16384
kstack_top:
