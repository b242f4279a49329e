/*
 * spin.c - Figure 2: a compute-bound process on the echo server's machine; it never
 * yields and never blocks, so the kernel preempts it at the end of each time slice.
 */
#include "benchutil.h"

int main(void)
{
	volatile uint32_t sink = 0;
	uint32_t x = 1;
	for (;;) {
		x = x * 1103515245u + 12345u;
		sink = x;
	}
}
