/*
 * base.c - Table 4: the null procedure call and the null system call.
 *
 * op 0: a call to an empty function that is not inlined (jal + jr + the delay slots);
 * op 1: the cheapest system call (Aegis: the null call without a kernel stack; the
 *       baseline: getpid, as in the paper);
 * op 2: the null system call on a kernel stack (Aegis); getpid again on the baseline.
 * Each loop iteration performs 10 operations so the loop's own instructions are spread
 * thin.  Validation: every call returned what the first one did, and n were made.
 */
#include "benchutil.h"

NOINLINE int null_proc(void) { __asm__ volatile("" ::: "memory"); return 7; }

/* n calls of f between the markers; returns the OR of every result's difference from want. */
#define TIMED_LOOP(f, n, want) ({                                                  \
	int bad_ = 0;                                                              \
	bench_marker(BENCH_MARK_START);                                            \
	for (uint32_t i_ = 0; i_ < (n) / 10; i_++) {                              \
		bad_ |= (f() ^ want) | (f() ^ want) | (f() ^ want) | (f() ^ want) | \
			(f() ^ want) | (f() ^ want) | (f() ^ want) | (f() ^ want) | \
			(f() ^ want) | (f() ^ want);                                \
	}                                                                          \
	bench_marker(BENCH_MARK_END);                                              \
	bad_; })

int main(void)
{
	uint32_t n = os_param("n", 1000), op = os_param("op", 0);
	int want, bad;

	if (n % 10)
		bench_finish(0);
	switch (op) {
	case 0: want = null_proc(); bad = TIMED_LOOP(null_proc, n, want); break;
	case 1:
		want = os_null_syscall();
		if (want == OS_ENOTSUP)
			bench_unsupported();
		bad = TIMED_LOOP(os_null_syscall, n, want);
		break;
	case 2:
		want = os_null_syscall_stack();
		if (want == OS_ENOTSUP)
			bench_unsupported();
		bad = TIMED_LOOP(os_null_syscall_stack, n, want);
		break;
	default:
		bench_finish(0);
	}
	bench_result("first", (uint32_t)want);
	bench_finish(!bad);
}
