/*
 * fuzz.c - every system-call number (and some past the table) with
 * arguments that are all bad pointers or absurd sizes: each must come back,
 * and an error must come back as a3 = 1 with a positive errno in v0.
 * exit and sigpause are left out (they do not return by design), and fork
 * (no arguments to get wrong; its children would fuzz too).
 */
#include "osapi.h"
#include "ulib.h"

static uint32_t rawsys4(uint32_t num, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t *err)
{
	register uint32_t v0 __asm__("$2") = num;
	register uint32_t r4 __asm__("$4") = a0;
	register uint32_t r5 __asm__("$5") = a1;
	register uint32_t r6 __asm__("$6") = a2;
	register uint32_t r7 __asm__("$7") = a3;
	/* a system call is a call: the caller-saved registers are not preserved (Ultrix) */
	__asm__ volatile("syscall" : "+r"(v0), "+r"(r7), "+r"(r4), "+r"(r5), "+r"(r6) : :
	                 "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15", "$24", "$25",
	                 "hi", "lo", "memory");
	*err = r7;
	return v0;
}

int main(void)
{
	static const uint32_t bad[] = {0x30000000, 0x80000000, 0xfffffff0, 0x7ffffffc, 0x00000ffd};
	uint32_t num, i, err, v, calls = 0, errors = 0, badflag = 0;

	for (num = 0; num < SYS_NSYSENT + 8; num++) {
		if (num == SYS_exit || num == SYS_sigpause || num == SYS_fork)
			continue;
		for (i = 0; i < 5; i++) {
			v = rawsys4(num, bad[i], bad[(i + 1) % 5], bad[(i + 2) % 5], bad[(i + 3) % 5], &err);
			calls++;
			if (err > 1 || (err && (v == 0 || v > 200)))
				badflag++;
			errors += err;
		}
	}
	bench_result("calls", calls);
	bench_result("errors", errors);
	bench_result("badflag", badflag);
	bench_result("alive", getpid());
	return 0;
}
