/*
 * cpu.c - the R3000 interpreter: two instances of the loop in cpu_loop.h
 * and the choice between them.
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

int cpu_run(struct machine *m)
{
	if (m->cost.caches || m->hazard_check || m->profile)
		return run_full(m);
	return run_fast(m);
}
