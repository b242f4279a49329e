/*
 * exc.c - Table 5: exception dispatch to an application handler and back.
 *
 * kind 0 unalign: lw from an odd address (AdEL);
 * kind 1 overflow: add overflowing (Ov);
 * kind 2 coproc: a COP1 instruction with the coprocessor disabled (CpU);
 * kind 3 prot: a store to a write-protected page (Mod).
 * The handler counts the exception and resumes after the faulting instruction; it
 * is the whole round trip that is measured.  Two handlers: with "fast" = 0 a C handler
 * through the system's general mechanism (ExOS's exception frames; the baseline's
 * signals); with "fast" = 1 on Aegis, the smallest handler Aegis allows (fast_handler.S:
 * nine instructions in user mode, no kernel on the way back), which is what the paper's
 * dispatch figure measures.  Ultrix has nothing smaller than a signal.  Ultrix cannot deliver
 * unalign (it fixes the access up) or coproc (applications cannot disable the FPU):
 * os_set_handler says so and the row is n/a.  Validation: the handler ran exactly once
 * per operation and saw the right cause and address, and the faulting instruction had
 * no effect (no register written, no memory changed).
 */
#include "benchutil.h"
#ifdef EXOBENCH_SYSTEM_AEGIS
#include "exos.h"
#else
volatile uint32_t bench_fast_count;
void bench_fast_handler(void) {}
#endif

#define PROT_PAGE 0x00800000u

static const int exccode[] = { EXC_ADEL, EXC_OV, EXC_CPU, EXC_MOD };
static volatile uint32_t handled, wrong;
extern volatile uint32_t bench_fast_count;     /* fast_handler.S (Aegis) */
void bench_fast_handler(void);
static uint32_t want_cause, want_badvaddr, check_badvaddr;
static uint32_t aligned_word[2] = { 0x11111111, 0x22222222 };

static void handler(struct os_fault *f)
{
	handled++;
	if (((f->cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT) != want_cause ||
	    (check_badvaddr && f->badvaddr != want_badvaddr))
		wrong++;
	f->pc += 4;
}

/* One faulting instruction each; `out` starts as a sentinel the fault must not change. */
static inline uint32_t trigger(uint32_t kind, uint32_t out)
{
	switch (kind) {
	case 0: __asm__ volatile("lw %0, 1(%1)" : "+r"(out) : "r"(aligned_word) : "memory"); break;
	case 1: __asm__ volatile("add %0, %1, %1" : "+r"(out) : "r"(0x7fffffffu)); break;
	case 2: __asm__ volatile("mfc1 %0, $f0" : "+r"(out)); break;
	case 3: __asm__ volatile("sw %1, 0(%2)" : "+r"(out) : "r"(0xdeadbeefu), "r"(PROT_PAGE) : "memory"); break;
	}
	return out;
}

int main(void)
{
	uint32_t n = os_param("n", 1000), kind = os_param("kind", 1), fast = os_param("fast", 0), bad = 0;

	if (kind > 3)
		bench_finish(0);
	want_cause = (uint32_t)exccode[kind];
	if (kind == 0) {
		want_badvaddr = (uint32_t)aligned_word + 1;
		check_badvaddr = 1;
	}
	if (kind == 3) {
		if (os_alloc_pages(PROT_PAGE, 1) != OS_OK)
			bench_finish(0);
		*(volatile uint32_t *)PROT_PAGE = 0x5a5a5a5a;
		if (os_protect(PROT_PAGE, 1, OS_PROT_READ) != OS_OK)
			bench_finish(0);
		want_badvaddr = PROT_PAGE;
		check_badvaddr = 1;
	}
	if (kind == 2 && os_coproc_disable() == OS_ENOTSUP)
		bench_unsupported();
	if (os_set_handler(exccode[kind], handler) == OS_ENOTSUP)
		bench_unsupported();
#ifdef EXOBENCH_SYSTEM_AEGIS
	if (fast && ae_set_handler((uint32_t)exccode[kind], (uint32_t)bench_fast_handler) != 0)
		bench_finish(0);
#else
	if (fast)
		bench_unsupported();
#endif

	for (int i = 0; i < 10; i++)                     /* warm up */
		bad |= trigger(kind, 0x600d) ^ 0x600d;
	handled = 0;
	bench_fast_count = 0;
	bench_marker(BENCH_MARK_START);
	for (uint32_t i = 0; i < n; i++)
		bad |= trigger(kind, 0x600d) ^ 0x600d;
	bench_marker(BENCH_MARK_END);

	if (fast) {
		handled = bench_fast_count;
		check_badvaddr = 0;     /* the fast handler does not look */
	}
	bench_result("handled", handled);
	bench_result("wrong", wrong);
	if (kind == 3)
		bad |= *(volatile uint32_t *)PROT_PAGE ^ 0x5a5a5a5a;
	bench_finish(handled == n && wrong == 0 && bad == 0);
}
