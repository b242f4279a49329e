/* crash.c - a store to an unmapped address with no handler: SIGSEGV kills. */
#include "osapi.h"

int main(void)
{
	*(volatile uint32_t *)0x50000000 = 1;
	return 0;
}
