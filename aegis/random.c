/*
 * random.c - the kernel's secret and its keyed generator, for capability tags.
 *
 * At boot the kernel reads a 128-bit key from the board's entropy register (seeded by the
 * host; a fixed seed unless it asks for a random one, so runs repeat).  random_tag() is
 * SipHash-2-4 (Aumasson and Bernstein, 2012) of a counter under that key: a pseudorandom
 * function, so no set of tags an environment has seen tells it anything about another
 * without the key, which never leaves the kernel.  SipHash has no secret-dependent branch
 * or memory access, so a tag's value never changes a cycle count.
 */
#include "kern.h"

static uint64_t key0, key1, counter;

static inline uint64_t rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPROUND()                                                      \
	do {                                                            \
		v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32); \
		v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;                    \
		v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;                    \
		v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32); \
	} while (0)

/* SipHash-2-4 of the single 8-byte message m under (key0, key1). */
static uint64_t siphash_u64(uint64_t m)
{
	uint64_t v0 = key0 ^ 0x736f6d6570736575ull, v1 = key1 ^ 0x646f72616e646f6dull;
	uint64_t v2 = key0 ^ 0x6c7967656e657261ull, v3 = key1 ^ 0x7465646279746573ull;
	uint64_t b = (uint64_t)8 << 56;         /* the message length in the last block */
	v3 ^= m;
	SIPROUND();
	SIPROUND();
	v0 ^= m;
	v3 ^= b;
	SIPROUND();
	SIPROUND();
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND();
	SIPROUND();
	SIPROUND();
	SIPROUND();
	return v0 ^ v1 ^ v2 ^ v3;
}

/* Take the key from the board's entropy source.  Called once, at boot. */
void random_init(void)
{
	key0 = (uint64_t)BOARD(BOARD_ENTROPY) << 32;
	key0 |= BOARD(BOARD_ENTROPY);
	key1 = (uint64_t)BOARD(BOARD_ENTROPY) << 32;
	key1 |= BOARD(BOARD_ENTROPY);
}

/* A fresh nonzero tag of AE_CAP tag width, in place (bits 47..4, the rest zero). */
uint64_t random_tag(void)
{
	uint64_t t;
	do
		t = siphash_u64(counter++) & ((((uint64_t)1 << AE_CAP_PPN_SHIFT) - 1) & ~(uint64_t)AE_CAP_USER_BITS);
	while (t == 0);
	return t;
}
