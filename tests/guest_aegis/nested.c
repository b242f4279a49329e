/*
 * nested.c - exceptions and end-of-slice upcalls that arrive while ExOS is handling an
 * exception (tests/test_aegis.py, nested_*).  nested_torture (nested.S) holds a pattern in
 * every register and takes two ExOS exceptions per iteration (an overflow for on_ov, a TLB
 * miss for vm_fault).  Boot parameters:
 *   upcall  1: a slice-end policy that faults (drops the binding of its page, then writes it)
 *   h       1: on_ov faults as well (a TLB miss nested in a program's exception handler)
 *   n       iterations
 * With a short timer, slice ends land everywhere in exc.S and the handlers; the policy's own
 * exception must not build its frame over the interrupted handler's live frame or stack.
 */
#include "exos.h"

#define P_VA    0x10100000u     /* the policy's page */
#define Q_VA    0x10101000u     /* the loop's page */
#define R_VA    0x10102000u     /* the handler's page */
#define UA(off) (*(volatile uint32_t *)(UAREA_VADDR + (off)))
#define TOUCH(va) (++*(volatile uint32_t *)(va))

int nested_torture(uint32_t seed, uint32_t iterations, uint32_t q);
extern const char exos_exc_return[];

static uint32_t handler_faults, exc_top;
static volatile uint32_t ov_hits, policy_runs, in_handling, stack_bad;

/* A page fault nested in the handler, with more of the handler's stack live than a frame's size */
static void __attribute__((noinline)) deep_fault(void)
{
	volatile uint32_t pad[96];
	for (uint32_t i = 0; i < 96; i++)
		pad[i] = 0xa5a50000u + i;
	ae_tlb_unmap(R_VA);
	TOUCH(R_VA);
	for (uint32_t i = 0; i < 96; i++)
		stack_bad += pad[i] != 0xa5a50000u + i;
}

static void on_ov(struct os_fault *f)
{
	ov_hits++;
	ae_tlb_unmap(Q_VA);             /* the loop's next load of q misses */
	if (handler_faults)
		deep_fault();
	f->pc += 4;
}

static void policy(void)
{
	uint32_t epc = UA(SA_IEPC), sp = UA(SA_IREG(29));
	if (UA(UA_EXC_SP) != exc_top || (sp < exc_top && sp >= exc_top - 8192) ||
	    (epc >= (uint32_t)(uintptr_t)exos_exc_entry && epc <= (uint32_t)(uintptr_t)exos_exc_return))
		in_handling++;          /* the upcall interrupted ExOS's exception handling */
	ae_tlb_unmap(P_VA);
	TOUCH(P_VA);                    /* an ExOS page fault in the policy */
	policy_runs++;
}

int main(void)
{
	if (os_alloc_pages(P_VA, 3) != OS_OK || os_set_handler(EXC_OV, on_ov) != OS_OK)
		os_exit(1);
	exc_top = UA(UA_EXC_SP);
	handler_faults = os_param("h", 0);
	if (os_param("upcall", 0) && exos_slice_end_handler(policy) != OS_OK)
		os_exit(2);
	uint32_t n = os_param("n", 20000);
	int r = nested_torture(0x5a5a0000u, n, Q_VA);
	bench_result("torture", (uint32_t)r);
	bench_result("ov", ov_hits);
	bench_result("q", *(volatile uint32_t *)Q_VA);
	bench_result("r", *(volatile uint32_t *)R_VA);
	bench_result("p", *(volatile uint32_t *)P_VA);
	bench_result("upcalls", policy_runs);
	bench_result("in_handling", in_handling);
	bench_result("stack_bad", stack_bad);
	bench_result("exc_sp_ok", UA(UA_EXC_SP) == exc_top);
	os_exit(0);
}
