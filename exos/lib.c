/* lib.c - the C library bits ExOS and its programs need (clang emits memcpy/memset calls too). */
#include "exos.h"

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;
	if ((((uintptr_t)dp | (uintptr_t)sp | n) & 3) == 0) {
		uint32_t *dw = d;
		const uint32_t *sw = s;
		for (n /= 4; n; n--)
			*dw++ = *sw++;
		return d;
	}
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	uint8_t *dp = d;
	while (n--)
		*dp++ = (uint8_t)c;
	return d;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (uint8_t)*a - (uint8_t)*b;
}

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
