/*
 * ipt_vm.c - checks of ExOS's page-table structures that the shared mechanism tests
 * (mech.c) do not reach, one per boot parameter "t".  Linked either with the default
 * two-level table or with exos/optional/ipt.c (the inverted table, EXOS_IPT_ENTRIES entries).
 *
 * t=1 collisions: CHAIN pages whose virtual page numbers hash to one bucket of the
 *     inverted table (16 MiB apart, at the same bucket as CHAIN_VA); each keeps its own
 *     word through TLB flushes, misses are served from the chain, protect and dirty
 *     act on the right entry.
 * t=2 full table: map pages one by one until the table is full; the refusal is
 *     OS_ENOMEM, nothing changes, what was mapped still works.
 * t=3 sparse: `pages` pages scattered over 1 GiB, one per 4 MiB slot: maps until the
 *     first refusal, then reads every mapped page back after a flush.
 */
#include "exos.h"

#define VM_FAULTS       (*(volatile uint32_t *)&vm_faults_resolved)  /* changed by the fault path */

#define CHAIN_VA        0x20001000u
#define CHAIN           8
#define FULL_VA         0x30000000u
#define SPARSE_VA       0x40000000u

static volatile uint32_t faults, last_code, last_badv;

/* Count the fault; give write access (a store after protect) or skip the access. */
static void handler(struct os_fault *f)
{
	faults++;
	last_code = (f->cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;
	last_badv = f->badvaddr;
	if (last_code == EXC_MOD)
		os_protect(f->badvaddr & ~(uint32_t)(PAGE_SIZE - 1), 1, OS_PROT_READ | OS_PROT_WRITE);
	else
		f->pc += 4;             /* an unmapped page: skip the load */
}

static inline uint32_t rd(uint32_t va) { return *(volatile uint32_t *)va; }
static inline void wr(uint32_t va, uint32_t v) { *(volatile uint32_t *)va = v; }

/* A load that is never in a delay slot, so the handler may skip it (pc + 4); 0xdead if skipped. */
static inline uint32_t probe(uint32_t va)
{
	uint32_t v = 0xdead;
	__asm__ volatile("lw %0, 0(%1)" : "+r"(v) : "r"(va) : "memory");
	return v;
}

extern uint32_t exos_ipt_longest __attribute__((weak));
extern uint32_t exos_ipt_used __attribute__((weak));

static void report_ipt(void)
{
	bench_result("pt_bytes", vm_pt_bytes());
	bench_result("ipt", &exos_ipt_used != 0);
	if (&exos_ipt_used) {
		bench_result("ipt_used", exos_ipt_used);
		bench_result("ipt_longest", exos_ipt_longest);
	}
}

static void t_chain(void)
{
	uint32_t bad = 0, f0;
	for (uint32_t i = 0; i < CHAIN; i++)
		bad += os_alloc_pages(CHAIN_VA + (i << 24), 1) != OS_OK;
	for (uint32_t i = 0; i < CHAIN; i++)
		wr(CHAIN_VA + (i << 24), 0xc0de0000u + i);
	bench_result("dirty_written", (uint32_t)os_dirty(CHAIN_VA + ((CHAIN - 1) << 24)));
	ae_tlb_flush();
	f0 = VM_FAULTS;
	for (uint32_t i = 0; i < CHAIN; i++)
		bad += rd(CHAIN_VA + (i << 24)) != 0xc0de0000u + i;
	bench_result("chain_misses", VM_FAULTS - f0);
	/* the middle entry write-protected: one fault on its store, none on its neighbours' */
	uint32_t mid = CHAIN_VA + ((CHAIN / 2) << 24);
	faults = 0;
	bad += os_protect(mid, 1, OS_PROT_READ) != OS_OK;
	ae_tlb_flush();
	for (uint32_t i = 0; i < CHAIN; i++)
		wr(CHAIN_VA + (i << 24), 0xbeef0000u + i);
	bench_result("prot_faults", faults);
	bench_result("prot_code", last_code);
	bench_result("prot_badv", last_badv);
	for (uint32_t i = 0; i < CHAIN; i++)
		bad += rd(CHAIN_VA + (i << 24)) != 0xbeef0000u + i;
	/* a page with the same bucket that was never mapped: not found, fault goes to the program */
	faults = 0;
	bad += probe(CHAIN_VA + (CHAIN << 24)) != 0xdead;
	bench_result("absent_faults", faults);
	bench_result("absent_dirty", (uint32_t)os_dirty(CHAIN_VA + (CHAIN << 24)));
	bench_result("bad", bad);
	report_ipt();
}

static void t_full(void)
{
	uint32_t bad = 0, mapped = 0;
	int err = OS_OK;
	while (mapped < 4096 && (err = os_alloc_pages(FULL_VA + mapped * PAGE_SIZE, 1)) == OS_OK) {
		wr(FULL_VA + mapped * PAGE_SIZE, 0xf0000000u + mapped);
		mapped++;
	}
	bench_result("mapped", mapped);
	bench_result("err", (uint32_t)err);
	uint32_t refused = FULL_VA + mapped * PAGE_SIZE;
	bench_result("again", (uint32_t)os_alloc_pages(refused, 1));
	bench_result("prot_refused", (uint32_t)os_protect(refused, 1, OS_PROT_READ));
	bench_result("dirty_refused", (uint32_t)os_dirty(refused));
	faults = 0;
	bad += probe(refused) != 0xdead;
	bench_result("refused_faults", faults);
	/* replacing a mapping that exists needs no new entry */
	uint32_t flags;
	ae_cap_t cap;
	bad += vm_lookup(FULL_VA, &cap, &flags) != 0;
	bench_result("remap", (uint32_t)vm_map_page(FULL_VA, cap, PTE_R | PTE_W));
	ae_tlb_flush();
	for (uint32_t i = 0; i < mapped; i++)
		bad += rd(FULL_VA + i * PAGE_SIZE) != 0xf0000000u + i;
	bench_result("bad", bad);
	report_ipt();
}

static void t_sparse(void)
{
	uint32_t npages = os_param("pages", 40), bad = 0, mapped = 0, sum = 0, rng = 12345;
	static uint8_t used[256];
	static uint32_t va[256];
	int err = OS_OK;
	if (npages > 256)
		npages = 256;
	for (uint32_t i = 0; i < npages; i++) {
		uint32_t slot;
		do {
			rng = rng * 1103515245u + 12345u;
			slot = (rng >> 8) & 255;
		} while (used[slot]);
		used[slot] = 1;
		rng = rng * 1103515245u + 12345u;
		va[i] = SPARSE_VA + (slot << 22) + ((rng >> 8) & 1023) * PAGE_SIZE;
	}
	while (mapped < npages && (err = os_alloc_pages(va[mapped], 1)) == OS_OK) {
		wr(va[mapped], va[mapped] ^ 0x5a5a5a5au);
		mapped++;
	}
	ae_tlb_flush();
	uint32_t f0 = VM_FAULTS;
	for (uint32_t i = 0; i < mapped; i++) {
		uint32_t v = rd(va[i]);
		bad += v != (va[i] ^ 0x5a5a5a5au);
		sum += v;
	}
	bench_result("misses", VM_FAULTS - f0);
	bench_result("mapped", mapped);
	bench_result("err", (uint32_t)err);
	bench_result("sum", sum);
	bench_result("bad", bad);
	report_ipt();
}

int main(void)
{
	os_set_handler(EXC_MOD, handler);
	os_set_handler(EXC_TLBL, handler);
	os_set_handler(EXC_TLBS, handler);
	switch (os_param("t", 0)) {
	case 1: t_chain(); break;
	case 2: t_full(); break;
	case 3: t_sparse(); break;
	default: return HALT_VALIDATION;
	}
	return 0;
}
