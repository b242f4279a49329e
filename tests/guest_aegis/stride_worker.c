/*
 * stride_worker.c - a CPU-bound environment for tests/test_stride.py: a stride client of its
 * creator (stride_sched.c) counting units of work, exiting after sh->limit units if that is
 * set; or (sh->hog) a plain spinning environment outside the scheduler's group.  With
 * sh->flush it drops all its TLB and STLB bindings after every unit, so its next touch of the
 * shared pages -- in its work, or in its library's slice-end policy -- is an ExOS page fault.
 */
#include "exos.h"
#include "stride_shared.h"

int main(void)
{
	struct st_shared *sh = (struct st_shared *)ST_SHM_VADDR;
	if (os_shm_map(ST_SHM_VADDR, 1, ST_SHM_KEY) != OS_OK)
		os_exit(1);
	int me = os_self();
	uint32_t x = (uint32_t)me + 1, limit = sh->limit[me], flush = sh->flush[me];
	sh->ready[me] = 1;
	if (!sh->hog[me] && stride_client() != OS_OK)
		os_exit(1);
	for (;;) {
		for (int k = 0; k < 16; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
		}
		sh->sink[me] = x;
		uint32_t u = sh->units[me] + 1;
		sh->units[me] = u;
		if (u == limit)
			os_exit(0);
		if (flush)
			ae_tlb_flush();
	}
}
