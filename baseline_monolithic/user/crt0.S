/*
 * crt0.S - user process entry on the baseline.  The kernel starts us at the
 * ELF entry with sp = USRSTACK and .bss already zero (the loader zero-fills
 * memsz beyond filesz); main's return value is the exit status.
 */
	.set	noreorder
	.section .text.start, "ax"
	.globl	_start
	.ent	_start
_start:
	addiu	$sp, $sp, -16		/* o32 argument save area for main */
	jal	main
	nop
	jal	os_exit
	move	$a0, $v0
	.end	_start
