/*
 * kconsole.h - kernel console output, panic and halt on the system board, reached
 * through kseg1 (uncached): one implementation for both guest kernels.  Each kernel
 * defines kconsole_name[], the prefix of its panic messages ("aegis", "baseline").
 */
#ifndef EXOBENCH_GUEST_KCONSOLE_H
#define EXOBENCH_GUEST_KCONSOLE_H

#include <stdint.h>

extern const char kconsole_name[];

void kputc(int c);
void kputs(const char *s);
void kprintf(const char *fmt, ...);             /* %d %u %x %s %c %% */
void panic(const char *fmt, ...) __attribute__((noreturn));
void halt(uint32_t code) __attribute__((noreturn));

#endif
