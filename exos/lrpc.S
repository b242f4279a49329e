/*
 * lrpc.S - lrpc and tlrpc over Aegis's synchronous protected control
 * transfer.  The message travels in registers: a call carries a0-a2 (the
 * arguments) and a3 (the caller's env id); the reply carries the result in
 * a0 (v0/v1 are the kernel's: syscall number and target).
 *
 * exos_sync_entry is every ExOS environment's sync entry point.  If this
 * environment is waiting for a reply, the reply continues the caller of
 * exos_lrpc_call.  Otherwise it is a call: run the handler on the server
 * stack and transfer back.  lrpc's server saves and restores the
 * callee-saved registers itself, so the client's survive even a handler
 * that breaks the calling convention; tlrpc trusts the handler and saves
 * nothing.
 */
#include "exos.h"

	.set	noreorder
	.set	noat

/* struct lrpc_client { sp, ra, waiting, error } */
#define LC_SP       0
#define LC_RA       4
#define LC_WAITING  8
#define LC_ERROR    12
/* struct lrpc_server { stack top, handler, trusted, client, saved s0-s8/gp, busy } */
#define LS_SP       0
#define LS_HANDLER  4
#define LS_TRUSTED  8
#define LS_CLIENT   12
#define LS_SAVE     16
#define LS_BUSY     56

	.bss
	.align	3
	.globl	lrpc_client, lrpc_server
lrpc_client:
	.space	16
lrpc_server:
	.space	LS_BUSY + 4

/*
 * The call: save where the reply continues, transfer.  A transfer that works
 * never comes back here (the reply enters at exos_sync_entry, which returns to
 * our caller); only a failed one does, with the error in v0 and v1 (the
 * server), a0-a2 and t0 as we set them (Aegis's PCT failure path changes v0
 * only).
 */
	.macro	lrpc_transfer
	la	$t0, lrpc_client
	sw	$sp, LC_SP($t0)
	sw	$ra, LC_RA($t0)
	li	$t1, 1
	sw	$t1, LC_WAITING($t0)
	move	$v1, $a0			/* the server */
	move	$a0, $a1
	move	$a1, $a2
	move	$a2, $a3
	lw	$a3, UAREA_VADDR+SA_ENVID($zero)
	li	$v0, SYS_PCT_SYNC
	syscall
	sw	$zero, LC_WAITING($t0)		/* failed */
	.endm

	.text
	.globl	exos_lrpc_call, exos_tlrpc_call
exos_lrpc_call:
exos_tlrpc_call:			/* the client side is the same */
	lrpc_transfer
	li	$t1, AE_EBUSY
	beq	$v0, $t1, 1f
	nop
	jr	$ra				/* no such server: v0 = AE_ESRCH */
	nop
	/* Busy: the server has a saved context of its own (preempted before it
	 * waited for calls).  exos_lrpc_busy (lrpc.c) lets it run and calls again;
	 * it returns to our caller.  A call that transfers never gets here. */
1:	move	$a3, $a2
	move	$a2, $a1
	move	$a1, $a0
	j	exos_lrpc_busy
	move	$a0, $v1

/* One attempt for exos_lrpc_busy: a failed transfer returns its error in v0 and
 * records it in lrpc_client.error (a reply may be any word, an error too). */
	.globl	exos_lrpc_try
exos_lrpc_try:
	lrpc_transfer
	jr	$ra
	sw	$v0, LC_ERROR($t0)

	.globl	exos_sync_entry
exos_sync_entry:
	la	$t0, lrpc_client
	lw	$t1, LC_WAITING($t0)
	nop
	beqz	$t1, 1f
	nop
	/* a reply: back to exos_lrpc_call's caller with the result */
	lw	$ra, LC_RA($t0)
	lw	$sp, LC_SP($t0)
	sw	$zero, LC_WAITING($t0)
	jr	$ra
	move	$v0, $a0

1:	/* a call */
	la	$t0, lrpc_server
	lw	$t9, LS_HANDLER($t0)
	lw	$t1, LS_BUSY($t0)
	beqz	$t9, 5f				/* not a server (yet): refuse */
	nop
	bnez	$t1, 5f				/* single-threaded: one call at a time */
	li	$t1, 1
	sw	$t1, LS_BUSY($t0)
	lw	$sp, LS_SP($t0)
	lw	$t1, LS_TRUSTED($t0)
	sw	$a3, LS_CLIENT($t0)
	bnez	$t1, 2f
	nop
	sw	$s0, LS_SAVE+0($t0)
	sw	$s1, LS_SAVE+4($t0)
	sw	$s2, LS_SAVE+8($t0)
	sw	$s3, LS_SAVE+12($t0)
	sw	$s4, LS_SAVE+16($t0)
	sw	$s5, LS_SAVE+20($t0)
	sw	$s6, LS_SAVE+24($t0)
	sw	$s7, LS_SAVE+28($t0)
	sw	$s8, LS_SAVE+32($t0)
	sw	$gp, LS_SAVE+36($t0)
	jalr	$t9
	nop
	la	$t0, lrpc_server
	lw	$s0, LS_SAVE+0($t0)
	lw	$s1, LS_SAVE+4($t0)
	lw	$s2, LS_SAVE+8($t0)
	lw	$s3, LS_SAVE+12($t0)
	lw	$s4, LS_SAVE+16($t0)
	lw	$s5, LS_SAVE+20($t0)
	lw	$s6, LS_SAVE+24($t0)
	lw	$s7, LS_SAVE+28($t0)
	lw	$s8, LS_SAVE+32($t0)
	b	3f
	lw	$gp, LS_SAVE+36($t0)
2:	jalr	$t9				/* tlrpc: trust the handler */
	nop
	la	$t0, lrpc_server
3:	lw	$v1, LS_CLIENT($t0)
	sw	$zero, LS_BUSY($t0)
	move	$a0, $v0
	li	$v0, SYS_PCT_SYNC
	syscall
	/* the client is gone: wait for the next call */
4:	li	$v0, SYS_PCT_WAIT
	syscall
	b	4b
	nop
	/* Refuse the call: reply AE_ESRCH to the caller (a3).  Our own context,
	 * if the kernel saved one, is untouched and will be resumed. */
5:	move	$v1, $a3
	li	$a0, AE_ESRCH
	li	$v0, SYS_PCT_SYNC
	syscall
	b	4b
	nop

/*
 * Asynchronous PCT.  exos_async_send(target, a1, a2, a3): the message is
 * a1-a3 (a0 = the target's id on arrival).  The caller's context is not
 * saved by Aegis, so save what the C caller expects to survive and resume
 * from the slice-start entry when this environment next gets a slice.
 */
/* struct async_client { sp, ra, pending, s0-s8, gp } */
#define AC_SP       0
#define AC_RA       4
#define AC_PENDING  8
#define AC_S        12

	.bss
	.align	3
	.globl	async_client, async_server_sp, async_server_handler
async_client:
	.space	AC_S + 40
async_server_sp:
	.space	4
async_server_handler:
	.space	4

/* The send: save what the C caller expects to survive, transfer.  Only a failed
 * transfer comes back here, with the error in v0 and v1 (the target), a1-a3 and
 * t0 as we set them. */
	.macro	async_transfer
	la	$t0, async_client
	sw	$sp, AC_SP($t0)
	sw	$ra, AC_RA($t0)
	sw	$s0, AC_S+0($t0)
	sw	$s1, AC_S+4($t0)
	sw	$s2, AC_S+8($t0)
	sw	$s3, AC_S+12($t0)
	sw	$s4, AC_S+16($t0)
	sw	$s5, AC_S+20($t0)
	sw	$s6, AC_S+24($t0)
	sw	$s7, AC_S+28($t0)
	sw	$s8, AC_S+32($t0)
	sw	$gp, AC_S+36($t0)
	li	$t1, 1
	sw	$t1, AC_PENDING($t0)
	move	$v1, $a0
	li	$v0, SYS_PCT_ASYNC
	syscall
	sw	$zero, AC_PENDING($t0)		/* failed: v0 = error */
	.endm

	.text
	.globl	exos_async_send_raw
exos_async_send_raw:
	async_transfer
	li	$t1, AE_EBUSY
	beq	$v0, $t1, 1f
	nop
	jr	$ra				/* no such receiver: v0 = AE_ESRCH */
	nop
	/* Busy: the receiver has a saved context of its own (see exos_lrpc_call);
	 * exos_async_busy (lrpc.c) lets it run and sends again, returning to our caller. */
1:	j	exos_async_busy
	move	$a0, $v1

/* One attempt for exos_async_busy: a failed transfer returns its error in v0. */
	.globl	exos_async_try
exos_async_try:
	async_transfer
	jr	$ra
	nop

/* Slice start without a saved context: finish a pending async send, else wait. */
	.globl	exos_slice_entry
exos_slice_entry:
	la	$t0, async_client
	lw	$t1, AC_PENDING($t0)
	nop
	beqz	$t1, 1f
	nop
	sw	$zero, AC_PENDING($t0)
	lw	$sp, AC_SP($t0)
	lw	$ra, AC_RA($t0)
	lw	$s0, AC_S+0($t0)
	lw	$s1, AC_S+4($t0)
	lw	$s2, AC_S+8($t0)
	lw	$s3, AC_S+12($t0)
	lw	$s4, AC_S+16($t0)
	lw	$s5, AC_S+20($t0)
	lw	$s6, AC_S+24($t0)
	lw	$s7, AC_S+28($t0)
	lw	$s8, AC_S+32($t0)
	lw	$gp, AC_S+36($t0)
	jr	$ra
	move	$v0, $zero
1:	li	$v0, SYS_PCT_WAIT
	syscall
	b	exos_slice_entry
	nop

/* The async entry of a receiver: run the handler on our own stack, then wait for the next message. */
	.globl	exos_async_entry
exos_async_entry:
	la	$t0, async_server_sp
	lw	$sp, 0($t0)
	lw	$t9, 4($t0)
	nop
	beqz	$t9, 1f
	nop
	jalr	$t9				/* handler(a0 = our id, a1, a2, a3) */
	nop
1:	li	$v0, SYS_PCT_WAIT
	syscall
	b	1b
	nop
