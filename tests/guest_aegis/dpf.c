/*
 * dpf.c - Aegis packet filters (aegis/dpf.c), one test per boot parameter "t";
 * tests/test_dpf.py checks the results.  All three engines are compared against a
 * reference classifier written here in plain C.
 *
 * t=1 engines agree with the reference: random filter sets (aligned and unaligned
 *     fields, masks, shared prefixes, filters that are prefixes of others) and
 *     packets built to match or to miss at every atom, at random lengths ("keep":
 *     the last set stays installed and the machine halts, for the host to read the code)
 * t=2 refusals: bad offsets, sizes, masks, values, counts, pointers, engines
 * t=3 removal (ids, re-use, priority), both engines
 * t=4 a filter reading the last bytes of the largest packet: a short packet in a
 *     buffer whose stale bytes would match classifies to -1
 * t=5 the benchmark loop: engine "engine" on the Table 7 set, markers from the kernel
 *     (halts with the set installed)
 * t=6 ownership: a second environment (module "dpf2") cannot remove our filter; its
 *     own filter goes when it exits
 * t=7 what compiling costs: markers around an insertion and a removal
 */
#include "exos.h"
#include "pf.h"

/* Stop here with the filter set still installed, for the host to read the generated code:
 * the test stops the machine on this breakpoint (user code cannot halt the board). */
#define STOP_FOR_HOST() __asm__ volatile("break 0")

#define NF 12
static struct dpf_atom fl[NF][DPF_MAXATOMS];
static uint32_t fn[NF];
static int32_t fid[NF];
static uint8_t pkt[DPF_MAXPKT + 2] __attribute__((aligned(4)));
static uint8_t tmpl[PF_PKT_LEN];
static uint32_t seed = 12345;

static uint32_t rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

static uint32_t field(const uint8_t *p, uint32_t off, uint32_t size)
{
	uint32_t v = 0;
	for (uint32_t i = 0; i < size; i++)
		v = v << 8 | p[off + i];
	return v;
}

static void put(uint8_t *p, uint32_t off, uint32_t size, uint32_t v)
{
	for (uint32_t i = size; i-- > 0; v >>= 8)
		p[off + i] = (uint8_t)v;
}

/* The reference: the first (lowest-id) filter whose atoms all hold. */
static int32_t reference(const uint8_t *p, uint32_t len)
{
	int32_t best = -1;
	for (uint32_t f = 0; f < NF; f++) {
		if (fid[f] < 0 || (best >= 0 && fid[f] > best))
			continue;
		uint32_t ok = 1;
		for (uint32_t k = 0; k < fn[f] && ok; k++) {
			const struct dpf_atom *a = &fl[f][k];
			ok = a->off + a->size <= len && (field(p, a->off, a->size) & a->mask) == a->val;
		}
		if (ok)
			best = fid[f];
	}
	return best;
}

/* Fields the random filters test: (offset, size, mask); odd offsets are unaligned. */
static const struct { uint16_t off, size; uint32_t mask; } pool[] = {
	{12, 2, 0xffff}, {14, 1, 0xff}, {14, 1, 0xf0}, {20, 2, 0x1fff}, {23, 1, 0xff},
	{26, 4, 0xffffffff}, {30, 4, 0xffffffff}, {30, 4, 0xffffff00}, {30, 4, 0xffff0000},
	{34, 2, 0xffff}, {36, 2, 0xffff}, {36, 2, 0xff00}, {13, 2, 0xffff}, {27, 4, 0xffffffff},
	{29, 4, 0x00ffff00}, {47, 1, 0x02}, {35, 2, 0x0ff0}, {16, 2, 0}, {40, 4, 0xffffffff},
};
#define NPOOL (sizeof pool / sizeof pool[0])

/* A value for field q: the template's (so that filters match) or a near one. */
static uint32_t value_for(uint32_t q)
{
	uint32_t v = field(tmpl, pool[q].off, pool[q].size);
	if (rnd() % 3 == 0)
		v ^= 1u << (rnd() % (8 * pool[q].size));
	return v & pool[q].mask;
}

static void random_filters(void)
{
	for (uint32_t f = 0; f < NF; f++) {
		/* a common TCP/IP-like prefix of random length, then random atoms */
		uint32_t n = 1 + rnd() % 7, k = 0, pre = rnd() % 5;
		static const uint8_t prefix[] = {0, 1, 3, 4, 6};
		for (; k < pre && k < n; k++) {
			uint32_t q = prefix[k];
			fl[f][k] = (struct dpf_atom){pool[q].off, pool[q].size, pool[q].mask,
						     rnd() % 8 ? field(tmpl, pool[q].off, pool[q].size) & pool[q].mask : value_for(q)};
		}
		for (; k < n; k++) {
			uint32_t q = rnd() % NPOOL;
			fl[f][k] = (struct dpf_atom){pool[q].off, pool[q].size, pool[q].mask, value_for(q)};
		}
		fn[f] = n;
	}
}

static void t_agree(void)
{
	uint32_t checked = 0, bad = 0, matched = 0, rounds = os_param("rounds", 40);
	seed = os_param("seed", seed);
	pf_tcp_packet(tmpl, 0x121a040e, 6009);
	for (uint32_t r = 0; r < rounds; r++) {
		random_filters();
		for (uint32_t f = 0; f < NF; f++) {
			/* a filter whose every mask is 0 tests nothing: it would claim every packet, and
			 * the kernel refuses it (the reference then leaves it out) */
			uint32_t tests = 0;
			for (uint32_t k = 0; k < fn[f]; k++)
				tests |= fl[f][k].mask;
			fid[f] = dpf_insert(fl[f], fn[f]);
			bad |= tests ? fid[f] < 0 : fid[f] != AE_EINVAL;
		}
		for (uint32_t t = 0; t < 60; t++) {
			uint32_t len = PF_PKT_LEN;
			for (uint32_t i = 0; i < PF_PKT_LEN; i++)
				pkt[i] = tmpl[i];
			if (t < NF) {
				/* match filter t's atoms (where they agree), then miss at one of them */
				for (uint32_t k = 0; k < fn[t]; k++) {
					const struct dpf_atom *a = &fl[t][k];
					put(pkt, a->off, a->size, (field(pkt, a->off, a->size) & ~a->mask) | a->val);
				}
				if (fn[t] && rnd() % 2) {
					const struct dpf_atom *a = &fl[t][rnd() % fn[t]];
					if (a->mask)
						put(pkt, a->off, a->size, field(pkt, a->off, a->size) ^ (a->mask & -a->mask));
				}
			} else {
				uint32_t m = rnd() % 4;
				for (uint32_t i = 0; i < m; i++) {
					uint32_t q = rnd() % NPOOL;
					put(pkt, pool[q].off, pool[q].size, value_for(q) | (field(pkt, pool[q].off, pool[q].size) & ~pool[q].mask));
				}
			}
			if (rnd() % 4 == 0)
				len = rnd() % (PF_PKT_LEN + 1);
			int32_t want = reference(pkt, len);
			int32_t d = dpf_classify(pkt, len, DPF_ENGINE_DPF);
			int32_t i = dpf_classify(pkt, len, DPF_ENGINE_INTERP);
			int32_t pf = dpf_classify(pkt, len, DPF_ENGINE_PATHFINDER);
			if (d != want || i != want || pf != want) {
				if (!bad) {
					bench_result("bad_round", r);
					bench_result("bad_packet", t);
					bench_result("bad_len", len);
					bench_result("bad_want", (uint32_t)want);
					bench_result("bad_dpf", (uint32_t)d);
					bench_result("bad_interp", (uint32_t)i);
					bench_result("bad_pathfinder", (uint32_t)pf);
				}
				bad = 1;
			}
			matched += want >= 0;
			checked++;
		}
		/* every atom of every filter, missed on a packet that holds all the others */
		for (uint32_t f = 0; f < NF; f++)
			for (uint32_t k = 0; k < fn[f]; k++) {
				const struct dpf_atom *a = &fl[f][k];
				for (uint32_t i = 0; i < PF_PKT_LEN; i++)
					pkt[i] = tmpl[i];
				for (uint32_t j = 0; j < fn[f]; j++) {
					const struct dpf_atom *b = &fl[f][j];
					put(pkt, b->off, b->size, (field(pkt, b->off, b->size) & ~b->mask) | b->val);
				}
				if (!a->mask)
					continue;
				put(pkt, a->off, a->size, field(pkt, a->off, a->size) ^ (a->mask & -a->mask));
				int32_t want = reference(pkt, PF_PKT_LEN);
				bad |= want == fid[f];
				bad |= dpf_classify(pkt, PF_PKT_LEN, DPF_ENGINE_DPF) != want;
				bad |= dpf_classify(pkt, PF_PKT_LEN, DPF_ENGINE_INTERP) != want;
				bad |= dpf_classify(pkt, PF_PKT_LEN, DPF_ENGINE_PATHFINDER) != want;
				checked++;
			}
		for (uint32_t f = 0; f < NF && !(r == rounds - 1 && os_param("keep", 0)); f++)
			bad |= fid[f] >= 0 && dpf_remove(fid[f]) != 0;  /* "keep": the last set stays (its code is read) */
	}
	bench_result("checked", checked);
	bench_result("matched", matched);
	bench_result("bad", bad);
	if (os_param("keep", 0))
		STOP_FOR_HOST();
}

static int32_t insert1(uint32_t off, uint32_t size, uint32_t mask, uint32_t val)
{
	static struct dpf_atom a;
	a = (struct dpf_atom){(uint16_t)off, (uint16_t)size, mask, val};
	return dpf_insert(&a, 1);
}

static void t_refuse(void)
{
	static struct dpf_atom many[DPF_MAXATOMS + 1];
	uint32_t bad = 0;
	int32_t id;
	bench_result("off_past", (uint32_t)insert1(DPF_MAXPKT - 1, 2, 0xffff, 1));
	bench_result("off_huge", (uint32_t)insert1(0xffff, 1, 0xff, 1));
	id = insert1(DPF_MAXPKT - 2, 2, 0xffff, 1);     /* the last halfword: fine */
	bench_result("off_last", (uint32_t)id);
	bad |= dpf_remove(id) != 0;
	bench_result("size3", (uint32_t)insert1(20, 3, 0xff, 1));
	bench_result("size0", (uint32_t)insert1(20, 0, 0, 0));
	bench_result("size8", (uint32_t)insert1(20, 8, 0xff, 1));
	bench_result("size_big", (uint32_t)insert1(20, 0x4001, 0xff, 1));
	bench_result("mask_wide", (uint32_t)insert1(20, 1, 0x1ff, 1));
	bench_result("val_outside", (uint32_t)insert1(20, 2, 0xff, 0x100));
	for (uint32_t k = 0; k <= DPF_MAXATOMS; k++)
		many[k] = (struct dpf_atom){(uint16_t)k, 1, 0xff, k};
	bench_result("atoms0", (uint32_t)dpf_insert(many, 0));
	bench_result("atoms_over", (uint32_t)dpf_insert(many, DPF_MAXATOMS + 1));
	id = dpf_insert(many, DPF_MAXATOMS);
	bench_result("atoms_max", (uint32_t)id);
	bad |= dpf_remove(id) != 0;
	bench_result("ptr_kernel", (uint32_t)dpf_insert((const struct dpf_atom *)0x80001000, 1));
	bench_result("ptr_unmapped", (uint32_t)dpf_insert((const struct dpf_atom *)0x10000000, 1));
	bench_result("ptr_board", (uint32_t)dpf_insert((const struct dpf_atom *)BOARD_USER_VADDR, 1));
	bench_result("ptr_unaligned", (uint32_t)dpf_insert((const struct dpf_atom *)((uintptr_t)many + 2), 1));
	uint32_t n = 0;
	while ((id = insert1(12, 2, 0xffff, n)) >= 0)
		n++;
	bench_result("count", n);
	bench_result("count_err", (uint32_t)id);
	for (uint32_t i = 0; i < n; i++)
		bad |= dpf_remove((int32_t)i) != 0;
	bench_result("remove_free", (uint32_t)dpf_remove(3));
	bench_result("remove_range", (uint32_t)dpf_remove(DPF_MAXFILTERS));
	bench_result("remove_neg", (uint32_t)dpf_remove(-1));
	pf_tcp_packet(pkt, 1, 2);
	bench_result("cls_engine", (uint32_t)dpf_classify(pkt, PF_PKT_LEN, 7));
	bench_result("cls_toolong", (uint32_t)dpf_classify(pkt, DPF_MAXPKT + 1, DPF_ENGINE_DPF));
	bench_result("cls_kernel", (uint32_t)dpf_classify((const void *)0x80000000, 60, DPF_ENGINE_DPF));
	bench_result("cls_empty", (uint32_t)dpf_classify(pkt, PF_PKT_LEN, DPF_ENGINE_DPF));
	bench_result("bench_n", (uint32_t)dpf_bench(pkt, PF_PKT_LEN, DPF_ENGINE_DPF, DPF_BENCH_BUDGET + 1));
	bench_result("bad", bad);
}

static void t_remove(void)
{
	uint32_t bad = 0;
	static struct dpf_atom a[3][PF_NATOMS];
	int32_t id[3];
	for (uint32_t i = 0; i < 3; i++) {
		pf_tcp_filter(a[i], 0x0a000001, 80 + i);
		id[i] = dpf_insert(a[i], PF_NATOMS);
	}
	bad |= id[0] != 0 || id[1] != 1 || id[2] != 2;
	for (uint32_t e = 0; e < 2; e++) {
		for (uint32_t i = 0; i < 3; i++) {
			pf_tcp_packet(pkt, 0x0a000001, 80 + i);
			bad |= dpf_classify(pkt, PF_PKT_LEN, e) != id[i];
		}
	}
	bad |= dpf_remove(id[1]) != 0;
	bad |= dpf_remove(id[1]) != AE_EINVAL;
	for (uint32_t e = 0; e < 2; e++) {
		pf_tcp_packet(pkt, 0x0a000001, 81);
		bad |= dpf_classify(pkt, PF_PKT_LEN, e) != -1;
		pf_tcp_packet(pkt, 0x0a000001, 82);
		bad |= dpf_classify(pkt, PF_PKT_LEN, e) != id[2];
	}
	/* the lowest free id comes back, and a catch-all for the address after it matches
	   everything to that address but port 80 */
	static struct dpf_atom all[5];
	for (uint32_t k = 0; k < 5; k++)
		all[k] = a[0][k];
	int32_t c = dpf_insert(all, 5);
	bad |= c != 1;
	pf_tcp_filter(a[1], 0x0a000001, 81);
	for (uint32_t e = 0; e < 2; e++) {
		pf_tcp_packet(pkt, 0x0a000001, 80);
		bad |= dpf_classify(pkt, PF_PKT_LEN, e) != id[0];
		pf_tcp_packet(pkt, 0x0a000001, 82);
		bad |= dpf_classify(pkt, PF_PKT_LEN, e) != c;
		pf_tcp_packet(pkt, 0x0a000001, 999);
		bad |= dpf_classify(pkt, PF_PKT_LEN, e) != c;
		pf_tcp_packet(pkt, 0x0a000002, 80);
		bad |= dpf_classify(pkt, PF_PKT_LEN, e) != -1;
	}
	bad |= dpf_remove(id[0]) | dpf_remove(c) | dpf_remove(id[2]);
	for (uint32_t e = 0; e < 2; e++) {
		pf_tcp_packet(pkt, 0x0a000001, 80);
		bad |= dpf_classify(pkt, PF_PKT_LEN, e) != -1;
	}
	bench_result("bad", bad);
}

static void t_short(void)
{
	uint32_t bad = 0;
	for (uint32_t i = 0; i < DPF_MAXPKT; i++)
		pkt[i] = (uint8_t)i;
	put(pkt, DPF_MAXPKT - 4, 4, 0xdeadbeef);
	int32_t far = insert1(DPF_MAXPKT - 4, 4, 0xffffffff, 0xdeadbeef);
	int32_t near = insert1(0, 4, 0xffffffff, field(pkt, 0, 4));
	bad |= far < 0 || near < 0;
	for (uint32_t e = 0; e < 2; e++) {
		bad |= dpf_classify(pkt, DPF_MAXPKT, e) != far;      /* fills the kernel's buffer */
		bad |= dpf_classify(pkt, 100, e) != near;            /* stale 0xdeadbeef behind the end */
		bad |= dpf_classify(pkt, DPF_MAXPKT - 1, e) != near;
		bad |= dpf_classify(pkt, 3, e) != -1;
		bad |= dpf_classify(pkt, 0, e) != -1;
	}
	bad |= dpf_remove(near) != 0;
	for (uint32_t e = 0; e < 2; e++) {
		bad |= dpf_classify(pkt, DPF_MAXPKT, e) != far;
		bad |= dpf_classify(pkt, 100, e) != -1;
		bad |= dpf_classify(pkt, DPF_MAXPKT - 1, e) != -1;
	}
	bench_result("bad", bad);
}

static void t_bench(void)
{
	uint32_t engine = os_param("engine", 0), n = os_param("n", 64), bad = 0;
	static struct dpf_atom a[10][PF_NATOMS];
	int32_t id = -1;
	for (uint32_t i = 0; i < 10; i++) {
		pf_tcp_filter(a[i], 0x121a040a + i / 2, 6000 + i);
		id = dpf_insert(a[i], PF_NATOMS);
	}
	pf_tcp_packet(pkt, 0x121a040a + 9 / 2, 6009);
	for (uint32_t i = 0; i < 4; i++)
		bad |= dpf_classify(pkt, PF_PKT_LEN, engine) != (engine == DPF_ENGINE_NULL ? -1 : id);
	int32_t r = dpf_bench(pkt, PF_PKT_LEN, engine, n);
	bad |= r != (engine == DPF_ENGINE_NULL ? -1 : id);
	bench_result("bad", bad);
	STOP_FOR_HOST();
}

/* Another environment can neither remove our filters nor keep its own past its exit. */
static void t_owner(void)
{
	uint32_t bad = 0;
	static struct dpf_atom a[PF_NATOMS];
	if (*(volatile int32_t *)(UAREA_VADDR + SA_PARENT) >= 0) {      /* the child */
		bench_result("child_remove", (uint32_t)dpf_remove(0));
		pf_tcp_filter(a, 0x0a000001, 81);
		bench_result("child_id", (uint32_t)dpf_insert(a, PF_NATOMS));
		pf_tcp_packet(pkt, 0x0a000001, 81);
		bench_result("child_cls", (uint32_t)dpf_classify(pkt, PF_PKT_LEN, DPF_ENGINE_DPF));
		os_exit(0);                     /* leaves its filter installed */
	}
	pf_tcp_filter(a, 0x0a000001, 80);
	bad |= dpf_insert(a, PF_NATOMS) != 0;
	int child = os_spawn("dpf2");
	bad |= child < 0;
	while (ae_env_alive((uint32_t)child))
		os_yield(child);
	for (uint32_t e = 0; e < 2; e++) {
		pf_tcp_packet(pkt, 0x0a000001, 81);
		bad |= dpf_classify(pkt, PF_PKT_LEN, e) != -1;
		pf_tcp_packet(pkt, 0x0a000001, 80);
		bad |= dpf_classify(pkt, PF_PKT_LEN, e) != 0;
	}
	bench_result("gone_remove", (uint32_t)dpf_remove(1));
	pf_tcp_filter(a, 0x0a000001, 82);
	bad |= dpf_insert(a, PF_NATOMS) != 1;
	bad |= dpf_remove(0) != 0 || dpf_remove(1) != 0;
	bench_result("bad", bad);
}

/* The cost of compiling: the tenth TCP/IP filter's insertion, and its removal (markers 3-6). */
static void t_compile_cost(void)
{
	static struct dpf_atom a[10][PF_NATOMS];
	int32_t id = -1;
	uint32_t bad = 0;
	for (uint32_t i = 0; i < 10; i++) {
		pf_tcp_filter(a[i], 0x121a040a + i / 2, 6000 + i);
		if (i == 9)
			bench_marker(3);
		id = dpf_insert(a[i], PF_NATOMS);
	}
	bench_marker(4);
	bad |= id != 9;
	bench_marker(5);
	bad |= dpf_remove(id) != 0;
	bench_marker(6);
	bench_result("bad", bad);
}

int main(void)
{
	switch (os_param("t", 0)) {
	case 1: t_agree(); break;
	case 2: t_refuse(); break;
	case 3: t_remove(); break;
	case 4: t_short(); break;
	case 5: t_bench(); break;
	case 6: t_owner(); break;
	case 7: t_compile_cost(); break;
	default: bench_result("bad", 1);
	}
	os_exit(0);
}
