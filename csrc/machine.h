/*
 * machine.h - the emulated DECstation's internal state, shared by the
 * emulator's C files.  The public interface is machine_api.h.
 */
#ifndef EXOBENCH_MACHINE_H
#define EXOBENCH_MACHINE_H

#include "machine_api.h"
#include "r3000.h"
#include "board.h"
#include "nic.h"

#define WB_MAX_DEPTH 16      /* the deepest write buffer a cost model may have */

/* The entropy register's seed unless the host sets one: runs repeat exactly by default. */
#define BOARD_ENTROPY_SEED  0x6578626f65786f73ull

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/*
 * Host translation maps (softmmu).  A direct-mapped cache of recent
 * translations, indexed by the low bits of the virtual page number, one for
 * loads/fetches and one for stores.  The tag holds the virtual page plus the
 * context bits (ASID at 11:6, KUc at bit 2); the alignment bits 1:0 of a
 * lookup key are the low address bits masked by the access size, so a
 * misaligned access, another ASID or the other privilege mode simply misses
 * and takes the slow path.  Only cacheable RAM pages are entered; devices,
 * uncached pages and faults always take the slow path.
 */
#define HMAP_BITS   8
#define HMAP_SIZE   (1u << HMAP_BITS)
/* The slot of a page: the top bits of the VPN times a Fibonacci constant (Knuth, TAOCP
 * vol. 3, 6.4), so every VPN bit moves the slot.  Folding only the address's top byte
 * onto the low VPN bits kept kseg0 and kuseg apart but let kuseg pages 4 MB apart share
 * a slot (0x00003000, 0x00403000: a user's data and text page, evicting each other at
 * every TLB refill); consecutive pages still get distinct slots, spread by about 0.62
 * of the map.  One shift and one multiply: an instruction fewer than the fold. */
#define HMAP_INDEX(va) hmap_index(va)
static inline unsigned hmap_index(uint32_t va)
{
	return ((va >> PAGE_SHIFT) * 0x9e3779b1u) >> (32 - HMAP_BITS);
}
#define HMAP_NONE   0x8u    /* no key has bits 5:3 set, so nothing matches this tag */
#define HMAP_CTX_USER 0x4u  /* a key's KUc bit: the access is made in user mode */
#define FTAG_NONE   0x4u    /* (pc & 0xfffff003) never has bit 2 set */

struct hmap_entry {
	uint32_t tag;
	uint32_t pdelta;        /* physical = virtual + pdelta */
	uintptr_t host;         /* host pointer = host + virtual */
	struct dinsn *dec;      /* the physical page's predecoded code (decode.c), or NULL.
	                         * The store map never holds a page with predecoded code: a
	                         * store there takes the slow path, whose decode_store
	                         * invalidates the word, so a store that hits tests nothing */
};

/*
 * Predecoded instructions (decode.c), for the fast engine (fast_loop.h).
 *
 * Each physical RAM page that instructions are fetched from gets an array of
 * 1024 of these and a sentinel (DECODE_PAGE_SLOTS), allocated on the first fetch
 * and never freed before the machine is.  A slot starts as OP_DECODE and is decoded on its first
 * execution; any store to the word (by the slow path, as the store map holds no such
 * page, or by machine_phys_write) sets it back to OP_DECODE (its h to the loop's decode
 * handler: decode_slot_reset), so run-time-written code
 * (DPF's filters) runs as written whatever alias the store used.
 *
 * Operand fields are register numbers, extracted once.  A destination of $zero
 * is decoded as R_SINK, a 33rd register nobody reads, so handlers never have to
 * re-zero $zero; sources keep 0, which always reads as 0.
 */
#define R_SINK 32
/* A page's array: its 1024 words, then a sentinel slot that is never decoded (always
 * OP_DECODE): the fast loop runs into it when pc leaves the page, and fetches. */
#define DECODE_PAGE_SLOTS (PAGE_SIZE / 4 + 1)
struct dinsn {
	const void *h;          /* the running fast loop's handler for op (direct threading: the
	                         * dispatch jumps here with no table lookup); for a slot to
	                         * (re)decode, machine.decode_label - each instance of the loop
	                         * has its own labels, so a slot is only ever that of one */
	uint8_t op;             /* enum fast_op; meaningful once decoded */
	uint8_t d;              /* destination register (R_SINK for $zero) */
	uint8_t s;              /* first source (rs) */
	uint8_t t;              /* second source (rt) */
	uint32_t imm;           /* immediate, extended as the op uses it; shift amount; branch
	                         * offset + 4 (bytes); jump target bits; or the raw word (OP_SLOW) */
};

/* The fast engine's operations: an X-macro, so the enum and the loop's label table agree. */
#define FAST_OPS(X) \
	X(DECODE) X(NOP) X(SLOW) \
	X(SLL) X(SRL) X(SRA) X(SLLV) X(SRLV) X(SRAV) X(JR) X(JALR) X(SYSCALL) X(BREAK) \
	X(MFHI) X(MTHI) X(MFLO) X(MTLO) X(MULT) X(MULTU) X(DIV) X(DIVU) \
	X(ADD) X(ADDU) X(SUB) X(SUBU) X(AND) X(OR) X(XOR) X(NOR) X(SLT) X(SLTU) X(MOVE) \
	X(BLTZ) X(BGEZ) X(BLTZAL) X(BGEZAL) X(J) X(JAL) X(BEQ) X(BNE) X(BLEZ) X(BGTZ) X(B) \
	X(ADDI) X(ADDIU) X(SLTI) X(SLTIU) X(ANDI) X(ORI) X(XORI) X(LUI) X(LI) \
	X(LB) X(LH) X(LWL) X(LW) X(LBU) X(LHU) X(LWR) X(SB) X(SH) X(SWL) X(SW) X(SWR) \
	X(MFC0) X(MTC0) X(RFE)
#define FAST_OP_ENUM(n) OP_##n,
enum fast_op { FAST_OPS(FAST_OP_ENUM) OP_COUNT };
#undef FAST_OP_ENUM

struct board {
	char *console;
	uint32_t console_len, console_cap;
	struct marker *markers;
	uint32_t nmarkers, markers_cap;
	struct result *results;
	uint32_t nresults, results_cap;
	char pending_name[32];
	uint32_t pending_len;
	uint32_t cycles_hi_latch, insns_hi_latch;
	uint32_t timer_period;
	uint64_t timer_next;    /* cycle of the next timer interrupt, or UINT64_MAX */
	uint32_t timer_count;
	uint32_t hw_lines;      /* hardware interrupt lines Int5..0 as bits 5..0 */
	uint32_t owner_asid_addr;       /* BOARD_OWNER_ASID_ADDR: 0, or where the owner's EntryHi is */
	uint64_t foreign_writes;        /* user-mode marker/result writes refused: not the owner */
	struct foreign_write first_foreign;
	uint64_t entropy_seed, entropy_state;   /* splitmix64 */
	uint32_t ioasic_imsk;   /* BOARD_IOASIC_IMSK: stored only, gates nothing */
};

struct profile_slot {
	uint32_t pc, asid;
	uint64_t count, cycles;
	int used;
};

#define TLB_BUCKETS 64
#define TLB_BUCKET(vpn) (((vpn) >> PAGE_SHIFT) & (TLB_BUCKETS - 1))

struct machine {
	uint32_t r[33];         /* r[R_SINK] takes the fast engine's writes to $zero */
	uint32_t hi, lo;
	uint32_t pc;            /* next instruction to execute */
	uint32_t npc;           /* the one after it (a branch target once a branch has run) */
	int delay;              /* the instruction at pc sits in a branch delay slot */
	uint32_t cp0[16];
	struct tlb_entry tlb[TLB_NENTRIES];
	/* TLB lookup index: bit i of tlb_bucket[TLB_BUCKET(vpn)] is set iff tlb[i]'s VPN hashes
	 * there, so a lookup scans only the few entries that can match, still in ascending
	 * index order (duplicate matches: the lowest index wins, as the full scan did).
	 * Kept exact by tlb_set(), the only writer of tlb[] after machine_reset(). */
	uint64_t tlb_bucket[TLB_BUCKETS];

	uint32_t ctx;           /* host-map context bits: (EntryHi & ASID) | KUc << 2 */
	int user;               /* KUc as last accounted */
	uint64_t hilo_ready;    /* cycle at which the multiply/divide unit is free */
	uint64_t next_event;    /* run() looks at timers, interrupts and limits at this cycle */
	uint64_t limit_insns;
	uint64_t limit_cycles;  /* machine_run_until(): stop at the first boundary at or after it */
	/* Faulting instructions retire nothing, so a guest whose every instruction faults
	 * (a vector whose first instruction faults again) would never reach limit_insns:
	 * run() also stops with STOP_LIMIT after max_insns faulting instructions. */
	uint64_t run_faults, limit_faults;
	uint64_t random_base;   /* cycle at which Random was 63 */

	/* the instruction-fetch page, kept across calls into the slow paths */
	uint32_t ftag;
	uintptr_t fhost;
	uint32_t fpdelta;
	int fetching_vector;    /* the next fetch is an exception vector: a fault there is a double fault */

	struct counters c;
	struct counters snap;   /* what machine_counters() returns */
	uint64_t mode_insns0, mode_cycles0;

	struct hmap_entry rmap[HMAP_SIZE];
	struct hmap_entry wmap[HMAP_SIZE];

	uint8_t *ram;
	uint32_t ram_size;

	struct cost_params cost;
	uint32_t *itags, *dtags;
	uint32_t imask, dmask, line_shift;     /* line_shift: the I-cache's line */
	uint32_t dline_shift;   /* the D-cache's line (cost.dline_bytes, or line_bytes) */
	uint32_t dfill_lines;   /* D-cache lines a read miss fills, a power of two (cost.dfill_bytes) */
	uint32_t wb_page_shift; /* log2 cost.wb_page_bytes */
	/* The write buffer as the completion cycles of the last WB_MAX_DEPTH writes queued,
	 * write number w in wb_done[w % WB_MAX_DEPTH], wb_writes of them so far.  Completions
	 * are nondecreasing, so the writes pending at a cycle are the newest ones done after it
	 * and the buffer is full when the write wb_depth back is still pending: no head or
	 * count to keep.  Entries from before cost_reset are 0. */
	uint64_t wb_done[WB_MAX_DEPTH];
	uint32_t wb_writes;
	uint32_t wb_last_page;  /* wb_retire()'s DRAM page of the write queued last, + 1; 0: none */

	struct board board;
	struct nic nic;          /* the LANCE (nic.c) */

	struct stop_info stop;
	int stopping;
	uint32_t trap_mask;

	int hazard_check;
	int hz_prev_dst;        /* register written by the previous load or mfc0, 0 if none */
	int hz_prev_lwlr;       /* ... and that load was lwl/lwr (which may pair) */
	uint32_t hz_prev_insn;
	uint64_t hz_total;
	struct hazard hazards[64];
	uint32_t nhazards;

	/* the fast engine's predecoded pages, indexed by physical page number */
	int engine;             /* ENGINE_FAST or ENGINE_REFERENCE (machine_set_engine) */
	struct dinsn **dpages;
	uint32_t ndpages;       /* pages allocated so far */
	const void *decode_label;       /* the h of a slot to decode: the op_DECODE label of the
	                                 * fast loop instance that last ran (NULL before any) */

	int profile;
	struct profile_slot *prof;
	uint32_t prof_cap, prof_used;
	uint32_t prof_last_pc, prof_last_asid;
	uint64_t prof_last_cycles;
	int prof_have_last;
};

/* mmu.c */
enum access { ACC_LOAD = 0, ACC_STORE = 1, ACC_FETCH = 2 };
#define MMU_SWL (-1)    /* mmu_store sizes for the unaligned-store halves */
#define MMU_SWR (-2)
#define MMU_LWLR (-3)   /* mmu_load: the aligned word holding va; faults reported at va */
void mmu_flush_vpn(struct machine *m, uint32_t vpn);
void mmu_flush_all(struct machine *m);
void mmu_context_changed(struct machine *m);
int mmu_load(struct machine *m, uint32_t va, int size, uint32_t cur, int bd, uint32_t *val);
int mmu_store(struct machine *m, uint32_t va, int size, uint32_t val, uint32_t cur, int bd);
int mmu_fetch(struct machine *m, uint32_t pc, int bd, uint32_t *insn);
void tlb_read(struct machine *m);
void tlb_write(struct machine *m, int index);
void tlb_set(struct machine *m, int index, uint32_t hi, uint32_t lo);
void tlb_reindex(struct machine *m);
void tlb_probe(struct machine *m);
uint32_t cp0_random(struct machine *m);

/* exception.c */
void cpu_exception(struct machine *m, int code, uint32_t cur, int bd, int ce);
void cpu_address_fault(struct machine *m, int code, uint32_t cur, int bd, uint32_t va, int refill);
void cpu_rfe(struct machine *m);
void cpu_mtc0(struct machine *m, int reg, uint32_t v);
uint32_t cpu_mfc0(struct machine *m, int reg);
/* The CP0 registers mfc0 reads as stored (the others: Random is computed, the missing
 * registers read 0); cpu_mfc0's switch, as a mask for the fast engine. */
#define MFC0_READABLE ((1u << C0_INDEX) | (1u << C0_ENTRYLO) | (1u << C0_CONTEXT) | \
		       (1u << C0_BADVADDR) | (1u << C0_ENTRYHI) | (1u << C0_STATUS) | \
		       (1u << C0_CAUSE) | (1u << C0_EPC) | (1u << C0_PRID))
/* The CP0 registers whose mtc0 does more than store into cp0[] (cpu_mtc0). */
#define MTC0_SIDE_EFFECTS ((1u << C0_ENTRYHI) | (1u << C0_STATUS) | (1u << C0_CAUSE))
/* An instruction of a coprocessor that is not modelled (COP1-3, LWCz/SWCz for z 0-3;
 * z is the opcode's low two bits): z + 1 if coprocessor z is unusable now (raise CpU
 * with CE z), else 0 (raise RI).  CP0 is usable in kernel mode or with CU0, as mfc0's. */
static inline int cop_unusable(const struct machine *m, uint32_t insn)
{
	int z = (int)(insn >> 26) & 3;
	uint32_t sr = m->cp0[C0_STATUS];
	int usable = z == 0 ? (sr & (SR_KUC | SR_CU0)) != SR_KUC : (sr & (SR_CU0 << z)) != 0;
	return usable ? 0 : z + 1;
}
void cpu_mode_update(struct machine *m);
void cpu_schedule(struct machine *m);
int cpu_events(struct machine *m);
void cpu_set_line(struct machine *m, int line, int level);
void cpu_stop(struct machine *m, int reason, uint32_t code);

/* machine.c */
void machine_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* board.c */
uint32_t board_read(struct machine *m, uint32_t off);
void board_write(struct machine *m, uint32_t off, uint32_t val, uint32_t pc);
void board_reset(struct machine *m);
void board_free(struct machine *m);
void counters_snapshot(struct machine *m, struct counters *out);

/* cost.c */
const struct cost_params *cost_preset(const char *name);
int cost_setup(struct machine *m);
void cost_reset(struct machine *m);
uint32_t cost_imiss(struct machine *m, uint32_t *tag, uint32_t line);
uint32_t cost_dmiss(struct machine *m, uint32_t *tag, uint32_t line, uint64_t now);
uint32_t cost_uncached(struct machine *m, int is_store, uint64_t now);

/* The caches' hit paths, inlined into the interpreter; misses are handled in cost.c. */
static inline uint32_t cost_icache(struct machine *m, uint32_t pa)
{
	if (!m->cost.caches)
		return 0;
	uint32_t line = pa >> m->line_shift;
	uint32_t *tag = &m->itags[line & m->imask];
	return likely(*tag == line + 1) ? 0 : cost_imiss(m, tag, line);
}

static inline uint32_t cost_dload(struct machine *m, uint32_t pa, uint64_t now)
{
	if (!m->cost.caches)
		return 0;
	uint32_t line = pa >> m->dline_shift;
	uint32_t *tag = &m->dtags[line & m->dmask];
	return likely(*tag == line + 1) ? 0 : cost_dmiss(m, tag, line, now);
}

/* decode.c */
void decode_insn(struct dinsn *d, uint32_t insn);
struct dinsn *decode_page(struct machine *m, uint32_t pa);
void decode_flush_all(struct machine *m);
void decode_invalidate(struct machine *m, uint32_t pa, uint32_t len);
void decode_free(struct machine *m);

/* Mark a predecoded slot stale: its next execution decodes the word again. */
static inline void decode_slot_reset(const struct machine *m, struct dinsn *slot)
{
	slot->op = OP_DECODE;
	slot->h = m->decode_label;
}

/* A store to physical pa (RAM) by any path: the predecoded word there is stale. */
static inline void decode_store(struct machine *m, uint32_t pa)
{
	struct dinsn *p = m->dpages[pa >> PAGE_SHIFT];
	if (unlikely(p != NULL))
		decode_slot_reset(m, &p[(pa >> 2) & (PAGE_SIZE / 4 - 1)]);
}

/* The write buffer (cost.c), inline: the fast engine queues every cached store here.
 * WB_BACK(m, i): the completion cycle of the write queued i writes before the next one. */
#define WB_BACK(m, i) ((m)->wb_done[((m)->wb_writes - (i)) & (WB_MAX_DEPTH - 1)])

/* Cycles until the write buffer is empty, as seen at cycle `now` (the newest write done). */
static inline uint32_t wb_drain(const struct machine *m, uint64_t now)
{
	uint64_t newest = WB_BACK(m, 1);
	return newest > now ? (uint32_t)(newest - now) : 0;
}

/* The cycles a cached store to physical pa takes to retire: wb_page_retire_cycles if it
 * is to the DRAM page of the write queued before it (page mode, when wb_page_bytes is
 * set), else wb_retire_cycles.  wb_last_page is that page's number + 1; 0 after a write
 * that is never page-mode (uncached) or with no page mode at all. */
static inline uint32_t wb_retire(struct machine *m, uint32_t pa)
{
	if (m->wb_page_shift == 0)      /* no page mode: wb_page_bytes is 0 */
		return m->cost.wb_retire_cycles;
	uint32_t page = (pa >> m->wb_page_shift) + 1, same = page == m->wb_last_page;
	m->wb_last_page = page;
	return same ? m->cost.wb_page_retire_cycles : m->cost.wb_retire_cycles;
}

/* Queue one write that takes `retire` cycles (wb_retire(), or wb_retire_cycles) at cycle
 * `now`; returns the cycles the store stalls.  If the write wb_depth back is still
 * pending at `now`, the buffer is full and the store waits for that one, the oldest.
 * The write starts when the newest queued one is done, or at `now` if that is later; a
 * stall waits only for the oldest, so never past the newest.  The callers charge every
 * cycle returned here or by wb_drain/wb_read before they queue again, so `now` never
 * goes back. */
static inline uint32_t wb_push(struct machine *m, uint32_t retire, uint64_t now)
{
	uint64_t newest = WB_BACK(m, 1), oldest = WB_BACK(m, m->cost.wb_depth);
	uint32_t stall = 0;
	if (oldest > now) {
		stall = (uint32_t)(oldest - now);
		m->c.wb_stalls++;
		m->c.wb_stall_cycles += stall;
	}
	WB_BACK(m, 0) = (newest > now ? newest : now) + retire;
	m->wb_writes++;
	return stall;
}

/* swl/swr (little-endian): the enclosing word w with register value v merged in, for an
 * address whose low two bits are b - swl writes v's high bytes from the word's low end,
 * swr v's low bytes up to its high end.  For both engines' stores and mmu_store. */
static inline uint32_t merge_swl(uint32_t w, uint32_t v, unsigned b)
{
	unsigned s = (3 - b) * 8;
	return b == 3 ? v : (w & ~(0xffffffffu >> s)) | (v >> s);
}

static inline uint32_t merge_swr(uint32_t w, uint32_t v, unsigned b)
{
	unsigned s = b * 8;
	return b == 0 ? v : (w & ~(0xffffffffu << s)) | (v << s);
}

/* cost_dstore's size for swl/swr: part of a word, whatever the bytes it merges */
#define COST_PARTIAL 0

/*
 * A cached store of `size` bytes (1, 2, 4, or COST_PARTIAL) to physical pa at cycle `now`,
 * for both engines.  The D-cache is write-through: the store goes to the write buffer,
 * and with write_allocate a store that covers a whole D-cache line (a word store into a
 * 4-byte line) also makes that line valid, as the data are all there; any other store
 * leaves the tags as they are.  Returns the cycles the store stalls.
 */
static inline uint32_t cost_dstore_at(struct machine *m, uint32_t pa, int size, uint64_t now,
				      uint32_t dline_shift, int page_mode);
static inline uint32_t cost_dstore(struct machine *m, uint32_t pa, int size, uint64_t now)
{
	if (!m->cost.caches)
		return 0;
	return cost_dstore_at(m, pa, size, now, m->dline_shift, 1);
}

/* cost_dstore's work, for a caller that knows the caches are on and passes m->dline_shift,
 * and page_mode 0 only if wb_page_bytes is 0: the fast engine, whose dec5000-shaped
 * instance passes both as constants (so that a word store's write-allocate test and
 * wb_retire's page-mode test vanish at compile time). */
static inline uint32_t cost_dstore_at(struct machine *m, uint32_t pa, int size, uint64_t now,
				      uint32_t dline_shift, int page_mode)
{
	if (m->cost.write_allocate && size > 0 && ((uint32_t)size >> dline_shift) != 0) {
		uint32_t line = pa >> dline_shift;
		m->dtags[line & m->dmask] = line + 1;
	}
	return wb_push(m, page_mode ? wb_retire(m, pa) : m->cost.wb_retire_cycles, now);
}

/* hazard.c, profile.c */
void hazard_step(struct machine *m, uint32_t pc, uint32_t insn);
void profile_step(struct machine *m, uint32_t pc, uint64_t cycles);
void profile_flush(struct machine *m);

/* cpu.c */
int cpu_run(struct machine *m);

/*
 * R3000A division, for both engines: no trap; division by zero and INT_MIN / -1 leave
 * HI/LO as the R3000A does (psx-spx, "CPU Arithmetic"): defined garbage.
 */
static inline void r3000_div(struct machine *m, int32_t a, int32_t b)
{
	if (b == 0) {
		m->lo = a >= 0 ? 0xffffffffu : 1u;
		m->hi = (uint32_t)a;
	} else if (a == INT32_MIN && b == -1) {
		m->lo = 0x80000000u;
		m->hi = 0;
	} else {
		m->lo = (uint32_t)(a / b);
		m->hi = (uint32_t)(a % b);
	}
}

static inline void r3000_divu(struct machine *m, uint32_t a, uint32_t b)
{
	if (b == 0) {
		m->lo = 0xffffffffu;
		m->hi = a;
	} else {
		m->lo = a / b;
		m->hi = a % b;
	}
}

#endif
