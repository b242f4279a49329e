/*
 * matrix.c - Table 9: a 150x150 matrix multiply, the same code on both systems.
 *
 * The paper's point: a compute-bound program pays nothing for application-level VM, so
 * both systems should take the same time.  Integer arithmetic (no FPU is modelled; the
 * DECstation's R3010 is left out of the machine, see README).  Validation: every row of
 * C = A*B satisfies sum_j C[i][j] == sum_k A[i][k] * (sum_j B[k][j]), computed
 * independently after the timed region.
 */
#include "benchutil.h"

#define N 150

static int32_t A[N][N], B[N][N], C[N][N];

static void fill(uint32_t seed)
{
	uint32_t x = seed;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			x = x * 1664525u + 1013904223u;
			A[i][j] = (int32_t)(x >> 20) - 2048;
			x = x * 1664525u + 1013904223u;
			B[i][j] = (int32_t)(x >> 20) - 2048;
		}
}

static NOINLINE void multiply(void)
{
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			int32_t s = 0;
			for (int k = 0; k < N; k++)
				s += A[i][k] * B[k][j];
			C[i][j] = s;
		}
}

static int check(void)
{
	static int32_t bsum[N];
	for (int k = 0; k < N; k++) {
		int32_t s = 0;
		for (int j = 0; j < N; j++)
			s += B[k][j];
		bsum[k] = s;
	}
	for (int i = 0; i < N; i++) {
		int32_t lhs = 0, rhs = 0;
		for (int j = 0; j < N; j++)
			lhs += C[i][j];
		for (int k = 0; k < N; k++)
			rhs += A[i][k] * bsum[k];
		if (lhs != rhs)
			return 0;
	}
	return 1;
}

int main(void)
{
	uint32_t n = os_param("n", 1), ok = 1, sum = 0;

	for (uint32_t r = 0; r < n; r++) {
		fill(r + 1);
		bench_marker(BENCH_MARK_START);
		multiply();
		bench_marker(BENCH_MARK_END);
		ok &= check();
		for (int i = 0; i < N; i++)
			sum = sum * 31u + (uint32_t)C[i][i];
	}
	bench_result("diag_hash", sum);
	bench_finish(ok);
}
