/*
 * locore.S - the exception vectors, the UTLB refill handler, the general
 * exception entry/exit and the boot entry of the baseline kernel.
 *
 * Models Ultrix 4.2 sys/machine/mips/locore.s (`exception`, `exception_exit`,
 * `VEC_*`) and tlb.s (`utlbmiss`); see docs/references.md#ultrix-42-paths.
 * The linker script places .text.utlb at VEC_UTLB and .text.exc at
 * VEC_GENERAL, so nothing is copied at boot.
 */
#include "kern.h"

	.set	noreorder
	.set	noat

/*
 * utlbmiss: a kuseg reference with no matching TLB entry.  Context holds
 * PTEBase (KPTEBASE, set once at boot) | BadVPN<<2, i.e. the kseg2 address
 * of this page's PTE in the current process's linear page table.  One load,
 * shift the software PTE into EntryLo format, tlbwr, return: Ultrix's ten
 * instructions.  An invalid PTE is written as-is; the retried reference then
 * faults to the general vector (V=0) and vm_fault() sorts it out.  If the
 * page-table page itself is not in the TLB, the `lw` takes a nested TLBL at
 * the general vector with EPC inside this handler and the user EPC in k1;
 * trap() -> vm_ptmiss() handles that (Ultrix tlbmiss()).
 */
	.section .text.utlb, "ax"
	.globl	utlbmiss
	.ent	utlbmiss
utlbmiss:
	mfc0	$k0, $C0_CONTEXT
	mfc0	$k1, $C0_EPC
	lw	$k0, 0($k0)		/* may miss in kseg2: nested exception */
	nop
	sll	$k0, $k0, 8		/* software PTE -> EntryLo */
	mtc0	$k0, $C0_ENTRYLO
	nop
	tlbwr
	j	$k1
	rfe
	.globl	eutlbmiss
eutlbmiss:
	.end	utlbmiss

/*
 * exception: every other exception.  Ultrix keeps a "on the kernel stack"
 * flag; when it is clear we came from user mode (or from utlbmiss, which
 * runs on the user's sp) and switch to the u-area's kernel stack at the
 * fixed address KERNELSTACK.  Then a full trapframe (every GPR but zero/k0,
 * SR, LO, HI, BadVAddr, Cause, EPC) goes on the stack and trap() gets it.
 */
	.section .text.exc, "ax"
	.globl	exception
	.ent	exception
exception:
	lui	$k0, %hi(onkstack)
	lw	$k0, %lo(onkstack)($k0)
	nop
	bne	$k0, $zero, 1f		/* already in the kernel: nest below sp */
	move	$k0, $sp		/* (delay) the interrupted sp */
	li	$sp, KERNELSTACK		/* 0xffffe000 sign-extends: one addiu */
1:	addiu	$sp, $sp, -TF_SIZE
	sw	$k0, TF_REG(29)($sp)
	sw	$AT, TF_REG(1)($sp)
	li	$AT, 1
	lui	$k0, %hi(onkstack)
	sw	$AT, %lo(onkstack)($k0)
	sw	$v0, TF_REG(2)($sp)
	sw	$v1, TF_REG(3)($sp)
	sw	$a0, TF_REG(4)($sp)
	sw	$a1, TF_REG(5)($sp)
	sw	$a2, TF_REG(6)($sp)
	sw	$a3, TF_REG(7)($sp)
	sw	$t0, TF_REG(8)($sp)
	sw	$t1, TF_REG(9)($sp)
	sw	$t2, TF_REG(10)($sp)
	sw	$t3, TF_REG(11)($sp)
	sw	$t4, TF_REG(12)($sp)
	sw	$t5, TF_REG(13)($sp)
	sw	$t6, TF_REG(14)($sp)
	sw	$t7, TF_REG(15)($sp)
	sw	$s0, TF_REG(16)($sp)
	sw	$s1, TF_REG(17)($sp)
	sw	$s2, TF_REG(18)($sp)
	sw	$s3, TF_REG(19)($sp)
	sw	$s4, TF_REG(20)($sp)
	sw	$s5, TF_REG(21)($sp)
	sw	$s6, TF_REG(22)($sp)
	sw	$s7, TF_REG(23)($sp)
	sw	$t8, TF_REG(24)($sp)
	sw	$t9, TF_REG(25)($sp)
	sw	$k1, TF_REG(27)($sp)	/* utlbmiss's saved user EPC, for vm_ptmiss() */
	sw	$gp, TF_REG(28)($sp)
	sw	$s8, TF_REG(30)($sp)
	sw	$ra, TF_REG(31)($sp)
	mflo	$t0
	mfhi	$t1
	mfc0	$t2, $C0_STATUS
	mfc0	$t3, $C0_CAUSE
	mfc0	$t4, $C0_BADVADDR
	mfc0	$t5, $C0_EPC
	sw	$t0, TF_LO($sp)
	sw	$t1, TF_HI($sp)
	sw	$t2, TF_SR($sp)
	sw	$t3, TF_CAUSE($sp)
	sw	$t4, TF_BADVADDR($sp)
	sw	$t5, TF_EPC($sp)
	/* Dispatch on ExcCode through causevec (Ultrix: `lw a2, causevec(k1);
	 * j a2`): syscall() for Sys, trap() for everything else. */
	andi	$t6, $t3, CAUSE_EXC_MASK	/* ExcCode * 4: the table offset */
	lui	$t7, %hi(causevec)
	addu	$t7, $t7, $t6
	lw	$t7, %lo(causevec)($t7)
	nop
	jalr	$t7
	move	$a0, $sp		/* (delay) handler(tf) */
	/* fall through to exception_exit */
	.end	exception

/*
 * exception_exit: sp points at a trapframe.  trap()/syscall() have run the
 * return-to-user checks (pending signals via psig(), rescheduling via
 * swtch(), Ultrix's pcb_resched/SEXC_RESCHED), so this only restores.
 * Every register comes back from the frame (Ultrix's full_restore; the
 * syscall path restores everything too, see DEPARTURES in README.md).
 */
	.globl	exception_exit
	.ent	exception_exit
exception_exit:
	mtc0	$zero, $C0_STATUS	/* interrupts off: a system call ran with them on */
	lw	$t0, TF_LO($sp)
	lw	$t1, TF_HI($sp)
	lw	$k1, TF_SR($sp)
	mtlo	$t0
	mthi	$t1
	andi	$k0, $k1, SR_KUP
	beq	$k0, $zero, 1f		/* back to the kernel: stay on the kernel stack */
	nop
	lui	$k0, %hi(onkstack)
	sw	$zero, %lo(onkstack)($k0)
1:	mtc0	$k1, $C0_STATUS		/* IEc is 0 in the frame's current bits: still masked */
	lw	$AT, TF_REG(1)($sp)
	lw	$v0, TF_REG(2)($sp)
	lw	$v1, TF_REG(3)($sp)
	lw	$a0, TF_REG(4)($sp)
	lw	$a1, TF_REG(5)($sp)
	lw	$a2, TF_REG(6)($sp)
	lw	$a3, TF_REG(7)($sp)
	lw	$t0, TF_REG(8)($sp)
	lw	$t1, TF_REG(9)($sp)
	lw	$t2, TF_REG(10)($sp)
	lw	$t3, TF_REG(11)($sp)
	lw	$t4, TF_REG(12)($sp)
	lw	$t5, TF_REG(13)($sp)
	lw	$t6, TF_REG(14)($sp)
	lw	$t7, TF_REG(15)($sp)
	lw	$s0, TF_REG(16)($sp)
	lw	$s1, TF_REG(17)($sp)
	lw	$s2, TF_REG(18)($sp)
	lw	$s3, TF_REG(19)($sp)
	lw	$s4, TF_REG(20)($sp)
	lw	$s5, TF_REG(21)($sp)
	lw	$s6, TF_REG(22)($sp)
	lw	$s7, TF_REG(23)($sp)
	lw	$t8, TF_REG(24)($sp)
	lw	$t9, TF_REG(25)($sp)
	lw	$gp, TF_REG(28)($sp)
	lw	$s8, TF_REG(30)($sp)
	lw	$ra, TF_REG(31)($sp)
	lw	$k0, TF_EPC($sp)
	lw	$sp, TF_REG(29)($sp)
	j	$k0
	rfe
	.end	exception_exit

	.section .rodata
	.align	2
causevec:
	.word	trap, trap, trap, trap, trap, trap, trap, trap	/* Int Mod TLBL TLBS AdEL AdES IBE DBE */
	.word	syscall, trap, trap, trap, trap, trap, trap, trap	/* Sys Bp RI CpU Ov - - - */

	.text
/*
 * proc_trampoline: where a new process's first resume() lands (its pcb's
 * ra).  proc_create() built a trapframe at the top of its kernel stack.
 */
	.globl	proc_trampoline
	.ent	proc_trampoline
proc_trampoline:
	j	exception_exit
	li	$sp, KERNELSTACK - TF_SIZE
	.end	proc_trampoline

/*
 * _start: entered with BEV set, a0 = kseg0 address of the boot-info block,
 * a1 = BOOTINFO_MAGIC.  Clear BEV (Ultrix clear_bev) so the vectors above
 * are used, zero .bss, run on a boot stack in .bss, set Context.PTEBase
 * once (Ultrix entry.s), and call main(a0, a1).
 */
	.globl	_start
	.ent	_start
_start:
	mtc0	$zero, $C0_STATUS	/* kernel mode, interrupts off, BEV clear */
	la	$t0, _bss_start		/* zero .bss ourselves rather than trust the loader */
	la	$t1, _end
1:	sw	$zero, 0($t0)
	addiu	$t0, $t0, 4
	bne	$t0, $t1, 1b
	nop
	la	$sp, bootstack_top
	addiu	$sp, $sp, -16
	li	$t0, KPTEBASE
	mtc0	$t0, $C0_CONTEXT
	jal	main
	nop
1:	b	1b
	nop
	.end	_start

	.data
	.globl	onkstack
onkstack:
	.word	1			/* in the kernel from boot until the first process runs */

	.bss
	.align	4
bootstack:
	.space	4096
bootstack_top:
