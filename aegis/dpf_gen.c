/*
 * dpf_gen.c - DPF: the packet-filter set compiled into MIPS code (Table 7).
 *
 * At every insertion or removal (dpf.c) the kernel compiles the whole filter
 * set into one function in kernel memory (dpf_code, kseg0): per filter a
 * length check and per atom a load, an optional mask and a compare-and-branch.
 * Masks and values are byte-swapped into load order at insertion, so the
 * code compares native loads.  Where one filter fails, the branch goes
 * straight to the first later filter that could still match, past the
 * atoms it shares with the failed one (known true), and -- when the failed
 * atom reads the same field under the same mask -- past the load itself,
 * to the compare (the loaded field is still in t0).  Ten TCP/IP filters
 * that differ in their port thus become one chain of compares on one load.
 * A later filter that tests the failed atom itself, or gives a field that
 * held another value under the same mask, is skipped entirely.
 *
 * The code holds only loads relative to the packet pointer (a0), after the
 * length check that covers them, ALU, branches and the return -- no store,
 * no other base register.  Unaligned fields are read with lwr/lwl (words) or
 * two byte loads (halfwords).
 *
 * The emulator fetches the code as it is now in memory; a real R3000 would
 * need its I-cache flushed over dpf_code after each generation.
 */
#include "dpf.h"

/* What the generator knows about atoms: optimized (the static delay-slot check of
 * tests/test_dpf.py covers them; the rest of the generator is not, see below). */
static int same_atom(const struct dpf_atom *x, const struct dpf_atom *y)
{
	return x->off == y->off && x->size == y->size && x->mask == y->mask && x->val == y->val;
}

static int has_atom(const struct filt *f, const struct dpf_atom *a)
{
	for (uint32_t k = 0; k < f->natoms; k++)
		if (same_atom(&f->a[k], a))
			return 1;
	return 0;
}

/* The first atom of g that fixes a field f tests, under the same mask, to another value (or
 * g's natoms): f contradicts g's atoms 0..k-1 (known true) iff this is below k.  Computed
 * once per pair of filters, so compiling stays quadratic in the atoms, not cubic. */
static uint32_t first_contradiction(const struct filt *f, const struct filt *g)
{
	for (uint32_t y = 0; y < g->natoms; y++)
		for (uint32_t x = 0; x < f->natoms; x++) {
			const struct dpf_atom *a = &f->a[x], *b = &g->a[y];
			if (a->off == b->off && a->size == b->size && a->mask == b->mask && a->val != b->val)
				return y;
		}
	return g->natoms;
}

/* ---- DPF: the code generator ----
 * Compiled without optimization (but the atom comparisons above; tenth TCP/IP
 * filter: about 77,000 instructions to insert): at -O2 this toolchain's clang fills a branch's
 * delay slot with a load whose result the branch target reads at once, a load-delay
 * hazard on the R3000 (the hazard checker caught it here).  Insertion-time code;
 * classification (dpf.c, the generated code) is not affected. */
#pragma clang optimize off
#define DPF_CODE_WORDS  (3 + DPF_MAXFILTERS * (5 + DPF_MAXATOMS * 13))
uint32_t dpf_code[DPF_CODE_WORDS] __attribute__((aligned(16)));
uint32_t dpf_code_len;          /* words generated (for tests and the README) */
static uint32_t ncode;

enum { ZERO = 0, V0 = 2, A0 = 4, A1 = 5, T0 = 8, T1 = 9, T2 = 10, RA = 31 };
enum { OP_BEQ = 4, OP_BNE = 5, OP_ADDIU = 9, OP_SLTIU = 11, OP_ANDI = 12, OP_ORI = 13, OP_LUI = 15,
       OP_LWL = 0x22, OP_LW = 0x23, OP_LBU = 0x24, OP_LHU = 0x25, OP_LWR = 0x26 };
enum { FN_SLL = 0, FN_JR = 8, FN_AND = 0x24, FN_OR = 0x25 };
#define I_(op, rs, rt, imm)     ((uint32_t)(op) << 26 | (uint32_t)(rs) << 21 | (uint32_t)(rt) << 16 | ((uint32_t)(imm) & 0xffff))
#define R_(rs, rt, rd, sh, fn)  ((uint32_t)(rs) << 21 | (uint32_t)(rt) << 16 | (uint32_t)(rd) << 11 | (uint32_t)(sh) << 6 | (fn))
#define NOP 0u

/* Labels, by position in the active order: where filter j starts (its length
 * check), where its atom k loads, where atom k compares; lbl_load[j][natoms]
 * is its return. */
static uint16_t lbl_start[DPF_MAXFILTERS + 1];
static uint16_t lbl_load[DPF_MAXFILTERS][DPF_MAXATOMS + 1];
static uint16_t lbl_cmp[DPF_MAXFILTERS][DPF_MAXATOMS];
enum { T_START, T_LOAD, T_CMP };
struct fix {
	uint16_t pos;
	uint8_t j, kind, k;
};
static struct fix fixes[DPF_MAXFILTERS * (DPF_MAXATOMS + 1)];
static uint32_t nfix;

/*
 * Branch delay slots.  Every register the code writes (t0-t2, v0) is dead on
 * the fall-through path of a failure branch (the next atom loads t0 afresh, the
 * return sets v0), and only t0 can be live at a branch target (T_CMP).  So a
 * failure branch's slot takes the next atom's first load when the target does
 * not need t0 (the load is within the length already checked; other filters
 * jumping to that atom enter at the slot); otherwise, once every label is
 * known, the target's first instruction when it is no branch, the branch then
 * going one past it.  A length check's slot never takes a load of its own
 * filter (the packet may be too short for it).
 */
static int32_t slot_free = -1;          /* the slot right before ncode may take the next load */
static int slot_t0_live;                /* ... but its branch's target needs t0 */

static void emit(uint32_t w)
{
	if (ncode >= DPF_CODE_WORDS)
		panic("dpf: code buffer overflow");
	dpf_code[ncode++] = w;
	slot_free = -1;
}

/* The first instruction of an atom's load: into the previous failure branch's slot if it may. */
static uint32_t emit_load(uint32_t w)
{
	uint32_t rt = (w >> 16) & 31;
	if (slot_free >= 0 && (uint32_t)slot_free == ncode - 1 && !(slot_t0_live && rt == T0)) {
		dpf_code[slot_free] = w;
		slot_free = -1;
		return ncode - 1;
	}
	emit(w);
	return ncode - 1;
}

/* A branch to (j, kind, k), patched once every label is known. */
static void emit_branch(uint32_t insn, uint32_t j, uint32_t kind, uint32_t k, int atom)
{
	fixes[nfix++] = (struct fix){(uint16_t)ncode, (uint8_t)j, (uint8_t)kind, (uint8_t)k};
	emit(insn);
	emit(NOP);
	if (atom) {
		/* t0 is read at the target by a compare, or by an lwr merging into it */
		const struct dpf_atom *t = kind == T_LOAD && j < nactive && k < filts[active[j]].natoms
			? &filts[active[j]].a[k] : 0;
		slot_free = (int32_t)ncode - 1;
		slot_t0_live = kind == T_CMP || (t && t->size == 4 && !aligned(t->off, 4));
	}
}

/* May the instruction at a branch target move into the branch's delay slot? */
static int fillable(uint32_t w)
{
	uint32_t op = w >> 26, fn = w & 0x3f;
	if (w == NOP)
		return 0;
	if (op == 0)
		return fn == FN_SLL || fn == FN_AND || fn == FN_OR;
	return op == OP_ADDIU || op == OP_SLTIU || op == OP_ANDI || op == OP_ORI || op == OP_LUI ||
	       op == OP_LWL || op == OP_LW || op == OP_LBU || op == OP_LHU || op == OP_LWR;
}

/* Filter at position i failed its length check: the first later one that needs less. */
static void fail_len(uint32_t i)
{
	const struct filt *fi = &filts[active[i]];
	uint32_t j = i + 1;
	while (j < nactive && filts[active[j]].maxend >= fi->maxend)
		j++;
	emit_branch(I_(OP_BNE, T0, ZERO, 0), j, T_START, 0, 0);
}

/*
 * Filter at position i failed atom k (len >= its maxend, its atoms 0..k-1
 * hold, atom k does not; t0 = atom k's masked field): the first later filter
 * that can still match, entered past what is already known about it.
 */
static uint8_t contra[DPF_MAXFILTERS];     /* first_contradiction(filter j, filter i), for the i being compiled */

static void fail_atom(uint32_t insn, uint32_t i, uint32_t k)
{
	const struct filt *fi = &filts[active[i]];
	const struct dpf_atom *a = &fi->a[k];
	uint32_t j;
	for (j = i + 1; j < nactive; j++) {
		const struct filt *fj = &filts[active[j]];
		if (contra[j] < k || has_atom(fj, a))
			continue;               /* it contradicts what held, or tests what just failed */
		if (fj->maxend > fi->maxend) {
			emit_branch(insn, j, T_START, 0, 1);
			return;
		}
		uint32_t p = 0;
		while (p < k && p < fj->natoms && same_atom(&fi->a[p], &fj->a[p]))
			p++;
		const struct dpf_atom *b = &fj->a[p];
		if (p == k && p < fj->natoms && b->off == a->off && b->size == a->size && b->mask == a->mask)
			emit_branch(insn, j, T_CMP, p, 1);    /* same field, other value: t0 has it */
		else
			emit_branch(insn, j, T_LOAD, p, 1);   /* p == natoms: its return */
		return;
	}
	emit_branch(insn, nactive, T_START, 0, 1);    /* no match */
}

/* t1 = v (nothing for 0: compare with $zero); returns the register to compare with. */
static uint32_t emit_li(uint32_t v)
{
	if (v == 0)
		return ZERO;
	if (v <= 0xffff)
		emit(I_(OP_ORI, ZERO, T1, v));
	else {
		emit(I_(OP_LUI, 0, T1, v >> 16));
		if (v & 0xffff)
			emit(I_(OP_ORI, T1, T1, v & 0xffff));
	}
	return T1;
}

static void gen_atom(uint32_t i, uint32_t k)
{
	const struct dpf_atom *a = &filts[active[i]].a[k];
	uint32_t off = a->off, t0_loaded_last = 1;
	uint32_t at;
	if (a->size == 1)
		at = emit_load(I_(OP_LBU, A0, T0, off));
	else if (a->size == 2 && aligned(off, 2))
		at = emit_load(I_(OP_LHU, A0, T0, off));
	else if (a->size == 2) {
		at = emit_load(I_(OP_LBU, A0, T2, off + 1));
		emit(I_(OP_LBU, A0, T0, off));
		emit(R_(0, T2, T2, 8, FN_SLL));
		emit(R_(T0, T2, T0, 0, FN_OR));
		t0_loaded_last = 0;
	} else if (aligned(off, 4))
		at = emit_load(I_(OP_LW, A0, T0, off));
	else {
		at = emit_load(I_(OP_LWR, A0, T0, off));      /* little-endian ulw */
		emit(I_(OP_LWL, A0, T0, off + 3));
	}
	lbl_load[i][k] = (uint16_t)at;
	if (t0_loaded_last && a->val == 0)
		emit(NOP);                          /* load delay: the compare part reads t0 first */
	lbl_cmp[i][k] = (uint16_t)ncode;
	uint32_t rv = emit_li(a->val);
	uint32_t full = a->size == 4 ? 0xffffffffu : (1u << 8 * a->size) - 1;
	if (a->mask != full) {
		if (a->mask <= 0xffff)
			emit(I_(OP_ANDI, T0, T0, a->mask));
		else {
			emit(I_(OP_LUI, 0, T2, a->mask >> 16));
			emit(I_(OP_ORI, T2, T2, a->mask & 0xffff));
			emit(R_(T0, T2, T0, 0, FN_AND));
		}
	}
	fail_atom(I_(OP_BNE, T0, rv, 0), i, k);
}

/* Compile the whole filter set into dpf_code: int32_t code(const uint8_t *pkt, uint32_t len). */
void dpf_regen(void)
{
	ncode = nfix = 0;
	for (uint32_t i = 0; i < nactive; i++) {
		const struct filt *f = &filts[active[i]];
		lbl_start[i] = (uint16_t)ncode;
		for (uint32_t j = i + 1; j < nactive; j++)
			contra[j] = (uint8_t)first_contradiction(&filts[active[j]], f);
		emit(I_(OP_SLTIU, A1, T0, f->maxend));
		fail_len(i);
		for (uint32_t k = 0; k < f->natoms; k++)
			gen_atom(i, k);
		lbl_load[i][f->natoms] = (uint16_t)ncode;
		emit(R_(RA, 0, 0, 0, FN_JR));
		emit(I_(OP_ADDIU, ZERO, V0, active[i]));
	}
	lbl_start[nactive] = (uint16_t)ncode;       /* no match (v0 first: it can fill a slot) */
	emit(I_(OP_ADDIU, ZERO, V0, -1));
	emit(R_(RA, 0, 0, 0, FN_JR));
	emit(NOP);
	for (uint32_t n = 0; n < nfix; n++) {
		const struct fix *x = &fixes[n];
		uint32_t to = x->kind == T_START ? lbl_start[x->j] : x->kind == T_LOAD ? lbl_load[x->j][x->k]
			: lbl_cmp[x->j][x->k];
		uint32_t next = dpf_code[x->pos + 2] >> 26;       /* lwl/lwr merge into t0: they read it */
		if (dpf_code[x->pos + 1] == NOP && fillable(dpf_code[to]) &&
		    !((next == OP_LWL || next == OP_LWR) && (dpf_code[to] >> 26) >= OP_LWL)) {
			dpf_code[x->pos + 1] = dpf_code[to];
			to++;
		}
		dpf_code[x->pos] |= (uint32_t)(to - (x->pos + 1u)) & 0xffff;
	}
	dpf_code_len = ncode;
}
