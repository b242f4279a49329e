/*
 * ipc.c - Table 8, the client side: a word-sized message ping-pong with a second process
 * (ipc_peer.c), measured per round trip.
 *
 * kind 0 pipe:  write a word into one pipe, read the reply from another;
 * kind 1 shm:   a counter in a shared page, bumped in turn; each side hands the CPU to
 *               the other (ExOS: directed yield; baseline: kill + sigpause, see ipc.h);
 * kind 2 pipe': pipe with ExOS's read and write inlined into the program (Aegis only);
 * kind 3 lrpc:  call a procedure of the peer with three words, get one back: lrpc over
 *               synchronous PCT on ExOS (the server saves the callee-saved registers); on
 *               the baseline, a request and a reply through two pipes, the RPC a 1995
 *               Unix program between two local processes would make;
 * kind 4 tlrpc: lrpc with a trusted server that saves nothing (ExOS only, section 7.1).
 * Validation: every reply is the request plus one, in order, and the peer saw all n.
 */
#include "benchutil.h"
#include "ipc.h"
#ifdef EXOBENCH_SYSTEM_AEGIS
#include "exos.h"
#endif

#ifdef EXOBENCH_SYSTEM_AEGIS
#define ON_AEGIS 1
static inline void round_trip_quit_inline(int req[2])
{
	exos_pipe_put_word(exos_pipe_ring(req[1]), IPC_QUIT);
}
#else
#define ON_AEGIS 0
static inline void round_trip_quit_inline(int req[2]) { (void)req; }
#endif

/* One round trip of kind through the request/reply pipes or the system's RPC. */
static inline uint32_t round_trip(uint32_t kind, int peer, int req[2], int rep[2], uint32_t msg)
{
	uint32_t reply = 0;
	switch (kind) {
	case IPC_PIPE:
		if (os_write(req[1], &msg, 4) != 4 || os_read(rep[0], &reply, 4) != 4)
			return 0;
		return reply;
#ifdef EXOBENCH_SYSTEM_AEGIS
	case IPC_PIPE_INLINE:
		exos_pipe_put_word(exos_pipe_ring(req[1]), msg);
		return exos_pipe_get_word(exos_pipe_ring(rep[0]));
	case IPC_LRPC:
		return exos_lrpc_call(peer, msg, 1, 2);
	case IPC_TLRPC:
		return exos_tlrpc_call(peer, msg, 1, 2);
#else
	case IPC_LRPC: {
		uint32_t args[3] = { msg, 1, 2 };
		if (os_write(req[1], args, sizeof args) != sizeof args || os_read(rep[0], &reply, 4) != 4)
			return 0;
		return reply;
	}
#endif
	}
	return 0;
}

int main(void)
{
	uint32_t n = os_param("n", 1000), kind = os_param("kind", 0), bad = 0;
	volatile struct ipc_shm *s = (volatile struct ipc_shm *)IPC_SHM_VADDR;
	int peer, req[2], rep[2];

	if (os_shm_map(IPC_SHM_VADDR, 1, IPC_SHM_KEY) != OS_OK)
		bench_finish(0);
	s->counter = 0;
	s->client = os_self();
	if (kind == IPC_SHM)
		ipc_shm_setup();
#ifndef EXOBENCH_SYSTEM_AEGIS
	if (kind == IPC_PIPE_INLINE || kind == IPC_TLRPC)
		bench_unsupported();            /* library pipes and trusted lrpc are ExOS's */
#endif
	if (kind > IPC_TLRPC)
		bench_finish(0);
	s->ready = 0;
	if (kind != IPC_SHM) {
		if (os_pipe(req) != OS_OK || os_pipe(rep) != OS_OK)
			bench_finish(0);
		s->req[0] = req[0], s->req[1] = req[1], s->rep[0] = rep[0], s->rep[1] = rep[1];
	}
	if ((peer = os_spawn(IPC_PEER)) < 0)
		bench_finish(0);
	while (!s->ready)                       /* let the peer set itself up */
		os_yield(peer);

	if (kind != IPC_SHM) {
		for (uint32_t i = 0; i < n + IPC_WARMUP; i++) {
			uint32_t msg = i * 2;
			if (i == IPC_WARMUP)
				bench_marker(BENCH_MARK_START);
			bad |= round_trip(kind, peer, req, rep, msg) ^ (msg + 1);
		}
		bench_marker(BENCH_MARK_END);
		if (kind == IPC_PIPE || kind == IPC_PIPE_INLINE || (kind == IPC_LRPC && !ON_AEGIS)) {
			uint32_t quit[3] = { IPC_QUIT, 0, 0 };
			if (kind == IPC_PIPE_INLINE)
				round_trip_quit_inline(req);
			else
				os_write(req[1], quit, kind == IPC_LRPC ? 12 : 4);
			while (s->ready != IPC_PEER_DONE)       /* it still uses our pipes */
				os_yield(peer);
		}
	} else {
		for (uint32_t i = 0; i < n + IPC_WARMUP; i++) {
			if (i == IPC_WARMUP)
				bench_marker(BENCH_MARK_START);
			s->counter++;                   /* odd: the peer's turn */
			IPC_SHM_PASS(peer);
			IPC_SHM_WAIT(peer, !(s->counter & 1));
			bad |= s->counter ^ (2 * (i + 1));
		}
		bench_marker(BENCH_MARK_END);
		s->counter = IPC_SHM_DONE;
		IPC_SHM_PASS(peer);
	}
	bench_result("round_trips", n);
	bench_finish(bad == 0);
}
