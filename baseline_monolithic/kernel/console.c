/*
 * console.c - kernel console output (the board's console register through
 * kseg1, uncached, like Ultrix's cnputc on the DZ/SCC line), panic, halt,
 * and the few string/memory routines the kernel needs.
 */
#include <stdarg.h>
#include "kern.h"

#define BOARD(off) (*(volatile uint32_t *)(BOARD_KSEG1 + (off)))

void kputc(int c)
{
	BOARD(BOARD_CONSOLE) = (uint8_t)c;
}

static void kputs(const char *s)
{
	while (*s)
		kputc(*s++);
}

static void kputnum(uint32_t v, int base, int sign)
{
	char buf[12];
	int i = 0;

	if (sign && (int32_t)v < 0) {
		kputc('-');
		v = -v;
	}
	do {
		buf[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i)
		kputc(buf[--i]);
}

static void kvprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			kputc(*fmt);
			continue;
		}
		switch (*++fmt) {
		case 'd': kputnum(va_arg(ap, uint32_t), 10, 1); break;
		case 'u': kputnum(va_arg(ap, uint32_t), 10, 0); break;
		case 'x': kputnum(va_arg(ap, uint32_t), 16, 0); break;
		case 's': kputs(va_arg(ap, const char *)); break;
		case 'c': kputc(va_arg(ap, int)); break;
		case '%': kputc('%'); break;
		default: kputc('?'); break;
		}
	}
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void halt(int code)
{
	for (;;)
		BOARD(BOARD_HALT) = code;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	kputs("panic: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kputc('\n');
	halt(HALT_PANIC);
}

