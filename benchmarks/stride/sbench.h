/* sbench.h - what the stride experiment's scheduler (sched.c) and its clients (worker.c) share. */
#ifndef EXOBENCH_SBENCH_H
#define EXOBENCH_SBENCH_H
#include <stdint.h>

#define SB_WORKER       "worker"
#define SB_SHM_VADDR    0x00900000u
#define SB_SHM_KEY      0x57d2
#define SB_NENV         16              /* Aegis's NENV: the arrays are indexed by env id */
#define SB_UNIT_ITERS   16              /* xorshift steps per unit of work (about 100 cycles) */

struct sb_shared {
	volatile uint32_t units[SB_NENV];       /* units of work done, per client env */
	volatile uint32_t ready[SB_NENV];       /* the client is about to call stride_client() */
	volatile uint32_t limit[SB_NENV];       /* exit after this many units (0: never) */
	volatile uint32_t sink[SB_NENV];        /* the work's result, kept live */
	volatile uint32_t plain[SB_NENV];       /* not a stride client: the kernel's round robin only */
};

/* The clients' CPU-bound work: units of SB_UNIT_ITERS xorshift steps, counted in the shared
 * page, until the count reaches limit (0: for ever).  The scheduler times the same code to
 * know what a unit costs. */
static inline __attribute__((always_inline)) void sb_work(struct sb_shared *sh, int me, uint32_t limit)
{
	uint32_t x = (uint32_t)me + 1;
	for (;;) {
		for (int k = 0; k < SB_UNIT_ITERS; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
		}
		sh->sink[me] = x;
		uint32_t u = sh->units[me] + 1;
		sh->units[me] = u;
		if (u == limit)
			return;
	}
}
#endif
