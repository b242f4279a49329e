/*
 * benchutil.h - small helpers shared by the paper-experiment guest programs.
 * Everything here is plain C over osapi.h, so it is the same on both systems.
 */
#ifndef EXOBENCH_BENCHUTIL_H
#define EXOBENCH_BENCHUTIL_H

#include "osapi.h"
#include "r3000.h"

#define NOINLINE __attribute__((noinline))

/* The row cannot run on this system: report it and stop (the harness prints n/a). */
static inline void __attribute__((noreturn)) bench_unsupported(void)
{
	bench_result("supported", 0);
	os_exit(0);
}

/* Report the validation verdict and stop. */
static inline void __attribute__((noreturn)) bench_finish(int valid)
{
	bench_result("valid", valid ? 1 : 0);
	os_exit(0);
}

#endif
