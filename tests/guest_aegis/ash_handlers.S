/*
 * ash_handlers.S - handlers for tests/guest_aegis/ash.c: good ones the verifier must
 * accept and run, and one per refusal class (aegis/ash.c).  Each lies between NAME and
 * NAME_end; the guest downloads the words in between.  Data regions of the tests are
 * ASH_TEST_DSIZE bytes.
 */
#include "aegis.h"

#define ASH_TEST_DSIZE  512

	.set	noreorder
	.set	noat
	.text

#define BEGIN(n)	.globl n; n:
#define END(n)		.globl n##_end; n##_end:

/* Echo: swap the Ethernet addresses, count the message in data[0], note its byte 14
 * (masked) in the data region, reply with the same length. */
BEGIN(ash_echo)
	lhu	$t0, 0($a0)
	lhu	$t1, 6($a0)
	lhu	$t2, 2($a0)
	sh	$t1, 0($a0)
	sh	$t0, 6($a0)
	lhu	$t0, 8($a0)
	lhu	$t1, 4($a0)
	sh	$t2, 8($a0)
	lhu	$t2, 10($a0)
	sh	$t0, 2($a0)
	sh	$t1, 10($a0)
	sh	$t2, 4($a0)
	lw	$t0, 0($a2)
	lbu	$t1, 14($a0)
	addiu	$t0, $t0, 1
	sw	$t0, 0($a2)
	andi	$t9, $t1, 0xfc			/* sandboxed: data + (byte & 0xfc) + 4 */
	addu	$t9, $t9, $a2
	sw	$t0, 4($t9)
	li	$v0, ASH_REPLY
	jr	$ra
	move	$v1, $a1
END(ash_echo)

/* Hand the message on: copy it into the data region at 16 and queue it for the owner. */
BEGIN(ash_copyq)
	lui	$v1, 16
	jr	$ra
	li	$v0, ASH_COPY | ASH_QUEUE
END(ash_copyq)

/* What lies in the message buffer past the frame: its words at 256 and 1512 into data[0..1]. */
BEGIN(ash_peek)
	lw	$t0, 256($a0)
	lw	$t1, 1512($a0)
	sw	$t0, 0($a2)
	sw	$t1, 4($a2)
	jr	$ra
	move	$v0, $zero
END(ash_peek)

/* Hostile but valid: writes every register it may, the edges of both regions, asks for a
 * reply of an impossible length and a copy past the region (both dropped by the kernel). */
BEGIN(ash_hostile)
	li	$t0, -1
	move	$1, $t0
	move	$3, $t0
	move	$5, $t0
	move	$7, $t0
	move	$16, $t0
	move	$17, $t0
	move	$18, $t0
	move	$19, $t0
	move	$20, $t0
	move	$21, $t0
	move	$22, $t0
	move	$23, $t0
	move	$26, $t0
	move	$27, $t0
	move	$28, $t0
	move	$29, $t0
	move	$30, $t0
	sw	$t0, ASH_MSG_SIZE - 4($a0)
	sw	$t0, 256($a0)
	sw	$t0, ASH_TEST_DSIZE - 4($a2)
	sw	$t0, 0($a2)
	andi	$t9, $t0, ASH_TEST_DSIZE - 8	/* the largest masked index */
	addu	$t9, $a2, $t9
	sw	$t0, 4($t9)
	li	$v1, 0xffffffff
	li	$v0, ASH_REPLY | ASH_COPY
END(ash_hostile)

/* Exactly ASH_MAXINSNS instructions: accepted. */
BEGIN(ash_max)
	.rept	ASH_MAXINSNS
	nop
	.endr
END(ash_max)
/* One more: refused (ASH_R_SIZE). */
BEGIN(ash_over)
	.rept	ASH_MAXINSNS + 1
	nop
	.endr
END(ash_over)

/* ---- one per refusal; the refused instruction is the second (index 1) ---- */
BEGIN(bad_mtc0)
	nop
	mtc0	$zero, $12
END(bad_mtc0)
BEGIN(bad_rfe)
	nop
	rfe
END(bad_rfe)
BEGIN(bad_syscall)
	nop
	syscall
END(bad_syscall)
BEGIN(bad_break)
	nop
	break	0
END(bad_break)
BEGIN(bad_tlbwi)
	nop
	tlbwi
END(bad_tlbwi)
BEGIN(bad_add)				/* traps on overflow */
	nop
	add	$t0, $t1, $t2
END(bad_add)
BEGIN(bad_back)
1:	addiu	$t0, $t0, 1
	bne	$t0, $zero, 1b
	nop
END(bad_back)
BEGIN(bad_jr)
	nop
	jr	$t0
	nop
END(bad_jr)
BEGIN(bad_jalr)
	nop
	jalr	$t0
	nop
END(bad_jalr)
BEGIN(bad_j)
	nop
	j	ash_echo
	nop
END(bad_j)
BEGIN(bad_out)				/* a branch past the end */
	nop
	beq	$zero, $zero, 1f
	nop
END(bad_out)
	nop
1:	nop
BEGIN(bad_ra)
	nop
	move	$ra, $zero
END(bad_ra)
BEGIN(bad_a0)
	nop
	addiu	$a0, $a0, 4
END(bad_a0)
BEGIN(bad_a2)
	nop
	lw	$a2, 0($a0)
END(bad_a2)
BEGIN(bad_store_oob)			/* one word past the data region */
	nop
	sw	$t0, ASH_TEST_DSIZE($a2)
END(bad_store_oob)
BEGIN(bad_store_msg_oob)
	nop
	sb	$t0, ASH_MSG_SIZE($a0)
END(bad_store_msg_oob)
BEGIN(bad_store_neg)
	nop
	sw	$t0, -4($a2)
END(bad_store_neg)
BEGIN(bad_store_base)			/* any other base register */
	nop
	sw	$t0, 0($sp)
END(bad_store_base)
BEGIN(bad_load_base)
	nop
	lw	$t0, 0($t1)
END(bad_load_base)
BEGIN(bad_unaligned)
	nop
	sw	$t0, 2($a2)
END(bad_unaligned)
BEGIN(bad_mask)				/* mask wider than the region */
	andi	$t9, $t1, 0xfffc
	addu	$t9, $t9, $a2
	sw	$t0, 0($t9)
END(bad_mask)
BEGIN(bad_mask_odd)			/* the mask lets an unaligned index through */
	andi	$t9, $t1, 0xff
	addu	$t9, $t9, $a2
	sw	$t0, 0($t9)
END(bad_mask_odd)
BEGIN(bad_no_mask)			/* t9 not masked right before */
	addu	$t9, $t1, $a2
	nop
	sw	$t0, 0($t9)
END(bad_no_mask)
BEGIN(bad_into_pair)			/* a branch lands between the mask and the access */
	beq	$t1, $zero, 1f
	andi	$t9, $t1, 0xfc
1:	addu	$t9, $t9, $a2
	sw	$t0, 0($t9)
END(bad_into_pair)
BEGIN(bad_hazard)
	lw	$t0, 0($a2)
	addiu	$t0, $t0, 1
END(bad_hazard)
BEGIN(bad_slot)
	beq	$zero, $zero, 1f
	bne	$t0, $zero, 1f
	nop
1:	nop
END(bad_slot)
BEGIN(bad_last)				/* a branch as the last instruction */
	nop
	beq	$t0, $zero, 1f
1:
END(bad_last)
BEGIN(bad_lwc1)
	nop
	lwc1	$f0, 0($a2)
END(bad_lwc1)
