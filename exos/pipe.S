/*
 * pipe.S - os_write and os_read's common case: one word, aligned, through
 * a ring this environment has already looked up (exos_fd_ring[fd] != 0):
 * a leaf without a stack frame.  os_write needs room; os_read waits for data
 * by directed yield to the writer, keeping fd and buf in s0/s1 (the yield
 * keeps s0-s8, sp, ra; a0-a3, t*, v* are lost).  Anything else -- another
 * size or alignment, the first use of an fd, a bad fd, a full ring, fewer
 * than 4 bytes after waiting -- goes to the C versions in ipc.c, which
 * handle every case.  Each end records its env id for the other's yield,
 * with a store only when it changes; the word goes into the ring before
 * head (or out of it before tail) moves.
 */
#include "exos.h"

	.set	noreorder
	.set	noat
	.text

/* t2 = exos_fd_ring[a0], t3 = the ring's word at `first`, if 0 <= a0 < 2 * EXOS_NPIPES,
 * a2 == 4, a1 is aligned, a0 is the right end (low bit `end`) and the ring has been
 * looked up; otherwise go to `slow` (t0, t1 scratch). */
	.macro	fast_fd end, slow, first
	sltiu	$t0, $a0, 2 * EXOS_NPIPES
	beqz	$t0, \slow
	sll	$t1, $a0, 2
	lw	$t2, UAREA_VADDR + UA_FD_RING($t1)	/* the ring, 0 until looked up */
	xori	$t0, $a2, 4			/* not a word */
	.if	\end
	xori	$t1, $a0, 1
	andi	$t1, $t1, 1			/* the read end */
	.else
	andi	$t1, $a0, 1			/* the write end */
	.endif
	or	$t0, $t0, $t1
	andi	$t1, $a1, 3			/* buf not aligned */
	beqz	$t2, \slow
	or	$t0, $t0, $t1
	bnez	$t0, \slow
	lw	$t3, \first($t2)		/* (harmless on the way out: t2 is a ring) */
	.endm

	.globl	os_write
	.type	os_write, @function
os_write:					/* a0 = fd, a1 = buf, a2 = n */
	fast_fd	1, exos_pipe_write, RING_HEAD
	lw	$t4, RING_TAIL($t2)
	lw	$t5, 0($a1)			/* the word */
	subu	$t4, $t3, $t4			/* bytes in the ring */
	sltiu	$t4, $t4, RING_SIZE - 3		/* room for a word */
	andi	$t6, $t3, 3
	beqz	$t4, exos_pipe_write		/* full: C waits */
	lw	$t7, UAREA_VADDR + SA_ENVID($zero)
	bnez	$t6, exos_pipe_write		/* head not aligned */
	lw	$t8, RING_WRITER($t2)
	andi	$t6, $t3, RING_SIZE - 1
	addu	$t6, $t6, $t2
	beq	$t7, $t8, 1f
	sw	$t5, RING_BUF($t6)		/* the word in */
	sw	$t7, RING_WRITER($t2)
1:	addiu	$t3, $t3, 4
	sw	$t3, RING_HEAD($t2)		/* then head says so */
	jr	$ra
	li	$v0, 4
	.size	os_write, . - os_write

	.globl	os_read
	.type	os_read, @function
os_read:					/* a0 = fd, a1 = buf, a2 = n */
	fast_fd	0, exos_pipe_read, RING_TAIL
	lw	$t7, UAREA_VADDR + SA_ENVID($zero)
	lw	$t8, RING_READER($t2)
	andi	$t6, $t3, 3
	bnez	$t6, exos_pipe_read		/* tail not aligned */
	lw	$t4, RING_HEAD($t2)
	beq	$t7, $t8, 1f
	subu	$t5, $t4, $t3			/* bytes in the ring */
	sw	$t7, RING_READER($t2)		/* before waiting: the writer yields to us by name */
1:	bnez	$t5, 3f				/* data */
	andi	$t6, $t3, RING_SIZE - 1
	addiu	$sp, $sp, -8			/* empty: wait, fd and buf in s0/s1 */
	sw	$s0, 0($sp)
	sw	$s1, 4($sp)
	move	$s0, $a0
	move	$s1, $a1
2:	lw	$a0, RING_WRITER($t2)
	li	$v0, SYS_YIELD
	syscall
	sll	$t1, $s0, 2
	lw	$t2, UAREA_VADDR + UA_FD_RING($t1)
	nop
	lw	$t4, RING_HEAD($t2)
	lw	$t3, RING_TAIL($t2)
	nop
	subu	$t5, $t4, $t3
	beqz	$t5, 2b
	move	$a0, $s0
	move	$a1, $s1
	lw	$s0, 0($sp)
	lw	$s1, 4($sp)
	addiu	$sp, $sp, 8
	andi	$t6, $t3, RING_SIZE - 1
3:	sltiu	$t5, $t5, 4
	bnez	$t5, exos_pipe_read		/* less than a word: C returns what there is */
	addu	$t6, $t6, $t2
	lw	$t5, RING_BUF($t6)		/* the word out */
	addiu	$t3, $t3, 4
	sw	$t5, 0($a1)
	sw	$t3, RING_TAIL($t2)		/* then tail frees it */
	jr	$ra
	li	$v0, 4
	.size	os_read, . - os_read
