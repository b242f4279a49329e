/*
 * exception.c - CP0: exceptions, rfe, the CP0 registers, interrupts, and the
 * event check the interpreter makes at a cycle deadline.
 *
 * R3000 rules (docs/references.md#r3000-exception-mechanics): on an exception the
 * KU/IE stack is pushed (current <- kernel, interrupts off), EPC gets the
 * faulting instruction or, when it sits in a delay slot, the branch (BD set);
 * rfe pops the stack.  UTLB misses of kuseg addresses go to 0x80000000,
 * everything else to 0x80000080 (BEV moves both into the boot ROM).
 */
#include <string.h>
#include "machine.h"

void cpu_stop(struct machine *m, int reason, uint32_t code)
{
	if (m->stopping)
		return;
	m->stopping = 1;
	m->stop.reason = reason;
	m->stop.code = code;
	m->next_event = 0;
}

/* Account user/kernel time at a change of KUc, and rebuild the host-map context. */
void cpu_mode_update(struct machine *m)
{
	int user = (m->cp0[C0_STATUS] & SR_KUC) != 0;
	if (user != m->user) {
		if (m->user) {
			m->c.user_insns += m->c.insns - m->mode_insns0;
			m->c.user_cycles += m->c.cycles - m->mode_cycles0;
		}
		m->mode_insns0 = m->c.insns;
		m->mode_cycles0 = m->c.cycles;
		m->user = user;
	}
	mmu_context_changed(m);
}

void cpu_schedule(struct machine *m)
{
	m->next_event = 0;
}

/* Status or Cause changed: look at events now only if an interrupt has become deliverable.
 * Otherwise the deadline in next_event still covers the timer and the limits (nothing
 * else cpu_events() looks at has changed), so an event check would find nothing. */
static void schedule_if_interrupt(struct machine *m)
{
	uint32_t sr = m->cp0[C0_STATUS];
	if ((sr & SR_IEC) && (m->cp0[C0_CAUSE] & sr & SR_IM_MASK))
		cpu_schedule(m);
}

static void raise_exc(struct machine *m, int code, uint32_t cur, int bd, int ce, int refill)
{
	uint32_t sr = m->cp0[C0_STATUS];
	uint32_t vec;

	/* A faulting instruction does not retire; an interrupt arrives between instructions. */
	if (code != EXC_INT) {
		m->c.insns--;
		m->c.cycles--;
		if (++m->run_faults >= m->limit_faults)
			cpu_schedule(m);        /* fault budget spent: cpu_events() stops the run */
	}
	m->c.exceptions[code]++;
	if (refill)
		m->c.utlb_refills++;

	m->cp0[C0_CAUSE] = (m->cp0[C0_CAUSE] & ~(CAUSE_BD | CAUSE_CE_MASK | CAUSE_EXC_MASK)) |
			   ((uint32_t)code << CAUSE_EXC_SHIFT) | (bd ? CAUSE_BD : 0) |
			   ((uint32_t)ce << CAUSE_CE_SHIFT);
	m->cp0[C0_EPC] = bd ? cur - 4 : cur;
	m->cp0[C0_STATUS] = (sr & ~(uint32_t)SR_KUIE_MASK) | ((sr << 2) & 0x3c);

	if (sr & SR_BEV)
		vec = refill ? VEC_BEV_UTLB : VEC_BEV_GENERAL;
	else
		vec = refill ? VEC_UTLB : VEC_GENERAL;
	m->pc = vec;
	m->npc = vec + 4;
	m->delay = 0;
	m->fetching_vector = 1;
	m->ftag = FTAG_NONE;    /* the vector's fetch goes through mmu_fetch, which clears fetching_vector */
	m->hz_prev_dst = 0;
	cpu_mode_update(m);
	m->c.cycles += m->cost.exc_entry_cycles;
	m->c.exc_entry_cycles += m->cost.exc_entry_cycles;

	if (m->trap_mask & (1u << code)) {
		uint32_t pa;
		m->stop.pc = cur;
		m->stop.badvaddr = m->cp0[C0_BADVADDR];
		m->stop.insn = 0;
		if (code != EXC_INT && machine_virt_to_phys(m, cur, &pa) == 0 && pa + 4 <= m->ram_size)
			memcpy(&m->stop.insn, m->ram + pa, 4);
		cpu_stop(m, STOP_TRAP, (uint32_t)code);
	}
}

void cpu_exception(struct machine *m, int code, uint32_t cur, int bd, int ce)
{
	raise_exc(m, code, cur, bd, ce, 0);
}

/* Address errors and TLB faults also load BadVAddr (and, for TLB faults, Context and EntryHi). */
void cpu_address_fault(struct machine *m, int code, uint32_t cur, int bd, uint32_t va, int refill)
{
	m->cp0[C0_BADVADDR] = va;
	if (code == EXC_MOD || code == EXC_TLBL || code == EXC_TLBS) {
		m->cp0[C0_CONTEXT] = (m->cp0[C0_CONTEXT] & CONTEXT_PTEBASE_MASK) |
				     ((va >> 10) & CONTEXT_BADVPN_MASK);
		m->cp0[C0_ENTRYHI] = (va & ENTRYHI_VPN_MASK) |
				     (m->cp0[C0_ENTRYHI] & ENTRYHI_ASID_MASK);
	}
	raise_exc(m, code, cur, bd, 0, refill);
}

void cpu_rfe(struct machine *m)
{
	uint32_t sr = m->cp0[C0_STATUS];
	m->cp0[C0_STATUS] = (sr & ~0xfu) | ((sr >> 2) & 0xfu);
	cpu_mode_update(m);
	schedule_if_interrupt(m);       /* IEc may have come back on with an interrupt pending */
}

uint32_t cpu_mfc0(struct machine *m, int reg)
{
	switch (reg) {
	case C0_RANDOM:
		return cp0_random(m) << RANDOM_SHIFT;
	case C0_INDEX: case C0_ENTRYLO: case C0_CONTEXT: case C0_BADVADDR:
	case C0_ENTRYHI: case C0_STATUS: case C0_CAUSE: case C0_EPC: case C0_PRID:
		return m->cp0[reg];     /* = MFC0_READABLE, which the fast engine reads inline */
	default:
		return 0;       /* registers 3, 5, 6, 7, 9, 11 do not exist on the R3000 */
	}
}

/* Only the MTC0_SIDE_EFFECTS registers may do more than store into cp0[]: the fast
 * engine calls this for the others without synchronising its state. */
void cpu_mtc0(struct machine *m, int reg, uint32_t v)
{
	switch (reg) {
	case C0_INDEX:
		m->cp0[reg] = (m->cp0[reg] & INDEX_P) | (v & INDEX_MASK);
		break;
	case C0_ENTRYLO:
		m->cp0[reg] = v & ENTRYLO_MASK;
		break;
	case C0_CONTEXT:
		m->cp0[reg] = (v & CONTEXT_PTEBASE_MASK) | (m->cp0[reg] & CONTEXT_BADVPN_MASK);
		break;
	case C0_ENTRYHI:
		m->cp0[reg] = v & (ENTRYHI_VPN_MASK | ENTRYHI_ASID_MASK);
		mmu_context_changed(m);
		break;
	case C0_STATUS:
		m->cp0[reg] = v & SR_WRITE_MASK;
		cpu_mode_update(m);
		schedule_if_interrupt(m);
		break;
	case C0_CAUSE:
		m->cp0[reg] = (m->cp0[reg] & ~(uint32_t)CAUSE_SW_MASK) | (v & CAUSE_SW_MASK);
		schedule_if_interrupt(m);
		break;
	case C0_EPC:
		m->cp0[reg] = v;
		break;
	default:
		break;          /* Random, BadVAddr, PRId and the missing registers are read-only */
	}
}

/* Raise or lower hardware interrupt line Int<line> (Cause.IP<line+2>). */
void cpu_set_line(struct machine *m, int line, int level)
{
	uint32_t bit = 1u << (CAUSE_IP_SHIFT + IRQ_HW(line));
	if (level)
		m->cp0[C0_CAUSE] |= bit;
	else
		m->cp0[C0_CAUSE] &= ~bit;
	cpu_schedule(m);
}

/*
 * Called by the interpreter when the cycle counter reaches next_event:
 * stop requests, the instruction limit, the timer and pending interrupts.
 * Returns nonzero when run() must return.
 */
int cpu_events(struct machine *m)
{
	struct board *b = &m->board;
	uint64_t next;

	if (m->stopping)
		return 1;
	if (m->c.insns >= m->limit_insns || m->run_faults >= m->limit_faults) {
		m->stop.pc = m->pc;
		cpu_stop(m, STOP_LIMIT, 0);
		return 1;
	}
	if (b->timer_period && m->c.cycles >= b->timer_next) {
		b->timer_count++;
		b->timer_next += b->timer_period;
		if (b->timer_next <= m->c.cycles)
			b->timer_next = m->c.cycles + b->timer_period;
		cpu_set_line(m, BOARD_TIMER_LINE, 1);
	}
	nic_events(m);
	/* After the devices' events, so that every event due by this boundary has happened
	 * in this run (cosim.c's exactness argument relies on it). */
	if (m->c.cycles >= m->limit_cycles) {
		m->stop.pc = m->pc;
		cpu_stop(m, STOP_CYCLES, 0);
		return 1;
	}
	uint32_t sr = m->cp0[C0_STATUS];
	if ((sr & SR_IEC) && (m->cp0[C0_CAUSE] & sr & SR_IM_MASK)) {
		raise_exc(m, EXC_INT, m->pc, m->delay, 0, 0);
		if (m->stopping)
			return 1;
	}
	next = m->c.cycles + (m->limit_insns - m->c.insns);
	if (b->timer_period && b->timer_next < next)
		next = b->timer_next;
	uint64_t dev = nic_next_event(m);
	if (dev < next)
		next = dev;
	if (m->limit_cycles < next)
		next = m->limit_cycles;
	m->next_event = next;
	return 0;
}
