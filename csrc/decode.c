/*
 * decode.c - predecoding for the fast engine (fast_loop.h): one struct dinsn
 * per instruction word, the register fields and the immediate extracted once,
 * and the per-physical-page arrays they live in.
 *
 * Decoding picks the cheapest op with the same effect: writes to $zero that
 * cannot trap become OP_NOP, `addu/or rd, rs, $0` OP_MOVE, `beq x, x` OP_B,
 * `addiu/ori rt, $0, imm` OP_LI.  The kernel's common CP0 instructions (mfc0, mtc0,
 * rfe) have their own ops; anything rarer (the TLB instructions, bc0f/bc0t, the
 * unusable coprocessors, reserved encodings) is OP_SLOW with the raw word, executed
 * by the same code as the reference interpreter's.
 */
#include <stdlib.h>
#include "machine.h"

static uint8_t dst(uint32_t r)
{
	return r ? (uint8_t)r : R_SINK;
}

void decode_insn(struct dinsn *d, uint32_t insn)
{
	uint32_t op = insn >> 26, rs = (insn >> 21) & 31, rt = (insn >> 16) & 31;
	uint32_t rd = (insn >> 11) & 31, sa = (insn >> 6) & 31;
	uint32_t simm = (uint32_t)(int32_t)(int16_t)insn, uimm = insn & 0xffffu;

	d->s = (uint8_t)rs;
	d->t = (uint8_t)rt;
	d->d = 0;
	d->imm = 0;
#define IS(o) (d->op = (o))
	switch (op) {
	case 0x00: {
		static const uint8_t special[64] = {
			[0x00] = OP_SLL, [0x02] = OP_SRL, [0x03] = OP_SRA, [0x04] = OP_SLLV,
			[0x06] = OP_SRLV, [0x07] = OP_SRAV, [0x08] = OP_JR, [0x09] = OP_JALR,
			[0x0c] = OP_SYSCALL, [0x0d] = OP_BREAK, [0x10] = OP_MFHI, [0x11] = OP_MTHI,
			[0x12] = OP_MFLO, [0x13] = OP_MTLO, [0x18] = OP_MULT, [0x19] = OP_MULTU,
			[0x1a] = OP_DIV, [0x1b] = OP_DIVU, [0x20] = OP_ADD, [0x21] = OP_ADDU,
			[0x22] = OP_SUB, [0x23] = OP_SUBU, [0x24] = OP_AND, [0x25] = OP_OR,
			[0x26] = OP_XOR, [0x27] = OP_NOR, [0x2a] = OP_SLT, [0x2b] = OP_SLTU,
		};
		uint8_t o = special[insn & 0x3f];
		if (o == OP_DECODE) {                       /* 0: an unused funct */
			IS(OP_SLOW);
			d->imm = insn;
			return;
		}
		IS(o);
		d->d = dst(rd);
		d->imm = sa;
		switch (o) {
		case OP_SLL: case OP_SRL: case OP_SRA: case OP_SLLV: case OP_SRLV: case OP_SRAV:
		case OP_ADDU: case OP_SUBU: case OP_AND: case OP_OR: case OP_XOR: case OP_NOR:
		case OP_SLT: case OP_SLTU:
			if (rd == 0)
				IS(OP_NOP);             /* cannot trap, writes nothing visible */
			else if ((o == OP_ADDU || o == OP_OR) && rt == 0)
				IS(OP_MOVE);
			else if ((o == OP_ADDU || o == OP_OR) && rs == 0) {
				IS(OP_MOVE);
				d->s = (uint8_t)rt;
			}
			break;
		}
		return;
	}
	case 0x01: /* REGIMM: MIPS-I does not decode rt bit 1 (MAME mips1.cpp) */
		d->imm = (simm << 2) + 4;
		switch (rt & 0x1d) {
		case 0x00: IS(OP_BLTZ); return;
		case 0x01: IS(OP_BGEZ); return;
		case 0x10: IS(OP_BLTZAL); return;
		case 0x11: IS(OP_BGEZAL); return;
		}
		break;
	case 0x02: IS(OP_J); d->imm = (insn & 0x03ffffffu) << 2; return;
	case 0x03: IS(OP_JAL); d->imm = (insn & 0x03ffffffu) << 2; return;
	case 0x04: IS(rs == rt ? OP_B : OP_BEQ); d->imm = (simm << 2) + 4; return;
	case 0x05: IS(OP_BNE); d->imm = (simm << 2) + 4; return;
	case 0x06: IS(OP_BLEZ); d->imm = (simm << 2) + 4; return;
	case 0x07: IS(OP_BGTZ); d->imm = (simm << 2) + 4; return;
	case 0x08: IS(OP_ADDI); d->d = dst(rt); d->imm = simm; return;
	case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x0e: case 0x0f: {
		static const uint8_t imm_ops[8] = { 0, OP_ADDIU, OP_SLTI, OP_SLTIU, OP_ANDI, OP_ORI, OP_XORI, OP_LUI };
		IS(imm_ops[op & 7]);
		d->d = dst(rt);
		d->imm = op >= 0x0c ? uimm : simm;
		if (op == 0x0f)
			d->imm = insn << 16;
		if (rt == 0)
			IS(OP_NOP);
		else if (op == 0x0f || ((op == 0x09 || op == 0x0d) && rs == 0))
			IS(OP_LI);              /* lui, li: r[d] = imm */
		return;
	}
	case 0x20: IS(OP_LB); break;
	case 0x21: IS(OP_LH); break;
	case 0x22: IS(OP_LWL); break;
	case 0x23: IS(OP_LW); break;
	case 0x24: IS(OP_LBU); break;
	case 0x25: IS(OP_LHU); break;
	case 0x26: IS(OP_LWR); break;
	case 0x28: IS(OP_SB); d->imm = simm; return;
	case 0x29: IS(OP_SH); d->imm = simm; return;
	case 0x2a: IS(OP_SWL); d->imm = simm; return;
	case 0x2b: IS(OP_SW); d->imm = simm; return;
	case 0x2e: IS(OP_SWR); d->imm = simm; return;
	case 0x10: /* COP0: the kernel's common ones; the TLB ops and bc0f/bc0t stay OP_SLOW */
		if ((insn & (1u << 25)) ? (insn & 0x3f) == 0x10 : rs == 0 || rs == 4) {
			IS(insn & (1u << 25) ? OP_RFE : rs == 0 ? OP_MFC0 : OP_MTC0);
			d->d = dst(rt);         /* mfc0's destination; mtc0 reads rt */
			d->imm = rd;            /* the CP0 register */
			return;
		}
		break;
	default:
		break;
	}
	if (op >= 0x20 && op <= 0x26 && op != 0x27) {  /* the loads */
		d->d = dst(rt);
		d->imm = simm;
		return;
	}
	IS(OP_SLOW);
	d->imm = insn;
#undef IS
}

/* Point the load map's entries for physical page ppage at its (new) predecoded array, and
 * drop the store map's: stores to a page with predecoded code take the slow path. */
static void hmap_attach(struct machine *m, uint32_t ppage, struct dinsn *p)
{
	for (unsigned i = 0; i < HMAP_SIZE; i++) {
		struct hmap_entry *e = &m->wmap[i];
		if (e->tag != HMAP_NONE && (((e->tag & ENTRYHI_VPN_MASK) + e->pdelta) & ENTRYHI_VPN_MASK) == ppage)
			e->tag = HMAP_NONE;
		e = &m->rmap[i];
		if (e->tag != HMAP_NONE && (((e->tag & ENTRYHI_VPN_MASK) + e->pdelta) & ENTRYHI_VPN_MASK) == ppage)
			e->dec = p;
	}
}

static void page_reset(const struct machine *m, struct dinsn *p)
{
	for (unsigned i = 0; i < DECODE_PAGE_SLOTS; i++)
		decode_slot_reset(m, &p[i]);
}

/* The predecoded array of the RAM page holding pa, allocated (all OP_DECODE) on first use. */
struct dinsn *decode_page(struct machine *m, uint32_t pa)
{
	uint32_t n = pa >> PAGE_SHIFT;
	struct dinsn *p = m->dpages[n];
	if (likely(p != NULL))
		return p;
	p = malloc(DECODE_PAGE_SLOTS * sizeof *p);
	if (!p)
		abort();
	page_reset(m, p);
	m->dpages[n] = p;
	m->ndpages++;
	hmap_attach(m, pa & ENTRYHI_VPN_MASK, p);
	return p;
}

/* Forget every decoded word: after a run of the reference engine, whose stores do not
 * invalidate, and when another instance of the fast loop (other labels) is to run. */
void decode_flush_all(struct machine *m)
{
	if (!m->ndpages)
		return;
	for (uint32_t i = 0; i < m->ram_size >> PAGE_SHIFT; i++)
		if (m->dpages[i])
			page_reset(m, m->dpages[i]);
}

/* The host wrote [pa, pa + len) of RAM. */
void decode_invalidate(struct machine *m, uint32_t pa, uint32_t len)
{
	if (!m->ndpages || !len)
		return;
	for (uint32_t a = pa & ~3u; a < pa + len; a += 4)
		decode_store(m, a);
}

void decode_free(struct machine *m)
{
	if (!m->dpages)
		return;
	for (uint32_t i = 0; i < m->ram_size >> PAGE_SHIFT; i++)
		free(m->dpages[i]);
	free(m->dpages);
	m->dpages = NULL;
}
