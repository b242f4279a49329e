/* pct_peer.c - Table 6, the callee of pct.c: a null sync handler, or an async receiver. */
#include "benchutil.h"

#ifdef EXOBENCH_SYSTEM_AEGIS
#include "exos.h"
#include "pct.h"

static volatile struct pct_shared *const sh = (volatile struct pct_shared *)PCT_SHM_VADDR;

static uint32_t null_call(uint32_t a0, uint32_t a1, uint32_t a2)
{
	(void)a1, (void)a2;
	return a0 + 1;
}

static void receive(uint32_t self, uint32_t a1, uint32_t a2, uint32_t a3)
{
	(void)self, (void)a2, (void)a3;
	sh->seen++;
	sh->last = a1;
}

int main(void)
{
	if (os_shm_map(PCT_SHM_VADDR, 1, PCT_SHM_KEY) != OS_OK)
		os_exit(1);
	sh->ready = 1;
	if (os_param("kind", 0) == 0)
		exos_lrpc_serve(null_call, 1);
	exos_async_serve(receive);
}
#else
int main(void)
{
	os_exit(0);
}
#endif
