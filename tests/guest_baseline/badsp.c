/*
 * badsp.c - a caught fault taken with sp where no signal state can be written
 * (param "sp": a kernel address, an unmapped one, read-only text): the kernel
 * refuses to deliver -- Ultrix's sendsig kills with SIGILL -- and stays up.
 * Reports "set" before the fault; "survived" only if the fault was delivered.
 */
#include "osapi.h"
#include "r3000.h"

static void skip(struct os_fault *f)
{
	f->pc += 4;
}

int main(void)
{
	uint32_t where = os_param("sp", 0x80000100u);

	bench_result("set", (uint32_t)os_set_handler(EXC_OV, skip));
	__asm__ volatile(
		"move	$t0, $sp\n\t"
		"move	$sp, %0\n\t"
		"add	$t1, %1, %1\n\t"        /* overflows: SIGFPE, caught */
		"move	$sp, $t0"
		: : "r"(where), "r"(0x7fffffffu) : "t0", "t1", "memory");
	bench_result("survived", 1);
	return 0;
}
