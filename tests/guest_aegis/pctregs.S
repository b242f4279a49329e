/*
 * pctregs.S - a protected control transfer carries every general register
 * unchanged (Aegis touches none but k0/k1, which the kernel may always use).
 *
 * pct_all_regs(target): load a pattern into every register, sync-PCT to the
 * target; on failure restore the caller's callee-saved registers (its loop
 * keeps the target in one of them) and return the error.
 * echo_entry: the receiver's sync entry; stores every register into its
 * save-area page (reachable from $zero) before touching any, then calls
 * echo_report() in C.
 */
#include "aegis.h"
#include "o32.h"

#define ECHO_AREA   (UAREA_VADDR + 1024)
#define PAT(n)      (0x5a000000 | ((n) << 16) | (n))

	.set	noreorder
	.set	noat
	.bss
	.align	2
saved_sp:	.space	4

	.text
	.globl	pct_all_regs
pct_all_regs:
	addiu	$sp, $sp, -48
	SAVE_CALLEE_REGS
	la	$t0, saved_sp
	sw	$sp, 0($t0)
	move	$v1, $a0
	li	$1, PAT(1)
	li	$4, PAT(4)
	li	$5, PAT(5)
	li	$6, PAT(6)
	li	$7, PAT(7)
	li	$8, PAT(8)
	li	$9, PAT(9)
	li	$10, PAT(10)
	li	$11, PAT(11)
	li	$12, PAT(12)
	li	$13, PAT(13)
	li	$14, PAT(14)
	li	$15, PAT(15)
	li	$16, PAT(16)
	li	$17, PAT(17)
	li	$18, PAT(18)
	li	$19, PAT(19)
	li	$20, PAT(20)
	li	$21, PAT(21)
	li	$22, PAT(22)
	li	$23, PAT(23)
	li	$24, PAT(24)
	li	$25, PAT(25)
	li	$28, PAT(28)
	li	$29, PAT(29)
	li	$30, PAT(30)
	li	$31, PAT(31)
	li	$v0, SYS_PCT_SYNC
	syscall
	/* refused: v0 = error */
	la	$t0, saved_sp
	lw	$sp, 0($t0)
	nop
	RESTORE_CALLEE_REGS
	lw	$ra, 40($sp)
	nop
	jr	$ra
	addiu	$sp, $sp, 48

	.globl	echo_entry
echo_entry:
	sw	$1, ECHO_AREA+4*1($zero)
	sw	$2, ECHO_AREA+4*2($zero)
	sw	$3, ECHO_AREA+4*3($zero)
	sw	$4, ECHO_AREA+4*4($zero)
	sw	$5, ECHO_AREA+4*5($zero)
	sw	$6, ECHO_AREA+4*6($zero)
	sw	$7, ECHO_AREA+4*7($zero)
	sw	$8, ECHO_AREA+4*8($zero)
	sw	$9, ECHO_AREA+4*9($zero)
	sw	$10, ECHO_AREA+4*10($zero)
	sw	$11, ECHO_AREA+4*11($zero)
	sw	$12, ECHO_AREA+4*12($zero)
	sw	$13, ECHO_AREA+4*13($zero)
	sw	$14, ECHO_AREA+4*14($zero)
	sw	$15, ECHO_AREA+4*15($zero)
	sw	$16, ECHO_AREA+4*16($zero)
	sw	$17, ECHO_AREA+4*17($zero)
	sw	$18, ECHO_AREA+4*18($zero)
	sw	$19, ECHO_AREA+4*19($zero)
	sw	$20, ECHO_AREA+4*20($zero)
	sw	$21, ECHO_AREA+4*21($zero)
	sw	$22, ECHO_AREA+4*22($zero)
	sw	$23, ECHO_AREA+4*23($zero)
	sw	$24, ECHO_AREA+4*24($zero)
	sw	$25, ECHO_AREA+4*25($zero)
	sw	$28, ECHO_AREA+4*28($zero)
	sw	$29, ECHO_AREA+4*29($zero)
	sw	$30, ECHO_AREA+4*30($zero)
	sw	$31, ECHO_AREA+4*31($zero)
	la	$sp, echo_stack_top
	jal	echo_report
	nop
	b	.
	nop

	.bss
	.align	3
	.space	4096
echo_stack_top:
