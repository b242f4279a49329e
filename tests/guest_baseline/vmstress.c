/*
 * vmstress.c - two copies (the first spawns the second) each map 10 regions
 * 4 MB apart, so each needs 13 page-table pages (more than the 6 wired
 * slots: the rest go in randomly), and every round re-protect 8 pages twice
 * (the new-ASID path), so ASIDs run out and roll over (flush_tlb) many
 * times; they yield to each other every round.  Every value must survive.
 */
#include "osapi.h"
#include "ulib.h"

#define R(name, v) bench_result(name, (uint32_t)(v))
#define BASE 0x10000000u
#define SPAN 0x00400000u
#define NREG 10
#define ROUNDS 40

int main(void)
{
	int me = getpid(), child = 0, k, r, bad = 0;
	uint32_t st = 0;
	volatile uint32_t *w;

	if (me == 1)
		child = spawn("vmstress");
	for (k = 0; k < NREG; k++)
		if (mmap(BASE + k * SPAN, 8))
			bad++;
	for (r = 0; r < ROUNDS; r++) {
		for (k = 0; k < NREG; k++) {
			w = (volatile uint32_t *)(BASE + k * SPAN + (r % 8) * 4096);
			*w = me * 100000 + r * 100 + k;
		}
		if (mprotect(BASE, 8 * 4096, PROT_READ) != 8 * 4096 ||
		    mprotect(BASE, 8 * 4096, PROT_READ | PROT_WRITE) != 8 * 4096)	/* bytes protected */
			bad++;
		yield(-1);
		for (k = 0; k < NREG; k++) {
			w = (volatile uint32_t *)(BASE + k * SPAN + (r % 8) * 4096);
			if (*w != (uint32_t)(me * 100000 + r * 100 + k))
				bad++;
		}
	}
	if (child) {
		R("wait_ok", wait(&st) == child);
		R("child_status", st);
		R("bad", bad);
		return 0;
	}
	return bad ? 1 : 6;
}
