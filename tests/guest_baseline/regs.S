/*
 * regs.S - regcheck(addr): load every general register (but zero, k0/k1, sp
 * and a0, which holds addr) and HI/LO with a known pattern, store to addr --
 * which the caller has write-protected, so a signal handler runs and
 * unprotects it -- then dump every register and HI/LO to addr[0..33] so C
 * can check that sigreturn restored them all.  regcheck_store is the
 * faulting store.
 */
#include "o32.h"
#define PAT(r) (0xa5000000 + (r) * 0x00010101)
	.set	noreorder
	.set	noat
	.text
	.globl	regcheck
	.ent	regcheck
regcheck:
	addiu	$sp, $sp, -48
	SAVE_CALLEE_REGS
	li	$t0, PAT(32)
	mthi	$t0
	li	$t0, PAT(33)
	mtlo	$t0
	li	$at, PAT(1)
	li	$v0, PAT(2)
	li	$v1, PAT(3)
	li	$a1, PAT(5)
	li	$a2, PAT(6)
	li	$a3, PAT(7)
	li	$t0, PAT(8)
	li	$t1, PAT(9)
	li	$t2, PAT(10)
	li	$t3, PAT(11)
	li	$t4, PAT(12)
	li	$t5, PAT(13)
	li	$t6, PAT(14)
	li	$t7, PAT(15)
	li	$s0, PAT(16)
	li	$s1, PAT(17)
	li	$s2, PAT(18)
	li	$s3, PAT(19)
	li	$s4, PAT(20)
	li	$s5, PAT(21)
	li	$s6, PAT(22)
	li	$s7, PAT(23)
	li	$t8, PAT(24)
	li	$t9, PAT(25)
	li	$gp, PAT(28)
	li	$s8, PAT(30)
	li	$ra, PAT(31)
	.globl	regcheck_store
regcheck_store:
	sw	$zero, 0($a0)
	sw	$at, 4($a0)
	sw	$v0, 8($a0)
	sw	$v1, 12($a0)
	sw	$a0, 16($a0)
	sw	$a1, 20($a0)
	sw	$a2, 24($a0)
	sw	$a3, 28($a0)
	sw	$t0, 32($a0)
	sw	$t1, 36($a0)
	sw	$t2, 40($a0)
	sw	$t3, 44($a0)
	sw	$t4, 48($a0)
	sw	$t5, 52($a0)
	sw	$t6, 56($a0)
	sw	$t7, 60($a0)
	sw	$s0, 64($a0)
	sw	$s1, 68($a0)
	sw	$s2, 72($a0)
	sw	$s3, 76($a0)
	sw	$s4, 80($a0)
	sw	$s5, 84($a0)
	sw	$s6, 88($a0)
	sw	$s7, 92($a0)
	sw	$t8, 96($a0)
	sw	$t9, 100($a0)
	sw	$gp, 112($a0)
	sw	$sp, 116($a0)
	sw	$s8, 120($a0)
	sw	$ra, 124($a0)
	mfhi	$t0
	sw	$t0, 128($a0)
	mflo	$t0
	sw	$t0, 132($a0)
	lw	$ra, 40($sp)
	RESTORE_CALLEE_REGS
	j	$ra
	addiu	$sp, $sp, 48
	.end	regcheck

/*
 * straddle(sp): run an overflowing add with sp = the given value, so that
 * the kernel's sigcontext (300 bytes below sp) straddles a page boundary;
 * the caller's handler skips the add.  straddle_insn is the add.
 */
	.globl	straddle
	.ent	straddle
straddle:
	lui	$t0, %hi(saved_sp)
	sw	$sp, %lo(saved_sp)($t0)
	move	$sp, $a0
	lui	$t1, 0x7fff
	.globl	straddle_insn
straddle_insn:
	add	$t2, $t1, $t1
	lui	$t0, %hi(saved_sp)
	lw	$sp, %lo(saved_sp)($t0)
	j	$ra
	nop
	.end	straddle

	.data
saved_sp:
	.word	0
