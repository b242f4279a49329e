/* pct.h - what pct.c and pct_peer.c agree on. */
#ifndef EXOBENCH_PCT_H
#define EXOBENCH_PCT_H
#include <stdint.h>

#define PCT_PEER        "pct_peer"
#define PCT_SHM_VADDR   0x00900000u
#define PCT_SHM_KEY     7

struct pct_shared {
	uint32_t ready;         /* the peer has installed its entry points */
	uint32_t seen;          /* async messages received */
	uint32_t last;          /* the last one's first word */
};
#endif
