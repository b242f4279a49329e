/*
 * console.c - kernel output on the board console (through kseg1, uncached),
 * panic and halt.
 */
#include <stdarg.h>
#include "kern.h"

void kputc(char c)
{
	BOARD(BOARD_CONSOLE) = (uint8_t)c;
}

void kputs(const char *s)
{
	while (*s)
		kputc(*s++);
}

static void putnum(uint32_t v, unsigned base, int neg)
{
	char buf[12];
	int i = 0;
	if (neg)
		kputc('-');
	do {
		unsigned d = v % base;
		buf[i++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	while (i)
		kputc(buf[--i]);
}

static void vkprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			kputc(*fmt);
			continue;
		}
		switch (*++fmt) {
		case 'd': {
			int32_t v = va_arg(ap, int32_t);
			putnum(v < 0 ? (uint32_t)-v : (uint32_t)v, 10, v < 0);
			break;
		}
		case 'u': putnum(va_arg(ap, uint32_t), 10, 0); break;
		case 'x': putnum(va_arg(ap, uint32_t), 16, 0); break;
		case 's': kputs(va_arg(ap, const char *)); break;
		case '%': kputc('%'); break;
		default: kputc('?'); break;
		}
	}
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vkprintf(fmt, ap);
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
	kputs("aegis: panic: ");
	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
	kputc('\n');
	halt(HALT_PANIC);
}
