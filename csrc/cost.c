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
 *     same), each write retiring 6 cycles after the previous: the 3MIN's word
 *     write is 3 memory cycles of 80 ns = 240 ns (NetBSD kmin.h, from DEC's
 *     "3MIN System Module Functional Specification"); a store stalls while the
 *     buffer is full;
 *   - page mode: none at the nominal point (wb_page_bytes 0).  The
 *     specification times the processor's writes only as single words, 3
 *     memory cycles each; its bursts (64 words in 66 cycles, ~1 memory cycle =
 *     2 CPU cycles a word) are DMA's.  Range: off (nominal) .. on for 4 KiB
 *     pages at that burst rate (wb_page_retire_cycles 2), a controller that
 *     keeps the DRAM row open for the CPU's writes too;
 *   - a D-cache miss and an uncached load first wait for the buffer to drain
 *     (reads do not pass writes: NetBSD's kn02ba_wbflush drains the buffer by
 *     reading the IOASIC mask register); uncached stores go through the buffer.
 *
 * The 5000/200 (dec5000_200) adds what Chen & Bershad's Table 2-1 describes:
 * separate D-cache lines (dline_bytes) with a larger read fetch (dfill_bytes),
 * write allocate of a store that covers a whole line, page-mode writes
 * (wb_page_bytes, wb_page_retire_cycles) and reads that pass queued writes
 * (wb_read_priority).  A field left 0 keeps the simpler model above.
 */
#include <stdlib.h>
#include <string.h>
#include "machine.h"

/* What every preset shares: the CPU's multiply/divide unit, exception entry and uncached
 * access (the sources and assumptions above). */
#define R3000_CORE .mult_cycles = 12, .div_cycles = 35, .exc_entry_cycles = 4, \
		   .uncached_read_cycles = 11, .uncached_write_cycles = 0
/* The DS3100/DS2100 board (KN01): caches, write buffers (sources at dec3100 below). */
#define KN01_MEMORY .caches = 1, .icache_bytes = 64 * 1024, .dcache_bytes = 64 * 1024, .line_bytes = 4, \
		    .imiss_cycles = 5, .dmiss_cycles = 5, .wb_depth = 4, .wb_retire_cycles = 6

static const struct cost_params presets[] = {
	{
		.name = "ideal", .clock_mhz = 25.0,
		R3000_CORE,
		.caches = 0,
	},
	{
		.name = "dec5000", .clock_mhz = 25.0,
		R3000_CORE,
		.caches = 1,
		.icache_bytes = 64 * 1024, .dcache_bytes = 128 * 1024, .line_bytes = 16,
		.imiss_cycles = 8, .dmiss_cycles = 8,
		.wb_depth = 4, .wb_retire_cycles = 6,
		.wb_page_retire_cycles = 2,     /* used only if wb_page_bytes is set: see above */
	},
	/*
	 * dec3100: DECstation 3100, R2000 at 16.67 MHz (the paper's "DEC3100" column).
	 * DEC Technical Journal: each cache 64 KiB with a 4-byte line, four R2020 write
	 * buffers; Bershad, Draves & Forin's Mach benchmarking notes: a cache miss is
	 * resolved in 5 cycles and the machine completes one store every 6 cycles into a
	 * four-entry write buffer.  uncached_read_cycles 11: ~12 cycles in all for the
	 * DS3100's device-buffer reads (BSD locore comments, as for dec5000).
	 * MODELLING ASSUMPTIONS: (a) the buffer coalesces repeated writes to one address;
	 * the model does not (every store takes a slot), so it may overstate write stalls:
	 * wb_retire_cycles range 3..6 (3 = half the stores coalesced); (b) with 4-byte
	 * lines a store of a whole word would refill the line on the real cache (write-
	 * through with word allocate); the model never allocates on a store, which can
	 * only add read misses after stores.
	 */
	{
		.name = "dec3100", .clock_mhz = 16.67,
		R3000_CORE,
		KN01_MEMORY,
	},
	/*
	 * dec2100: DECstation 2100, the DS3100's design (same KN01 board, R2000, caches,
	 * R2020 buffers) at 12.5 MHz (the paper's "DEC2100" column).  DECISION: the memory
	 * system is taken to be clocked with the CPU -- the R2000's caches and the R2020
	 * write buffers are synchronous to the CPU clock and the board is the same, only
	 * the oscillator differs -- so every cost in cycles equals dec3100's and the
	 * machine is slower by the clock ratio alone.  No source gives the 2100's memory
	 * timing.  The alternative, DRAM with a fixed access time in ns, would take fewer
	 * CPU cycles at 12.5 MHz: 5 x 12.5/16.67 = 3.75 -> 4 for a miss, 6 x 0.75 = 4.5 -> 5
	 * for a write, 12 x 0.75 = 9 -> uncached_read_cycles 8; the ranges cover both.
	 */
	{
		.name = "dec2100", .clock_mhz = 12.5,
		R3000_CORE,
		KN01_MEMORY,
	},
	/*
	 * dec5000_200: the DECstation 5000/200 as Chen & Bershad simulated it (SOSP'93,
	 * Table 2-1): 25 MHz R3000; 64 KiB direct-mapped physical I-cache, 16-byte lines,
	 * 15-cycle miss; 64 KiB D-cache, 4-byte lines, write allocate, 15-cycle read miss
	 * that fetches 16 aligned bytes; a six-entry write buffer whose page-mode writes
	 * (same 4 KiB page as the last) complete in 1 cycle and others in 5.  Used by the
	 * calibration experiment; not a machine of the paper's tables.  All of it is modelled:
	 *   - line_bytes 16 is the I-cache's; the D-cache has dline_bytes 4 and a read miss
	 *     fills the four lines of its aligned 16 bytes (dfill_bytes 16) for one penalty;
	 *   - write_allocate: a word store makes its 4-byte line valid (the word is all the
	 *     line holds); a partial-word store (sb, sh, swl, swr) leaves the tags as they
	 *     are.  MODELLING ASSUMPTION: the R3000 may instead invalidate the line on a
	 *     partial-word store that misses; the model then overstates D-cache hits a little;
	 *   - the buffer retires a write to the 4 KiB page of the write queued before it in
	 *     1 cycle, any other in 5 (an uncached store is never page-mode).  MODELLING
	 *     ASSUMPTION: a read between the two writes is taken to leave the page open;
	 *   - wb_read_priority: a D-cache fill or uncached read waits only for the write
	 *     under way, and the writes queued behind it wait for the read (Table 2-1: "reads
	 *     have priority but wait for a write already started").  Linux's DECstation code
	 *     agrees: it flushes the 5000/200's buffer with a bc0f loop, not a read;
	 *   - uncached_read_cycles 11 as dec5000: its 25 MHz TURBOchannel is not timed in
	 *     any source found: range 6..25.
	 */
	{
		.name = "dec5000_200", .clock_mhz = 25.0,
		R3000_CORE,
		.caches = 1,
		.icache_bytes = 64 * 1024, .dcache_bytes = 64 * 1024, .line_bytes = 16,
		.dline_bytes = 4, .dfill_bytes = 16, .write_allocate = 1,
		.imiss_cycles = 15, .dmiss_cycles = 15,
		.wb_depth = 6, .wb_retire_cycles = 5,
		.wb_page_bytes = 4096, .wb_page_retire_cycles = 1, .wb_read_priority = 1,
	},
};

/*
 * The plausible range of every dec5000 parameter the sources leave open, for the
 * sensitivity sweep (exobench sensitivity).  Each bound is argued here:
 *   imiss/dmiss_cycles 6..15: a 3MIN word read is 5 memory cycles of 80 ns (~10 CPU
 *     cycles at 25 MHz, NetBSD kmin.h from DEC's 3MIN specification); Chen & Bershad's
 *     DS5000/200 model has a 15-cycle miss; the low end is a fill that streams after
 *     the first word.
 *   wb_retire_cycles 3..10: a 3MIN word write is 3 memory cycles of 80 ns (6 CPU
 *     cycles, the nominal); the DS5000/200 retires non-page-mode writes in 5 (Chen &
 *     Bershad), a faster buffer interface could overlap more; 10 allows for refresh and
 *     DMA contention.
 *   wb_page_bytes 0..4096: no page mode (nominal) .. page mode for 4 KiB pages at one
 *     80 ns memory cycle a word (wb_page_retire_cycles 2, the 3MIN's DMA burst rate).
 *   wb_depth 4..6: four R2020 buffers on the DS3100 (DEC Technical Journal); the LSI
 *     LR3220 is six deep.
 *   uncached_read_cycles 8..25: the DS3100's device-buffer reads are ~12 cycles in all,
 *     and a 3MIN memory word read is 5 cycles of 80 ns (10 CPU cycles); the IOASIC sits on
 *     the 12.5 MHz TURBOchannel (80 ns cycles too), whose read round trip is timed in no
 *     source found: it may take twice as long.
 *   exc_entry_cycles 2..6: the 5-stage pipeline's annulled slots, not measured anywhere.
 *   dcache_bytes 64..128 KiB: MAME gives 128 KiB (low confidence), the DS3100 64 KiB.
 */
static const struct cost_range dec5000_ranges[] = {
	{"imiss_cycles", 6, 15}, {"dmiss_cycles", 6, 15}, {"wb_retire_cycles", 3, 10},
	{"wb_page_bytes", 0, 4096}, {"wb_depth", 4, 6}, {"uncached_read_cycles", 8, 25}, {"exc_entry_cycles", 2, 6},
	{"dcache_bytes", 65536, 131072},
};

/*
 * dec3100 (sourced: 64 KiB caches, 4-byte lines, 5-cycle miss, 4-deep buffer, a store
 * every 6 cycles; the open ones argued here):
 *   imiss/dmiss_cycles 5..6: the notes' 5 cycles, +1 for DRAM refresh or DMA contention.
 *   wb_retire_cycles 3..6: the model does not coalesce same-address writes (see above).
 *   uncached_read_cycles 8..16: ~12 cycles in all for a device-buffer read.
 *   exc_entry_cycles 2..6: as dec5000.
 */
static const struct cost_range dec3100_ranges[] = {
	{"imiss_cycles", 5, 6}, {"dmiss_cycles", 5, 6}, {"wb_retire_cycles", 3, 6},
	{"uncached_read_cycles", 8, 16}, {"exc_entry_cycles", 2, 6},
};

/*
 * dec2100: as dec3100, widened downwards for memory with a fixed access time in ns
 * (miss 4, write 5 of 12.5 MHz cycles; an uncached read of ~9 cycles in all is within
 * dec3100's 8..16; see the preset).
 */
static const struct cost_range dec2100_ranges[] = {
	{"imiss_cycles", 4, 6}, {"dmiss_cycles", 4, 6}, {"wb_retire_cycles", 3, 6},
	{"uncached_read_cycles", 8, 16}, {"exc_entry_cycles", 2, 6},
};

/*
 * dec5000_200 (Chen & Bershad's Table 2-1 fixes sizes, lines, the 15-cycle miss, the
 * write times 1 and 5 and read priority):
 *   imiss/dmiss_cycles 12..15: 15 is the simulated figure; a D-cache read miss that
 *     waits for no write and streams the critical word first may take less.
 *   uncached_read_cycles 6..25: a 25 MHz TURBOchannel round trip, timed nowhere: from
 *     about half the DS3100's ~12-cycle device read to twice it.
 *   exc_entry_cycles 2..6: as dec5000.
 */
static const struct cost_range dec5000_200_ranges[] = {
	{"imiss_cycles", 12, 15}, {"dmiss_cycles", 12, 15},
	{"uncached_read_cycles", 6, 25}, {"exc_entry_cycles", 2, 6},
};

#define RANGES(name, table) {name, table, (int)(sizeof table / sizeof table[0])}
static const struct {
	const char *preset;
	const struct cost_range *ranges;
	int n;
} range_tables[] = {
	RANGES("dec5000", dec5000_ranges), RANGES("dec3100", dec3100_ranges),
	RANGES("dec2100", dec2100_ranges), RANGES("dec5000_200", dec5000_200_ranges),
};

int machine_nranges(const char *preset)
{
	for (size_t i = 0; preset && i < sizeof range_tables / sizeof range_tables[0]; i++)
		if (strcmp(preset, range_tables[i].preset) == 0)
			return range_tables[i].n;
	return 0;
}

const struct cost_range *machine_range_at(const char *preset, int i)
{
	for (size_t t = 0; preset && t < sizeof range_tables / sizeof range_tables[0]; t++)
		if (strcmp(preset, range_tables[t].preset) == 0)
			return i >= 0 && i < range_tables[t].n ? &range_tables[t].ranges[i] : NULL;
	return NULL;
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
	uint32_t dline = m->cost.dline_bytes ? m->cost.dline_bytes : m->cost.line_bytes;
	uint32_t dfill = m->cost.dfill_bytes ? m->cost.dfill_bytes : dline;
	uint32_t ilines = m->cost.icache_bytes / m->cost.line_bytes;
	uint32_t dlines = m->cost.dcache_bytes / dline;
	m->itags = calloc(ilines, sizeof *m->itags);
	m->dtags = calloc(dlines, sizeof *m->dtags);
	if (!m->itags || !m->dtags)
		return -1;
	m->imask = ilines - 1;
	m->dmask = dlines - 1;
	m->line_shift = log2u(m->cost.line_bytes);
	m->dline_shift = log2u(dline);
	m->dfill_lines = dfill / dline;
	m->wb_page_shift = m->cost.wb_page_bytes ? log2u(m->cost.wb_page_bytes) : 0;
	return 0;
}

void cost_reset(struct machine *m)
{
	if (m->itags)
		memset(m->itags, 0, (size_t)(m->imask + 1) * sizeof *m->itags);
	if (m->dtags)
		memset(m->dtags, 0, (size_t)(m->dmask + 1) * sizeof *m->dtags);
	m->wb_writes = 0;
	memset(m->wb_done, 0, sizeof m->wb_done);
	m->wb_last_page = 0;
	m->hilo_ready = 0;
}

/* An I-cache miss on `line` (tag is its slot): refill it. */
uint32_t cost_imiss(struct machine *m, uint32_t *tag, uint32_t line)
{
	*tag = line + 1;
	m->c.icache_misses++;
	return m->cost.imiss_cycles;
}

/*
 * A read from memory at cycle `now` that occupies the memory for `busy` cycles (a D-cache
 * fill, an uncached read): returns the cycles it waits for the write buffer.  Without
 * wb_read_priority it waits until every queued write is done (reads do not pass writes).
 * With it (the 5000/200: reads have priority but wait for a write already started) it
 * waits only for the oldest pending write, which is the one under way, and the writes
 * queued behind that one wait for the read: each completes `busy` cycles later.
 */
static uint32_t wb_read(struct machine *m, uint64_t now, uint32_t busy)
{
	if (!m->cost.wb_read_priority)
		return wb_drain(m, now);
	/* the oldest pending write: the first done after now, of the last wb_depth */
	uint32_t i = m->cost.wb_depth;
	while (i > 0 && WB_BACK(m, i) <= now)
		i--;
	if (i == 0)
		return 0;
	uint32_t wait = (uint32_t)(WB_BACK(m, i) - now);
	while (--i > 0)
		WB_BACK(m, i) += busy;
	return wait;
}

/*
 * A D-cache load miss on `line` (tag is its slot): wait for the write buffer (wb_read),
 * then fetch dfill_lines aligned lines, this one among them (the 5000/200 fetches 16 bytes
 * into 4-byte lines), for one miss penalty.
 */
uint32_t cost_dmiss(struct machine *m, uint32_t *tag, uint32_t line, uint64_t now)
{
	*tag = line + 1;
	uint32_t first = line & ~(m->dfill_lines - 1);
	for (uint32_t i = 0; i < m->dfill_lines; i++)
		m->dtags[(first + i) & m->dmask] = first + i + 1;
	m->c.dcache_misses++;
	uint32_t wait = wb_read(m, now, m->cost.dmiss_cycles);
	m->c.wb_stall_cycles += wait;
	return wait + m->cost.dmiss_cycles;
}

/*
 * An uncached access (kseg1, an N page, the board) at cycle `now`; returns its cost.  With
 * the cache model a store goes through the write buffer, never in page mode (the board is
 * not DRAM; an uncached RAM store is rare enough to be charged the same), and a load waits
 * for the buffer as a D-cache fill does (wb_read) and then takes uncached_read_cycles.
 */
uint32_t cost_uncached(struct machine *m, int is_store, uint64_t now)
{
	m->c.uncached_accesses++;
	if (is_store) {
		if (!m->cost.caches)
			return m->cost.uncached_write_cycles;
		m->wb_last_page = 0;    /* not DRAM: the next write is not in page mode */
		return wb_push(m, m->cost.wb_retire_cycles, now);
	}
	uint32_t wait = m->cost.caches ? wb_read(m, now, m->cost.uncached_read_cycles) : 0;
	m->c.wb_stall_cycles += wait;
	return wait + m->cost.uncached_read_cycles;
}
