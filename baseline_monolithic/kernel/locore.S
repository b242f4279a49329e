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
#ifdef ATTR_TLB_STLB
/* k1 = the kseg0 address, less %lo(stlb), of EntryHi's software-TLB slot; k0 clobbered. */
	.macro	stlb_slot
	mfc0	$k0, $C0_ENTRYHI
	mfc0	$k1, $C0_ENTRYHI
	srl	$k0, $k0, STLB_SHIFT_A
	srl	$k1, $k1, STLB_SHIFT_B
	xor	$k1, $k1, $k0
	andi	$k1, $k1, STLB_OFF_MASK
	lui	$k0, %hi(stlb)			/* stlb is 64 KiB aligned: %lo is 0 */
	or	$k1, $k1, $k0
	.endm
#endif

	.section .text.utlb, "ax"
	.globl	utlbmiss
	.ent	utlbmiss
utlbmiss:
#ifdef ATTR_TLB_STLB
	/* The software TLB first: Aegis's hit path (aegis/trap.S utlb_refill). */
	stlb_slot
	lw	$k0, %lo(stlb + 4)($k1)		/* EntryLo */
	lw	$k1, %lo(stlb)($k1)		/* tag */
	mtc0	$k0, $C0_ENTRYLO
	mfc0	$k0, $C0_ENTRYHI
	nop
	bne	$k0, $k1, 1f
	mfc0	$k0, $C0_EPC
	tlbwr
	jr	$k0
	rfe
	/* A software-TLB miss: Ultrix's refill below, then stlb_fill enters it. */
1:
#endif
	mfc0	$k0, $C0_CONTEXT
	mfc0	$k1, $C0_EPC
	lw	$k0, 0($k0)		/* may miss in kseg2: nested exception */
	nop
	sll	$k0, $k0, 8		/* software PTE -> EntryLo */
	mtc0	$k0, $C0_ENTRYLO
	nop
	tlbwr
#ifdef ATTR_TLB_STLB
	j	stlb_fill
	nop
#else
	j	$k1
	rfe
#endif
	.globl	eutlbmiss
eutlbmiss:
	.end	utlbmiss

#ifdef ATTR_TLB_STLB
/*
 * stlb_fill: the rest of a software-TLB miss, outside the 32-instruction vector:
 * enter EntryHi/EntryLo (just written to the TLB) into their software-TLB slot and
 * return to the user EPC.  Nothing here can miss (stlb is in kseg0).
 */
	.section .text, "ax"
	.ent	stlb_fill
stlb_fill:
	stlb_slot
	mfc0	$k0, $C0_ENTRYHI
	nop
	sw	$k0, %lo(stlb)($k1)
	mfc0	$k0, $C0_ENTRYLO
	nop
	sw	$k0, %lo(stlb + 4)($k1)
	mfc0	$k0, $C0_EPC
	nop
	j	$k0
	rfe
	.end	stlb_fill
#endif

#ifdef ATTR_SYS_ASM_DISPATCH
/*
 * leaf_call: run the sysleaf call whose handler is in t9 on the frame at sp,
 * interrupts on, t1 = the return address (EPC + 4): error = handler(the
 * frame's a0-a3 in place, the frame's v0/v1), then v0/v1/a3 in the frame as
 * syscall() leaves them (a3 = 1 and v0 = errno on failure), and v0/v1 loaded.
 */
	.macro	leaf_call
	sw	$t1, TF_EPC($sp)
	sw	$zero, TF_REG(2)($sp)	/* rv[0] = 0; rv[1] is the caller's v1 */
	addiu	$a0, $sp, TF_REG(4)	/* args: the frame's a0-a3 */
	jalr	$t9			/* error = sy_call(args, rv) */
	addiu	$a1, $sp, TF_REG(2)	/* (delay) rv: the frame's v0/v1 */
	sltu	$t0, $zero, $v0		/* a3 = (error != 0) */
	beq	$v0, $zero, 8f
	sw	$t0, TF_REG(7)($sp)	/* (delay) */
	sw	$v0, TF_REG(2)($sp)	/* v0 = errno (the leaf calls set rv only on success) */
8:	lw	$v0, TF_REG(2)($sp)
	lw	$v1, TF_REG(3)($sp)
	.endm
#endif

/*
 * exception: every other exception (Ultrix locore.s `exception`).  Ultrix
 * keeps an "on the kernel stack" flag; when it is clear we came from user
 * mode (or from utlbmiss, which runs on the user's sp) and switch to the
 * u-area's kernel stack at the fixed address KERNELSTACK, saving the user's
 * sp and gp.  Then only what the dispatch itself uses goes into the frame:
 * AT, k1 (utlbmiss's saved user EPC), a0-a3, s0, ra, Cause, EPC, SR and,
 * as the DS5000_100 kernel does, the interrupted ipllevel in SYS1.  The
 * VEC_* handler for the cause saves the rest it needs: VEC_syscall v0/v1,
 * the others tfi_save (v0, v1, t0-t9, LO, HI), VEC_trap also s1-s8.
 * Handlers are called as handler(ep, code, sr, cause) with s0 = SR.
 */
	.section .text.exc, "ax"
	.globl	exception
	.ent	exception
exception:
#ifdef ATTR_SYS_VECTOR
	/* Research switch (benchmarks/attribution): a system call in syscall.c's
	 * sysleaf table, from user mode, is taken by sys_vector (below) without
	 * the general frame.  Every other exception pays this test first (and
	 * keeps k1: a nested miss from utlbmiss has the user EPC there). */
	mfc0	$k0, $C0_CAUSE
	nop
	andi	$k0, $k0, CAUSE_EXC_MASK
	xori	$k0, $k0, EXC_SYS << 2
	bne	$k0, $zero, 9f		/* not a system call */
	sltiu	$k0, $v0, SYS_NSYSENT	/* (delay) */
	beq	$k0, $zero, 9f		/* unknown number: syscall() says ENOSYS */
	sll	$k1, $v0, 2		/* (delay) */
	lui	$k0, %hi(sysleaf)
	addu	$k1, $k1, $k0
	lw	$k1, %lo(sysleaf)($k1)
	mfc0	$k0, $C0_STATUS
	beq	$k1, $zero, 9f		/* not a leaf call */
	andi	$k0, $k0, SR_KUP	/* (delay) */
	bne	$k0, $zero, sys_vector	/* from user mode (else syscall() panics) */
	li	$k0, KERNELSTACK - TF_SIZE	/* (delay) sys_vector's frame */
9:
#endif
	lui	$k0, %hi(onkstack)
	lw	$k0, %lo(onkstack)($k0)
	nop
	beq	$k0, $zero, 1f		/* from user mode or utlbmiss */
	move	$k0, $sp		/* (delay) the interrupted sp */
	addiu	$sp, $sp, -TF_SIZE	/* already in the kernel: nest below sp */
	b	2f
	sw	$k0, TF_REG(29)($sp)	/* (delay) */
1:	li	$sp, KERNELSTACK - TF_SIZE	/* sign-extends: one addiu */
	sw	$k0, TF_REG(29)($sp)
	sw	$gp, TF_REG(28)($sp)
	lui	$k0, %hi(onkstack)
	sw	$sp, %lo(onkstack)($k0)	/* now on the kernel stack (sp is never 0) */
2:	sw	$AT, TF_REG(1)($sp)
	sw	$k1, TF_REG(27)($sp)	/* utlbmiss's saved user EPC, for vm_ptmiss() */
	sw	$a0, TF_REG(4)($sp)
	sw	$a1, TF_REG(5)($sp)
	sw	$a2, TF_REG(6)($sp)
	sw	$a3, TF_REG(7)($sp)
	lui	$a1, %hi(ipllevel)	/* DS5000_100: the level we interrupted */
	lw	$a1, %lo(ipllevel)($a1)
	nop
	sw	$a1, TF_SYS1($sp)
	mfc0	$a3, $C0_CAUSE
	mfc0	$a0, $C0_EPC
	sw	$a3, TF_CAUSE($sp)
	sw	$s0, TF_REG(16)($sp)
	sw	$ra, TF_REG(31)($sp)
	mfc0	$s0, $C0_STATUS
	sw	$a0, TF_EPC($sp)
	/* Dispatch on ExcCode through causevec: a0 = frame, a1 = ExcCode << 2,
	 * a3 = Cause, s0 = SR (Ultrix: `lw a2, causevec(a1); j a2`). */
	andi	$a1, $a3, CAUSE_EXC_MASK
	lui	$a2, %hi(causevec)
	addu	$a2, $a2, $a1
	lw	$a2, %lo(causevec)($a2)
	move	$a0, $sp
	jr	$a2
	sw	$s0, TF_SR($sp)		/* (delay) */
	.end	exception

	.text
#ifdef ATTR_SYS_VECTOR
/*
 * sys_vector: a leaf system call (sysleaf: never sleeps, never posts, takes
 * or unblocks a signal) taken on the exception vector, k0 = the frame, k1 =
 * the handler.  The frame holds only what the call and its return need: sp,
 * gp, ra, a0-a3, v0/v1, EPC, SR, Cause and the interrupted level (C keeps
 * s0-s8; AT and the t-registers are the caller's to lose across a call) --
 * no onkstack test, causevec jump or s0.  The call is made by leaf_call
 * (ATTR_SYS_ASM_DISPATCH) or by syscall().  The way out completes the frame
 * as `exception` builds it and leaves through exception_exit, past its
 * interrupt-level work when the level did not change (it changes only by a
 * reschedule inside syscall()); exception_exit takes a due reschedule or
 * signal (u_resched) as for any exception.
 */
	.ent	sys_vector
sys_vector:
#ifdef ATTR_SYS_ASM_DISPATCH
	move	$t9, $k1		/* the handler: a nested exception clobbers k1 */
#endif
	sw	$sp, TF_REG(29)($k0)
	move	$sp, $k0
	lui	$k0, %hi(onkstack)
	sw	$sp, %lo(onkstack)($k0)	/* on the kernel stack: an interrupt nests below */
	sw	$gp, TF_REG(28)($sp)
	sw	$ra, TF_REG(31)($sp)
	sw	$a0, TF_REG(4)($sp)
	sw	$a1, TF_REG(5)($sp)
	sw	$a2, TF_REG(6)($sp)
	sw	$a3, TF_REG(7)($sp)
	sw	$v0, TF_REG(2)($sp)
	sw	$v1, TF_REG(3)($sp)
	lui	$a1, %hi(ipllevel)
	lw	$a1, %lo(ipllevel)($a1)
	mfc0	$a3, $C0_CAUSE
	sw	$a1, TF_SYS1($sp)	/* the interrupted level */
	mfc0	$a2, $C0_STATUS
	mfc0	$t1, $C0_EPC
	sw	$a3, TF_CAUSE($sp)
	sw	$a2, TF_SR($sp)
	ori	$a0, $a2, SR_IEC
	mtc0	$a0, $C0_STATUS		/* enable interrupts */
#ifdef ATTR_SYS_ASM_DISPATCH
	addiu	$t1, $t1, 4		/* past the syscall (never in a delay slot) */
	leaf_call
#else
	sw	$t1, TF_EPC($sp)
	move	$a0, $sp
	jal	syscall			/* syscall(ep, code, sr, cause): never FULLRESTORE here */
	move	$a1, $v0		/* (delay) the system call number */
	lw	$v0, TF_REG(2)($sp)
	lw	$v1, TF_REG(3)($sp)
#endif
	lw	$a2, TF_SR($sp)
	lw	$a1, TF_SYS1($sp)
	mtc0	$a2, $C0_STATUS		/* disable interrupts */
	lui	$k0, %hi(ipllevel)
	lw	$k0, %lo(ipllevel)($k0)
	sw	$zero, TF_REG(1)($sp)	/* complete the frame: AT, the caller's to lose (no kernel value), */
	sw	$s0, TF_REG(16)($sp)	/* and the caller's s0 (C kept it) */
	beq	$k0, $a1, .Lexit_level_done	/* the level did not change: no bookkeeping */
	move	$s0, $a2		/* (delay) s0 = SR, as exception_exit wants */
	b	exception_exit		/* it did (a reschedule inside syscall()) */
	nop
	.end	sys_vector
#endif

/*
 * VEC_syscall: interrupts on, save v0/v1 (the only registers the return
 * path restores beyond exception's set: the t-registers are the caller's
 * to lose across a system call, as in Ultrix), syscall(ep, v0, sr, cause).
 * A non-zero return is sigreturn's FULLRESTORE: leave through full_restore.
 */
	.ent	VEC_syscall
VEC_syscall:
	ori	$a1, $s0, SR_IEC
	mtc0	$a1, $C0_STATUS		/* enable interrupts */
	sw	$v0, TF_REG(2)($sp)
	sw	$v1, TF_REG(3)($sp)
#ifdef ATTR_SYS_ASM_DISPATCH
	/* Research switch (benchmarks/attribution): system-call dispatch in
	 * assembly.  A call in syscall.c's sysleaf table is run from here: no
	 * syscall() in C (sysent, the u_arg copy, qsave, the exit work, none of
	 * which has anything to do for it), the arguments used in place in the
	 * frame's a0-a3, the results left in its v0/v1 and a3 set as syscall()
	 * sets it.  Any other call, or one from kernel mode, goes to syscall(). */
	sltiu	$t0, $v0, SYS_NSYSENT
	beq	$t0, $zero, 1f		/* unknown: syscall() says ENOSYS */
	sll	$t0, $v0, 2		/* (delay) */
	lui	$t1, %hi(sysleaf)
	addu	$t1, $t1, $t0
	lw	$t9, %lo(sysleaf)($t1)
	andi	$t0, $s0, SR_KUP
	beq	$t9, $zero, 1f		/* not a leaf call */
	lw	$t1, TF_EPC($sp)	/* (delay) */
	beq	$t0, $zero, 1f		/* from kernel mode: syscall() panics */
	addiu	$t1, $t1, 4		/* (delay) past the syscall (never in a delay slot) */
	leaf_call
	mtc0	$s0, $C0_STATUS		/* disable interrupts */
	b	exception_exit
	nop
1:
#endif
	move	$a1, $v0		/* the system call number */
	jal	syscall
	move	$a2, $s0		/* (delay) sr */
	bne	$v0, $zero, full_restore
	lw	$v0, TF_REG(2)($sp)	/* (delay) the results syscall() left */
	lw	$v1, TF_REG(3)($sp)
	mtc0	$s0, $C0_STATUS		/* disable interrupts */
	b	exception_exit
	nop
	.end	VEC_syscall

/*
 * VEC_trap: overflow, break, reserved instruction, coprocessor unusable,
 * bus and address errors; SEXC_SEGV from VEC_tlbmiss/VEC_tlbmod and
 * SEXC_RESCHED from exception_exit enter at soft_trap.  Interrupts on,
 * tfi_save, and s1-s8 too (the signal code may rewrite any register).
 * full_restore is also sigreturn's way out.
 */
	.ent	VEC_trap
VEC_trap:
	ori	$a2, $s0, SR_IEC
	mtc0	$a2, $C0_STATUS		/* enable interrupts */
	jal	tfi_save
	nop
soft_trap:
#ifdef ATTR_EXC_PARTIAL_FRAME
	/* Research switch (benchmarks/attribution): save only what the handler
	 * clobbers.  trap() is C and keeps s1-s8 itself, and nothing on this path
	 * reads them from the frame (sigreturn, which does, leaves through
	 * VEC_syscall's full_restore), so they are neither saved nor restored. */
#ifdef ATTR_EXC_ASM_DISPATCH
	jal	exc_dispatch		/* delivered: v0 = 1, skip trap() */
	nop
	bne	$v0, $zero, 1f
	nop
#endif
	jal	trap			/* trap(ep, code, sr, cause) */
	move	$a2, $s0		/* (delay) */
#ifdef ATTR_EXC_ASM_DISPATCH
1:
#endif
	mtc0	$s0, $C0_STATUS		/* disable interrupts */
	la	$ra, exception_exit	/* tfi_restore returns there */
	b	tfi_restore
	nop
#endif
	sw	$s1, TF_REG(17)($sp)
	sw	$s2, TF_REG(18)($sp)
	sw	$s3, TF_REG(19)($sp)
	move	$a2, $s0
	sw	$s4, TF_REG(20)($sp)
	sw	$s5, TF_REG(21)($sp)
	sw	$s6, TF_REG(22)($sp)
	sw	$s7, TF_REG(23)($sp)
#ifdef ATTR_EXC_ASM_DISPATCH
	jal	exc_dispatch		/* delivered: v0 = 1, skip trap() */
	sw	$s8, TF_REG(30)($sp)	/* (delay) */
	bne	$v0, $zero, full_restore
	nop
#endif
	jal	trap			/* trap(ep, code, sr, cause) */
	sw	$s8, TF_REG(30)($sp)	/* (delay) */
full_restore:
	lw	$s1, TF_REG(17)($sp)
	lw	$s2, TF_REG(18)($sp)
	lw	$s3, TF_REG(19)($sp)
	lw	$s4, TF_REG(20)($sp)
	lw	$s5, TF_REG(21)($sp)
	lw	$s6, TF_REG(22)($sp)
	lw	$s7, TF_REG(23)($sp)
	jal	tfi_restore
	lw	$s8, TF_REG(30)($sp)	/* (delay) */
	mtc0	$s0, $C0_STATUS		/* disable interrupts */
	b	exception_exit
	nop
	.end	VEC_trap

#ifdef ATTR_EXC_ASM_DISPATCH
/*
 * exc_dispatch: research switch (benchmarks/attribution), never Ultrix.
 * Exceptions dispatched in assembly: a user fault whose signal is caught and
 * unblocked goes from soft_trap to sendsig() without trap(), psignal(),
 * issig() or psig() in C, and without their spl calls (interrupts are
 * masked by Status alone while the mask is installed).  Called from
 * soft_trap with a0 = ep, a1 = code, a3 = Cause, s0 = SR, interrupts on.
 * Returns v0 = 1 if it delivered the signal (the exit is then trap()'s),
 * v0 = 0 to leave everything to trap(): a kernel-mode fault, a cause with no
 * signal or with work in C (AdEL/AdES fix-up, a TLB fault grow() may
 * resolve, SEXC_RESCHED), a signal blocked, ignored or not caught, another
 * signal pending, a sigpause mask to restore (SOMASK) or a reschedule due.
 * Preserves a0, a1, a3 and s0-s8; what trap() also does on this path and
 * this skips is accounting no path here reads (cpu_trap, p_pri, the
 * profiling tick, which is never on).
 */
	.ent	exc_dispatch
exc_dispatch:
	andi	$v0, $s0, SR_KUP
	beq	$v0, $zero, 9f		/* a kernel fault: trap() */
	lui	$t0, %hi(excsig)	/* (delay) */
	addu	$t0, $t0, $a1
	lw	$t1, %lo(excsig)($t0)	/* the signal for this code, or 0 */
	li	$t0, SEXC_SEGV
	beq	$t1, $zero, 9f
	andi	$t2, $a3, CAUSE_EXC_MASK	/* (delay) the hardware ExcCode << 2 */
	bne	$a1, $t0, 1f
	li	$t0, EXC_MOD << 2	/* (delay) */
	bne	$t2, $t0, 9f		/* SEXC_SEGV but not Mod: grow() may apply */
	nop
1:	lui	$t3, %hi(curproc)
	lw	$t3, %lo(curproc)($t3)	/* p */
	addiu	$t4, $t1, -1
	li	$t5, 1
	sllv	$t4, $t5, $t4		/* SIGMASK(sig) */
	mtc0	$s0, $C0_STATUS		/* interrupts off */
	lw	$t5, P_SIGMASK($t3)
	lw	$t6, P_SIGCATCH($t3)
	lw	$t7, P_SIG($t3)
	nor	$t8, $t5, $zero		/* unblocked */
	and	$t6, $t6, $t8
	and	$t6, $t6, $t4
	beq	$t6, $zero, 8f		/* blocked, or not caught */
	and	$t7, $t7, $t8		/* (delay) */
	bne	$t7, $zero, 8f		/* another signal pending: issig() decides */
	lw	$t8, (U_SIGFLAG - 0x4000)($zero)	/* (delay) UADDR = -0x4000 */
	lui	$t9, %hi(runrun)
	lw	$t9, %lo(runrun)($t9)
	andi	$t8, $t8, SOMASK
	or	$t8, $t8, $t9
	bne	$t8, $zero, 8f		/* a sigpause mask, or a reschedule */
	sll	$t0, $t1, 2		/* (delay) */
	addu	$t0, $t3, $t0
	srl	$t2, $t2, 2
	sw	$t2, (U_CODE - 0x4000)($zero)	/* the fault's code, for sendsig */
#ifndef ATTR_EXC_USER_RETURN
	/* psig: block the signal and its sigvec mask while the handler runs (a
	 * fault signal is never SIGKILL/SIGSTOP, and p_hmask holds neither) */
	lw	$t6, P_HMASK($t0)
	nop
	or	$t6, $t6, $t4
	or	$t6, $t6, $t5
	sw	$t6, P_SIGMASK($t3)
#endif
	lw	$t7, (U_RU_NSIGNALS - 0x4000)($zero)
	ori	$t8, $s0, SR_IEC
	addiu	$t7, $t7, 1
	sw	$t7, (U_RU_NSIGNALS - 0x4000)($zero)
	mtc0	$t8, $C0_STATUS		/* interrupts on */
	addiu	$sp, $sp, -32
	sw	$ra, 28($sp)
	sw	$a0, 24($sp)
	sw	$a1, 20($sp)
	sw	$a3, 16($sp)
	lw	$a0, P_HANDLER($t0)	/* sendsig(handler, sig, returnmask) */
	move	$a1, $t1
	jal	sendsig
	move	$a2, $t5		/* (delay) */
	lw	$ra, 28($sp)
	lw	$a0, 24($sp)
	lw	$a1, 20($sp)
	lw	$a3, 16($sp)
	addiu	$sp, $sp, 32
	jr	$ra
	li	$v0, 1			/* (delay) */
8:	ori	$t8, $s0, SR_IEC
	mtc0	$t8, $C0_STATUS		/* interrupts on */
9:	jr	$ra
	move	$v0, $zero		/* (delay) */
	.end	exc_dispatch
#endif

/* VEC_addrerr: AdEL/AdES (and bus errors): keep BadVAddr for trap(). */
	.ent	VEC_addrerr
VEC_addrerr:
	mfc0	$a2, $C0_BADVADDR
	nop
	b	VEC_trap
	sw	$a2, TF_BADVADDR($sp)	/* (delay) */
	.end	VEC_addrerr

/*
 * VEC_tlbmiss: TLBL/TLBS at the general vector (an invalid PTE, or the
 * refill's own page-table miss).  Interrupts stay off.  tlbmiss() returns 0
 * when the reference can be retried, else a software code for trap().
 */
	.ent	VEC_tlbmiss
VEC_tlbmiss:
	mfc0	$a2, $C0_BADVADDR
	nop
	jal	tfi_save
	sw	$a2, TF_BADVADDR($sp)	/* (delay) */
	jal	tlbmiss			/* tlbmiss(ep, code, vaddr, cause) */
	nop
	lw	$s0, TF_SR($sp)		/* tlbmiss may pop the KU/IE stack (nested miss) */
	nop
	mtc0	$s0, $C0_STATUS
	beq	$v0, $zero, 1f
	ori	$a0, $s0, SR_IEC	/* (delay) */
	mtc0	$a0, $C0_STATUS		/* enable interrupts */
	move	$a0, $sp
	move	$a1, $v0
	b	soft_trap
	lw	$a3, TF_CAUSE($sp)	/* (delay) */
1:	la	$ra, exception_exit	/* tfi_restore returns there */
	b	tfi_restore
	nop
	.end	VEC_tlbmiss

/* VEC_tlbmod: a store through a TLB entry with D clear. */
	.ent	VEC_tlbmod
VEC_tlbmod:
	mfc0	$a2, $C0_BADVADDR
	nop
	jal	tfi_save
	sw	$a2, TF_BADVADDR($sp)	/* (delay) */
	jal	tlbmod			/* tlbmod(ep, code, vaddr, cause) */
	nop
	mtc0	$s0, $C0_STATUS
	la	$ra, exception_exit
	beq	$v0, $zero, tfi_restore	/* legal: set D and retry */
	ori	$a0, $s0, SR_IEC	/* (delay) */
	mtc0	$a0, $C0_STATUS		/* enable interrupts */
	move	$a0, $sp
	move	$a1, $v0
	b	soft_trap
	lw	$a3, TF_CAUSE($sp)	/* (delay) */
	.end	VEC_tlbmod

/* VEC_int: interrupts enabled but every line masked; intr() raises the
 * level to the interrupting device's (splclock for the clock). */
	.ent	VEC_int
VEC_int:
	li	$k0, SR_IEC
	mtc0	$k0, $C0_STATUS
	jal	tfi_save
	nop
	jal	intr			/* intr(ep, code, sr, cause) */
	move	$a2, $s0		/* (delay) */
	jal	tfi_restore
	nop
	mtc0	$s0, $C0_STATUS		/* disable interrupts */
	b	exception_exit
	nop
	.end	VEC_int

/* tfi_save/tfi_restore: what a C call may clobber beyond exception's set. */
	.ent	tfi_save
tfi_save:
	sw	$v0, TF_REG(2)($sp)
	sw	$v1, TF_REG(3)($sp)
	sw	$t0, TF_REG(8)($sp)
	mflo	$t0
	sw	$t1, TF_REG(9)($sp)
	mfhi	$t1
	sw	$t2, TF_REG(10)($sp)
	sw	$t3, TF_REG(11)($sp)
	sw	$t4, TF_REG(12)($sp)
	sw	$t5, TF_REG(13)($sp)
	sw	$t6, TF_REG(14)($sp)
	sw	$t7, TF_REG(15)($sp)
	sw	$t8, TF_REG(24)($sp)
	sw	$t9, TF_REG(25)($sp)
	sw	$t0, TF_LO($sp)
	j	$ra
	sw	$t1, TF_HI($sp)		/* (delay) */
	.end	tfi_save

	.ent	tfi_restore
tfi_restore:
	lw	$v0, TF_LO($sp)
	lw	$v1, TF_HI($sp)
	nop
	mtlo	$v0
	mthi	$v1
	lw	$v0, TF_REG(2)($sp)
	lw	$v1, TF_REG(3)($sp)
	lw	$t0, TF_REG(8)($sp)
	lw	$t1, TF_REG(9)($sp)
	lw	$t2, TF_REG(10)($sp)
	lw	$t3, TF_REG(11)($sp)
	lw	$t4, TF_REG(12)($sp)
	lw	$t5, TF_REG(13)($sp)
	lw	$t6, TF_REG(14)($sp)
	lw	$t7, TF_REG(15)($sp)
	lw	$t8, TF_REG(24)($sp)
	j	$ra
	lw	$t9, TF_REG(25)($sp)	/* (delay) */
	.end	tfi_restore

/*
 * exception_exit: interrupts off, s0 = the SR at the exception.  First the
 * DS5000_100 work: put back the interrupted ipllevel, write its IOASIC mask
 * and read it back, and give the frame's SR that level's Status mask.  Then,
 * if returning to user mode with pcb_resched set (aston(): a signal was
 * posted or a reschedule is due), go round trap() once more as a software
 * SEXC_RESCHED exception; else restore exception's set and return.
 */
	.globl	exception_exit
	.ent	exception_exit
exception_exit:
	lw	$a0, TF_SYS1($sp)
	lw	$a3, TF_SR($sp)
#ifdef ATTR_EXIT_SAME_LEVEL
	/* Research switch (benchmarks/attribution): no interrupt-level
	 * bookkeeping when the level did not change.  The IOASIC mask and the
	 * frame's Status mask were set for this level when it was entered. */
	lui	$k0, %hi(ipllevel)
	lw	$a1, %lo(ipllevel)($k0)
	nop
	beq	$a1, $a0, 3f
	nop
#endif
	lui	$k0, %hi(ipllevel)
	sw	$a0, %lo(ipllevel)($k0)
	sll	$a0, $a0, 2
	lui	$k0, %hi(kn02ba_sim)
	addu	$k0, $k0, $a0
	lw	$a1, %lo(kn02ba_sim)($k0)	/* the IOASIC mask for the level */
	lw	$a2, %lo(splm)($k0)		/* its Status mask */
	lui	$k0, %hi(BOARD_KSEG1)
	sw	$a1, BOARD_IOASIC_IMSK($k0)
	lw	$a1, BOARD_IOASIC_IMSK($k0)	/* read back: drains the write buffer */
	andi	$a2, $a2, SR_IM_MASK
	li	$k0, ~SR_IM_MASK
	and	$a3, $a3, $k0
	or	$a2, $a2, $a3
	sw	$a2, TF_SR($sp)
#ifdef ATTR_EXIT_SAME_LEVEL
3:
#endif
#ifdef ATTR_SYS_VECTOR
.Lexit_level_done:			/* sys_vector's way in when the level did not change */
#endif
	andi	$k0, $s0, SR_KUP
	beq	$k0, $zero, 2f		/* back to the kernel */
	lw	$k0, (U_RESCHED - 0x4000)($zero)	/* (delay) u.u_resched: UADDR = -0x4000 */
	nop
	beq	$k0, $zero, 1f
	nop
	move	$a0, $sp
	li	$a1, SEXC_RESCHED
	b	VEC_trap
	lw	$a3, TF_CAUSE($sp)	/* (delay) */
1:	lui	$k0, %hi(onkstack)
	sw	$zero, %lo(onkstack)($k0)
	lw	$gp, TF_REG(28)($sp)
2:	lw	$a0, TF_REG(4)($sp)
	lw	$a1, TF_REG(5)($sp)
	lw	$a2, TF_REG(6)($sp)
	lw	$a3, TF_REG(7)($sp)
	lw	$s0, TF_REG(16)($sp)
	lw	$ra, TF_REG(31)($sp)
	lw	$k0, TF_EPC($sp)
	lw	$k1, TF_SR($sp)
	lw	$AT, TF_REG(1)($sp)
	mtc0	$k1, $C0_STATUS		/* IEc is 0 in the frame's current bits: still masked */
	lw	$sp, TF_REG(29)($sp)
	j	$k0
	rfe
	.end	exception_exit

	.section .rodata
	.align	2
causevec:
	.word	VEC_int, VEC_tlbmod, VEC_tlbmiss, VEC_tlbmiss		/* Int Mod TLBL TLBS */
	.word	VEC_addrerr, VEC_addrerr, VEC_addrerr, VEC_addrerr	/* AdEL AdES IBE DBE */
	.word	VEC_syscall, VEC_trap, VEC_trap, VEC_trap		/* Sys Bp RI CpU */
	.word	VEC_trap, VEC_trap, VEC_trap, VEC_trap			/* Ov - - - */
#ifdef ATTR_EXC_ASM_DISPATCH
/* exc_dispatch: the signal of each code (trap()'s switch), 0 where trap() has
 * more to do than post one: Int, AdEL/AdES (fixade), Sys, SEXC_RESCHED;
 * SEXC_SEGV's is taken only for a Mod (TLBL/TLBS: grow() may resolve it). */
excsig:
	.word	0, 0, 0, 0			/* Int Mod TLBL TLBS: via SEXC_SEGV */
	.word	0, 0, SIGBUS, SIGBUS		/* AdEL AdES IBE DBE */
	.word	0, SIGTRAP, SIGILL, SIGILL	/* Sys Bp RI CpU */
	.word	SIGFPE, 0, 0, 0			/* Ov - - - */
	.word	SIGSEGV, 0			/* SEXC_SEGV SEXC_RESCHED */
#endif

	.text
/*
 * The spl routines, DS5000_100 style (Ultrix locore.s spl0 ... splx): with
 * every interrupt off, swap ipllevel, write the level's IOASIC mask and read
 * it back, then load Status from splm[].  Each returns the previous level.
 */
#define SPLSET(level)					\
	mtc0	$zero, $C0_STATUS;	/* disable interrupts */	\
	lui	$a1, %hi(ipllevel);				\
	lw	$v0, %lo(ipllevel)($a1);	/* the old level */	\
	li	$v1, level;					\
	sw	$v1, %lo(ipllevel)($a1);			\
	lui	$a1, %hi(kn02ba_sim);				\
	lw	$a0, %lo(kn02ba_sim + 4 * (level))($a1);	\
	lw	$v1, %lo(splm + 4 * (level))($a1);		\
	lui	$a1, %hi(BOARD_KSEG1);				\
	sw	$a0, BOARD_IOASIC_IMSK($a1);			\
	lw	$a0, BOARD_IOASIC_IMSK($a1);	/* read back */	\
	j	$ra;						\
	mtc0	$v1, $C0_STATUS

	.globl	spl0
	.ent	spl0
spl0:	SPLSET(SPLNONE)
	.end	spl0

	.globl	splimp
	.ent	splimp
splimp:	SPLSET(SPLIMP)
	.end	splimp

	.globl	splnet
	.ent	splnet
splnet:	SPLSET(SPLNET)
	.end	splnet

	.globl	splclock
	.ent	splclock
splclock:
	.globl	splhigh
splhigh: SPLSET(SPLCLOCK)
	.end	splclock

	.globl	splextreme
	.ent	splextreme
splextreme: SPLSET(SPLEXTREME)
	.end	splextreme

/* splx(ipl): back to a level an spl call returned. */
	.globl	splx
	.ent	splx
splx:
	mtc0	$zero, $C0_STATUS	/* disable interrupts */
	lui	$a1, %hi(ipllevel)
	lw	$v0, %lo(ipllevel)($a1)
	sw	$a0, %lo(ipllevel)($a1)
	sll	$a2, $a0, 2
	lui	$a1, %hi(kn02ba_sim)
	addu	$a1, $a1, $a2
	lw	$v1, %lo(kn02ba_sim)($a1)
	lw	$a2, %lo(splm)($a1)
	lui	$a1, %hi(BOARD_KSEG1)
	sw	$v1, BOARD_IOASIC_IMSK($a1)
	lw	$v1, BOARD_IOASIC_IMSK($a1)	/* read back */
	j	$ra
	mtc0	$a2, $C0_STATUS
	.end	splx

/*
 * proc_trampoline: where a new process's first resume() lands (its pcb's
 * ra).  proc_create() built a whole trapframe at the top of its kernel
 * stack; leave through full_restore so every register comes from it.
 */
	.globl	proc_trampoline
	.ent	proc_trampoline
proc_trampoline:
	li	$sp, KERNELSTACK - TF_SIZE
	b	full_restore
	lw	$s0, TF_SR($sp)		/* (delay) */
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

/* DS5000_100 interrupt levels (Ultrix kn02ba.c: ipllevel, splm, kn02ba_sim).
 * splm: the Status value for each level -- the clock's line (our timer on
 * Int3) is open below SPLCLOCK, the LANCE's (Int1) below SPLIMP, the software
 * network interrupt (IP0) below SPLNET.  kn02ba_sim: the IOASIC mask for each level,
 * in the 3MIN's bit layout for the lines Ultrix opens there (stored by the
 * board, never used to gate: see include/board.h). */
	.globl	ipllevel
ipllevel:
	.word	SPLEXTREME
	.align	7			/* both tables in one 128-byte block: one %hi */
	.globl	kn02ba_sim
kn02ba_sim:
	.word	SIM_SPL0, SIM_SPL0, SIM_SPL0, 0, 0, SIM_SPLIO, SIM_SPLCLOCK, SIM_SPLMEM, 0
	.globl	splm
splm:
	.word	SR_IEC | SR_IM_TIMER | SR_IM_LANCE | SR_IM_SOFTNET	/* SPLNONE */
	.word	SR_IEC | SR_IM_TIMER | SR_IM_LANCE | SR_IM_SOFTNET	/* SPLSOFTC */
	.word	SR_IEC | SR_IM_TIMER | SR_IM_LANCE, SR_IEC | SR_IM_TIMER | SR_IM_LANCE	/* SPLNET, 3 */
	.word	SR_IEC | SR_IM_TIMER | SR_IM_LANCE, SR_IEC | SR_IM_TIMER	/* 4, SPLIMP */
	.word	SR_IEC, SR_IEC, SR_IEC

	.bss
	.align	4
bootstack:
	.space	4096
bootstack_top:
