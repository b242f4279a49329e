/* lrpc.c - becoming an lrpc server (the transfer paths are in lrpc.S). */
#include "exos.h"

struct lrpc_server_state {
	uint32_t sp;
	lrpc_handler_t handler;
	uint32_t trusted;
	uint32_t client;
	uint32_t save[10];
};
extern struct lrpc_server_state lrpc_server;
void exos_sync_entry(void);

static uint8_t server_stack[8192] __attribute__((aligned(8)));

void exos_lrpc_serve(lrpc_handler_t h, int trusted)
{
	lrpc_server.sp = (uint32_t)(uintptr_t)(server_stack + sizeof server_stack - 16);
	lrpc_server.handler = h;
	lrpc_server.trusted = (uint32_t)trusted;
	ae_set_entry(AE_ENTRY_SYNC, (uint32_t)(uintptr_t)exos_sync_entry);
	for (;;)
		ae_pct_wait();          /* from now on calls enter at exos_sync_entry */
}
