/* lib.c - the few C library routines the kernel (and clang's struct copies) need. */
#include "kern.h"

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
	if ((((uintptr_t)dp | n) & 3) == 0 && c == 0) {
		uint32_t *dw = d;
		for (n /= 4; n; n--)
			*dw++ = 0;
		return d;
	}
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
