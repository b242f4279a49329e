/* stride_shared.h - what stride_sched.c and stride_worker.c share (one shm page). */
#ifndef STRIDE_SHARED_H
#define STRIDE_SHARED_H
#include <stdint.h>

#define ST_SHM_VADDR    0x00900000u
#define ST_SHM_KEY      0x57d3

struct st_shared {      /* indexed by env id */
	volatile uint32_t units[NENV], ready[NENV], limit[NENV], hog[NENV], sink[NENV], flush[NENV];
};
#endif
