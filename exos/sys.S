/*
 * sys.S - Aegis system-call stubs.  A syscall is a function call: v0 = the
 * number, a0..a3 the arguments, v0 (v1) the result.
 */
#include "aegis.h"

	.set	noreorder
	.text

#define STUB(name, num)		\
	.globl	name;		\
	.type	name, @function;	\
name:				\
	li	$v0, num;	\
	syscall;		\
	jr	$ra;		\
	nop

STUB(ae_null, SYS_NULL)
STUB(ae_null_stack, SYS_NULL_STACK)
STUB(ae_exit, SYS_EXIT)
STUB(ae_yield, SYS_YIELD)
STUB(ae_set_handler, SYS_SET_HANDLER)
STUB(ae_set_entry, SYS_SET_ENTRY)
STUB(ae_page_alloc, SYS_PAGE_ALLOC)
STUB(ae_page_free, SYS_PAGE_FREE)
STUB(ae_cap_ro, SYS_CAP_RO)
STUB(ae_tlb_map, SYS_TLB_MAP)
STUB(ae_tlb_unmap, SYS_TLB_UNMAP)
STUB(ae_env_create, SYS_ENV_CREATE)
STUB(ae_env_destroy, SYS_ENV_DESTROY)
STUB(ae_pct_wait, SYS_PCT_WAIT)
STUB(ae_env_alive, SYS_ENV_ALIVE)
STUB(ae_page_give, SYS_PAGE_GIVE)
STUB(ae_tlb_flush, SYS_TLB_FLUSH)
STUB(ae_tlb_mapv, SYS_TLB_MAPV)
STUB(ae_tlb_rdonly, SYS_TLB_RDONLY)
STUB(ae_ash_download, SYS_ASH_DOWNLOAD)
STUB(ae_net_deliver, SYS_NET_DELIVER)
STUB(ae_net_recv, SYS_NET_RECV)
STUB(ae_net_send, SYS_NET_SEND)
STUB(ae_net_station, SYS_NET_STATION)
STUB(dpf_insert_atoms, SYS_DPF_INSERT)

/* PCT: target in v1.  Returns here only when the transfer failed. */
	.globl	ae_pct_sync
ae_pct_sync:
	move	$v1, $a0
	li	$v0, SYS_PCT_SYNC
	syscall
	jr	$ra
	nop

	.globl	ae_pct_async
ae_pct_async:
	move	$v1, $a0
	li	$v0, SYS_PCT_ASYNC
	syscall
	jr	$ra
	nop
