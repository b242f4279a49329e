/* lrpc.c - becoming an lrpc server (the transfer paths are in lrpc.S). */
#include "exos.h"

struct lrpc_client_state {
	uint32_t sp, ra, waiting;
	int32_t error;          /* set by exos_lrpc_try when a transfer fails */
};
extern struct lrpc_client_state lrpc_client;
uint32_t exos_lrpc_try(int server, uint32_t a0, uint32_t a1, uint32_t a2);

struct lrpc_server_state {
	uint32_t sp;
	lrpc_handler_t handler;
	uint32_t trusted;
	uint32_t client;
	uint32_t save[10];
	uint32_t busy;
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

/*
 * exos_lrpc_busy - a call that found the server busy (AE_EBUSY): the server
 * holds a saved context of its own, i.e. it was preempted running its own code
 * before it reached its wait for calls (Aegis keeps one context per
 * environment and refuses to stack a call on it).  Give it the CPU so that it
 * gets there, then call again, at most LRPC_BUSY_TRIES times.  Returns the
 * reply, or the last error (AE_EBUSY for a server that never waits, AE_ESRCH
 * for one that went away).  Reached only from exos_lrpc_call's failure path:
 * a call that transfers pays nothing for it.
 */
#define LRPC_BUSY_TRIES 64
uint32_t exos_lrpc_busy(int server, uint32_t a0, uint32_t a1, uint32_t a2)
{
	for (int i = 0; i < LRPC_BUSY_TRIES; i++) {
		exos_yield(server);
		lrpc_client.error = 0;
		uint32_t r = exos_lrpc_try(server, a0, a1, a2);
		if (lrpc_client.error != AE_EBUSY)
			return r;
	}
	return (uint32_t)AE_EBUSY;
}

/* ---- asynchronous PCT ---- */
typedef void (*async_handler_t)(uint32_t self, uint32_t a1, uint32_t a2, uint32_t a3);
extern uint32_t async_server_sp;
extern async_handler_t async_server_handler;
void exos_async_entry(void);
void exos_slice_entry(void);
int exos_async_send_raw(int target, uint32_t a1, uint32_t a2, uint32_t a3);
int exos_async_try(int target, uint32_t a1, uint32_t a2, uint32_t a3);
static uint8_t async_stack[8192] __attribute__((aligned(8)));
static int slice_entry_set;

/* Receive asynchronous messages from now on: each runs h, then the env waits again. */
void exos_async_serve(async_handler_t h)
{
	async_server_sp = (uint32_t)(uintptr_t)(async_stack + sizeof async_stack - 16);
	async_server_handler = h;
	ae_set_entry(AE_ENTRY_ASYNC, (uint32_t)(uintptr_t)exos_async_entry);
	for (;;)
		ae_pct_wait();
}

/*
 * exos_async_busy - a send that found the receiver busy (AE_EBUSY, as for
 * exos_lrpc_busy): let it run until it waits, then send again, at most
 * LRPC_BUSY_TRIES times.  Returns 0 once sent (when this env next gets a
 * slice), else the last error.  Reached only from the send's failure path.
 */
int exos_async_busy(int target, uint32_t a1, uint32_t a2, uint32_t a3)
{
	int r = AE_EBUSY;
	for (int i = 0; i < LRPC_BUSY_TRIES && r == AE_EBUSY; i++) {
		exos_yield(target);
		r = exos_async_try(target, a1, a2, a3);
	}
	return r;
}

/* Send a1-a3 to target by asynchronous PCT; returns when this env next gets a slice. */
int exos_async_send(int target, uint32_t a1, uint32_t a2, uint32_t a3)
{
	if (!slice_entry_set) {
		ae_set_entry(AE_ENTRY_SLICE, (uint32_t)(uintptr_t)exos_slice_entry);
		slice_entry_set = 1;
	}
	return exos_async_send_raw(target, a1, a2, a3);
}
