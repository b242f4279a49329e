/*
 * crt0.S - entry of the bare-metal guests (tests and the emulator-speed benchmark) (linked by link.ld, kernel mode, kseg0).
 *
 * Sets up the stack, zeroes .bss, calls main, and hands main's return value to the
 * board's HALT register (through kseg1, uncached) as the exit code.  a0/a1 from the
 * boot convention (boot-info block, BOOTINFO_MAGIC; see board.h) are left untouched,
 * so main may declare them.  Register addresses come from board.h only.
 */
#include "board.h"

	.set	noreorder
	.section .text.start, "ax"
	.globl	_start
	.ent	_start
_start:
	la	$sp, _stack_top
	addiu	$sp, $sp, -16		/* o32: the callee may spill a0-a3 into our frame */
	la	$t0, _bss_start
	la	$t1, _bss_end
1:	beq	$t0, $t1, 2f
	nop
	sw	$zero, 0($t0)
	b	1b
	addiu	$t0, $t0, 4		/* delay slot */
2:	jal	main
	nop
	li	$t0, BOARD_KSEG1
	sw	$v0, BOARD_HALT($t0)
	.globl	_halt
_halt:					/* HALT stops the machine; never get here (unicorn runs stop here) */
	b	_halt
	nop
	.end	_start
