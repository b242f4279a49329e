/*
 * pct.c - Table 6: protected control transfer, the client side (pct_peer.c serves).
 *
 * kind 0 sync:  a null call by synchronous PCT to the peer and the transfer back (ExOS's
 *               trusted lrpc path, which saves nothing), counted as two one-way transfers;
 * kind 1 async: an asynchronous PCT carrying three words to the peer, whose handler
 *               records them and waits again, giving the CPU back.
 * Aegis only: Ultrix has no protected control transfer (the paper compares with L3).
 * Validation: every call returned the right value / the peer saw every message, in order.
 */
#include "benchutil.h"

#ifdef EXOBENCH_SYSTEM_AEGIS
#include "exos.h"
#include "pct.h"

int main(void)
{
	uint32_t n = os_param("n", 1000), kind = os_param("kind", 0), bad = 0;
	volatile struct pct_shared *sh = (volatile struct pct_shared *)PCT_SHM_VADDR;
	int peer;

	if (kind > 1 || n % 2 || os_shm_map(PCT_SHM_VADDR, 1, PCT_SHM_KEY) != OS_OK)
		bench_finish(0);
	sh->ready = 0;
	sh->seen = 0;
	if ((peer = os_spawn(PCT_PEER)) < 0)
		bench_finish(0);
	while (!sh->ready)                      /* let the peer install its entry points */
		os_yield(peer);

	if (kind == 0) {
		for (uint32_t i = 0; i < 10; i++)
			bad |= exos_tlrpc_call(peer, i, 0, 0) ^ (i + 1);
		bench_marker(BENCH_MARK_START);
		for (uint32_t i = 0; i < n / 2; i++)
			bad |= exos_tlrpc_call(peer, i, 0, 0) ^ (i + 1);
		bench_marker(BENCH_MARK_END);
	} else {
		for (uint32_t i = 0; i < 10; i++)
			bad |= (uint32_t)exos_async_send(peer, i, 0, 0);
		sh->seen = 0;
		bench_marker(BENCH_MARK_START);
		for (uint32_t i = 0; i < n; i++)
			bad |= (uint32_t)exos_async_send(peer, i, 0, 0);
		bench_marker(BENCH_MARK_END);
		bad |= sh->seen ^ n;
		bad |= sh->last ^ (n - 1);
	}
	bench_finish(bad == 0);
}
#else
int main(void)
{
	bench_unsupported();
}
#endif
