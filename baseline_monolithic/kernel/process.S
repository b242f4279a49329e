/*
 * process.S - save()/resume() for the context switch and setjmp()/longjmp()
 * for system-call interruption.  Models Ultrix 4.2 sys/machine/mips/process.s.
 */
#include "kern.h"

	.set	noreorder

/* save(label_t *l): callee-saved registers, sp, ra and SR; returns 0.
 * resume() of this process later returns 1 from here. */
	.globl	save
	.ent	save
save:
	mfc0	$v0, $C0_STATUS
	sw	$s0, PCB_S0+0($a0)
	sw	$s1, PCB_S0+4($a0)
	sw	$s2, PCB_S0+8($a0)
	sw	$s3, PCB_S0+12($a0)
	sw	$s4, PCB_S0+16($a0)
	sw	$s5, PCB_S0+20($a0)
	sw	$s6, PCB_S0+24($a0)
	sw	$s7, PCB_S0+28($a0)
	sw	$s8, PCB_S8($a0)
	sw	$sp, PCB_SP($a0)
	sw	$ra, PCB_RA($a0)
	sw	$v0, PCB_SR($a0)
	j	$ra
	move	$v0, $zero
	.end	save

/*
 * resume(struct proc *p): make p current.  Rewrite wired entry 0 (u page)
 * and 1 (kernel stack) at their fixed kseg2 addresses, then the NPAGEMAP
 * cached page-table-window mappings (entries 2..7) tagged with p's ASID,
 * leave EntryHi holding p's ASID, and return 1 from p's save() through the
 * pcb in p's u page -- which the rewritten entry 0 now maps at UADDR.  No
 * stack use between the rewrite of entry 1 and the restore: sp's page
 * changes under us: interrupts are off from the first instruction.
 */
	.globl	resume
	.ent	resume
resume:
	mtc0	$zero, $C0_STATUS	/* disable interrupts (the caller's spl is in the pcb SR) */
	lw	$t0, P_UPTE($a0)
	li	$t1, UADDR
	li	$t2, TLBWIRED_UPAGE << INDEX_SHIFT
	mtc0	$t1, $C0_ENTRYHI
	mtc0	$t0, $C0_ENTRYLO
	mtc0	$t2, $C0_INDEX
	nop
	tlbwi
	lw	$t0, P_KSPTE($a0)
	li	$t1, KSTACKADDR
	li	$t2, TLBWIRED_KSTACK << INDEX_SHIFT
	mtc0	$t1, $C0_ENTRYHI
	mtc0	$t0, $C0_ENTRYLO
	mtc0	$t2, $C0_INDEX
	nop
	tlbwi
	lw	$t3, P_ASID($a0)
	addiu	$t4, $a0, P_TLBHI
	sll	$t3, $t3, ENTRYHI_ASID_SHIFT
	li	$t2, TLBWIRED_PTMAP << INDEX_SHIFT
	li	$t5, (TLBWIRED_PTMAP + NPAGEMAP) << INDEX_SHIFT
1:	lw	$t0, 0($t4)		/* window VPN, or a unique kseg0 VPN for an empty slot */
	lw	$t1, 4*NPAGEMAP($t4)
	or	$t0, $t0, $t3
	mtc0	$t0, $C0_ENTRYHI
	mtc0	$t1, $C0_ENTRYLO
	mtc0	$t2, $C0_INDEX
	addiu	$t4, $t4, 4
	addiu	$t2, $t2, 1 << INDEX_SHIFT
	bne	$t2, $t5, 1b
	tlbwi				/* (delay) */
	mtc0	$t3, $C0_ENTRYHI	/* the current ASID is p's */
	li	$a0, UADDR		/* u.u_pcb is at offset 0 of the u page */
	lw	$s0, PCB_S0+0($a0)
	lw	$s1, PCB_S0+4($a0)
	lw	$s2, PCB_S0+8($a0)
	lw	$s3, PCB_S0+12($a0)
	lw	$s4, PCB_S0+16($a0)
	lw	$s5, PCB_S0+20($a0)
	lw	$s6, PCB_S0+24($a0)
	lw	$s7, PCB_S0+28($a0)
	lw	$s8, PCB_S8($a0)
	lw	$sp, PCB_SP($a0)
	lw	$ra, PCB_RA($a0)
	lw	$v0, PCB_SR($a0)
	nop
	mtc0	$v0, $C0_STATUS
	j	$ra
	li	$v0, 1
	.end	resume

/* setjmp/longjmp on a label_t: Ultrix sets u.u_qsave on every system call
 * so that sleep() can abandon it when a signal arrives. */
	.globl	setjmp
	.ent	setjmp
setjmp:
	sw	$s0, PCB_S0+0($a0)
	sw	$s1, PCB_S0+4($a0)
	sw	$s2, PCB_S0+8($a0)
	sw	$s3, PCB_S0+12($a0)
	sw	$s4, PCB_S0+16($a0)
	sw	$s5, PCB_S0+20($a0)
	sw	$s6, PCB_S0+24($a0)
	sw	$s7, PCB_S0+28($a0)
	sw	$s8, PCB_S8($a0)
	sw	$sp, PCB_SP($a0)
	sw	$ra, PCB_RA($a0)
	j	$ra
	move	$v0, $zero
	.end	setjmp

	.globl	longjmp
	.ent	longjmp
longjmp:
	lw	$ra, PCB_RA($a0)	/* first: not in the delay slot of the j below */
	lw	$s0, PCB_S0+0($a0)
	lw	$s1, PCB_S0+4($a0)
	lw	$s2, PCB_S0+8($a0)
	lw	$s3, PCB_S0+12($a0)
	lw	$s4, PCB_S0+16($a0)
	lw	$s5, PCB_S0+20($a0)
	lw	$s6, PCB_S0+24($a0)
	lw	$s7, PCB_S0+28($a0)
	lw	$s8, PCB_S8($a0)
	lw	$sp, PCB_SP($a0)
	j	$ra
	li	$v0, 1
	.end	longjmp
