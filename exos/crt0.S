/*
 * crt0.S - an ExOS program starts here, in user mode, with sp at the top of
 * its stack and a0/a1 as its creator passed them (the family namespace
 * page's number and capability; 0 for the first environment).
 */
#include "aegis.h"

	.set	noreorder
	.section .text.start, "ax"
	.globl	_start
_start:
	jal	exos_init
	addiu	$sp, $sp, -16
	jal	main
	nop
	jal	os_exit
	move	$a0, $v0
1:	b	1b
	nop
