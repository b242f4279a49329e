/*
 * dpf_interp.c - the packet-filter interpreter, standing in for MPF (Table 7).
 *
 * Each filter is translated at insertion into a small accumulator program
 * (BPF-like: LEN, LD*, AND, JNE, RET) that a C loop interprets, one filter
 * after another, against the same filter set as DPF (dpf.c).  Every program
 * starts with the filter's length check (LEN), so no load reads past the
 * packet's end.
 */
#include "dpf.h"

enum { PF_LEN, PF_LDB, PF_LDH, PF_LDW, PF_LDHU, PF_LDWU, PF_AND, PF_JNE, PF_RET };
struct pf_insn {
	uint16_t op, off;
	uint32_t k;
};
#define PF_MAXPROG (2 + 3 * DPF_MAXATOMS)
static struct pf_insn progs[DPF_MAXFILTERS][PF_MAXPROG];

void pf_translate(int id)
{
	const struct filt *f = &filts[id];
	struct pf_insn *p = progs[id];
	*p++ = (struct pf_insn){PF_LEN, 0, f->maxend};
	for (uint32_t k = 0; k < f->natoms; k++) {
		const struct dpf_atom *a = &f->a[k];
		uint16_t op = a->size == 1 ? PF_LDB : a->size == 2 ? (aligned(a->off, 2) ? PF_LDH : PF_LDHU)
			: (aligned(a->off, 4) ? PF_LDW : PF_LDWU);
		*p++ = (struct pf_insn){op, a->off, 0};
		if (a->mask != (a->size == 4 ? 0xffffffffu : (1u << 8 * a->size) - 1))
			*p++ = (struct pf_insn){PF_AND, 0, a->mask};
		*p++ = (struct pf_insn){PF_JNE, 0, a->val};
	}
	*p = (struct pf_insn){PF_RET, 0, (uint32_t)id};
}

int32_t pf_interp(const uint8_t *pkt, uint32_t len)
{
	for (uint32_t i = 0; i < nactive; i++) {
		const struct pf_insn *pc = progs[active[i]];
		uint32_t A = 0;
		for (;; pc++) {
			const uint8_t *q = pkt + pc->off;
			switch (pc->op) {
			case PF_LEN: if (len < pc->k) goto next; break;
			case PF_LDB: A = *q; break;
			case PF_LDH: A = *(const uint16_t *)q; break;
			case PF_LDW: A = *(const uint32_t *)q; break;
			case PF_LDHU: A = q[0] | (uint32_t)q[1] << 8; break;
			case PF_LDWU: A = q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24; break;
			case PF_AND: A &= pc->k; break;
			case PF_JNE: if (A != pc->k) goto next; break;
			default: return (int32_t)pc->k;
			}
		}
	next:;
	}
	return -1;
}
