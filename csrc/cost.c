/*
 * cost.c - the cost model: named presets, the cache and write-buffer model.
 *
 * Every parameter is either sourced (docs/references.md#cost-model) or marked as
 * an ASSUMPTION.  None was fitted to the paper's tables.
 *
 * Cycle accounting, in both presets:
 *   - every retired instruction costs 1 cycle (R3000 CPI 1; delay slots are
 *     real instructions, so branches and loads cost nothing extra);
 *   - mult/multu occupy the multiply unit 12 cycles, div/divu 35 (GCC 3000.md,
 *     MAME mips1.cpp); mfhi/mflo, and a second mult/div, stall until it is
 *     free;
 *   - taking an exception costs exc_entry_cycles on top of the vector's
 *     instructions; the faulting instruction itself does not retire.
 *     ASSUMPTION: 4 = the faulting instruction's cycle plus 3 annulled
 *     pipeline slots of the 5-stage pipeline; no source gives the R3000 figure
 *     (docs/references.md#r3000-timing);
 *   - an uncached load (kseg1, N=1 pages, the board) costs
 *     uncached_read_cycles more: 11, i.e. ~12 cycles in all as the DS3100's
 *     uncached device-buffer reads (docs/references.md#decstation-memory-systems,
 *     BSD locore comments).
 *
 * dec5000 (DECstation 5000/125, 25 MHz, docs/references.md#decstation-models) adds:
 *   - a direct-mapped, physically indexed 64 KiB I-cache and 128 KiB D-cache
 *     (MAME kn02ba: R3000A(..., 65536, 131072));
 *   - ASSUMPTION: 16-byte lines (R3000A 4-word block refill) and an 8-cycle
 *     miss penalty (~5 cycles to first word + 1 per further word);
 *   - D-cache write-through, no write-allocate (ASSUMPTION for a multi-word
 *     line); a partial-word store leaves the line as it is;
 *   - a 4-entry write buffer (DS3100 fact, DTJ; 5000/1xx depth ASSUMED the
 *     same), each write retiring 5 cycles after the previous (ASSUMPTION:
 *     a 200 ns memory write); a store stalls while the buffer is full; a
 *     D-cache miss and an uncached load first wait for the buffer to drain
 *     (reads do not pass writes); uncached stores go through the buffer.
 */
#include <stdlib.h>
#include <string.h>
#include "machine.h"

static const struct cost_params presets[] = {
	{
		.name = "ideal", .clock_mhz = 25.0,
		.mult_cycles = 12, .div_cycles = 35, .exc_entry_cycles = 4,
		.uncached_read_cycles = 11, .uncached_write_cycles = 0,
		.caches = 0,
	},
	{
		.name = "dec5000", .clock_mhz = 25.0,
		.mult_cycles = 12, .div_cycles = 35, .exc_entry_cycles = 4,
		.uncached_read_cycles = 11, .uncached_write_cycles = 0,
		.caches = 1,
		.icache_bytes = 64 * 1024, .dcache_bytes = 128 * 1024, .line_bytes = 16,
		.imiss_cycles = 8, .dmiss_cycles = 8,
		.wb_depth = 4, .wb_retire_cycles = 5,
	},
};

/*
 * The plausible range of every dec5000 parameter the sources leave open, for the
 * sensitivity sweep (exobench sensitivity).  Each bound is argued here:
 *   imiss/dmiss_cycles 6..15: a 3MIN word read is 5 memory cycles of 80 ns (~10 CPU
 *     cycles at 25 MHz, NetBSD kmin.h from DEC's 3MIN specification); Chen & Bershad's
 *     DS5000/200 model has a 15-cycle miss; the low end is a fill that streams after
 *     the first word.
 *   wb_retire_cycles 3..10: a 3MIN word write is 3 memory cycles of 80 ns (~6 CPU
 *     cycles); the DS5000/200 retires page-mode writes in 1 and others in 5 (Chen &
 *     Bershad); 10 allows for refresh and DMA contention.
 *   wb_depth 4..6: four R2020 buffers on the DS3100 (DEC Technical Journal); the LSI
 *     LR3220 is six deep.
 *   uncached_read_cycles 8..25: the DS3100's device-buffer reads are ~12 cycles in all;
 *     a 12.5 MHz TURBOchannel round trip on the 5000/1xx may take twice as long.
 *   exc_entry_cycles 2..6: the 5-stage pipeline's annulled slots, not measured anywhere.
 *   dcache_bytes 64..128 KiB: MAME gives 128 KiB (low confidence), the DS3100 64 KiB.
 */
static const struct cost_range dec5000_ranges[] = {
	{"imiss_cycles", 6, 15}, {"dmiss_cycles", 6, 15}, {"wb_retire_cycles", 3, 10},
	{"wb_depth", 4, 6}, {"uncached_read_cycles", 8, 25}, {"exc_entry_cycles", 2, 6},
	{"dcache_bytes", 65536, 131072},
};

int machine_nranges(const char *preset)
{
	return preset && strcmp(preset, "dec5000") == 0 ?
		(int)(sizeof dec5000_ranges / sizeof dec5000_ranges[0]) : 0;
}

const struct cost_range *machine_range_at(const char *preset, int i)
{
	return i >= 0 && i < machine_nranges(preset) ? &dec5000_ranges[i] : NULL;
}

int machine_npresets(void)
{
	return (int)(sizeof presets / sizeof presets[0]);
}

const struct cost_params *machine_preset_at(int i)
{
	return i >= 0 && i < machine_npresets() ? &presets[i] : NULL;
}

const struct cost_params *cost_preset(const char *name)
{
	for (int i = 0; i < machine_npresets(); i++)
		if (strcmp(presets[i].name, name) == 0)
			return &presets[i];
	return NULL;
}

static uint32_t log2u(uint32_t x)
{
	uint32_t n = 0;
	while ((1u << n) < x)
		n++;
	return n;
}

int cost_setup(struct machine *m)
{
	if (!m->cost.caches)
		return 0;
	uint32_t ilines = m->cost.icache_bytes / m->cost.line_bytes;
	uint32_t dlines = m->cost.dcache_bytes / m->cost.line_bytes;
	m->itags = calloc(ilines, sizeof *m->itags);
	m->dtags = calloc(dlines, sizeof *m->dtags);
	if (!m->itags || !m->dtags)
		return -1;
	m->imask = ilines - 1;
	m->dmask = dlines - 1;
	m->line_shift = log2u(m->cost.line_bytes);
	return 0;
}

void cost_reset(struct machine *m)
{
	if (m->itags)
		memset(m->itags, 0, (size_t)(m->imask + 1) * sizeof *m->itags);
	if (m->dtags)
		memset(m->dtags, 0, (size_t)(m->dmask + 1) * sizeof *m->dtags);
	m->wb_count = 0;
	m->wb_head = 0;
	m->hilo_ready = 0;
}

/* An I-cache miss on `line` (tag is its slot): refill it. */
uint32_t cost_imiss(struct machine *m, uint32_t *tag, uint32_t line)
{
	*tag = line + 1;
	m->c.icache_misses++;
	return m->cost.imiss_cycles;
}

/* A D-cache load miss: wait for the write buffer to drain, then refill the line. */
uint32_t cost_dmiss(struct machine *m, uint32_t *tag, uint32_t line, uint64_t now)
{
	*tag = line + 1;
	m->c.dcache_misses++;
	uint32_t wait = wb_drain(m, now);
	m->c.wb_stall_cycles += wait;
	return wait + m->cost.dmiss_cycles;
}

uint32_t cost_dstore(struct machine *m, uint32_t pa, int size, uint64_t now)
{
	(void)pa;
	(void)size;
	if (!m->cost.caches)
		return 0;
	return wb_push(m, now);
}

uint32_t cost_uncached(struct machine *m, int is_store, uint64_t now)
{
	m->c.uncached_accesses++;
	if (is_store)
		return m->cost.caches ? wb_push(m, now) : m->cost.uncached_write_cycles;
	uint32_t wait = m->cost.caches ? wb_drain(m, now) : 0;
	m->c.wb_stall_cycles += wait;
	return wait + m->cost.uncached_read_cycles;
}
