/* lib.c - console output for ExOS and its programs (the C library is guestlib/libc.c). */
#include "exos.h"

void exos_puts(const char *s)
{
	while (*s)
		bench_putc(*s++);
}

void exos_putx(uint32_t v)
{
	bench_putc('0');
	bench_putc('x');
	for (int i = 28; i >= 0; i -= 4)
		bench_putc("0123456789abcdef"[(v >> i) & 15]);
}
