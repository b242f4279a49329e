/*
 * libc.h - the freestanding C library every guest links: both kernels, ExOS, the
 * baseline's user runtime and the bare-metal programs.  One implementation for all of
 * them, so that no system gets a faster memcpy than the other (fairness), and clang's
 * implicit calls (struct copies, zeroing) land on the same code everywhere.
 */
#ifndef EXOBENCH_GUEST_LIBC_H
#define EXOBENCH_GUEST_LIBC_H

#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int strcmp(const char *a, const char *b);
size_t strlen(const char *s);

#endif
