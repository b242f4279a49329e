/*
 * cpu.c - the R3000 interpreters and the choice between them:
 *   - the reference engine, two instances of cpu_loop.h (the plain
 *     interpreter; the only one with the hazard checker and the profile);
 *   - the fast engine, two instances of fast_loop.h (predecoded, threaded),
 *     which must give the reference's counters to the last cycle
 *     (tests/test_engine_identity.py).
 */
#include "machine.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the emulator reads guest (little-endian) words directly: a little-endian host is required"
#endif

#define RUN_NAME run_fast
#define FULL 0
#include "cpu_loop.h"
#undef RUN_NAME
#undef FULL

#define RUN_NAME run_full
#define FULL 1
#include "cpu_loop.h"
#undef RUN_NAME
#undef FULL

#define RUN_NAME fast_ideal
#define CACHES 0
#include "fast_loop.h"
#undef RUN_NAME
#undef CACHES

#define RUN_NAME fast_caches
#define CACHES 1
#include "fast_loop.h"
#undef RUN_NAME
#undef CACHES

#define RUN_NAME fast_caches16
#define CACHES 1
#define LINE_SHIFT 4
#include "fast_loop.h"
#undef RUN_NAME
#undef CACHES
#undef LINE_SHIFT

int cpu_run(struct machine *m)
{
	if (m->engine == ENGINE_FAST && !m->hazard_check && !m->profile)
		return !m->cost.caches ? fast_ideal(m)
		     : m->line_shift == 4 && m->dline_shift == 4 && !m->cost.wb_page_bytes ? fast_caches16(m)
		     : fast_caches(m);
	int reason = m->cost.caches || m->hazard_check || m->profile ? run_full(m) : run_fast(m);
	/* The reference's stores do not invalidate predecoded words: forget them all. */
	decode_flush_all(m);
	return reason;
}
