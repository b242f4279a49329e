/*
 * counts.c - delimit one null system call (getpid) and one exception-to-
 * signal-handler round trip (overflow, os_set_handler skip handler) with
 * markers, several times each, for the instruction-count pins in
 * tests/test_baseline.py; then touch fresh pages so the UTLB refill runs.
 */
#include "osapi.h"
#include "ulib.h"
#include "r3000.h"

static volatile uint32_t n;

static void skip(struct os_fault *f)
{
	n++;
	f->pc += 4;
}

int main(void)
{
	volatile uint32_t *pg = (volatile uint32_t *)0x20000000;
	int i;

	os_set_handler(EXC_OV, skip);
	getpid();
	for (i = 0; i < 4; i++) {
		bench_marker(1);
		getpid();
		bench_marker(2);
	}
	for (i = 0; i < 4; i++) {
		bench_marker(3);
		__asm__ volatile("lui $t0, 0x7fff; add $t1, $t0, $t0" ::: "$8", "$9");
		bench_marker(4);
	}
	bench_result("handled", n);
	os_alloc_pages(0x20000000, 8);
	bench_marker(5);
	for (i = 0; i < 8; i++)
		pg[i * 1024] = i;
	bench_marker(6);
	return 0;
}
