/*
 * selfcheck.c - a bare-metal program that checks its own answers.
 *
 * It exercises what a kernel or benchmark leans on: table-driven loads and
 * shifts (CRC-32), loads/stores and branches (a shell sort), the 64-bit helpers
 * in libgcc.c, 32-bit div/divu edge cases, and the mem* functions of libguest.c.
 * Each check is reported with result(name, 1 if it passed else 0); a failure also
 * prints what was computed and what was expected.  main returns HALT_OK only
 * when every check passed, else HALT_VALIDATION (crt0 writes it to BOARD_HALT).
 *
 * Every expected constant below was computed with Python 3 (the expression is
 * in the comment next to it).  Operands are read through volatile objects so
 * that clang cannot fold the arithmetic at compile time: the guest must do it.
 */
#include <stdint.h>

#include "libguest.h"

#define NOINLINE __attribute__((noinline))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Numerical Recipes LCG; Python: lcg = lambda x: (x * 1664525 + 1013904223) & 0xffffffff */
static uint32_t lcg(uint32_t x)
{
	return x * 1664525u + 1013904223u;
}

static unsigned failures;

static void report(const char *name, int ok)
{
	result(name, ok ? 1 : 0);
	if (!ok) {
		failures++;
		putchar('F'); putchar('A'); putchar('I'); putchar('L'); putchar(' ');
		puts(name);
	}
}

/* Compare one value; on a mismatch print "  <what>[row] <got> <want>". */
static int same64(const char *what, unsigned row, uint64_t got, uint64_t want)
{
	if (got == want)
		return 1;
	putchar(' '); putchar(' ');
	while (*what)
		putchar(*what++);
	putchar('['); putchar('0' + row / 10); putchar('0' + row % 10); putchar(']');
	putchar(' '); put_hex64(got);
	putchar(' '); put_hex64(want);
	putchar('\n');
	return 0;
}

/* ---- CRC-32 (zlib's: reflected polynomial 0xedb88320, init and final xor ~0) ---- */

static uint32_t crc_table[256];
static uint8_t crc_buf[4096];
static volatile uint32_t crc_seed = 12345;

static void crc_init(void)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

static NOINLINE uint32_t crc32(const volatile uint8_t *p, uint32_t n)
{
	uint32_t crc = 0xffffffffu;
	while (n--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void check_crc(void)
{
	static const volatile uint8_t digits[9] = "123456789";
	uint32_t x = crc_seed;

	crc_init();
	for (unsigned i = 0; i < sizeof(crc_buf); i++) {
		x = lcg(x);
		crc_buf[i] = (uint8_t)(x >> 24);
	}
	/* Python: hex(zlib.crc32(b"123456789")) == 0xcbf43926 (the standard check value) */
	report("crc32.check", same64("crc", 0, crc32(digits, 9), 0xcbf43926u));
	/* Python: x = 12345; buf = bytearray()
	 *         for i in range(4096): x = lcg(x); buf.append(x >> 24)
	 *         hex(zlib.crc32(bytes(buf))) == 0x28c5b2b0 */
	report("crc32.lcg", same64("crc", 1, crc32(crc_buf, sizeof(crc_buf)), 0x28c5b2b0u));
}

/* ---- shell sort of 300 signed LCG values ---- */

#define NSORT 300
static int32_t sort_buf[NSORT];
static volatile uint32_t sort_seed = 2024;

static NOINLINE void shell_sort(int32_t *a, unsigned n)
{
	static const unsigned gaps[] = {132, 57, 23, 10, 4, 1}; /* Ciura; the last pass is insertion sort */
	for (unsigned g = 0; g < ARRAY_SIZE(gaps); g++) {
		unsigned gap = gaps[g];
		for (unsigned i = gap; i < n; i++) {
			int32_t v = a[i];
			unsigned j = i;
			for (; j >= gap && a[j - gap] > v; j -= gap)
				a[j] = a[j - gap];
			a[j] = v;
		}
	}
}

static uint32_t sum32(const int32_t *a, unsigned n)
{
	uint32_t s = 0;
	for (unsigned i = 0; i < n; i++)
		s += (uint32_t)a[i];
	return s;
}

static void check_sort(void)
{
	uint32_t x = sort_seed, weighted = 0;
	int ordered = 1;

	for (unsigned i = 0; i < NSORT; i++) {
		x = lcg(x);
		sort_buf[i] = (int32_t)x;
	}
	/* Python: x = 2024; vals = []
	 *         for i in range(300): x = lcg(x); vals.append(x - (1 << 32) if x >> 31 else x)
	 *         hex(sum(v & 0xffffffff for v in vals) & 0xffffffff) == 0xb67ff6ea */
	int before = same64("sum", 0, sum32(sort_buf, NSORT), 0xb67ff6eau);
	shell_sort(sort_buf, NSORT);
	for (unsigned i = 1; i < NSORT; i++)
		ordered &= sort_buf[i - 1] <= sort_buf[i];
	for (unsigned i = 0; i < NSORT; i++)
		weighted += (uint32_t)sort_buf[i] * (i + 1);
	report("sort.order", ordered);
	/* The sum is order-independent: the sort must have kept the same multiset. */
	report("sort.sum", before && same64("sum", 1, sum32(sort_buf, NSORT), 0xb67ff6eau));
	/* Python: s = sorted(vals); s[0] == -2088324253, s[-1] == 2109151506,
	 *         hex(sum((v & 0xffffffff) * (i + 1) for i, v in enumerate(s)) & 0xffffffff) == 0x2c6b70d2 */
	report("sort.weighted", same64("weighted", 0, weighted, 0x2c6b70d2u)
	       & same64("min", 0, (uint32_t)sort_buf[0], (uint32_t)-2088324253)
	       & same64("max", 0, (uint32_t)sort_buf[NSORT - 1], 2109151506u));
}

/* ---- 64-bit arithmetic (the libgcc.c helpers and clang's inline sequences) ---- */

/* Python, M64 = 2**64 - 1: for each (a, b): a // b, a % b, (a * b) & M64 */
static const volatile struct { uint64_t a, b, quot, rem, prod; } u64_cases[] = {
	{0x123456789abcdef0ull, 0x000000000fedcba9ull, 0x000000012492492eull, 0x00000000048d1592ull, 0xa3d70a3c5fa77c70ull},
	{0xffffffffffffffffull, 0x0000000000000003ull, 0x5555555555555555ull, 0x0000000000000000ull, 0xfffffffffffffffdull},
	{0x8000000000000000ull, 0x00000000ffffffffull, 0x0000000080000000ull, 0x0000000080000000ull, 0x8000000000000000ull},
	{0x7fffffffffffffffull, 0x0000000100000000ull, 0x000000007fffffffull, 0x00000000ffffffffull, 0xffffffff00000000ull},
	{0x0000000000000001ull, 0x8000000000000000ull, 0x0000000000000000ull, 0x0000000000000001ull, 0x8000000000000000ull},
	{0xdeadbeefcafebabeull, 0xdeadbeefcafebabeull, 0x0000000000000001ull, 0x0000000000000000ull, 0xb295b2eef140a504ull},
	{0x000000003b9aca07ull, 0x0000000000000061ull, 0x00000000009d4e9eull, 0x0000000000000029ull, 0x0000001695a68ca7ull},
	{0xfedcba9876543210ull, 0x0000000123456789ull, 0x00000000e0000000ull, 0x0000000096543210ull, 0xcccccccce1833a90ull},
	{0xffffffffffffffffull, 0xfffffffffffffffeull, 0x0000000000000001ull, 0x0000000000000001ull, 0x0000000000000002ull},
};

/* Python: C division truncates, so q = abs(a) // abs(b), negated if the signs differ; r = a - q * b */
static const volatile struct { int64_t a, b, quot, rem; } s64_cases[] = {
	{-7ll, 2ll, -3ll, -1ll},
	{7ll, -2ll, -3ll, 1ll},
	{-7ll, -2ll, 3ll, -1ll},
	{-81985529216486895ll, 1000ll, -81985529216486ll, -895ll},          /* a = -0x123456789abcdef */
	{INT64_MIN, 7ll, -1317624576693539401ll, -1ll},
	{INT64_MIN, 4294967296ll, -2147483648ll, 0ll},
	{9223372036854775807ll, INT64_MIN, 0ll, 9223372036854775807ll},
	{9141386507638288912ll, -74565ll, -122596211461654ll, 58402ll},     /* 0x7edcba9876543210, -0x12345 */
	{-1ll, 4294967295ll, 0ll, -1ll},
};

/* Python, v = 0x8123456789abcdef, sv = v - 2**64:
 * (v << n) & M64, v >> n, (sv >> n) & M64 */
static const volatile struct { uint32_t n; uint64_t shl, lshr, ashr; } shift_cases[] = {
	{0, 0x8123456789abcdefull, 0x8123456789abcdefull, 0x8123456789abcdefull},
	{1, 0x02468acf13579bdeull, 0x4091a2b3c4d5e6f7ull, 0xc091a2b3c4d5e6f7ull},
	{4, 0x123456789abcdef0ull, 0x08123456789abcdeull, 0xf8123456789abcdeull},
	{31, 0xc4d5e6f780000000ull, 0x0000000102468acfull, 0xffffffff02468acfull},
	{32, 0x89abcdef00000000ull, 0x0000000081234567ull, 0xffffffff81234567ull},
	{33, 0x13579bde00000000ull, 0x000000004091a2b3ull, 0xffffffffc091a2b3ull},
	{48, 0xcdef000000000000ull, 0x0000000000008123ull, 0xffffffffffff8123ull},
	{63, 0x8000000000000000ull, 0x0000000000000001ull, 0xffffffffffffffffull},
};
static const volatile uint64_t shift_value = 0x8123456789abcdefull;

/* 32x32 -> 64 products (multu / mult).  Python: a * b, and (sa * sb) & M64 with
 * sa, sb the signed readings of a, b */
static const volatile struct { uint32_t a, b; uint64_t uprod, sprod; } widen_cases[] = {
	{0xfffffffeu, 0xfffffffdu, 0xfffffffb00000006ull, 0x0000000000000006ull},
	{0x12345678u, 0x9abcdef0u, 0x0b00ea4e242d2080ull, 0xf8cc93d6242d2080ull},
	{0x80000000u, 0x80000000u, 0x4000000000000000ull, 0x4000000000000000ull},
};

static void check_u64(void)
{
	int div = 1, mod = 1, mul = 1;
	for (unsigned i = 0; i < ARRAY_SIZE(u64_cases); i++) {
		uint64_t a = u64_cases[i].a, b = u64_cases[i].b;
		div &= same64("udiv64", i, a / b, u64_cases[i].quot);
		mod &= same64("umod64", i, a % b, u64_cases[i].rem);
		mul &= same64("mul64", i, a * b, u64_cases[i].prod);
	}
	report("u64.div", div);
	report("u64.mod", mod);
	report("u64.mul", mul);
}

static void check_s64(void)
{
	int div = 1, mod = 1;
	for (unsigned i = 0; i < ARRAY_SIZE(s64_cases); i++) {
		int64_t a = s64_cases[i].a, b = s64_cases[i].b;
		div &= same64("sdiv64", i, (uint64_t)(a / b), (uint64_t)s64_cases[i].quot);
		mod &= same64("smod64", i, (uint64_t)(a % b), (uint64_t)s64_cases[i].rem);
	}
	report("s64.div", div);
	report("s64.mod", mod);
}

static void check_shift64(void)
{
	int ok = 1;
	for (unsigned i = 0; i < ARRAY_SIZE(shift_cases); i++) {
		uint64_t v = shift_value;
		uint32_t n = shift_cases[i].n;
		ok &= same64("shl64", i, v << n, shift_cases[i].shl);
		ok &= same64("lshr64", i, v >> n, shift_cases[i].lshr);
		ok &= same64("ashr64", i, (uint64_t)((int64_t)v >> n), shift_cases[i].ashr);
	}
	report("u64.shift", ok);
}

static void check_widen(void)
{
	int ok = 1;
	for (unsigned i = 0; i < ARRAY_SIZE(widen_cases); i++) {
		uint32_t a = widen_cases[i].a, b = widen_cases[i].b;
		ok &= same64("multu", i, (uint64_t)a * b, widen_cases[i].uprod);
		ok &= same64("mult", i, (uint64_t)((int64_t)(int32_t)a * (int32_t)b), widen_cases[i].sprod);
	}
	report("mult.widen", ok);
}

/* ---- 32-bit div/divu edge cases (no division by zero, no INT32_MIN / -1) ---- */

/* Python: truncating q and r as for s64_cases */
static const volatile struct { int32_t a, b, quot, rem; } s32_cases[] = {
	{-7, 2, -3, -1},
	{7, -2, -3, 1},
	{-7, -2, 3, -1},
	{INT32_MIN, 1, INT32_MIN, 0},
	{INT32_MIN, 2, -1073741824, 0},
	{INT32_MIN, 2147483647, -1, -1},
	{2147483647, INT32_MIN, 0, 2147483647},
	{0, -5, 0, 0},
	{INT32_MIN, INT32_MIN, 1, 0},
	{1000000, -3, -333333, 1},
};

/* Python: a // b, a % b */
static const volatile struct { uint32_t a, b, quot, rem; } u32_cases[] = {
	{0xffffffffu, 0x00000001u, 0xffffffffu, 0x00000000u},
	{0xffffffffu, 0xffffffffu, 0x00000001u, 0x00000000u},
	{0x80000000u, 0xffffffffu, 0x00000000u, 0x80000000u},
	{0xffffffffu, 0x00000002u, 0x7fffffffu, 0x00000001u},
	{0x00000005u, 0x00000007u, 0x00000000u, 0x00000005u},
	{0x80000000u, 0x7fffffffu, 0x00000001u, 0x00000001u},
	{0xfffffffeu, 0x00010000u, 0x0000ffffu, 0x0000fffeu},
};

static void check_div32(void)
{
	int sdiv = 1, udiv = 1;
	for (unsigned i = 0; i < ARRAY_SIZE(s32_cases); i++) {
		int32_t a = s32_cases[i].a, b = s32_cases[i].b;
		sdiv &= same64("div", i, (uint32_t)(a / b), (uint32_t)s32_cases[i].quot);
		sdiv &= same64("rem", i, (uint32_t)(a % b), (uint32_t)s32_cases[i].rem);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(u32_cases); i++) {
		uint32_t a = u32_cases[i].a, b = u32_cases[i].b;
		udiv &= same64("divu", i, a / b, u32_cases[i].quot);
		udiv &= same64("remu", i, a % b, u32_cases[i].rem);
	}
	report("s32.div", sdiv);
	report("u32.div", udiv);
}

/* ---- mem* (called directly, and by clang for a struct copy) ---- */

struct block {
	uint32_t w[32];
};
static struct block block_a, block_b;

static NOINLINE void copy_block(struct block *dst, const struct block *src)
{
	*dst = *src; /* 128 bytes: clang emits a memcpy call */
}

static void check_mem(void)
{
	static uint8_t a[64], b[64];
	int ok = 1;

	/* Expected values follow from the operations themselves (no constants needed). */
	memset(a, 0x5a, sizeof(a));
	for (unsigned i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)i;
	memcpy(a + 8, b, 32);
	ok &= a[7] == 0x5a && a[8] == 0 && a[39] == 31 && a[40] == 0x5a;
	ok &= memcmp(a + 8, b, 32) == 0;
	memmove(b + 1, b, 40); /* overlapping, forward: b[1..40] = 0..39 */
	ok &= b[0] == 0 && b[1] == 0 && b[40] == 39 && b[41] == 41;
	memmove(b, b + 1, 40); /* overlapping, backward: b[0..39] = 0..39 again */
	for (unsigned i = 0; i < 40; i++)
		ok &= b[i] == i;
	ok &= memcmp("abc", "abd", 3) < 0 && memcmp("abd", "abc", 3) > 0;
	for (unsigned i = 0; i < 32; i++)
		block_b.w[i] = lcg(i);
	copy_block(&block_a, &block_b);
	ok &= memcmp(&block_a, &block_b, sizeof(block_a)) == 0;
	report("mem", ok);
}

/* ---- the board's counters move forward ---- */

static void check_counters(void)
{
	uint64_t c0 = read_cycles(), i0 = read_insns();
	uint64_t c1 = read_cycles(), i1 = read_insns();
	report("board.counters", c1 > c0 && i1 > i0);
}

int main(void)
{
	marker(1);
	check_crc();
	check_sort();
	check_u64();
	check_s64();
	check_shift64();
	check_widen();
	check_div32();
	check_mem();
	check_counters();
	marker(2);
	result("failures", failures);
	puts(failures ? "selfcheck: FAILED" : "selfcheck: ok");
	return failures ? HALT_VALIDATION : HALT_OK;
}
