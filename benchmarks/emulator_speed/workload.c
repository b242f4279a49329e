/*
 * workload.c - the compute-bound guest of the emulator-speed benchmark.
 *
 * Three kernels with different instruction mixes, the same ones the speed
 * anchors in docs/references.md#emulator-speed-anchors were taken with, so our
 * figures compare with theirs: a table-driven CRC-32 (load-heavy), a bubble
 * sort (store- and branch-heavy) and direct/indirect calls plus recursion
 * (call/stack-heavy).  A fourth, "mixed", is a CoreMark-class mix of our own
 * (not CoreMark's code): linked-list processing (reverse, filter, merge sort),
 * small matrix operations, a number-parsing state machine and a bitwise
 * CRC-16 over every intermediate result.  Which kernel and how many
 * repetitions come from the boot parameters "kernel" (0 crc32, 1 bubble,
 * 2 calls, 3 mixed) and "reps"; the result goes to the result channel as
 * "result" and the harness checks it against the same computation done in
 * Python (bench.py).
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

/* ---- mixed: list, matrix, state machine, CRC (bench.py: _mixed_iter mirrors this) ---- */

#define MX_LIST 96
#define MX_N 12
#define MX_TEXT 160

struct mx_node {
	struct mx_node *next;
	int32_t val;
	uint32_t idx;
};

static struct mx_node mx_nodes[MX_LIST];
static int16_t mx_a[MX_N][MX_N], mx_b[MX_N][MX_N];
static int32_t mx_c[MX_N][MX_N];
static char mx_text[MX_TEXT];

/* CRC-16/ARC, a bit at a time (branchy, like CoreMark's crcu8) */
static uint16_t crc16_byte(uint32_t b, uint16_t crc)
{
	for (int k = 0; k < 8; k++) {
		uint32_t x = (crc ^ b) & 1u;
		crc >>= 1;
		b >>= 1;
		if (x)
			crc ^= 0xa001u;
	}
	return crc;
}

static uint16_t crc16_u16(uint32_t v, uint16_t crc)
{
	return crc16_byte((v >> 8) & 0xffu, crc16_byte(v & 0xffu, crc));
}

static NOINLINE struct mx_node *mx_merge(struct mx_node *a, struct mx_node *b)
{
	struct mx_node head, *t = &head;
	while (a && b) {
		if (a->val <= b->val) {         /* stable: equal values keep their order */
			t->next = a;
			a = a->next;
		} else {
			t->next = b;
			b = b->next;
		}
		t = t->next;
	}
	t->next = a ? a : b;
	return head.next;
}

static NOINLINE struct mx_node *mx_sort(struct mx_node *h)
{
	if (!h || !h->next)
		return h;
	struct mx_node *slow = h, *fast = h->next;
	while (fast && fast->next) {
		slow = slow->next;
		fast = fast->next->next;
	}
	struct mx_node *second = slow->next;
	slow->next = 0;
	return mx_merge(mx_sort(h), mx_sort(second));
}

static NOINLINE uint16_t mx_list(uint32_t seed, uint16_t crc)
{
	uint32_t x = seed * 2654435761u + 1u, removed = 0;
	for (int i = 0; i < MX_LIST; i++) {
		x = x * 1103515245u + 12345u;
		mx_nodes[i].val = (int32_t)((x >> 16) & 0x3ffu) - 512;
		mx_nodes[i].idx = (uint32_t)i;
		mx_nodes[i].next = i + 1 < MX_LIST ? &mx_nodes[i + 1] : 0;
	}
	struct mx_node *h = &mx_nodes[0], *rev = 0;
	while (h) {                             /* reverse */
		struct mx_node *n = h->next;
		h->next = rev;
		rev = h;
		h = n;
	}
	struct mx_node **pp = &rev;             /* remove the values that are 3 mod 8 */
	while (*pp) {
		if (((*pp)->val & 7) == 3) {
			*pp = (*pp)->next;
			removed++;
		} else {
			pp = &(*pp)->next;
		}
	}
	h = mx_sort(rev);
	crc = crc16_u16(removed, crc);
	for (struct mx_node *p = h; p; p = p->next)
		crc = crc16_u16((uint32_t)p->val ^ (p->idx << 10), crc);
	return crc;
}

static NOINLINE uint16_t mx_matrix(uint32_t seed, uint16_t crc)
{
	uint32_t x = seed + 99u;
	for (int i = 0; i < MX_N; i++)
		for (int j = 0; j < MX_N; j++) {
			x = x * 1664525u + 1013904223u;
			mx_a[i][j] = (int16_t)((int32_t)(x >> 23) - 256);
			mx_b[i][j] = (int16_t)((int32_t)((x >> 7) & 0x1ffu) - 256);
		}
	for (int i = 0; i < MX_N; i++)          /* C = A * B */
		for (int j = 0; j < MX_N; j++) {
			int32_t s = 0;
			for (int k = 0; k < MX_N; k++)
				s += mx_a[i][k] * mx_b[k][j];
			mx_c[i][j] = s;
		}
	for (int i = 0; i < MX_N; i++)          /* A += seed, then C += A * 3 */
		for (int j = 0; j < MX_N; j++) {
			mx_a[i][j] = (int16_t)(mx_a[i][j] + (int16_t)seed);
			mx_c[i][j] += mx_a[i][j] * 3;
		}
	int32_t cur = 0, prev = 0, ret = 0;     /* a thresholded walk, as CoreMark's matrix_sum */
	for (int i = 0; i < MX_N; i++)
		for (int j = 0; j < MX_N; j++) {
			int32_t t = mx_c[i][j];
			cur += t;
			if (cur > 400000) {
				ret += 10;
				cur = 0;
			} else {
				ret += t > prev ? 1 : 0;
			}
			prev = t;
		}
	crc = crc16_u16((uint32_t)ret, crc);
	return crc16_u16((uint32_t)mx_c[seed % MX_N][(seed * 5) % MX_N] >> 4, crc);
}

enum { S_START, S_SIGN, S_INT, S_POINT, S_FRAC, S_EXP, S_EXPSIGN, S_EXPINT, S_INVALID, S_NSTATES };

static NOINLINE void mx_scan(const char *t, uint32_t n, uint32_t *final, uint32_t *transitions)
{
	uint32_t st = S_START;
	for (uint32_t i = 0; i <= n; i++) {
		char c = i < n ? t[i] : ',';
		uint32_t nx;
		int digit = c >= '0' && c <= '9', sign = c == '+' || c == '-', e = c == 'e' || c == 'E';
		if (c == ',') {
			final[st]++;
			st = S_START;
			continue;
		}
		switch (st) {
		case S_START: nx = digit ? S_INT : sign ? S_SIGN : c == '.' ? S_POINT : S_INVALID; break;
		case S_SIGN: nx = digit ? S_INT : c == '.' ? S_POINT : S_INVALID; break;
		case S_INT: nx = digit ? S_INT : c == '.' ? S_POINT : e ? S_EXP : S_INVALID; break;
		case S_POINT: nx = digit ? S_FRAC : S_INVALID; break;
		case S_FRAC: nx = digit ? S_FRAC : e ? S_EXP : S_INVALID; break;
		case S_EXP: nx = digit ? S_EXPINT : sign ? S_EXPSIGN : S_INVALID; break;
		case S_EXPSIGN: nx = digit ? S_EXPINT : S_INVALID; break;
		case S_EXPINT: nx = digit ? S_EXPINT : S_INVALID; break;
		default: nx = S_INVALID; break;
		}
		if (nx != st)
			(*transitions)++;
		st = nx;
	}
}

static NOINLINE uint16_t mx_state(uint32_t seed, uint16_t crc)
{
	static const char alphabet[33] = "0123456789012345678+-..eE,,,,x12";
	uint32_t x = seed * 7u + 3u, final[S_NSTATES] = { 0 }, transitions = 0;
	for (int i = 0; i < MX_TEXT; i++) {
		x = x * 1103515245u + 12345u;
		mx_text[i] = alphabet[(x >> 24) & 31u];
	}
	mx_scan(mx_text, MX_TEXT, final, &transitions);
	for (int i = 5; i < MX_TEXT; i += 11)   /* corrupt, and scan again */
		mx_text[i] = '5';
	mx_scan(mx_text, MX_TEXT, final, &transitions);
	for (int s = 0; s < S_NSTATES; s++)
		crc = crc16_u16(final[s], crc);
	return crc16_u16(transitions, crc);
}

static uint32_t run_mixed(uint32_t reps)
{
	uint16_t total = 0;
	for (uint32_t r = 0; r < reps; r++) {
		uint32_t seed = r & 7u;
		uint16_t crc = mx_list(seed, 0);
		crc = mx_matrix(seed, crc);
		crc = mx_state(seed, crc);
		total = crc16_u16(crc, total);
	}
	return total;
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
	case 3: r = run_mixed(reps); break;
	default: return HALT_VALIDATION;
	}
	marker(2);
	result("result", r);
	return 0;
}
