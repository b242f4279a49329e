/* spinner.c - never gives up the processor of its own accord. */
#include "osapi.h"

int main(void)
{
	for (;;)
		__asm__ volatile("");
}
