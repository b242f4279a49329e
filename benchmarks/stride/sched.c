/*
 * sched.c - §7.3: an application-level stride scheduler (exos/stride.c) gives the CPU to
 * three CPU-bound clients (worker.c) in proportion to their tickets (params t0, t1, t2;
 * 0: no such client).
 *
 * Timed: each scheduling decision (stride_next: charge the quantum that just ended, pick the
 * least pass), n of them between START/END pairs; each is followed by one quantum of the
 * chosen client (stride_run: directed yield; the client's slice-end upcall yields back).
 * Reported: per client its tickets, units of work done, quanta and cycles charged; the most
 * units any single quantum held (uq); the cycles from the first grant to the end of the last
 * quantum (window) and what CAL_UNITS units of the same work cost the scheduler itself when
 * nothing interrupts them (calib: the least of CAL_RUNS timings), from which the harness
 * computes the CPU time per quantum that did not go to the clients' work.  For comparison,
 * afterwards: the same clients' work under Aegis's own round robin alone (rr_ticks timer ticks,
 * three plain workers and this environment, which yields its slot at once).
 * Validation: every client's work is within stride scheduling's bound of its ticket share:
 *   -(n_c - 1) t_i / T  <=  (w_i - W t_i / T) / uq  <=  (T - t_i) / T     (in quanta)
 * (pass_i - stride_i q <= pass_j at every decision, summed over j; W = total units, T = total
 * tickets, n_c clients), plus 2 units for the partial units at either end.
 */
#include "benchutil.h"

#ifdef EXOBENCH_SYSTEM_AEGIS
#include "exos.h"
#include "sbench.h"

#define MAXC 3
#define CAL_UNITS 200
#define CAL_RUNS 40
#define CYCLES() (*(volatile uint32_t *)(BOARD_USER_VADDR + BOARD_CYCLES_LO))

static void result2(const char *name, int i, uint32_t v)
{
	char buf[24];
	uint32_t k = 0;
	while (*name && k < sizeof buf - 3)
		buf[k++] = *name++;
	buf[k++] = '_';
	buf[k++] = (char)('A' + i);
	buf[k] = 0;
	bench_result(buf, v);
}

int main(void)
{
	struct sb_shared *sh = (struct sb_shared *)SB_SHM_VADDR;
	uint32_t n = os_param("n", 600), tickets[MAXC], nc = 0, T = 0, uq = 0, W = 0, ok = 1;
	int id[MAXC];
	static const char *const pname[MAXC] = {"t0", "t1", "t2"};

	if (stride_init() != OS_OK || os_shm_map(SB_SHM_VADDR, 1, SB_SHM_KEY) != OS_OK)
		bench_finish(0);
	uint32_t calib = ~0u, me = (uint32_t)os_self();
	for (int r = 0; r < CAL_RUNS; r++) {
		sh->units[me] = 0;
		uint32_t c0 = CYCLES();
		sb_work(sh, (int)me, CAL_UNITS);
		uint32_t c1 = CYCLES() - c0;
		if (c1 < calib)
			calib = c1;
	}
	for (int i = 0; i < MAXC; i++) {
		uint32_t t = os_param(pname[i], 0);
		if (!t)
			continue;
		if ((id[nc] = os_spawn(SB_WORKER)) < 0)
			bench_finish(0);
		while (!sh->ready[id[nc]])      /* let it start up, up to its first wait for a grant */
			os_yield(id[nc]);
		os_yield(id[nc]);
		tickets[nc] = t;
		T += t;
		if (stride_add(id[nc], t) != OS_OK)
			bench_finish(0);
		nc++;
	}
	if (nc < 2)
		bench_finish(0);

	uint32_t w0 = CYCLES();
	for (uint32_t i = 0; i < n; i++) {
		bench_marker(BENCH_MARK_START);
		int c = stride_next();
		bench_marker(BENCH_MARK_END);
		if (c < 0)
			bench_finish(0);
		uint32_t u0 = sh->units[c];
		stride_run(c);
		uint32_t du = sh->units[c] - u0;
		if (du > uq)
			uq = du;
	}
	uint32_t window = CYCLES() - w0;
	stride_next();                          /* charge the last quantum */

	for (uint32_t i = 0; i < nc; i++)
		W += sh->units[id[i]];
	for (uint32_t i = 0; i < nc; i++) {
		struct stride_client *s = 0;
		for (uint32_t j = 0; j < stride_nclients; j++)
			if (stride_clients[j].id == id[i])
				s = &stride_clients[j];
		if (!s)
			bench_finish(0);
		int32_t err = (int32_t)(sh->units[id[i]] * T - W * tickets[i]);
		uint32_t hi = T - tickets[i], lo = (nc - 1) * tickets[i];
		uint32_t bound = (hi > lo ? hi : lo) * uq + 2 * T;
		uint32_t within = (uint32_t)(err < 0 ? -err : err) <= bound;
		ok &= within;
		result2("tickets", (int)i, tickets[i]);
		result2("units", (int)i, sh->units[id[i]]);
		result2("quanta", (int)i, s->quanta);
		result2("cycles", (int)i, (uint32_t)s->cycles);
		result2("within", (int)i, within);
	}
	stride_end();

	/* the same work under the kernel's round robin: plain workers, no upcalls */
	uint32_t rr = os_param("rr_ticks", 300), rw = 0;
	for (uint32_t i = 0; i < nc; i++) {
		int p = os_spawn(SB_WORKER);
		if (p < 0)
			bench_finish(0);
		sh->plain[p] = 1;
		sh->units[p] = 0;               /* (env ids are reused) */
		id[i] = p;
	}
	uint32_t k0 = BOARD_REG(BOARD_TIMER_COUNT), r0 = CYCLES();
	while (BOARD_REG(BOARD_TIMER_COUNT) - k0 < rr)
		os_yield(-1);
	uint32_t rwin = CYCLES() - r0, rk = BOARD_REG(BOARD_TIMER_COUNT) - k0;
	for (uint32_t i = 0; i < nc; i++) {
		rw += sh->units[id[i]];
		ae_env_destroy((uint32_t)id[i]);
	}
	bench_result("rr_window", rwin);
	bench_result("rr_ticks", rk);
	bench_result("rr_units", rw);
	bench_result("clients", nc);
	bench_result("uq", uq);
	bench_result("window", window);
	bench_result("calib", calib);
	bench_result("calib_units", CAL_UNITS);
	bench_finish(ok);
}
#else
int main(void)
{
	bench_unsupported();
}
#endif
