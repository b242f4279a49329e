/*
 * hazard.c - the load-delay hazard checker.
 *
 * The R3000 does not interlock loads: the instruction right after a load
 * (or an mfc0) must not read the loaded register.  The emulator always
 * gives the interlocked result, so a compiler or hand-written slip would
 * silently change instruction counts rather than crash; in checker mode we
 * report every such pair instead.  lwl/lwr pairs merging into the same
 * register are legal and exempt.
 */
#include "machine.h"

/* Bit mask of the general registers an instruction reads. */
static uint32_t regs_read(uint32_t insn)
{
	uint32_t op = insn >> 26, rs = (insn >> 21) & 31, rt = (insn >> 16) & 31;
	uint32_t RS = 1u << rs, RT = 1u << rt;

	switch (op) {
	case 0x00:
		switch (insn & 0x3f) {
		case 0x00: case 0x02: case 0x03: return RT;              /* shifts by shamt */
		case 0x08: case 0x09: case 0x11: case 0x13: return RS;   /* jr jalr mthi mtlo */
		case 0x0c: case 0x0d: case 0x10: case 0x12: return 0;    /* syscall break mfhi mflo */
		default: return RS | RT;
		}
	case 0x01: case 0x06: case 0x07: return RS;                      /* regimm blez bgtz */
	case 0x02: case 0x03: case 0x0f: return 0;                       /* j jal lui */
	case 0x04: case 0x05: return RS | RT;                            /* beq bne */
	case 0x10: case 0x11: case 0x12: case 0x13:
		return (rs == 0x04 || rs == 0x06) ? RT : 0;              /* mtcz ctcz */
	case 0x22: case 0x26: return RS | RT;                            /* lwl lwr merge rt */
	case 0x28: case 0x29: case 0x2a: case 0x2b: case 0x2e: return RS | RT; /* stores */
	default:
		if (op >= 0x08 && op <= 0x0e) return RS;                 /* immediate ALU */
		if (op >= 0x20) return RS;                               /* loads, lwcz, swcz */
		return 0;
	}
}

/* The register a load or an mfc0 writes, or 0. */
static int delayed_dest(uint32_t insn)
{
	uint32_t op = insn >> 26;
	if (op >= 0x20 && op <= 0x26 && op != 0x27)
		return (insn >> 16) & 31;
	if (op == 0x10 && ((insn >> 21) & 31) == 0x00)
		return (insn >> 16) & 31;
	return 0;
}

static int is_lwlr(uint32_t insn)
{
	uint32_t op = insn >> 26;
	return op == 0x22 || op == 0x26;
}

void hazard_step(struct machine *m, uint32_t pc, uint32_t insn)
{
	int d = m->hz_prev_dst;
	if (d && (regs_read(insn) & (1u << d)) &&
	    !(m->hz_prev_lwlr && is_lwlr(insn) && (int)((insn >> 16) & 31) == d)) {
		m->hz_total++;
		if (m->nhazards < sizeof m->hazards / sizeof m->hazards[0]) {
			struct hazard *h = &m->hazards[m->nhazards++];
			h->pc = pc;
			h->insn = insn;
			h->prev_insn = m->hz_prev_insn;
		}
	}
	m->hz_prev_dst = delayed_dest(insn);
	m->hz_prev_lwlr = is_lwlr(insn);
	m->hz_prev_insn = insn;
}
