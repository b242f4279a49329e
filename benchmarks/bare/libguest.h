/*
 * libguest.h - the small runtime of the bare-metal guests (tests and the emulator-speed benchmark) (benchmarks/bare/).
 *
 * Output and measurement go through the board page (board.h), reached through
 * kseg1 (uncached) because these guests run in kernel mode without a TLB setup.
 * The C library (memcpy & co., which LLVM calls even under -ffreestanding) is the one
 * every guest links: guestlib/libc.c.
 */
#ifndef EXOBENCH_LIBGUEST_H
#define EXOBENCH_LIBGUEST_H

#include <stddef.h>
#include <stdint.h>

#include "board.h"

/* A board register, by its offset from board.h. */
#define BOARD_REG(off) (*(volatile uint32_t *)(BOARD_KSEG1 + (off)))

int putchar(int c);                 /* one byte to the console */
int puts(const char *s);            /* s and a newline */
void put_hex(uint32_t value);       /* "0x%08x", no newline */
void put_hex64(uint64_t value);     /* "0x%016llx", no newline */

/* Record (name, value) on the result channel: the name's bytes, then the value. */
void result(const char *name, uint32_t value);

/* Snapshot the board counters, tagged with id. */
void marker(uint32_t id);

uint64_t read_cycles(void);         /* 64-bit cycle counter (LO read latches HI) */
uint64_t read_insns(void);          /* 64-bit retired-instruction counter */

#include "libc.h"     /* memcpy, memmove, memset, memcmp, ... */

#endif
