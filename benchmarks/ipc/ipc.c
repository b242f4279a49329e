/*
 * ipc.c - Table 8, the client side: a word-sized message ping-pong with a second process
 * (ipc_peer.c), measured per round trip.
 *
 * kind 0 pipe: write a word into one pipe, read the reply from another;
 * kind 1 shm:  a counter in a shared page, bumped in turn; each side hands the CPU to the
 *              other while it waits.
 * Validation: every reply is the request plus one, in order, and the peer saw all n.
 */
#include "benchutil.h"
#include "ipc.h"

int main(void)
{
	uint32_t n = os_param("n", 1000), kind = os_param("kind", 0), bad = 0;
	volatile struct ipc_shm *s = (volatile struct ipc_shm *)IPC_SHM_VADDR;
	int peer, req[2], rep[2];

	if (os_shm_map(IPC_SHM_VADDR, 1, IPC_SHM_KEY) != OS_OK)
		bench_finish(0);
	s->counter = 0;
	s->client = os_self();
	if (kind == IPC_PIPE) {
		if (os_pipe(req) != OS_OK || os_pipe(rep) != OS_OK)
			bench_finish(0);
		s->req[0] = req[0], s->req[1] = req[1], s->rep[0] = rep[0], s->rep[1] = rep[1];
	}
	if ((peer = os_spawn(IPC_PEER)) < 0)
		bench_finish(0);

	if (kind == IPC_PIPE) {
		for (uint32_t i = 0; i < n + IPC_WARMUP; i++) {
			uint32_t msg = i * 2, reply = 0;
			if (i == IPC_WARMUP)
				bench_marker(BENCH_MARK_START);
			bad |= (uint32_t)os_write(req[1], &msg, 4) ^ 4u;
			bad |= (uint32_t)os_read(rep[0], &reply, 4) ^ 4u;
			bad |= reply ^ (msg + 1);
		}
		bench_marker(BENCH_MARK_END);
	} else if (kind == IPC_SHM) {
		for (uint32_t i = 0; i < n + IPC_WARMUP; i++) {
			if (i == IPC_WARMUP)
				bench_marker(BENCH_MARK_START);
			s->counter++;                   /* odd: the peer's turn */
			while (s->counter & 1)
				os_yield(peer);
			bad |= s->counter ^ (2 * (i + 1));
		}
		bench_marker(BENCH_MARK_END);
		s->counter = IPC_SHM_DONE;
		os_yield(peer);
	} else {
		bench_finish(0);
	}
	bench_result("round_trips", n);
	bench_finish(bad == 0);
}
