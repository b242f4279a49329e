/*
 * tlb.S - TLB primitives (Ultrix 4.2 sys/machine/mips/tlb.s: tlbdropin,
 * unmaptlb, flush_tlb).  Each preserves EntryHi, whose ASID field is the
 * current process's ASID.  tlb_dropin and tlb_unmap run with interrupts
 * off, saving and restoring SR, as Ultrix's tlbdropin/unmaptlb do (an
 * interrupt could take a TLB miss that rewrites the CP0 registers).
 */
#include "kern.h"

	.set	noreorder

/* tlb_dropin(hi, lo): probe for hi; overwrite the match in place, else tlbwr. */
	.globl	tlb_dropin
	.ent	tlb_dropin
tlb_dropin:
	mfc0	$t2, $C0_STATUS
	mfc0	$t0, $C0_ENTRYHI
	mtc0	$zero, $C0_STATUS	/* no interrupts */
#ifdef ATTR_TLB_STLB
	bltz	$a0, 2f			/* kseg2 (page-table window): not a utlbmiss entry */
	srl	$t3, $a0, STLB_SHIFT_A	/* (delay) */
	srl	$t1, $a0, STLB_SHIFT_B
	xor	$t1, $t1, $t3
	andi	$t1, $t1, STLB_OFF_MASK
	la	$t3, stlb
	addu	$t1, $t1, $t3
	sw	$a0, 0($t1)		/* the software TLB holds what the TLB does */
	sw	$a1, 4($t1)
2:
#endif
	mtc0	$a0, $C0_ENTRYHI
	nop				/* let EntryHi through the pipe before tlbp */
	tlbp
	mfc0	$t1, $C0_INDEX
	mtc0	$a1, $C0_ENTRYLO
	bltz	$t1, 1f			/* P set: no match */
	nop
	tlbwi
	mtc0	$t0, $C0_ENTRYHI
	j	$ra
	mtc0	$t2, $C0_STATUS
1:	tlbwr
	mtc0	$t0, $C0_ENTRYHI
	j	$ra
	mtc0	$t2, $C0_STATUS
	.end	tlb_dropin

/* tlb_unmap(hi): if hi is in the TLB, point that entry at a unique kseg0 VPN
 * (never matched: kseg0 is unmapped) with EntryLo 0. */
	.globl	tlb_unmap
	.ent	tlb_unmap
tlb_unmap:
	mfc0	$t4, $C0_STATUS
	mfc0	$t0, $C0_ENTRYHI
	mtc0	$zero, $C0_STATUS	/* no interrupts */
#ifdef ATTR_TLB_STLB
	srl	$t3, $a0, STLB_SHIFT_A	/* drop hi's software-TLB entry too */
	srl	$t1, $a0, STLB_SHIFT_B
	xor	$t1, $t1, $t3
	andi	$t1, $t1, STLB_OFF_MASK
	la	$t3, stlb
	addu	$t1, $t1, $t3
	lw	$t3, 0($t1)
	li	$t2, STLB_EMPTY
	bne	$t3, $a0, 2f
	nop
	sw	$t2, 0($t1)
2:
#endif
	mtc0	$a0, $C0_ENTRYHI
	nop
	tlbp
	mfc0	$t1, $C0_INDEX
	nop
	bltz	$t1, 1f
	sll	$t2, $t1, PAGE_SHIFT - INDEX_SHIFT	/* (delay) index << 12 */
	li	$t3, KSEG0_BASE
	or	$t2, $t2, $t3
	mtc0	$t2, $C0_ENTRYHI
	mtc0	$zero, $C0_ENTRYLO
	nop
	tlbwi
1:	mtc0	$t0, $C0_ENTRYHI
	j	$ra
	mtc0	$t4, $C0_STATUS
	.end	tlb_unmap

/* tlb_write_indexed(index, hi, lo) */
	.globl	tlb_write_indexed
	.ent	tlb_write_indexed
tlb_write_indexed:
	mfc0	$t0, $C0_ENTRYHI
	sll	$a0, $a0, INDEX_SHIFT
	mtc0	$a0, $C0_INDEX
	mtc0	$a1, $C0_ENTRYHI
	mtc0	$a2, $C0_ENTRYLO
	nop
	tlbwi
	j	$ra
	mtc0	$t0, $C0_ENTRYHI
	.end	tlb_write_indexed

/* tlb_flush_nonwired(): invalidate entries TLB_NWIRED..63 (Ultrix flush_tlb). */
	.globl	tlb_flush_nonwired
	.ent	tlb_flush_nonwired
tlb_flush_nonwired:
#ifdef ATTR_TLB_STLB
	la	$t1, stlb		/* empty the whole software TLB (ASID rollover) */
	li	$t2, STLB_NENTRIES * STLB_ENTRY_SIZE
	addu	$t2, $t2, $t1
	li	$t3, STLB_EMPTY
3:	addiu	$t1, $t1, STLB_ENTRY_SIZE
	bne	$t1, $t2, 3b
	sw	$t3, -STLB_ENTRY_SIZE($t1)	/* (delay) */
#endif
	mfc0	$t0, $C0_ENTRYHI
	mtc0	$zero, $C0_ENTRYLO
	li	$t1, TLB_NWIRED << INDEX_SHIFT
	li	$t2, TLB_NENTRIES << INDEX_SHIFT
	li	$t3, KSEG0_BASE | (TLB_NWIRED << PAGE_SHIFT)
1:	mtc0	$t1, $C0_INDEX
	mtc0	$t3, $C0_ENTRYHI
	addiu	$t1, $t1, 1 << INDEX_SHIFT
	addiu	$t3, $t3, PAGE_SIZE
	bne	$t1, $t2, 1b
	tlbwi				/* (delay) */
	j	$ra
	mtc0	$t0, $C0_ENTRYHI
	.end	tlb_flush_nonwired

/* tlb_set_asid(asid): the ASID every mapped access now uses. */
	.globl	tlb_set_asid
	.ent	tlb_set_asid
tlb_set_asid:
	sll	$a0, $a0, ENTRYHI_ASID_SHIFT
	j	$ra
	mtc0	$a0, $C0_ENTRYHI
	.end	tlb_set_asid

#ifdef ATTR_TLB_STLB
/* The software TLB (kern.h): zeroed with the bss (tag 0 never matches). */
	.bss
	.align	16			/* 64 KiB: utlbmiss relies on %lo(stlb) == 0 */
	.globl	stlb
stlb:
	.space	STLB_NENTRIES * STLB_ENTRY_SIZE
#endif
