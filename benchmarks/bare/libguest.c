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

