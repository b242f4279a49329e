/*
 * kconsole.c - see kconsole.h.  Used by the kernels only: user programs write to the
 * board page mapped into their address space (include/osapi.h).
 */
#include <stdarg.h>
#include "kconsole.h"
#include "board.h"

#define BOARD(off) (*(volatile uint32_t *)((uintptr_t)BOARD_KSEG1 + (off)))

void kputc(int c)
{
	BOARD(BOARD_CONSOLE) = (uint8_t)c;
}

void kputs(const char *s)
{
	while (*s)
		kputc(*s++);
}

static void kputnum(uint32_t v, uint32_t base, int sign)
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

void halt(uint32_t code)
{
	for (;;)
		BOARD(BOARD_HALT) = code;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	kputs(kconsole_name);
	kputs(": panic: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kputc('\n');
	halt(HALT_PANIC);
}
