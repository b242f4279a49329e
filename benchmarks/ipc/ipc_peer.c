/*
 * ipc_peer.c - Table 8, the server side of ipc.c: answers each message with message + 1
 * (pipe, pipe', lrpc, tlrpc), or bumps the shared counter back to even (shm).
 */
#include "benchutil.h"
#include "ipc.h"
#ifdef EXOBENCH_SYSTEM_AEGIS
#include "exos.h"

static uint32_t plus_one(uint32_t a0, uint32_t a1, uint32_t a2)
{
	return a1 == 1 && a2 == 2 ? a0 + 1 : 0;
}
#endif

int main(void)
{
	uint32_t n = os_param("n", 1000), kind = os_param("kind", 0), seen = 0;
	volatile struct ipc_shm *s = (volatile struct ipc_shm *)IPC_SHM_VADDR;

	if (os_shm_map(IPC_SHM_VADDR, 1, IPC_SHM_KEY) != OS_OK)
		os_exit(1);
	int in = s->req[0], out = s->rep[1];
#ifdef EXOBENCH_SYSTEM_AEGIS
	if (kind == IPC_LRPC || kind == IPC_TLRPC) {
		s->ready = 1;
		exos_lrpc_serve(plus_one, kind == IPC_TLRPC);
	}
#endif
	if (kind == IPC_SHM) {
		ipc_shm_setup();
		s->ready = 1;
		for (;;) {
			IPC_SHM_WAIT(s->client, (s->counter & 1) || s->counter == IPC_SHM_DONE);
			if (s->counter == IPC_SHM_DONE)
				break;
			s->counter++;
			seen++;
			IPC_SHM_PASS(s->client);
		}
		os_exit(seen == n + IPC_WARMUP ? 0 : 1);
	}
	s->ready = 1;
	/* Serve until the client says IPC_QUIT, after its timed loop. */
	for (;;) {
		uint32_t msg[3];
#ifdef EXOBENCH_SYSTEM_AEGIS
		if (kind == IPC_PIPE_INLINE) {
			uint32_t w = exos_pipe_get_word(exos_pipe_ring(in));
			if (w == IPC_QUIT)
				break;
			exos_pipe_put_word(exos_pipe_ring(out), w + 1);
			seen++;
			continue;
		}
#endif
		uint32_t len = kind == IPC_LRPC ? 12 : 4;     /* the baseline's RPC: three words */
		if (os_read(in, msg, len) != (int)len)
			os_exit(1);
		if (msg[0] == IPC_QUIT)
			break;
		msg[0] = kind == IPC_LRPC ? (msg[1] == 1 && msg[2] == 2 ? msg[0] + 1 : 0) : msg[0] + 1;
		if (os_write(out, msg, 4) != 4)
			os_exit(1);
		seen++;
	}
	s->ready = IPC_PEER_DONE;
	os_exit(seen == n + IPC_WARMUP ? 0 : 1);
}
