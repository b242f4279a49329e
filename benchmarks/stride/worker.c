/*
 * worker.c - a client of the stride experiment: becomes a stride client of its creator
 * (exos/stride.c) and then does CPU-bound work for ever, counting units in the shared page.
 * It never yields: its quanta end at the timer ticks, which its library OS hands to the
 * scheduler.  With a limit it exits after that many units; marked plain, it does the same
 * work under the kernel's round robin alone.
 */
#include "benchutil.h"

#ifdef EXOBENCH_SYSTEM_AEGIS
#include "exos.h"
#include "sbench.h"

int main(void)
{
	struct sb_shared *sh = (struct sb_shared *)SB_SHM_VADDR;
	if (os_shm_map(SB_SHM_VADDR, 1, SB_SHM_KEY) != OS_OK)
		os_exit(1);
	int me = os_self();
	uint32_t limit = sh->limit[me];
	sh->ready[me] = 1;
	if (!sh->plain[me] && stride_client() != OS_OK)
		os_exit(1);
	sb_work(sh, me, limit);
	os_exit(0);
}
#else
int main(void)
{
	os_exit(0);
}
#endif
