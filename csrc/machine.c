/*
 * machine.c - creating, resetting and inspecting a machine: the public API
 * of machine_api.h that is not the interpreter itself.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine.h"

static char last_error[256];

const char *machine_last_error(void)
{
	return last_error;
}

/* Say why the last API call failed (machine_last_error()). */
void machine_set_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_error, sizeof last_error, fmt, ap);
	va_end(ap);
}

machine_t *machine_new(const char *preset, uint32_t ram_bytes)
{
	const struct cost_params *cost = cost_preset(preset ? preset : "");
	if (!cost) {
		snprintf(last_error, sizeof last_error, "unknown cost preset '%s'", preset ? preset : "(null)");
		return NULL;
	}
	return machine_new_params(cost, ram_bytes);
}

/* Is p a cost model the engine can run?  0, or -1 with last_error saying why. */
static int check_params(const struct cost_params *p)
{
	const char *why = 0;
	if (!(p->clock_mhz > 0 && p->clock_mhz < 1e4))
		why = "clock_mhz must be positive";
	else if (p->caches > 1)
		why = "caches must be 0 or 1";
	else if (p->caches && (p->line_bytes < 4 || (p->line_bytes & (p->line_bytes - 1))))
		why = "line_bytes must be a power of two >= 4";
	else if (p->caches && (p->icache_bytes < p->line_bytes || (p->icache_bytes & (p->icache_bytes - 1)) ||
			       p->dcache_bytes < p->line_bytes || (p->dcache_bytes & (p->dcache_bytes - 1)) ||
			       p->icache_bytes > (1u << 24) || p->dcache_bytes > (1u << 24)))
		why = "cache sizes must be powers of two between line_bytes and 16 MiB";
	else if (p->caches && (p->wb_depth < 1 || p->wb_depth > WB_MAX_DEPTH))
		why = "wb_depth must be 1..16";
	else if (p->caches && p->dline_bytes && ((p->dline_bytes & (p->dline_bytes - 1)) ||
						  p->dline_bytes < 4 || p->dline_bytes > p->dcache_bytes))
		why = "dline_bytes must be 0 or a power of two between 4 and dcache_bytes";
	else if (p->caches && p->dfill_bytes && ((p->dfill_bytes & (p->dfill_bytes - 1)) ||
						  p->dfill_bytes < (p->dline_bytes ? p->dline_bytes : p->line_bytes) ||
						  p->dfill_bytes > p->dcache_bytes))
		why = "dfill_bytes must be 0 or a power of two between the D-cache line and dcache_bytes";
	else if (p->write_allocate > 1 || p->wb_read_priority > 1)
		why = "write_allocate and wb_read_priority must be 0 or 1";
	else if (p->wb_page_bytes && ((p->wb_page_bytes & (p->wb_page_bytes - 1)) || p->wb_page_bytes < 4))
		why = "wb_page_bytes must be 0 or a power of two >= 4";
	if (why) {
		snprintf(last_error, sizeof last_error, "cost parameters: %s", why);
		return -1;
	}
	return 0;
}

machine_t *machine_new_params(const struct cost_params *cost, uint32_t ram_bytes)
{
	if (!cost || check_params(cost))
		return NULL;
	if (ram_bytes == 0 || ram_bytes % PAGE_SIZE || ram_bytes > LANCE_PADDR) {
		snprintf(last_error, sizeof last_error,
			 "RAM size must be a non-zero multiple of 4096 below 0x%x, not %u", LANCE_PADDR, ram_bytes);
		return NULL;
	}
	struct machine *m = calloc(1, sizeof *m);
	if (!m || !(m->ram = calloc(1, ram_bytes))) {
		free(m);
		snprintf(last_error, sizeof last_error, "out of memory for %u bytes of RAM", ram_bytes);
		return NULL;
	}
	m->ram_size = ram_bytes;
	m->cost = *cost;
	m->board.entropy_seed = BOARD_ENTROPY_SEED;
	nic_init(m);
	if (nic_alloc(m) || !(m->dpages = calloc(ram_bytes >> PAGE_SHIFT, sizeof *m->dpages))) {
		machine_free(m);
		snprintf(last_error, sizeof last_error, "out of memory for the decode table");
		return NULL;
	}
	if (cost_setup(m)) {
		machine_free(m);
		snprintf(last_error, sizeof last_error, "out of memory for the cache model");
		return NULL;
	}
	machine_reset(m);
	return m;
}

void machine_free(machine_t *m)
{
	if (!m)
		return;
	board_free(m);
	nic_free(m);
	decode_free(m);
	free(m->itags);
	free(m->dtags);
	free(m->prof);
	free(m->ram);
	free(m);
}

/* Reset: registers, CP0, TLB, counters and devices; RAM is kept. */
void machine_reset(machine_t *m)
{
	memset(m->r, 0, sizeof m->r);
	m->hi = m->lo = 0;
	memset(m->cp0, 0, sizeof m->cp0);
	m->cp0[C0_STATUS] = SR_BEV;
	m->cp0[C0_PRID] = PRID_R3000A;
	/* Entries that can never match: kseg0 VPNs are not translated. */
	for (int i = 0; i < TLB_NENTRIES; i++) {
		m->tlb[i].hi = KSEG0_BASE + ((uint32_t)i << PAGE_SHIFT);
		m->tlb[i].lo = 0;
	}
	tlb_reindex(m);
	memset(&m->c, 0, sizeof m->c);
	m->mode_insns0 = m->mode_cycles0 = 0;
	m->user = 0;
	m->random_base = 0;
	m->pc = VEC_RESET;
	m->npc = VEC_RESET + 4;
	m->delay = 0;
	m->fetching_vector = 0;
	m->hz_prev_dst = 0;
	m->hz_total = 0;
	m->nhazards = 0;
	if (m->prof)
		memset(m->prof, 0, (size_t)m->prof_cap * sizeof *m->prof);
	m->prof_used = 0;
	m->prof_have_last = 0;
	memset(&m->stop, 0, sizeof m->stop);
	m->stopping = 0;
	board_reset(m);
	cost_reset(m);
	nic_reset(m);
	mmu_flush_all(m);
	mmu_context_changed(m);
}

const struct cost_params *machine_cost(machine_t *m) { return &m->cost; }
uint8_t *machine_ram(machine_t *m) { return m->ram; }
uint32_t machine_ram_size(machine_t *m) { return m->ram_size; }

int machine_phys_write(machine_t *m, uint32_t paddr, const uint8_t *src, uint32_t len)
{
	if (paddr > m->ram_size || len > m->ram_size - paddr)
		return -1;
	memcpy(m->ram + paddr, src, len);
	decode_invalidate(m, paddr, len);
	return 0;
}

int machine_phys_read(machine_t *m, uint32_t paddr, uint8_t *dst, uint32_t len)
{
	if (paddr > m->ram_size || len > m->ram_size - paddr)
		return -1;
	memcpy(dst, m->ram + paddr, len);
	return 0;
}

uint32_t machine_get_gpr(machine_t *m, int i) { return (i > 0 && i < 32) ? m->r[i] : 0; }

void machine_set_gpr(machine_t *m, int i, uint32_t v)
{
	if (i > 0 && i < 32)
		m->r[i] = v;
}

uint32_t machine_get_hi(machine_t *m) { return m->hi; }
uint32_t machine_get_lo(machine_t *m) { return m->lo; }

void machine_set_hilo(machine_t *m, uint32_t hi, uint32_t lo)
{
	m->hi = hi;
	m->lo = lo;
}

uint32_t machine_get_pc(machine_t *m) { return m->pc; }

void machine_set_pc(machine_t *m, uint32_t pc)
{
	m->pc = pc;
	m->npc = pc + 4;
	m->delay = 0;
	m->ftag = FTAG_NONE;
}

uint32_t machine_get_cp0(machine_t *m, int reg)
{
	if (reg < 0 || reg > 15)
		return 0;
	return reg == C0_RANDOM ? cp0_random(m) << RANDOM_SHIFT : m->cp0[reg];
}

/* A debugger's write: raw, without the write masks that mtc0 applies. */
void machine_set_cp0(machine_t *m, int reg, uint32_t v)
{
	if (reg < 0 || reg > 15 || reg == C0_RANDOM)
		return;
	m->cp0[reg] = v;
	cpu_mode_update(m);
	cpu_schedule(m);
}

struct tlb_entry machine_get_tlb(machine_t *m, int i)
{
	struct tlb_entry none = { 0, 0 };
	return (i >= 0 && i < TLB_NENTRIES) ? m->tlb[i] : none;
}

void machine_set_tlb(machine_t *m, int i, uint32_t hi, uint32_t lo)
{
	if (i < 0 || i >= TLB_NENTRIES)
		return;
	tlb_set(m, i, hi, lo);
}

void machine_set_trap_mask(machine_t *m, uint32_t mask) { m->trap_mask = mask; }
void machine_set_hazard_check(machine_t *m, int on) { m->hazard_check = on; m->hz_prev_dst = 0; }
void machine_set_profile(machine_t *m, int on) { m->profile = on; m->prof_have_last = 0; }

int machine_set_engine(machine_t *m, int engine)
{
	if (engine != ENGINE_FAST && engine != ENGINE_REFERENCE)
		return -1;
	m->engine = engine;
	return 0;
}

int machine_get_engine(machine_t *m) { return m->engine; }

void machine_set_timer(machine_t *m, uint32_t period)
{
	board_write(m, BOARD_TIMER_PERIOD, period, m->pc);
}

int machine_run(machine_t *m, uint64_t max_insns)
{
	return machine_run_until(m, UINT64_MAX, max_insns);
}

int machine_run_until(machine_t *m, uint64_t cycle, uint64_t max_insns)
{
	if (!m->ram) {
		m->stop.reason = STOP_BAD_STATE;
		return STOP_BAD_STATE;
	}
	memset(&m->stop, 0, sizeof m->stop);
	m->stopping = 0;
	m->limit_insns = m->c.insns + max_insns;
	if (m->limit_insns < m->c.insns)
		m->limit_insns = UINT64_MAX;
	m->run_faults = 0;              /* see limit_faults in machine.h */
	m->limit_faults = max_insns;
	m->limit_cycles = cycle;
	cpu_schedule(m);
	int reason = cpu_run(m);
	if (m->profile)
		profile_flush(m);
	if (reason == STOP_LIMIT || reason == STOP_HALT || reason == STOP_CYCLES) {
		uint32_t pa;
		m->stop.insn = 0;
		if (machine_virt_to_phys(m, m->stop.pc, &pa) == 0 && pa + 4 <= m->ram_size)
			memcpy(&m->stop.insn, m->ram + pa, 4);
	}
	return reason;
}

struct stop_info machine_stop_info(machine_t *m) { return m->stop; }

const struct counters *machine_counters(machine_t *m)
{
	counters_snapshot(m, &m->snap);
	return &m->snap;
}

uint32_t machine_nmarkers(machine_t *m) { return m->board.nmarkers; }
const struct marker *machine_markers(machine_t *m) { return m->board.markers; }
uint32_t machine_nresults(machine_t *m) { return m->board.nresults; }
const struct result *machine_results(machine_t *m) { return m->board.results; }

uint64_t machine_foreign_writes(machine_t *m, struct foreign_write *first)
{
	if (first)
		*first = m->board.first_foreign;
	return m->board.foreign_writes;
}

/* Takes effect at the next reset (boot), so a run's entropy depends on the seed alone. */
void machine_set_entropy_seed(machine_t *m, uint64_t seed)
{
	m->board.entropy_seed = seed;
	m->board.entropy_state = seed;
}

const char *machine_console(machine_t *m, uint32_t *len)
{
	*len = m->board.console_len;
	return m->board.console ? m->board.console : "";
}

uint32_t machine_nhazards(machine_t *m) { return m->nhazards; }
uint64_t machine_hazard_total(machine_t *m) { return m->hz_total; }
const struct hazard *machine_hazards(machine_t *m) { return m->hazards; }
