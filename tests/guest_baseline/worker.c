/* worker.c - a few quanta of computation, then exit 5 (preempt.c). */
#include "osapi.h"

int main(void)
{
	volatile uint32_t s = 0;
	uint32_t i;

	for (i = 0; i < 2000000; i++)
		s += i;
	bench_result("worker_sum", s);
	return 5;
}
