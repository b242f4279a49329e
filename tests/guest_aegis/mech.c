/*
 * mech.c - Aegis/ExOS mechanism tests, one per boot parameter "t".  Each
 * reports what it observed through the result channel; the pytest side
 * (tests/test_aegis.py) checks the values.  Markers 1/2 bracket measured
 * loops so the host can count the kernel's instructions exactly.
 */
#include "exos.h"

#define N 64

static volatile uint32_t hits;
static volatile uint32_t last_cause, last_badv;

static void skip(struct os_fault *f)
{
	hits++;
	last_cause = f->cause;
	last_badv = f->badvaddr;
	f->pc += 4;
}

static int overflow_once(int x)
{
	int r;
	__asm__ volatile("add %0, %1, %1" : "=r"(r) : "r"(x));
	return r;
}

static void t_overflow(void)
{
	os_set_handler(EXC_OV, skip);
	overflow_once(0x7fffffff);      /* warm up: handler code and stacks in the TLB */
	hits = 0;
	bench_marker(1);
	for (int i = 0; i < N; i++)
		overflow_once(0x7fffffff);
	bench_marker(2);
	bench_result("hits", hits);
	bench_result("exc", (last_cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT);
	/* registers survive the round trip through the handler */
	int v = 0x12345;
	__asm__ volatile("move $t0, %1\n\tmove $t1, %1\n\tmove $t2, %1\n\t"
			 "add $t3, %2, %2\n\t"
			 "addu %0, $t0, $t1\n\taddu %0, %0, $t2"
			 : "=r"(v) : "r"(v), "r"(0x7fffffff) : "t0", "t1", "t2", "t3");
	bench_result("regs_ok", v == 3 * 0x12345);
}

static void t_unalign(void)
{
	static uint32_t words[4];
	os_set_handler(EXC_ADEL, skip);
	volatile uint32_t *p = (volatile uint32_t *)((uintptr_t)words + 1);
	(void)*p;                       /* warm up */
	hits = 0;
	bench_marker(1);
	for (int i = 0; i < N; i++)
		(void)*p;
	bench_marker(2);
	bench_result("hits", hits);
	bench_result("exc", (last_cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT);
	bench_result("badv_ok", last_badv == (uint32_t)(uintptr_t)p);
}

static void t_coproc(void)
{
	os_coproc_disable();
	os_set_handler(EXC_CPU, skip);
	__asm__ volatile(".word 0x44080000" ::: "t0");    /* warm up */
	hits = 0;
	bench_marker(1);
	for (int i = 0; i < N; i++)
		__asm__ volatile(".word 0x44080000" ::: "t0");    /* mfc1 $t0, $f0 */
	bench_marker(2);
	bench_result("hits", hits);
	bench_result("exc", (last_cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT);
	bench_result("ce", (last_cause & CAUSE_CE_MASK) >> CAUSE_CE_SHIFT);
}

/* prot: a write to a read-only page faults to the handler, which unprotects it; the write then succeeds. */
#define PROT_VA 0x20000000
static void unprotect(struct os_fault *f)
{
	hits++;
	last_cause = f->cause;
	last_badv = f->badvaddr;
	os_protect(f->badvaddr & ~(uint32_t)(PAGE_SIZE - 1), 1, OS_PROT_READ | OS_PROT_WRITE);
}

static void t_prot(void)
{
	os_alloc_pages(PROT_VA, 1);
	os_set_handler(EXC_MOD, unprotect);
	os_set_handler(EXC_TLBS, unprotect);
	volatile uint32_t *p = (volatile uint32_t *)PROT_VA;
	*p = 1;
	bench_result("dirty1", os_dirty(PROT_VA));
	os_protect(PROT_VA, 1, OS_PROT_READ);
	bench_result("read_ok", *p == 1);
	hits = 0;
	*p = 2;                         /* faults, handler unprotects, retried */
	bench_result("hits", hits);
	bench_result("exc", (last_cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT);
	bench_result("value", *p);
	/* a fresh page is clean until written */
	os_alloc_pages(PROT_VA + PAGE_SIZE, 1);
	volatile uint32_t *q = (volatile uint32_t *)(PROT_VA + PAGE_SIZE);
	(void)*q;
	bench_result("dirty_clean", os_dirty(PROT_VA + PAGE_SIZE));
	*q = 5;
	bench_result("dirty_written", os_dirty(PROT_VA + PAGE_SIZE));
}

/* Range protection (os_protect past PROT_EAGER pages: PTEs in user mode, one
 * SYS_TLB_FLUSH): nothing is lost, a store to each protected page faults exactly
 * once (as Mod, whether or not its binding survived), reads never fault, lazy
 * unprotect lets every store through, PROT_NONE makes each first read fault once,
 * and appel2 rounds (protect 50, then store to each) trap once per page. */
#define RANGE_VA 0x21000000
#define RANGE_N 50
static volatile uint32_t mods, others;
static void range_unprotect(struct os_fault *f)
{
	uint32_t code = (f->cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;
	if (code == EXC_MOD)
		mods++;
	else
		others++;
	hits++;
	os_protect(f->badvaddr & ~(uint32_t)(PAGE_SIZE - 1), 1,
		   code == EXC_TLBL ? OS_PROT_READ : OS_PROT_READ | OS_PROT_WRITE);
}

static void t_range(void)
{
	volatile uint32_t *pg[RANGE_N];
	uint32_t bad = 0;
	os_alloc_pages(RANGE_VA, RANGE_N);
	os_set_handler(EXC_MOD, range_unprotect);
	os_set_handler(EXC_TLBS, range_unprotect);
	os_set_handler(EXC_TLBL, range_unprotect);
	for (int i = 0; i < RANGE_N; i++) {
		pg[i] = (volatile uint32_t *)(RANGE_VA + i * PAGE_SIZE);
		*pg[i] = (uint32_t)i;                   /* dirty, bound writable */
	}
	hits = 0;
	bench_result("prot_r", (uint32_t)os_protect(RANGE_VA, RANGE_N, OS_PROT_READ));
	for (int i = 0; i < RANGE_N; i++)
		bad += *pg[i] != (uint32_t)i;           /* contents kept, reads allowed */
	bench_result("read_faults", hits);
	for (int i = 0; i < RANGE_N; i++) {
		*pg[i] = (uint32_t)i + 1000;            /* faults once, unprotected, retried */
		*pg[i] = (uint32_t)i + 2000;            /* no second fault */
	}
	bench_result("write_faults", hits);
	bench_result("as_mod", mods);
	for (int i = 0; i < RANGE_N; i++)
		bad += *pg[i] != (uint32_t)i + 2000;
	/* protect, then unprotect the range (lazily): stores go through without the handler */
	hits = mods = others = 0;
	os_protect(RANGE_VA, RANGE_N, OS_PROT_READ);
	bench_result("unprot_rw", (uint32_t)os_protect(RANGE_VA, RANGE_N, OS_PROT_READ | OS_PROT_WRITE));
	for (int i = 0; i < RANGE_N; i++)
		*pg[i] = (uint32_t)i + 3000;
	bench_result("unprot_faults", hits);
	/* PROT_NONE: each first read faults (TLBL) once; the handler allows reading */
	os_protect(RANGE_VA, RANGE_N, 0);
	for (int i = 0; i < RANGE_N; i++)
		bad += (*pg[i] != (uint32_t)i + 3000) + (*pg[i] != (uint32_t)i + 3000);
	bench_result("none_faults", hits);
	bench_result("none_tlbl", others);
	/* appel2: rounds of protect-all, then a store to each page */
	hits = 0;
	for (uint32_t r = 0; r < 3; r++) {
		bad += os_protect(RANGE_VA, RANGE_N, OS_PROT_READ) != OS_OK;
		for (int i = 0; i < RANGE_N; i++) {
			*pg[i] = r + (uint32_t)i;
			bad += *pg[i] != r + (uint32_t)i;
		}
	}
	bench_result("appel2_traps", hits);
	/* a range with a hole: the pages before it change, then OS_EINVAL */
	bench_result("hole", (uint32_t)os_protect(RANGE_VA + (RANGE_N - 10) * PAGE_SIZE, 20, OS_PROT_READ));
	hits = 0;
	*pg[RANGE_N - 1] = 1;
	bench_result("hole_faults", hits);
	bench_result("dirty", (uint32_t)os_dirty(RANGE_VA));
	bench_result("bad", bad);
}

/* SYS_TLB_MAPV: every entry checked like SYS_TLB_MAP / SYS_TLB_UNMAP, one refused
 * entry refuses the vector and installs nothing; the vector must be in guaranteed
 * memory.  os_protect of 2..7 pages crosses the kernel once (markers 1-2, 3-4). */
#define MAPV_VA 0x44000000
static volatile uint32_t misses;
static void miss_skip(struct os_fault *f)
{
	misses++;
	f->pc += 4;
}

static uint32_t probe(uint32_t va)      /* 1 if a load from va faulted */
{
	uint32_t before = misses, v = 0;
	__asm__ volatile("lw %0, 0(%1)" : "+r"(v) : "r"(va) : "memory");
	return misses != before;
}

static void t_mapv(void)
{
	struct ae_mapv v[4];
	ae_cap_t cap[3];
	for (int i = 0; i < 3; i++)
		cap[i] = ae_page_alloc();
	ae_cap_t rocap = ae_cap_ro(cap[2]);
#define CAP(c) (uint32_t)(c), (uint32_t)((c) >> 32)
	os_set_handler(EXC_TLBL, miss_skip);
	os_set_handler(EXC_TLBS, miss_skip);
	for (int i = 0; i < 3; i++)
		v[i] = (struct ae_mapv){ MAPV_VA + i * PAGE_SIZE + AE_MAP_W, CAP(cap[i]) };
	uint64_t r = ae_tlb_mapv(v, 3);
	bench_result("ok", (uint32_t)r);
	for (int i = 0; i < 3; i++)
		*(volatile uint32_t *)(MAPV_VA + i * PAGE_SIZE) = 100 + i;
	bench_result("ok_sum", *(volatile uint32_t *)MAPV_VA + *(volatile uint32_t *)(MAPV_VA + PAGE_SIZE) +
			       *(volatile uint32_t *)(MAPV_VA + 2 * PAGE_SIZE));
	/* A bad capability in the middle: refused, index 1, nothing installed (also not entry 0). */
	uint32_t va2 = MAPV_VA + 0x100000;
	v[0] = (struct ae_mapv){ va2, CAP(cap[0]) };
	v[1] = (struct ae_mapv){ va2 + PAGE_SIZE, CAP(cap[1] ^ 0x40) };
	v[2] = (struct ae_mapv){ va2 + 2 * PAGE_SIZE, CAP(cap[2]) };
	r = ae_tlb_mapv(v, 3);
	bench_result("badcap", (uint32_t)r);
	bench_result("badcap_at", (uint32_t)(r >> 32));
	bench_result("badcap_none", probe(va2) + probe(va2 + PAGE_SIZE) + probe(va2 + 2 * PAGE_SIZE));
	/* a read-only capability asked for writing; a guaranteed (text) address; a bad flag */
	v[1] = (struct ae_mapv){ va2 + PAGE_SIZE, CAP(rocap) };
	v[2] = (struct ae_mapv){ va2 + 2 * PAGE_SIZE + AE_MAP_W, CAP(rocap) };
	r = ae_tlb_mapv(v, 3);
	bench_result("ro_w", (uint32_t)r);
	bench_result("ro_w_at", (uint32_t)(r >> 32));
	v[2] = (struct ae_mapv){ USER_TEXT_BASE, CAP(cap[2]) };
	bench_result("text", (uint32_t)ae_tlb_mapv(v, 3));
	v[2] = (struct ae_mapv){ va2 + 2 * PAGE_SIZE + 0x80, CAP(cap[2]) };
	bench_result("flag", (uint32_t)ae_tlb_mapv(v, 3));
	bench_result("refused_none", probe(va2) + probe(va2 + PAGE_SIZE) + probe(va2 + 2 * PAGE_SIZE));
	/* the vector itself: in guaranteed memory, whole, and not too long */
	os_alloc_pages(MAPV_VA + 0x200000, 1);
	struct ae_mapv *heap = (struct ae_mapv *)(MAPV_VA + 0x200000);
	heap[0] = v[0];                                 /* (faults it in: ExOS maps it) */
	bench_result("vec_heap", (uint32_t)ae_tlb_mapv(heap, 1));
	bench_result("vec_kernel", (uint32_t)ae_tlb_mapv((const struct ae_mapv *)KSEG0_BASE, 1));
	bench_result("vec_board", (uint32_t)ae_tlb_mapv((const struct ae_mapv *)BOARD_USER_VADDR, 1));
	bench_result("vec_long", (uint32_t)ae_tlb_mapv(v, AE_MAPV_MAX + 1));
	bench_result("vec_edge", (uint32_t)ae_tlb_mapv((const struct ae_mapv *)(AE_STACK_TOP - 8), 1));
	bench_result("vec_none", probe(va2));
	/* unmap entries need no capability */
	v[0] = (struct ae_mapv){ MAPV_VA + AE_MAP_UNMAP, 0, 0 };
	v[1] = (struct ae_mapv){ MAPV_VA + PAGE_SIZE + AE_MAP_UNMAP, 0, 0 };
	bench_result("unmap", (uint32_t)ae_tlb_mapv(v, 2));
	bench_result("unmapped", probe(MAPV_VA) + probe(MAPV_VA + PAGE_SIZE) + 2 * probe(MAPV_VA + 2 * PAGE_SIZE));
	/* SYS_TLB_RDONLY: a bound page loses write (reads still hit), an unbound one stays
	 * unbound, guaranteed and kernel addresses are refused */
	os_set_handler(EXC_MOD, miss_skip);
	uint32_t m0 = misses;
	bench_result("rdonly", (uint32_t)ae_tlb_rdonly(MAPV_VA + 2 * PAGE_SIZE));
	uint32_t st = 0x55;
	__asm__ volatile("sw %0, 0(%1)" : : "r"(st), "r"(MAPV_VA + 2 * PAGE_SIZE) : "memory");
	bench_result("rdonly_store_faults", misses - m0);
	bench_result("rdonly_read", probe(MAPV_VA + 2 * PAGE_SIZE) + *(volatile uint32_t *)(MAPV_VA + 2 * PAGE_SIZE));
	bench_result("rdonly_unbound", (uint32_t)ae_tlb_rdonly(va2) + probe(va2));
	bench_result("rdonly_text", (uint32_t)ae_tlb_rdonly(USER_TEXT_BASE));
	bench_result("rdonly_kernel", (uint32_t)ae_tlb_rdonly(KSEG0_BASE));
	/* os_protect of 5 pages: one kernel crossing each way; stores fault once per page */
	os_set_handler(EXC_TLBL, 0);
	os_set_handler(EXC_TLBS, 0);
	os_alloc_pages(RANGE_VA, 5);
	os_set_handler(EXC_MOD, range_unprotect);
	for (int i = 0; i < 5; i++)
		*(volatile uint32_t *)(RANGE_VA + i * PAGE_SIZE) = (uint32_t)i;
	hits = 0;
	bench_marker(1);
	int e1 = os_protect(RANGE_VA, 5, OS_PROT_READ);
	bench_marker(2);
	uint32_t sum = 0;
	for (int i = 0; i < 5; i++)
		sum += *(volatile uint32_t *)(RANGE_VA + i * PAGE_SIZE);
	bench_result("prot5_reads", hits);
	for (int i = 0; i < 5; i++)
		*(volatile uint32_t *)(RANGE_VA + i * PAGE_SIZE) = 7;
	bench_result("prot5_faults", hits);
	os_protect(RANGE_VA, 5, OS_PROT_READ);
	hits = 0;
	bench_marker(3);
	int e2 = os_protect(RANGE_VA, 5, OS_PROT_READ | OS_PROT_WRITE);
	bench_marker(4);
	for (int i = 0; i < 5; i++)
		*(volatile uint32_t *)(RANGE_VA + i * PAGE_SIZE) = 8;
	bench_result("unprot5_faults", hits);
	bench_result("prot5", (uint32_t)(e1 | e2));
	bench_result("prot5_sum", sum);
	/* a hole: nothing changes */
	bench_result("hole5", (uint32_t)os_protect(RANGE_VA + 2 * PAGE_SIZE, 5, OS_PROT_READ));
	*(volatile uint32_t *)(RANGE_VA + 4 * PAGE_SIZE) = 9;
	bench_result("hole5_faults", hits);
}

/* User access to kernel memory faults to the environment's handler. */
static void t_kmem(void)
{
	os_set_handler(EXC_ADES, skip);
	os_set_handler(EXC_ADEL, skip);
	hits = 0;
	*(volatile uint32_t *)KSEG0_BASE = 0xdeadbeef;
	bench_result("ades", (last_cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT);
	(void)*(volatile uint32_t *)(KSEG0_BASE + 0x80);
	bench_result("adel", (last_cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT);
	bench_result("hits", hits);
	bench_result("badv", last_badv);
}

/* No handler: the kernel destroys the offender (exit code HALT_PANIC), nothing else. */
static void t_kmem_nohandler(void)
{
	bench_result("before", 1);
	*(volatile uint32_t *)KSEG0_BASE = 0xdeadbeef;
	bench_result("after", 1);       /* never reached */
}

static void t_syscall(void)
{
	int r0 = os_null_syscall() | os_null_syscall_stack(), r1 = 0;   /* warm up */
	bench_marker(1);
	for (int i = 0; i < N; i++)
		r0 |= os_null_syscall();
	bench_marker(2);
	bench_marker(3);
	for (int i = 0; i < N; i++)
		r1 |= os_null_syscall_stack();
	bench_marker(4);
	bench_result("r0", (uint32_t)r0);
	bench_result("r1", (uint32_t)r1);
	int bad;
	__asm__ volatile("li $v0, 999\n\tsyscall\n\tmove %0, $v0" : "=r"(bad) :: "v0", "v1", "a0", "a1", "a2", "a3", "memory");
	bench_result("unknown", (uint32_t)bad);
	bench_result("set_sys", (uint32_t)ae_set_handler(EXC_SYS, 0x400000));
	bench_result("set_kern", (uint32_t)ae_set_handler(EXC_OV, KSEG0_BASE));
	bench_result("entry_kern", (uint32_t)ae_set_entry(AE_ENTRY_SYNC, KSEG0_BASE + 0x80));
	bench_result("entry_kind", (uint32_t)ae_set_entry(99, 0x400000));
}

/* STLB: more pages than the hardware TLB holds; the second sweep is served by the STLB. */
#define STLB_VA 0x30000000
#define STLB_PAGES 96
static void t_stlb(void)
{
	os_alloc_pages(STLB_VA, STLB_PAGES);
	for (int i = 0; i < STLB_PAGES; i++)
		*(volatile uint32_t *)(STLB_VA + i * PAGE_SIZE) = (uint32_t)i;   /* ExOS faults them in */
	uint32_t faults = vm_faults_resolved;
	bench_marker(1);
	uint32_t sum = 0;
	for (int i = 0; i < STLB_PAGES; i++)
		sum += *(volatile uint32_t *)(STLB_VA + i * PAGE_SIZE);
	bench_marker(2);
	bench_result("sum", sum);
	bench_result("exos_faults", vm_faults_resolved - faults);
}

static void t_bind(void)
{
	ae_cap_t cap = ae_page_alloc();
	ae_cap_t rocap = ae_cap_ro(cap);
	const ae_cap_t tag_bit = (ae_cap_t)1 << 4, ppn_field = (ae_cap_t)0xffff << AE_CAP_PPN_SHIFT;
	bench_result("ok_rw", (uint32_t)ae_tlb_map(0x40000000 | AE_MAP_W, cap));
	bench_result("bad_cap", (uint32_t)ae_tlb_map(0x40001000, cap ^ tag_bit));
	bench_result("ro_cap_w", (uint32_t)ae_tlb_map(0x40002000 | AE_MAP_W, rocap));
	bench_result("ro_cap_r", (uint32_t)ae_tlb_map(0x40002000, rocap));
	bench_result("kernel_va", (uint32_t)ae_tlb_map(KSEG0_BASE, cap));
	bench_result("reserved_va", (uint32_t)ae_tlb_map(UAREA_VADDR | AE_MAP_W, cap));
	bench_result("kernel_page", (uint32_t)ae_tlb_map(0x40003000, cap & ~ppn_field));   /* page 0: the kernel's */
	bench_result("text_va", (uint32_t)ae_tlb_map(USER_TEXT_BASE | AE_MAP_W, cap));
	bench_result("user_bits", (uint32_t)ae_tlb_map(0x40004000, cap | AE_CAP_USER_BITS));  /* the holder's: ignored */
	bench_result("bad_flag", (uint32_t)ae_tlb_map(0x40005000 | 0x80, cap));
	*(volatile uint32_t *)0x40000000 = 77;
	bench_result("alias", *(volatile uint32_t *)0x40002000);
	bench_result("free_bad", (uint32_t)ae_page_free(rocap));
	bench_result("free_ok", (uint32_t)ae_page_free(cap));
	bench_result("after_free", (uint32_t)ae_tlb_map(0x40000000, cap));
}

static void t_pct_bad(void)
{
	bench_result("nonexistent", (uint32_t)ae_pct_sync(9));
	bench_result("out_of_range", (uint32_t)ae_pct_sync(1000));
	bench_result("async", (uint32_t)ae_pct_async(5));
	bench_result("still_here", 1);
}

int main(void)
{
	switch (os_param("t", 0)) {
	case 1: t_overflow(); break;
	case 2: t_unalign(); break;
	case 3: t_coproc(); break;
	case 4: t_prot(); break;
	case 5: t_kmem(); break;
	case 6: t_kmem_nohandler(); break;
	case 7: t_syscall(); break;
	case 8: t_stlb(); break;
	case 9: t_bind(); break;
	case 10: t_pct_bad(); break;
	case 11: t_range(); break;
	case 12: t_mapv(); break;
	default: return HALT_VALIDATION;
	}
	return 0;
}
