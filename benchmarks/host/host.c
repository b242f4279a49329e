/*
 * host.c - the paper's operations measured live on the host running exobench (Linux),
 * so today's kernel can be set beside 1995's Ultrix and Aegis.
 *
 *     host OP N    ->  one line: "OP ns_total=<ns for N operations> check=<value>"
 *
 * Each operation mirrors a row of the paper's tables and checks that it did what it
 * claims (the check value is validated by benchmarks/host/bench.py):
 *   call      a procedure call that is not inlined (Table 4)       check: the sum it computed
 *   syscall   a null system call, getppid via syscall(2) (Table 4) check: calls that returned the ppid
 *   exception an illegal instruction (ud2 / udf) to a SIGILL handler that steps over it
 *             and returns (Table 5: the fault, the handler, back)  check: handler runs
 *   prot1     mprotect of one page read-only, then back            check: calls that succeeded
 *   prot100   mprotect of 100 pages read-only (one call)           check: calls that succeeded
 *   unprot100 mprotect of 100 pages back to read-write             check: calls that succeeded
 *   trap      a store to a read-only page, SIGSEGV handler unprotects it (Appel & Li trap)
 *                                                                  check: faults taken
 *   appel1    prot1+trap+unprot: protect a page, touch it, the handler unprotects
 *   appel2    protN+trap+unprot: protect 100 pages, touch each, each fault unprotects its page
 *   pipe      a 4-byte round trip through two pipes to a child process (Table 8)
 *                                                                  check: words echoed correctly
 *   matrix    150x150 integer matrix multiply, benchmarks/matrix's (Table 9)
 *                                                                  check: the result's words summed
 * Built for the host by the project's pinned clang (zig cc), -O2.  Times are CLOCK_MONOTONIC
 * around the N operations, after a warm-up of the same operation.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define PAGE 4096
#define NPROT 100

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

/* ---- call ---- */
__attribute__((noinline)) static uint64_t callee(uint64_t x)
{
	__asm__ volatile("" : "+r"(x));     /* keep the call: no inlining, no folding */
	return x + 1;
}

static uint64_t op_call(long n)
{
	uint64_t s = 0;
	for (long i = 0; i < n; i++)
		s = callee(s);
	return s;
}

/* ---- syscall ---- */
static uint64_t op_syscall(long n)
{
	pid_t want = getppid();
	uint64_t ok = 0;
	for (long i = 0; i < n; i++)
		ok += syscall(SYS_getppid) == want;
	return ok;
}

/* ---- exception: an illegal instruction, stepped over by the handler ---- */
static volatile uint64_t handled;

static void on_sigill(int sig, siginfo_t *si, void *uc_)
{
	(void)sig; (void)si;
	ucontext_t *uc = uc_;
#if defined(__x86_64__)
	uc->uc_mcontext.gregs[REG_RIP] += 2;        /* ud2 is two bytes */
#elif defined(__aarch64__)
	uc->uc_mcontext.pc += 4;
#else
#error "host.c: add this architecture's program counter"
#endif
	handled++;
}

static void illegal(void)
{
#if defined(__x86_64__)
	__asm__ volatile("ud2" ::: "memory");
#elif defined(__aarch64__)
	__asm__ volatile(".inst 0x00000000" ::: "memory");   /* udf #0 */
#endif
}

static uint64_t op_exception(long n)
{
	struct sigaction sa = {0};
	sa.sa_sigaction = on_sigill;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGILL, &sa, 0))
		die("sigaction");
	handled = 0;
	for (long i = 0; i < n; i++)
		illegal();
	return handled;
}

/* ---- VM: pages, protection, faults ---- */
static uint8_t *region;
static volatile uint64_t faults;

static void on_sigsegv(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	uintptr_t page = (uintptr_t)si->si_addr & ~(uintptr_t)(PAGE - 1);
	if (page < (uintptr_t)region || page >= (uintptr_t)region + NPROT * PAGE)
		_exit(3);                               /* a fault we did not cause */
	if (mprotect((void *)page, PAGE, PROT_READ | PROT_WRITE))
		_exit(4);
	faults++;
}

static void vm_setup(void)
{
	region = mmap(0, NPROT * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		die("mmap");
	memset(region, 1, NPROT * PAGE);               /* every page present and dirty */
	struct sigaction sa = {0};
	sa.sa_sigaction = on_sigsegv;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSEGV, &sa, 0))
		die("sigaction");
}

/* prot1/prot100 time the protect alone, unprot100 the unprotect alone: each call of a
 * protect/unprotect pair is timed on its own. */
static uint64_t op_prot(long n, int pages, int unprot, uint64_t *ns)
{
	uint64_t ok = 0, t = 0;
	for (long i = 0; i < n; i++) {
		uint64_t t0 = now_ns();
		ok += mprotect(region, (size_t)pages * PAGE, PROT_READ) == 0;
		uint64_t t1 = now_ns();
		ok += mprotect(region, (size_t)pages * PAGE, PROT_READ | PROT_WRITE) == 0;
		t += unprot ? now_ns() - t1 : t1 - t0;
	}
	*ns = t;
	return ok;
}

static uint64_t op_trap(long n, uint64_t *ns)
{
	/* trap: the fault and the handler's unprotect; the protect before it is not timed */
	uint64_t t = 0;
	faults = 0;
	for (long i = 0; i < n; i++) {
		if (mprotect(region, PAGE, PROT_READ))
			die("mprotect");
		uint64_t t0 = now_ns();
		((volatile uint8_t *)region)[8] = (uint8_t)i;
		t += now_ns() - t0;
	}
	*ns = t;
	return faults;
}

static uint64_t op_appel1(long n)
{
	faults = 0;
	for (long i = 0; i < n; i++) {
		if (mprotect(region, PAGE, PROT_READ))
			die("mprotect");
		((volatile uint8_t *)region)[16] = (uint8_t)i;
	}
	return faults;
}

static uint64_t op_appel2(long n)
{
	/* n counts faults: each round protects NPROT pages once and touches each of them */
	faults = 0;
	long rounds = (n + NPROT - 1) / NPROT;
	for (long r = 0; r < rounds; r++) {
		if (mprotect(region, NPROT * PAGE, PROT_READ))
			die("mprotect");
		for (int p = 0; p < NPROT; p++)
			((volatile uint8_t *)region)[p * PAGE + 24] = (uint8_t)r;
	}
	return faults;
}

/* ---- pipe round trip with a child ---- */
static uint64_t op_pipe(long n)
{
	int to[2], from[2];
	if (pipe(to) || pipe(from))
		die("pipe");
	pid_t child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		uint32_t w;
		close(to[1]);                           /* so that the parent's close is our EOF */
		close(from[0]);
		while (read(to[0], &w, 4) == 4) {
			w = w * 2 + 1;
			if (write(from[1], &w, 4) != 4)
				_exit(5);
		}
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	uint64_t good = 0;
	for (long i = 0; i < n; i++) {
		uint32_t w = (uint32_t)i, r = 0;
		if (write(to[1], &w, 4) != 4 || read(from[0], &r, 4) != 4)
			die("pipe io");
		good += r == w * 2 + 1;
	}
	close(to[1]);
	waitpid(child, 0, 0);
	close(from[0]);
	return good;
}

/* ---- matrix multiply: benchmarks/matrix's integers and loop ---- */
#define M 150
static int32_t A[M][M], B[M][M], C[M][M];

static void fill(uint32_t seed)
{
	uint32_t x = seed;
	for (int i = 0; i < M; i++)
		for (int j = 0; j < M; j++) {
			x = x * 1664525u + 1013904223u;
			A[i][j] = (int32_t)(x >> 20) - 2048;
			x = x * 1664525u + 1013904223u;
			B[i][j] = (int32_t)(x >> 20) - 2048;
		}
}

__attribute__((noinline)) static void multiply(void)
{
	for (int i = 0; i < M; i++)
		for (int j = 0; j < M; j++) {
			int32_t s = 0;
			for (int k = 0; k < M; k++)
				s += A[i][k] * B[k][j];
			C[i][j] = s;
		}
}

static uint64_t op_matrix(long n)
{
	fill(1);
	for (long k = 0; k < n; k++)
		multiply();
	uint64_t sum = 0;                           /* C as uint32 words, summed */
	for (int i = 0; i < M; i++)
		for (int j = 0; j < M; j++)
			sum += (uint32_t)C[i][j];
	return sum;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return fprintf(stderr, "usage: host OP N\n"), 2;
	const char *op = argv[1];
	long n = strtol(argv[2], 0, 10);
	if (n <= 0)
		return fprintf(stderr, "host: N must be positive\n"), 2;
	vm_setup();
	uint64_t check = 0, ns = 0, t0;
	int timed_inside = 0;

	/* warm up with the same operation, then time it */
	for (int pass = 0; pass < 2; pass++) {
		long k = pass ? n : (n < 10 ? n : n / 10);
		t0 = now_ns();
		if (!strcmp(op, "call"))
			check = op_call(k);
		else if (!strcmp(op, "syscall"))
			check = op_syscall(k);
		else if (!strcmp(op, "exception"))
			check = op_exception(k);
		else if (!strcmp(op, "prot1"))
			check = op_prot(k, 1, 0, &ns), timed_inside = 1;
		else if (!strcmp(op, "prot100"))
			check = op_prot(k, NPROT, 0, &ns), timed_inside = 1;
		else if (!strcmp(op, "unprot100"))
			check = op_prot(k, NPROT, 1, &ns), timed_inside = 1;
		else if (!strcmp(op, "trap"))
			check = op_trap(k, &ns), timed_inside = 1;
		else if (!strcmp(op, "appel1"))
			check = op_appel1(k);
		else if (!strcmp(op, "appel2"))
			check = op_appel2(k);
		else if (!strcmp(op, "pipe"))
			check = op_pipe(k);
		else if (!strcmp(op, "matrix"))
			check = op_matrix(k);
		else
			return fprintf(stderr, "host: unknown operation %s\n", op), 2;
		if (!timed_inside)
			ns = now_ns() - t0;
	}
	printf("%s ns_total=%llu check=%llu\n", op, (unsigned long long)ns, (unsigned long long)check);
	return 0;
}
