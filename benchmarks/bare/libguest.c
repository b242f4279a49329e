/*
 * libguest.c - console, result channel, markers, counters and the mem* functions
 * for the bare-metal guests (tests and the emulator-speed benchmark).  See libguest.h.
 */
#include "libguest.h"

int putchar(int c)
{
	BOARD_REG(BOARD_CONSOLE) = (uint8_t)c;
	return (uint8_t)c;
}

int puts(const char *s)
{
	while (*s)
		putchar(*s++);
	putchar('\n');
	return 0;
}

static void put_digits(uint64_t value, int ndigits)
{
	putchar('0');
	putchar('x');
	for (int shift = 4 * (ndigits - 1); shift >= 0; shift -= 4)
		putchar("0123456789abcdef"[(value >> shift) & 0xf]);
}

void put_hex(uint32_t value)
{
	put_digits(value, 8);
}

void put_hex64(uint64_t value)
{
	put_digits(value, 16);
}

void result(const char *name, uint32_t value)
{
	while (*name)
		BOARD_REG(BOARD_RESULT_NAME) = (uint8_t)*name++;
	BOARD_REG(BOARD_RESULT_VALUE) = value;
}

void marker(uint32_t id)
{
	BOARD_REG(BOARD_MARKER) = id;
}

/* Reading LO latches HI, so LO must be read first: the pair is one consistent value. */
static uint64_t read_counter(uint32_t lo_offset, uint32_t hi_offset)
{
	uint32_t lo = BOARD_REG(lo_offset);
	uint32_t hi = BOARD_REG(hi_offset);
	return ((uint64_t)hi << 32) | lo;
}

uint64_t read_cycles(void)
{
	return read_counter(BOARD_CYCLES_LO, BOARD_CYCLES_HI);
}

uint64_t read_insns(void)
{
	return read_counter(BOARD_INSNS_LO, BOARD_INSNS_HI);
}

/*
 * Byte loops are enough for test support code.  -fno-builtin (in CFLAGS) keeps clang
 * from recognising these loops as memcpy/memset idioms and calling themselves;
 * tests/test_toolchain.py checks that none of them calls another function.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}
