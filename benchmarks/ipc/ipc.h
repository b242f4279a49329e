/* ipc.h - what the IPC client (ipc.c) and its peer (ipc_peer.c) agree on. */
#ifndef EXOBENCH_IPC_H
#define EXOBENCH_IPC_H

#include <stdint.h>

#define IPC_PEER        "ipc_peer"      /* the peer's boot-module name */
#define IPC_PIPE        0       /* the system's pipes */
#define IPC_SHM         1       /* a shared counter, bumped in turn */
#define IPC_PIPE_INLINE 2       /* pipe': ExOS's pipe ring with read/write inlined */
#define IPC_LRPC        3       /* a procedure call in another process: lrpc on ExOS */
#define IPC_TLRPC       4       /* ... trusted lrpc: the server saves no registers */
#define IPC_WARMUP      10

#define IPC_SHM_VADDR   0x00900000u
#define IPC_SHM_KEY     42
#define IPC_SHM_DONE    0xffffffffu
#define IPC_PEER_DONE   2               /* the peer has finished with the client's pipes */
#define IPC_QUIT        0xffffffffu     /* after the timed loop: the peer may exit (its exit
                                           must not fall inside the measurement) */

/* A shared page both sides map by key: the handshake, and the shm test's counter. */
struct ipc_shm {
	uint32_t ready;         /* 1: the peer is set up (its lrpc entry installed); IPC_PEER_DONE */
	uint32_t counter;       /* even: the client's turn; odd: the peer's */
	int32_t client;         /* the client's id, for the peer's yields */
	int32_t req[2];         /* pipe test: request pipe (client writes, peer reads) */
	int32_t rep[2];         /* ... and reply pipe; descriptors are inherited by the peer */
};

/*
 * shm hand-over, the one place the two systems differ in mechanism: ExOS gives the CPU to
 * the peer with a directed yield; on the baseline, as on Ultrix, a process wakes its peer
 * with kill(SIGUSR1) and sleeps in sigpause (SIGUSR1 blocked outside it, so no wake-up is
 * lost).  `turn_is_mine` is re-checked after every wake-up.
 */
#ifdef EXOBENCH_SYSTEM_BASELINE
#include "ulib.h"
static void ipc_on_usr1(int sig, int code, struct sigcontext *scp) { (void)sig, (void)code, (void)scp; }
static inline void ipc_shm_setup(void)
{
	struct sigvec sv = { (uint32_t)ipc_on_usr1, 0, 0 };
	sigvec(SIGUSR1, &sv, 0);
	sigblock(SIGMASK(SIGUSR1));
}
#define IPC_SHM_PASS(peer) kill((peer), SIGUSR1)
#define IPC_SHM_WAIT(peer, cond) do { while (!(cond)) sigpause(0); } while (0)
#else
static inline void ipc_shm_setup(void) {}
#define IPC_SHM_PASS(peer) os_yield(peer)
#define IPC_SHM_WAIT(peer, cond) do { while (!(cond)) os_yield(peer); } while (0)
#endif

#endif
