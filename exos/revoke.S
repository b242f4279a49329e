/*
 * revoke.S - entries of ExOS's revocation and repossession upcalls (Aegis:
 * aegis/revoke.c), and the two system-call stubs.  Aegis enters with the
 * interrupted context in SA_ISAVE; each entry runs its C handler (revoke.c)
 * on the revocation stack through slice.S's exos_upcall_run, which then
 * resumes that context through exc.S's resume range, without the kernel.
 * A spinning revocation handler is abandoned by Aegis, which then enters the
 * repossession entry (same stack: the abandoned frame is dead) or resumes
 * the interrupted context itself.
 */
#include "exos.h"

	.set	noreorder
	.set	noat
	.bss
	.align	3
	.space	4096
revoke_stack_top:

	.text
	.globl	ae_page_reclaim
ae_page_reclaim:
	li	$v0, SYS_PAGE_RECLAIM
	syscall
	jr	$ra
	nop
	.globl	ae_revoke_done
ae_revoke_done:
	li	$v0, SYS_REVOKE_DONE
	syscall
	jr	$ra
	nop

	.globl	exos_revoke_entry
exos_revoke_entry:
	la	$t9, exos_revoke
	b	1f
	nop
	.globl	exos_repossess_entry
exos_repossess_entry:
	la	$t9, exos_repossess
1:	la	$t8, revoke_stack_top
	j	exos_upcall_run			/* slice.S: run t9 on this stack, then resume */
	nop
