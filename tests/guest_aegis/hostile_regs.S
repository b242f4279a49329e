/*
 * hostile_regs.S - leak_probe(num, a0, a1, out): load a pattern into every register a
 * system call's caller gives up (0x0bad0000 + the register's number; hi/lo 0x0bad0020/21),
 * make system call `num` with a0/a1, and store every register and hi/lo as the kernel left
 * them into out[34] (tests/guest_aegis/hostile.c checks them for kernel or foreign values).
 */
#include "o32.h"
#include "aegis.h"

	.set	noreorder
	.set	noat
	.text
	.globl	leak_probe
leak_probe:
	addiu	$sp, $sp, -192
	SAVE_CALLEE_REGS
	sw	$a3, 44($sp)			/* out */
	move	$v0, $a0
	move	$a0, $a1
	move	$a1, $a2
	lui	$k0, 0x0bad
	ori	$k1, $k0, 0x21
	mtlo	$k1
	ori	$k1, $k0, 0x20
	mthi	$k1
	ori	$1, $k0, 1
	ori	$3, $k0, 3
	move	$a2, $zero			/* a2: the third argument, 0 (DPF_ENGINE_DPF) */
	ori	$7, $k0, 7
	ori	$8, $k0, 8
	ori	$9, $k0, 9
	ori	$10, $k0, 10
	ori	$11, $k0, 11
	ori	$12, $k0, 12
	ori	$13, $k0, 13
	ori	$14, $k0, 14
	ori	$15, $k0, 15
	ori	$24, $k0, 24
	ori	$25, $k0, 25
	ori	$27, $k0, 27
	ori	$k0, $k0, 26
	syscall
	sw	$1, 52($sp)
	sw	$2, 56($sp)
	sw	$3, 60($sp)
	sw	$4, 64($sp)
	sw	$5, 68($sp)
	sw	$6, 72($sp)
	sw	$7, 76($sp)
	sw	$8, 80($sp)
	sw	$9, 84($sp)
	sw	$10, 88($sp)
	sw	$11, 92($sp)
	sw	$12, 96($sp)
	sw	$13, 100($sp)
	sw	$14, 104($sp)
	sw	$15, 108($sp)
	sw	$16, 112($sp)
	sw	$17, 116($sp)
	sw	$18, 120($sp)
	sw	$19, 124($sp)
	sw	$20, 128($sp)
	sw	$21, 132($sp)
	sw	$22, 136($sp)
	sw	$23, 140($sp)
	sw	$24, 144($sp)
	sw	$25, 148($sp)
	sw	$26, 152($sp)
	sw	$27, 156($sp)
	sw	$28, 160($sp)
	sw	$29, 164($sp)
	sw	$30, 168($sp)
	sw	$31, 172($sp)
	mfhi	$t0
	mflo	$t1
	sw	$t0, 176($sp)
	sw	$t1, 180($sp)
	lw	$t2, 44($sp)			/* out */
	addiu	$t0, $sp, 48
	li	$t1, 34
1:	lw	$t3, 0($t0)
	addiu	$t1, $t1, -1
	sw	$t3, 0($t2)
	addiu	$t0, $t0, 4
	bnez	$t1, 1b
	addiu	$t2, $t2, 4
	RESTORE_CALLEE_REGS
	lw	$ra, 40($sp)
	addiu	$sp, $sp, 192
	jr	$ra
	move	$v0, $zero
