/*
 * profile.c - the exact per-PC profile: how many times each (pc, ASID)
 * executed and how many cycles it was charged (its own cycle plus any
 * stalls and exception entry it caused).  Kernel addresses in kseg0/kseg1
 * are unmapped and recorded with ASID 0xffffffff.
 */
#include <stdlib.h>
#include <string.h>
#include "machine.h"

static uint32_t hash(uint32_t pc, uint32_t asid)
{
	return ((pc >> 2) ^ (asid * 0x9e3779b1u)) * 0x85ebca6bu;
}

static struct profile_slot *lookup(struct machine *m, uint32_t pc, uint32_t asid);

static int grow(struct machine *m)
{
	uint32_t ncap = m->prof_cap ? m->prof_cap * 2 : 1u << 14;
	struct profile_slot *old = m->prof, *nt = calloc(ncap, sizeof *nt);
	uint32_t ocap = m->prof_cap;
	if (!nt)
		return -1;
	m->prof = nt;
	m->prof_cap = ncap;
	m->prof_used = 0;
	for (uint32_t i = 0; i < ocap; i++) {
		if (old[i].used) {
			struct profile_slot *s = lookup(m, old[i].pc, old[i].asid);
			if (s) {
				s->count = old[i].count;
				s->cycles = old[i].cycles;
			}
		}
	}
	free(old);
	return 0;
}

static struct profile_slot *lookup(struct machine *m, uint32_t pc, uint32_t asid)
{
	if (m->prof_used * 2 >= m->prof_cap && grow(m))
		return NULL;
	uint32_t mask = m->prof_cap - 1;
	for (uint32_t i = hash(pc, asid) & mask;; i = (i + 1) & mask) {
		struct profile_slot *s = &m->prof[i];
		if (!s->used) {
			s->used = 1;
			s->pc = pc;
			s->asid = asid;
			m->prof_used++;
			return s;
		}
		if (s->pc == pc && s->asid == asid)
			return s;
	}
}

static uint32_t asid_of(struct machine *m, uint32_t pc)
{
	if (pc >= KSEG0_BASE && pc < KSEG2_BASE)
		return 0xffffffffu;
	return (m->cp0[C0_ENTRYHI] & ENTRYHI_ASID_MASK) >> ENTRYHI_ASID_SHIFT;
}

/* Called before each instruction with the cycle count at its start. */
void profile_step(struct machine *m, uint32_t pc, uint64_t cycles)
{
	if (m->prof_have_last) {
		struct profile_slot *last = lookup(m, m->prof_last_pc, m->prof_last_asid);
		if (last)
			last->cycles += cycles - m->prof_last_cycles;
	}
	uint32_t asid = asid_of(m, pc);
	struct profile_slot *s = lookup(m, pc, asid);
	if (s)
		s->count++;
	m->prof_last_pc = pc;
	m->prof_last_asid = asid;
	m->prof_last_cycles = cycles;
	m->prof_have_last = 1;
}

/* Charge the last instruction its cycles up to now (called when run() returns). */
void profile_flush(struct machine *m)
{
	if (m->prof_have_last) {
		struct profile_slot *last = lookup(m, m->prof_last_pc, m->prof_last_asid);
		if (last)
			last->cycles += m->c.cycles - m->prof_last_cycles;
		m->prof_have_last = 0;
	}
}

uint32_t machine_profile_entries(machine_t *m, struct profile_entry *out, uint32_t max)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < m->prof_cap; i++) {
		const struct profile_slot *s = &m->prof[i];
		if (!s->used)
			continue;
		if (out && n < max) {
			out[n].pc = s->pc;
			out[n].asid = s->asid;
			out[n].count = s->count;
			out[n].cycles = s->cycles;
		}
		n++;
	}
	return n;
}
