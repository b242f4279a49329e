/*
 * vm.c - the virtual-memory primitives of the paper's VM table (Appel and Li's tests).
 *
 * op 0 dirty:     ask whether a page is dirty (Ultrix has no such call: n/a);
 * op 1 prot1:     write-protect one page (alternating with unprotect, both timed);
 * op 2 prot100:   write-protect 100 pages in one call (only the protect is timed);
 * op 3 unprot100: unprotect 100 pages in one call (only the unprotect is timed);
 * op 4 trap:      a store to a protected page, the user handler, resume after it;
 * op 5 appel1:    "prot1+trap+unprot": each store to a protected page traps; the handler
 *                 protects another page and unprotects the faulting one (per trap);
 * op 6 appel2:    "protN+trap+unprot": protect 100 pages, then each page's first store
 *                 traps and the handler unprotects it (per trap, protect amortized).
 * op 7 tlbrefill: one load from each of TLB_PAGES pages in turn, many more pages than the
 *                 TLB's 56 random slots hold, so (random replacement) nearly every load
 *                 misses and is refilled by the kernel from its page structure (the
 *                 baseline's UTLB refill from the kseg2 linear table; Aegis's STLB) with no
 *                 fault to the application; per load.  Issue 11's TLB-refill row.
 * Definitions: Appel & Li's vmpup.c (docs/references.md#appel-li-tests).  Validation: the
 * handler ran exactly when it had to, stores landed only after unprotect, protected pages
 * kept their contents, and the calls all succeeded.
 */
#include "benchutil.h"

#define BASE   0x00800000u
#define NPAGES 100
#define PAGE(i) (BASE + (uint32_t)(i) * PAGE_SIZE)
#define TLB_BASE  0x01000000u
#define TLB_PAGES 1024                  /* >> 56 random TLB slots; < Aegis's 4096-entry STLB */
#define TLB_PAGE(i) (TLB_BASE + (uint32_t)(i) * PAGE_SIZE)

static volatile uint32_t traps, wrong, last_open = 0xffffffffu;
static uint32_t op;

static void handler(struct os_fault *f)
{
	uint32_t va = f->badvaddr & ~(uint32_t)(PAGE_SIZE - 1);
	traps++;
	if (va < BASE || va >= PAGE(NPAGES)) {
		wrong++;
		f->pc += 4;
		return;
	}
	if (op == 4) {                          /* trap: leave the page protected, skip the store */
		f->pc += 4;
		return;
	}
	if (op == 5) {                          /* appel1: protect the page left open last time */
		if (last_open != 0xffffffffu && os_protect(last_open, 1, OS_PROT_READ) != OS_OK)
			wrong++;
		last_open = va;
	}
	if (os_protect(va, 1, OS_PROT_READ | OS_PROT_WRITE) != OS_OK)   /* unprotect, retry the store */
		wrong++;
}

static inline void store(uint32_t va, uint32_t v) { *(volatile uint32_t *)va = v; }

/* A store the compiler cannot put in a branch delay slot: the trap test's handler resumes
 * at pc + 4, which is only right for a fault outside a delay slot. */
static inline void store_insn(uint32_t va, uint32_t v)
{
	__asm__ volatile("sw %0, 0(%1)" : : "r"(v), "r"(va) : "memory");
}
static inline uint32_t load(uint32_t va) { return *(volatile uint32_t *)va; }

int main(void)
{
	uint32_t n = os_param("n", 100), bad = 0;
	op = os_param("op", 1);

	if (op > 7 || os_alloc_pages(BASE, NPAGES) != OS_OK)
		bench_finish(0);
	if (op == 7 && os_alloc_pages(TLB_BASE, TLB_PAGES) != OS_OK)
		bench_finish(0);
	for (int i = 0; i < NPAGES; i++)
		store(PAGE(i), 0x1000 + i);
	if (op >= 4 && os_set_handler(EXC_MOD, handler) == OS_ENOTSUP)
		bench_unsupported();

	switch (op) {
	case 0: {                               /* dirty */
		int d0 = os_dirty(PAGE(0));
		if (d0 == OS_ENOTSUP)
			bench_unsupported();
		bench_marker(BENCH_MARK_START);
		for (uint32_t i = 0; i < n; i++)
			bad |= (uint32_t)os_dirty(PAGE(i % NPAGES)) ^ 1u;   /* every page was written */
		bench_marker(BENCH_MARK_END);
		break;
	}
	case 1:                                 /* prot1, alternating: n calls in all */
		bench_marker(BENCH_MARK_START);
		for (uint32_t i = 0; i < n; i++)
			bad |= (uint32_t)os_protect(PAGE(0), 1, (i & 1) ? OS_PROT_READ | OS_PROT_WRITE : OS_PROT_READ);
		bench_marker(BENCH_MARK_END);
		break;
	case 2: case 3:                         /* prot100 / unprot100 */
		for (uint32_t i = 0; i < n; i++) {
			if (op == 2) bench_marker(BENCH_MARK_START);
			bad |= (uint32_t)os_protect(BASE, NPAGES, OS_PROT_READ);
			if (op == 2) bench_marker(BENCH_MARK_END);
			if (op == 3) bench_marker(BENCH_MARK_START);
			bad |= (uint32_t)os_protect(BASE, NPAGES, OS_PROT_READ | OS_PROT_WRITE);
			if (op == 3) bench_marker(BENCH_MARK_END);
		}
		break;
	case 4:                                 /* trap: the store must not land */
		bad |= (uint32_t)os_protect(PAGE(0), 1, OS_PROT_READ);
		bench_marker(BENCH_MARK_START);
		for (uint32_t i = 0; i < n; i++)
			store_insn(PAGE(0), 0xbad);
		bench_marker(BENCH_MARK_END);
		bad |= load(PAGE(0)) ^ 0x1000u;
		bad |= traps ^ n;
		break;
	case 5:                                 /* appel1: at most one page open at a time, so */
		bad |= (uint32_t)os_protect(BASE, NPAGES, OS_PROT_READ);   /* every access traps */
		bench_marker(BENCH_MARK_START);
		for (uint32_t i = 0, p = 0; i < n; i++) {
			p = (p + 53) % NPAGES;          /* a fixed permutation; never the open page */
			store(PAGE(p), i);
			bad |= load(PAGE(p)) ^ i;
		}
		bench_marker(BENCH_MARK_END);
		bad |= traps ^ n;
		break;
	case 6:                                 /* appel2: rounds of protect-100 then 100 traps */
		if (n % NPAGES)
			bench_finish(0);
		bench_marker(BENCH_MARK_START);
		for (uint32_t r = 0; r < n / NPAGES; r++) {
			bad |= (uint32_t)os_protect(BASE, NPAGES, OS_PROT_READ);
			for (int p = 0; p < NPAGES; p++) {
				store(PAGE(p), r + p);
				bad |= load(PAGE(p)) ^ (r + p);
			}
		}
		bench_marker(BENCH_MARK_END);
		bad |= traps ^ n;
		break;
	case 7: {                               /* tlbrefill: every load must read its page's word */
		uint32_t sum = 0, want = 0;
		for (int p = 0; p < TLB_PAGES; p++)
			store(TLB_PAGE(p), 0x5000 + p);
		bench_marker(BENCH_MARK_START);
		for (uint32_t i = 0; i < n; i++)
			sum += load(TLB_PAGE(i % TLB_PAGES));
		bench_marker(BENCH_MARK_END);
		for (uint32_t i = 0; i < n; i++)
			want += 0x5000 + i % TLB_PAGES;
		bad |= sum ^ want;
		bad |= traps;                   /* a refill is never the application's fault */
		bench_result("sum", sum);
		break;
	}
	}
	bench_result("traps", traps);
	bench_result("wrong", wrong);
	bench_finish(bad == 0 && wrong == 0);
}
