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
};
#endif
