/*
 * libgcc.c - the compiler-rt helpers clang calls for the bare-metal guests.
 *
 * Which ones: compiling 64-bit arithmetic with exobench.toolchain.CFLAGS (clang 22.1.8
 * from ziglang 0.17.1, mipsel, -mcpu=mips1, o32) leaves exactly four undefined
 * helpers: __udivdi3, __umoddi3, __divdi3 and __moddi3 (64-bit / and %, also by
 * constants).  64-bit multiply, shifts by variable amounts, compares, negation,
 * __builtin_clz/ctz/popcount and __builtin_mul_overflow are all expanded inline,
 * so no __muldi3/__ashldi3/__lshrdi3/__ashrdi3/__clzsi2 is needed.
 *
 * Why C and not zig's compiler_rt: building zig's compiler_rt for mipsel-freestanding
 * is a large, slow build whose code we would not control; these few lines are
 * compiled with the same flags as everything else, so they are plain MIPS-I like the
 * rest of the image and their instruction counts are stable.
 *
 * Division is restoring shift-subtract, with a hardware divu fast path when both
 * operands fit in 32 bits.  Division by zero executes "break 7", the code MIPS
 * compilers use for it.
 */
#include <stdint.h>

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem);
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divdi3(int64_t n, int64_t d);
int64_t __moddi3(int64_t n, int64_t d);

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0;

	if (d == 0) {
		__asm__ volatile("break 7");
		if (rem)
			*rem = n;
		return ~(uint64_t)0;
	}
	if ((n >> 32) == 0 && (d >> 32) == 0) {
		uint32_t n32 = (uint32_t)n, d32 = (uint32_t)d;
		q = n32 / d32;
		n = n32 % d32;
	} else if (n >= d) {
		/* Align d's top bit with n's, then one quotient bit per step. */
		int shift = __builtin_clzll(d) - __builtin_clzll(n);
		d <<= shift;
		for (; shift >= 0; shift--) {
			q <<= 1;
			if (n >= d) {
				n -= d;
				q |= 1;
			}
			d >>= 1;
		}
	}
	if (rem)
		*rem = n;
	return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
	return __udivmoddi4(n, d, 0);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
	uint64_t r;
	__udivmoddi4(n, d, &r);
	return r;
}

/* Magnitudes as unsigned, so INT64_MIN needs no special case. */
static uint64_t magnitude(int64_t x)
{
	return x < 0 ? -(uint64_t)x : (uint64_t)x;
}

/* C semantics: the quotient truncates toward zero, the remainder has the dividend's sign. */
int64_t __divdi3(int64_t n, int64_t d)
{
	uint64_t q = __udivmoddi4(magnitude(n), magnitude(d), 0);
	return (int64_t)((n < 0) != (d < 0) ? -q : q);
}

int64_t __moddi3(int64_t n, int64_t d)
{
	uint64_t r;
	__udivmoddi4(magnitude(n), magnitude(d), &r);
	return (int64_t)(n < 0 ? -r : r);
}
