/*
 * workload.c - the compute-bound guest of the emulator-speed benchmark.
 *
 * Three kernels with different instruction mixes, the same ones the speed
 * anchors in docs/references.md#emulator-speed-anchors were taken with, so our
 * figures compare with theirs: a table-driven CRC-32 (load-heavy), a bubble
 * sort (store- and branch-heavy) and direct/indirect calls plus recursion
 * (call/stack-heavy).  Which kernel and how many repetitions come from the
 * boot parameters "kernel" (0 crc32, 1 bubble, 2 calls) and "reps"; the
 * result goes to the result channel as "result" and the harness checks it
 * against the same computation done in Python.
 */
#include <stdint.h>
#include "libguest.h"

#define NOINLINE __attribute__((noinline))

static uint8_t buf[65536];
static uint32_t table[256];
static int32_t arr[1024];

static void make_table(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
}

static NOINLINE uint32_t crc32(uint32_t crc, const uint8_t *p, uint32_t n)
{
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *p++) & 0xffu] ^ (crc >> 8);
	return ~crc;
}

static uint32_t run_crc32(uint32_t reps)
{
	uint32_t x = 1, crc = 0;
	make_table();
	for (uint32_t i = 0; i < sizeof buf; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 24);
	}
	for (uint32_t r = 0; r < reps; r++)
		crc = crc32(crc, buf, sizeof buf);
	return crc;
}

static NOINLINE void bubble(int32_t *v, int n)
{
	for (int end = n - 1; end > 0; end--) {
		int swapped = 0;
		for (int i = 0; i < end; i++) {
			if (v[i] > v[i + 1]) {
				int32_t t = v[i];
				v[i] = v[i + 1];
				v[i + 1] = t;
				swapped = 1;
			}
		}
		if (!swapped)
			break;
	}
}

static uint32_t run_bubble(uint32_t reps)
{
	uint32_t x = 7, sum = 0;
	for (uint32_t r = 0; r < reps; r++) {
		for (int i = 0; i < 1024; i++) {
			x = x * 1664525u + 1013904223u;
			arr[i] = (int32_t)x;
		}
		bubble(arr, 1024);
		for (int i = 0; i < 1024; i++)
			sum = sum * 31u + (uint32_t)arr[i];
	}
	return sum;
}

NOINLINE uint32_t f_mix(uint32_t a, uint32_t b) { return (a ^ (b << 3)) + (a >> 5) + b; }
NOINLINE uint32_t f_mul(uint32_t a, uint32_t b) { return a * 33u + b; }
NOINLINE uint32_t f_sub(uint32_t a, uint32_t b) { return (a - b) ^ 0x9e3779b9u; }
NOINLINE uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static uint32_t (*volatile ftab[4])(uint32_t, uint32_t) = { f_mix, f_mul, f_sub, f_mix };

static uint32_t run_calls(uint32_t reps)
{
	uint32_t acc = 1;
	for (uint32_t r = 0; r < reps; r++) {
		for (uint32_t i = 0; i < 10000; i++) {
			acc = f_mix(acc, i);
			acc = ftab[i & 3](acc, i);
		}
		acc += fib(12);
	}
	return acc;
}

static uint32_t param(const struct bootinfo *bi, const char *name, uint32_t dflt)
{
	for (uint32_t i = 0; i < bi->nparams; i++) {
		const char *a = bi->params[i].name, *b = name;
		while (*a && *a == *b)
			a++, b++;
		if (*a == *b)
			return bi->params[i].value;
	}
	return dflt;
}

int main(const struct bootinfo *bi)
{
	uint32_t reps = param(bi, "reps", 1), which = param(bi, "kernel", 0), r;
	marker(1);
	switch (which) {
	case 0: r = run_crc32(reps); break;
	case 1: r = run_bubble(reps); break;
	case 2: r = run_calls(reps); break;
	default: return HALT_VALIDATION;
	}
	marker(2);
	result("result", r);
	return 0;
}
