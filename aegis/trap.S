/*
 * trap.S - every way into Aegis after boot: the UTLB refill vector, the
 * general exception vector with the exception dispatcher, the system-call
 * demultiplexer and its assembly fast paths, the interrupt entry, and the
 * full context save/restore used when the kernel itself switches
 * environments.
 *
 * Aegis runs unmapped (kseg0) and touches no mapped data, so the general
 * vector never has to tell kernel TLB misses apart from anything else: it
 * goes straight to the current environment's per-ExcCode handler.  The
 * kernel runs with interrupts off and takes no exceptions itself.
 */
#include "aegis.h"
#include "o32.h"

	.set	noreorder
	.set	noat

/*
 * UTLB refill (0x80000000, placed by kernel.ld): probe the STLB.  Hit: write
 * the entry into a random TLB slot and return.  Only k0/k1 are used, so
 * nothing needs saving.  Miss: utlb_miss (guaranteed mappings, then the
 * environment's own TLB-miss handler).
 */
	.section .vec.utlb, "ax"
	.globl	utlb_refill
utlb_refill:
	mfc0	$k0, $C0_ENTRYHI		/* VPN | ASID of the miss */
	mfc0	$k1, $C0_ENTRYHI
	srl	$k0, $k0, STLB_SHIFT_A
	srl	$k1, $k1, STLB_SHIFT_B
	xor	$k1, $k1, $k0
	andi	$k1, $k1, STLB_OFF_MASK
	lui	$k0, %hi(stlb)			/* stlb is 64 KiB aligned: %lo is 0 */
	or	$k1, $k1, $k0
	lw	$k0, %lo(stlb + 4)($k1)		/* EntryLo */
	lw	$k1, %lo(stlb)($k1)		/* tag: EntryHi it was entered for */
	mtc0	$k0, $C0_ENTRYLO
	mfc0	$k0, $C0_ENTRYHI
	nop					/* mfc0 delay */
	bne	$k0, $k1, utlb_miss
	mfc0	$k0, $C0_EPC
	tlbwr
	jr	$k0
	rfe
	.globl	utlb_refill_end
utlb_refill_end:

/*
 * General exception vector (0x80000080): the dispatcher.  Index the current
 * environment's handler table by ExcCode.  A kernel entry (kseg0, so
 * negative) handles syscalls, interrupts and causes the environment has no
 * handler for.  Otherwise save t0-t2 into the environment's save area
 * through its kseg0 address, hand EPC, BadVAddr and Cause over in t0-t2,
 * and drop to user mode at the handler (rfe in the jump's delay slot).
 */
	.section .vec.gen, "ax"
	.globl	gen_vec
gen_vec:
	mfc0	$k1, $C0_CAUSE
	lui	$k0, %hi(curenv)
	lw	$k0, %lo(curenv)($k0)
	andi	$k1, $k1, CAUSE_EXC_MASK	/* ExcCode * 4 */
	addu	$k1, $k1, $k0
	lw	$k1, ENV_HANDLERS($k1)
	lw	$k0, ENV_SAVE($k0)
	bltz	$k1, kernel_entry
	nop
	sw	$t0, SA_T0($k0)
	sw	$t1, SA_T1($k0)
	sw	$t2, SA_T2($k0)
	move	$k0, $zero			/* the save area's kernel address is not the handler's */
	mfc0	$t0, $C0_EPC
	mfc0	$t1, $C0_BADVADDR
	mfc0	$t2, $C0_CAUSE
	jr	$k1
	rfe
	.globl	gen_vec_user_end
gen_vec_user_end:
kernel_entry:
	jr	$k1
	sltiu	$k0, $v0, NSYSCALLS		/* sys_entry's first step; the other kernel entries overwrite k0 */

	.text
/*
 * STLB miss.  A miss in the widest gap between the guaranteed ranges (where
 * a library OS's own pages usually are) goes straight to the environment.
 * Otherwise first the environment's guaranteed
 * mappings (its text, data, stack, save area, board page: what its own
 * TLB-miss handler needs to run), which the kernel installs itself.  The
 * scratch registers go to the env structure, not the user's save area,
 * which may still hold an unconsumed exception.
 */
	.globl	utlb_miss
utlb_miss:
	mfc0	$k0, $C0_BADVADDR		/* (k0 held EPC from the refill's delay slot) */
	lui	$k1, %hi(curenv)
	lw	$k1, %lo(curenv)($k1)
	nop
	sw	$t0, ENV_KSAVE+0($k1)
	sw	$t1, ENV_KSAVE+4($k1)
	sw	$t2, ENV_KSAVE+8($k1)
	sw	$t3, ENV_KSAVE+12($k1)
	lw	$t0, ENV_NGUARD($k1)
	lw	$t2, ENV_HOLE_LO($k1)
	lw	$t3, ENV_HOLE_HI($k1)
	srl	$k0, $k0, PAGE_SHIFT
	sll	$k0, $k0, PAGE_SHIFT		/* page address of the miss */
	subu	$t3, $t3, $t2
	subu	$t2, $k0, $t2
	sltu	$t3, $t2, $t3
	bnez	$t3, 3f				/* in the widest gap between the ranges: none */
	addiu	$t1, $k1, ENV_GUAR
	beqz	$t0, 3f
	nop
1:	lw	$t2, G_START($t1)		/* inside iff (page - start) < (end - start), unsigned */
	lw	$t3, G_END($t1)
	addiu	$t0, $t0, -1
	subu	$t3, $t3, $t2
	subu	$t2, $k0, $t2
	sltu	$t3, $t2, $t3
	bnez	$t3, 4f
	addiu	$t1, $t1, G_SIZE		/* (also when taken: 4 reads the range before) */
	bnez	$t0, 1b
	nop
	b	3f
	nop
4:	lw	$t3, G_LO-G_SIZE($t1)
	nop
	addu	$t3, $t3, $t2			/* EntryLo for this page */
	mtc0	$t3, $C0_ENTRYLO
	mfc0	$t2, $C0_ENTRYHI
	nop
	srl	$t0, $t2, STLB_SHIFT_A		/* cache it in the STLB too */
	srl	$t1, $t2, STLB_SHIFT_B
	xor	$t0, $t0, $t1
	andi	$t0, $t0, STLB_OFF_MASK
	lui	$t1, %hi(stlb)
	or	$t0, $t0, $t1
	sw	$t2, %lo(stlb)($t0)		/* (%lo is 0: pairs the %hi for the linker) */
	sw	$t3, %lo(stlb + 4)($t0)
	tlbwr
	lw	$t0, ENV_KSAVE+0($k1)
	lw	$t1, ENV_KSAVE+4($k1)
	lw	$t2, ENV_KSAVE+8($k1)
	lw	$t3, ENV_KSAVE+12($k1)
	mfc0	$k0, $C0_EPC
	move	$k1, $zero			/* (the mfc0 delay) curenv is no user value */
	jr	$k0
	rfe
3:	lw	$t0, ENV_KSAVE+0($k1)		/* not ours to resolve: the environment's */
	lw	$t1, ENV_KSAVE+4($k1)
	lw	$t2, ENV_KSAVE+8($k1)
	j	gen_vec				/* Cause says TLBL/TLBS */
	lw	$t3, ENV_KSAVE+12($k1)

/*
 * System calls.  v0 = number.  Table-driven: systab holds an assembly entry
 * per call; unknown numbers return AE_ENOSYS.  Every entry is reached with
 * k1 = the return address, EPC + 4.  A syscall in a branch delay slot
 * (Cause.BD: EPC is the branch, and EPC + 4 the syscall itself) is not
 * executed: the environment gets it as an unhandled exception (env_fault
 * names it), as the kernel does not emulate the branch.
 *
 * Every path back to user mode leaves no kernel value in a register the
 * environment can read: k0/k1 hold zero or the environment's own values, and
 * the C paths clear the caller-saved registers and hi/lo (sys_c, env_run_cur).
 */
	.globl	sys_entry
sys_entry:					/* k0 = (v0 < NSYSCALLS), from kernel_entry's delay slot */
	mfc0	$k1, $C0_CAUSE
	beqz	$k0, sys_bad
	sll	$k0, $v0, 2
	bltz	$k1, sys_in_delay_slot		/* Cause.BD is bit 31 */
	lui	$k1, %hi(systab)
	addu	$k0, $k0, $k1
	lw	$k0, %lo(systab)($k0)
	mfc0	$k1, $C0_EPC
	jr	$k0
	addiu	$k1, $k1, 4

sys_bad:
	mfc0	$k1, $C0_EPC
	li	$v0, AE_ENOSYS
	addiu	$k1, $k1, 4
	jr	$k1
	rfe

sys_in_delay_slot:
	j	exc_default
	nop

/* The null system call without a kernel stack: nothing but the return (k0 held its address). */
	.globl	sys_null
sys_null:
	move	$k0, $zero
	jr	$k1
	rfe

/*
 * Clear what C may have left in the registers a syscall's caller cannot trust anyway (the
 * caller-saved ones, hi/lo) and k0: kernel addresses, other environments' values.  C keeps
 * s0-s8, gp and (restored before) sp and ra, so those hold the caller's own values.
 */
	.macro	scrub_caller_saved
	move	$1, $zero			/* (the file is .set noat) */
	move	$4, $zero
	move	$5, $zero
	move	$6, $zero
	move	$7, $zero
	move	$8, $zero
	move	$9, $zero
	move	$10, $zero
	move	$11, $zero
	move	$12, $zero
	move	$13, $zero
	move	$14, $zero
	move	$15, $zero
	move	$24, $zero
	move	$25, $zero
	mthi	$zero
	mtlo	$zero
	move	$k0, $zero
	.endm

/*
 * A system call in C on the kernel stack.  Only sp and ra need keeping: the
 * caller treats the syscall as a function call, and the C code preserves
 * the callee-saved registers itself.
 */
	.globl	sys_c
sys_c:
	lui	$k0, %hi(kstack_top)
	addiu	$k0, $k0, %lo(kstack_top)
	sw	$sp, -4($k0)
	sw	$ra, -8($k0)
	addiu	$sp, $k0, -24			/* 16 bytes of argument space + the two */
	sll	$v0, $v0, 2
	lui	$k0, %hi(systab_c)
	addu	$k0, $k0, $v0
	lw	$k0, %lo(systab_c)($k0)
	nop
	jalr	$k0				/* C leaves k1 (the return address) alone */
	nop
	lw	$ra, 16($sp)
	lw	$sp, 20($sp)
	scrub_caller_saved			/* v0/v1 are the result */
	jr	$k1
	rfe

/* Store every general register but k0/k1 into the env at k0 (k1 is scratch). */
	.macro	save_all
	sw	$1, TF_REG(1)($k0)
	sw	$2, TF_REG(2)($k0)
	sw	$3, TF_REG(3)($k0)
	sw	$4, TF_REG(4)($k0)
	sw	$5, TF_REG(5)($k0)
	sw	$6, TF_REG(6)($k0)
	sw	$7, TF_REG(7)($k0)
	sw	$8, TF_REG(8)($k0)
	sw	$9, TF_REG(9)($k0)
	sw	$10, TF_REG(10)($k0)
	sw	$11, TF_REG(11)($k0)
	sw	$12, TF_REG(12)($k0)
	sw	$13, TF_REG(13)($k0)
	sw	$14, TF_REG(14)($k0)
	sw	$15, TF_REG(15)($k0)
	sw	$16, TF_REG(16)($k0)
	sw	$17, TF_REG(17)($k0)
	sw	$18, TF_REG(18)($k0)
	sw	$19, TF_REG(19)($k0)
	sw	$20, TF_REG(20)($k0)
	sw	$21, TF_REG(21)($k0)
	sw	$22, TF_REG(22)($k0)
	sw	$23, TF_REG(23)($k0)
	sw	$24, TF_REG(24)($k0)
	sw	$25, TF_REG(25)($k0)
	sw	$28, TF_REG(28)($k0)
	sw	$29, TF_REG(29)($k0)
	sw	$30, TF_REG(30)($k0)
	sw	$31, TF_REG(31)($k0)
	mfhi	$k1
	sw	$k1, TF_HI($k0)
	mflo	$k1
	sw	$k1, TF_LO($k0)
	.endm

	.macro	load_curenv_k0
	lui	$k0, %hi(curenv)
	lw	$k0, %lo(curenv)($k0)
	nop
	.endm

	.macro	kernel_stack
	lui	$sp, %hi(kstack_top)
	addiu	$sp, $sp, %lo(kstack_top)
	addiu	$sp, $sp, -16
	.endm

/*
 * A system call that may switch environments (exit, yield, wait, destroy):
 * save the caller's context, resuming after the syscall, run C, put its
 * result into the caller's saved v0/v1, and resume whichever environment
 * is current afterwards.  A syscall is a function call, so only what a
 * callee must preserve is saved (s0-s8, gp, sp, ra); resuming loads every
 * register from tf, and the caller-saved ones are dead across the call.
 */
	.globl	sys_switch
sys_switch:
	load_curenv_k0
	sw	$k1, TF_EPC($k0)		/* EPC + 4, from sys_entry */
	SAVE_CALLEE_REGS_REGFILE $k0, ENV_TF
	li	$k1, TF_FULL
	sw	$k1, ENV_TFVALID($k0)
	move	$s0, $k0			/* the caller, for the result */
	kernel_stack
	lui	$t0, %hi(systab_c)
	sll	$t1, $v0, 2
	addu	$t0, $t0, $t1
	lw	$t0, %lo(systab_c)($t0)
	nop
	jalr	$t0
	nop
	sw	$v0, TF_REG(2)($s0)
	j	env_run_cur
	sw	$v1, TF_REG(3)($s0)

/*
 * SYS_YIELD.  A yield is a function call whose stub (exos/exos.h) declares
 * every caller-saved register and hi/lo clobbered: Aegis keeps only what a
 * callee must preserve (s0-s8, gp, sp, ra) and the resume PC.  Such a
 * context is marked TF_YIELDED in tf_valid (aegis.h): its caller-saved words
 * in tf are stale, and the yield returns 0.
 *
 * The common case, a directed yield to another environment that itself
 * yielded, stays here and only swaps the callee-saved registers (each stored
 * for the caller and loaded for the target in turn); the target's
 * caller-saved registers are dead in it, so they keep what the caller left
 * in them -- a library OS that yields with secrets in caller-saved registers
 * clears them itself, as it would before a PCT.  A target with a full saved
 * context (preempted) is resumed whole by env_run_cur.  Anything else
 * (round robin, the target cannot run) goes to C.  v0 and v1 are the
 * caller's to lose and serve as scratch.
 */
	.macro	swap r
	sw	$\r, TF_REG(\r)($k0)
	lw	$\r, TF_REG(\r)($k1)
	.endm

	.globl	sys_yield
sys_yield:					/* k1 = EPC + 4, from sys_entry */
	lui	$k0, %hi(curenv)
	lw	$k0, %lo(curenv)($k0)
	andi	$v0, $a0, NENV - 1		/* the id's slot */
	sw	$k1, TF_EPC($k0)
	sll	$v0, $v0, ENV_SHIFT
	lui	$k1, %hi(envs)
	addu	$k1, $k1, $v0			/* target */
	lw	$v0, %lo(envs + ENV_ID)($k1)	/* envs is 64 KiB aligned: %lo is 0 */
	li	$v1, TF_YIELDED
	bne	$v0, $a0, yield_c		/* not that environment (an old id, or -1: any): C */
	lw	$v0, ENV_TFVALID($k1)
	beq	$k1, $k0, yield_c
	sw	$v1, ENV_TFVALID($k0)		/* ours: callee-saved only (yield_c makes it full) */
	bne	$v0, $v1, yield_full
	sw	$zero, ENV_TFVALID($k1)		/* the target's is consumed: TF_NONE */
	.irp	r, O32_CALLEE_REGNUMS		/* s0-s8, gp, sp, ra: the caller's out, the target's in */
	swap	\r
	.endr
	lui	$v0, %hi(curenv)
	sw	$k1, %lo(curenv)($v0)		/* the rest of the slice is the target's */
	lw	$k0, ENV_ASIDHI($k1)		/* (k0 no longer names the caller's env) */
	lw	$k1, TF_EPC($k1)
	mtc0	$k0, $C0_ENTRYHI		/* k0: the target's own EntryHi */
	move	$v0, $zero			/* its yield returns 0 */
	jr	$k1
	rfe

yield_full:					/* v0 = the target's tf_valid (not yet consumed) */
	beqz	$v0, yield_c			/* no saved context (TF_NONE): C decides */
	nop
	SAVE_CALLEE_REGS_REGFILE $k0, ENV_TF
	lui	$v0, %hi(curenv)
	j	env_run_cur			/* consumes the target's full context */
	sw	$k1, %lo(curenv)($v0)

yield_c:
	SAVE_CALLEE_REGS_REGFILE $k0, ENV_TF
	li	$k1, TF_FULL			/* v0 (the result) is stored below: resume from tf */
	sw	$k1, ENV_TFVALID($k0)
	move	$s0, $k0
	kernel_stack
	jal	sched_yield_to			/* a0 = target */
	nop
	j	env_run_cur
	sw	$v0, TF_REG(2)($s0)

/*
 * Interrupts (only the timer is unmasked): save the interrupted context
 * into the environment, let C acknowledge and schedule, resume.
 */
	.globl	intr_entry
intr_entry:
	load_curenv_k0
	save_all
	mfc0	$k1, $C0_EPC
	nop
	sw	$k1, TF_EPC($k0)
	li	$k1, TF_FULL
	sw	$k1, ENV_TFVALID($k0)
	kernel_stack
	jal	intr_c
	nop
	j	env_run_cur
	nop

/* An exception the environment has no handler for: C reports and destroys it. */
	.globl	exc_default
exc_default:
	load_curenv_k0
	save_all
	mfc0	$a0, $C0_CAUSE
	mfc0	$a1, $C0_EPC
	mfc0	$a2, $C0_BADVADDR
	kernel_stack
	jal	env_fault
	nop
	j	env_run_cur
	nop

/*
 * Resume curenv from its saved context: its address space, user mode with
 * the timer unmasked, every register, and its EPC.  The context is consumed:
 * until the kernel saves it again (preemption, yield) the environment has
 * none, and if it leaves by a PCT it can only be re-entered by one (or at
 * its slice-start PC).
 */
	.globl	env_run_cur
env_run_cur:
	load_curenv_k0
	lw	$k1, ENV_TFVALID($k0)
	sw	$zero, ENV_TFVALID($k0)		/* TF_NONE */
	xori	$k1, $k1, TF_YIELDED
	bnez	$k1, 1f
	lw	$k1, ENV_ASIDHI($k0)
	sw	$zero, TF_REG(2)($k0)		/* a context saved by sys_yield's fast path: its yield returns 0 */
1:	nop
	mtc0	$k1, $C0_ENTRYHI
	li	$k1, AE_USER_STATUS
	mtc0	$k1, $C0_STATUS
	lw	$k1, TF_HI($k0)
	nop
	mthi	$k1
	lw	$k1, TF_LO($k0)
	nop
	mtlo	$k1
	lw	$1, TF_REG(1)($k0)
	lw	$2, TF_REG(2)($k0)
	lw	$3, TF_REG(3)($k0)
	lw	$4, TF_REG(4)($k0)
	lw	$5, TF_REG(5)($k0)
	lw	$6, TF_REG(6)($k0)
	lw	$7, TF_REG(7)($k0)
	lw	$8, TF_REG(8)($k0)
	lw	$9, TF_REG(9)($k0)
	lw	$10, TF_REG(10)($k0)
	lw	$11, TF_REG(11)($k0)
	lw	$12, TF_REG(12)($k0)
	lw	$13, TF_REG(13)($k0)
	lw	$14, TF_REG(14)($k0)
	lw	$15, TF_REG(15)($k0)
	lw	$16, TF_REG(16)($k0)
	lw	$17, TF_REG(17)($k0)
	lw	$18, TF_REG(18)($k0)
	lw	$19, TF_REG(19)($k0)
	lw	$20, TF_REG(20)($k0)
	lw	$21, TF_REG(21)($k0)
	lw	$22, TF_REG(22)($k0)
	lw	$23, TF_REG(23)($k0)
	lw	$24, TF_REG(24)($k0)
	lw	$25, TF_REG(25)($k0)
	lw	$28, TF_REG(28)($k0)
	lw	$29, TF_REG(29)($k0)
	lw	$30, TF_REG(30)($k0)
	lw	$31, TF_REG(31)($k0)
	lw	$k1, TF_EPC($k0)
	move	$k0, $zero			/* (the load delay) curenv is no user value */
	jr	$k1
	rfe
