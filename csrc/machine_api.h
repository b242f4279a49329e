/*
 * machine_api.h - the emulator's public C interface.
 *
 * exobench/_build.py hands this file (minus preprocessor lines) to cffi as
 * its cdef, so it must stay within what cffi parses: no macros, no inline
 * code.  Python wraps it in exobench.machine.Machine.
 */
#ifndef EXOBENCH_MACHINE_API_H
#define EXOBENCH_MACHINE_API_H
#include <stdint.h>
#include <stddef.h>

typedef struct machine machine_t;

/* Why machine_run() returned. */
enum stop_reason {
	STOP_NONE = 0,
	STOP_HALT = 1,          /* guest wrote BOARD_HALT; code = exit code */
	STOP_LIMIT = 2,         /* instruction limit reached */
	STOP_DOUBLE_FAULT = 3,  /* an exception vector itself could not be fetched */
	STOP_TRAP = 4,          /* an exception in the trap mask was taken; code = ExcCode */
	STOP_BAD_STATE = 5,     /* run() called on a machine with no RAM or similar misuse */
	STOP_CYCLES = 6         /* machine_run_until() reached its cycle */
};

/* Which interpreter runs the guest (machine_set_engine).  Both give the same counters,
 * markers, results and console to the last cycle; the reference is the plain
 * interpreter of cpu_loop.h, the fast one predecodes (fast_loop.h).  A run with the
 * hazard checker or the profile on always uses the reference. */
enum engine {
	ENGINE_FAST = 0,
	ENGINE_REFERENCE = 1
};

struct stop_info {
	int reason;
	uint32_t code;          /* exit code or ExcCode */
	uint32_t pc;            /* for STOP_TRAP and faults: address of the faulting instruction */
	uint32_t insn;          /* the word at pc when it could be read, else 0 */
	uint32_t badvaddr;
};

/* Counters; a marker stores a snapshot of all of them. */
struct counters {
	uint64_t cycles;
	uint64_t insns;             /* retired instructions (a faulting one does not retire) */
	uint64_t user_cycles;
	uint64_t user_insns;
	uint64_t exceptions[16];    /* per ExcCode, interrupts included */
	uint64_t utlb_refills;      /* exceptions taken through the UTLB vector */
	uint64_t tlb_writes;        /* tlbwi + tlbwr */
	uint64_t icache_misses;
	uint64_t dcache_misses;
	uint64_t wb_stalls;         /* stores that found the write buffer full */
	uint64_t wb_stall_cycles;
	uint64_t hilo_stall_cycles; /* mfhi/mflo (and mult/div) waiting for the unit */
	uint64_t uncached_accesses;
	uint64_t exc_entry_cycles;  /* pipeline cost charged for taking exceptions */
};

struct marker {
	uint32_t id;
	uint32_t pc;
	uint32_t asid;          /* EntryHi.ASID when the marker was dropped: whose code ran */
	uint32_t user;          /* dropped in user mode (else by the kernel) */
	uint64_t host_ns;       /* host CLOCK_MONOTONIC at the snapshot: host time between markers */
	struct counters c;
};

struct result {
	char name[32];
	uint32_t value;
	uint32_t asid;          /* the writer's EntryHi.ASID ... */
	uint32_t user;          /* ... and whether it wrote in user mode */
};

/* A user-mode marker or result write the board refused (BOARD_OWNER_ASID_ADDR). */
struct foreign_write {
	uint32_t pc;
	uint32_t asid;
	uint32_t reg;           /* board register offset */
	uint32_t value;
};

struct hazard {
	uint32_t pc;            /* the instruction that read the register too early */
	uint32_t insn;
	uint32_t prev_insn;     /* the load or mfc0 before it */
};

struct profile_entry {
	uint32_t pc;
	uint32_t asid;
	uint64_t count;
	uint64_t cycles;
};

/* A cost preset. Every field is documented with its source in cost.c. */
struct cost_params {
	char name[16];
	double clock_mhz;
	uint32_t mult_cycles;
	uint32_t div_cycles;
	uint32_t exc_entry_cycles;
	uint32_t uncached_read_cycles;
	uint32_t uncached_write_cycles;
	uint32_t caches;            /* 0: no cache or write-buffer model */
	uint32_t icache_bytes;
	uint32_t dcache_bytes;
	uint32_t line_bytes;
	uint32_t imiss_cycles;
	uint32_t dmiss_cycles;
	uint32_t wb_depth;
	uint32_t wb_retire_cycles;
	/* The 5000/200's memory system (cost.c); 0 keeps the simpler model above. */
	uint32_t dline_bytes;           /* D-cache line; 0: line_bytes (which is the I-cache's) */
	uint32_t dfill_bytes;           /* aligned bytes a D-cache read miss fetches; 0: one line */
	uint32_t write_allocate;        /* 1: a store that covers a whole D-cache line allocates it */
	uint32_t wb_page_bytes;         /* DRAM page of page-mode writes; 0: no page mode */
	uint32_t wb_page_retire_cycles; /* retire time of a write to the page of the write before it */
	uint32_t wb_read_priority;      /* 1: a read waits only for the write under way; 0: for all */
};

struct tlb_entry {
	uint32_t hi;            /* VPN | ASID << 6 */
	uint32_t lo;            /* PFN | N | D | V | G */
};

/* A parameter the sources leave open, and its plausible range (cost.c). */
struct cost_range {
	char param[24];
	double lo, hi;
};

const char *machine_last_error(void);
int machine_nranges(const char *preset);
const struct cost_range *machine_range_at(const char *preset, int i);
int machine_npresets(void);
const struct cost_params *machine_preset_at(int i);

machine_t *machine_new(const char *preset, uint32_t ram_bytes);
machine_t *machine_new_params(const struct cost_params *cost, uint32_t ram_bytes);   /* a preset with changes */
void machine_free(machine_t *m);
void machine_reset(machine_t *m);
const struct cost_params *machine_cost(machine_t *m);

uint8_t *machine_ram(machine_t *m);
uint32_t machine_ram_size(machine_t *m);
int machine_phys_write(machine_t *m, uint32_t paddr, const uint8_t *src, uint32_t len);
int machine_phys_read(machine_t *m, uint32_t paddr, uint8_t *dst, uint32_t len);
int machine_virt_to_phys(machine_t *m, uint32_t va, uint32_t *pa);

uint32_t machine_get_gpr(machine_t *m, int i);
void machine_set_gpr(machine_t *m, int i, uint32_t v);
uint32_t machine_get_hi(machine_t *m);
uint32_t machine_get_lo(machine_t *m);
void machine_set_hilo(machine_t *m, uint32_t hi, uint32_t lo);
uint32_t machine_get_pc(machine_t *m);
void machine_set_pc(machine_t *m, uint32_t pc);
uint32_t machine_get_cp0(machine_t *m, int reg);
void machine_set_cp0(machine_t *m, int reg, uint32_t v);
struct tlb_entry machine_get_tlb(machine_t *m, int i);
void machine_set_tlb(machine_t *m, int i, uint32_t hi, uint32_t lo);

void machine_set_trap_mask(machine_t *m, uint32_t mask);
void machine_set_hazard_check(machine_t *m, int on);
void machine_set_profile(machine_t *m, int on);
int machine_set_engine(machine_t *m, int engine);
void machine_set_timer(machine_t *m, uint32_t period);   /* as a guest write of BOARD_TIMER_PERIOD */
int machine_get_engine(machine_t *m);

int machine_run(machine_t *m, uint64_t max_insns);
struct stop_info machine_stop_info(machine_t *m);

const struct counters *machine_counters(machine_t *m);
uint32_t machine_nmarkers(machine_t *m);
const struct marker *machine_markers(machine_t *m);
uint32_t machine_nresults(machine_t *m);
const struct result *machine_results(machine_t *m);
const char *machine_console(machine_t *m, uint32_t *len);
uint64_t machine_foreign_writes(machine_t *m, struct foreign_write *first);
void machine_set_entropy_seed(machine_t *m, uint64_t seed);
uint32_t machine_nhazards(machine_t *m);
uint64_t machine_hazard_total(machine_t *m);
const struct hazard *machine_hazards(machine_t *m);
uint32_t machine_profile_entries(machine_t *m, struct profile_entry *out, uint32_t max);

/* ---- the network (csrc/nic.c, csrc/cosim.c; include/lance.h, docs/design.md "The network") ---- */

/* A frame the machine's LANCE put on the wire (machine_nic_take). */
struct nic_frame {
	uint64_t start;         /* cycle its first bit (preamble) went on the wire */
	uint64_t end;           /* cycle its last bit did: start + wire time */
	uint32_t len;           /* bytes without the FCS, padded to ETHER_MIN_LEN */
	uint8_t data[1514];     /* ETHER_MAX_LEN */
};

struct nic_stats {
	uint64_t tx_frames, tx_bytes;
	uint64_t tx_refused;    /* transmit descriptors refused (ERR with TMD3 UFLO/BUFF) */
	uint64_t tx_lost;       /* sent frames nobody took (the host's queue was full) */
	uint64_t rx_frames, rx_bytes;
	uint64_t rx_missed;     /* arrived with no receive descriptor owned by the LANCE (CSR0.MISS) */
	uint64_t rx_refused;    /* receive descriptors refused (bad byte count or address, frame too big) */
	uint64_t rx_dropped;    /* arrived with the receiver off, or not for this station */
	uint64_t interrupts;    /* rising edges of the LANCE's interrupt line */
};

/* The NIC's timing: every field sourced or an assumption with its range in nic.c. */
struct nic_params {
	double mbit_s;          /* wire bit rate (a cluster sets its link's) */
	double tx_start_us;     /* TDMD with the transmitter idle -> first bit on the wire */
	double rx_dma_us;       /* last bit received -> frame in RAM, descriptor written, RINT */
};

struct link_params {
	double mbit_s;          /* bit rate of the link and of every NIC on it */
	double fixed_us;        /* propagation + transceivers, added to the wire time */
};

void machine_nic_set_station(machine_t *m, uint32_t station);   /* 24-bit; survives reset */
uint32_t machine_nic_station(machine_t *m);
int machine_nic_set_params(machine_t *m, const struct nic_params *p);   /* 0, or -1 (last_error) */
struct nic_params machine_nic_params(machine_t *m);
/* Test hook: a frame whose last bit reaches this NIC at `cycle` (>= the machine's cycle
 * count).  0, or -1 (last_error): bad length, cycle in the past, queue full. */
int machine_nic_inject(machine_t *m, uint64_t cycle, const uint8_t *frame, uint32_t len);
/* The oldest sent frame not yet taken: 1 and *out filled, or 0 when none. */
int machine_nic_take(machine_t *m, struct nic_frame *out);
struct nic_stats machine_nic_stats(machine_t *m);

/* Run to the first instruction boundary at or after `cycle` (STOP_CYCLES), or as run(). */
int machine_run_until(machine_t *m, uint64_t cycle, uint64_t max_insns);

/* Co-simulation: machines of the same cost model on one link, run in lock-step. */
typedef struct cosim cosim_t;
cosim_t *cosim_new(machine_t **ms, uint32_t n, const struct link_params *lp);   /* NULL: last_error */
void cosim_free(cosim_t *c);
/* Run until every machine in until_mask halted, or one stops otherwise (trap, double
 * fault, max_insns of its own retired).  Returns the STOP_* of the machine that ended the
 * run (STOP_HALT when the mask's machines all halted); cosim_stopped() says which. */
int cosim_run(cosim_t *c, uint32_t until_mask, uint64_t max_insns);
int cosim_stopped(cosim_t *c);
uint64_t cosim_quantum(cosim_t *c);     /* cycles per lock-step quantum */
int cosim_set_quantum(cosim_t *c, uint64_t q);  /* shorter than the default: 0, or -1 */
uint64_t cosim_delivered(cosim_t *c);   /* frames handed to a receiver */
uint64_t cosim_undeliverable(cosim_t *c);       /* to no station, or to a halted machine */

int mips_disasm(uint32_t insn, uint32_t pc, char *buf, int len);

#endif
