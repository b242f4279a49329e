/*
 * board.c - the system board: console, halt, counters, markers, the result
 * channel, the periodic timer, the report owner, the entropy source and the
 * 3MIN IOASIC interrupt-mask register (stored only).
 * Register map in include/board.h.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "machine.h"

#define CONSOLE_MAX  (4u << 20)     /* keep at most 4 MiB of console text */
#define MARKERS_MAX  (1u << 20)
#define RESULTS_MAX  (1u << 16)

/* Grow an array to hold one more element; returns 0 if it is at its cap. */
static int grow(void **p, uint32_t *cap, uint32_t n, uint32_t max, size_t elem)
{
	if (n < *cap)
		return 1;
	if (n >= max)
		return 0;
	uint32_t ncap = *cap ? *cap * 2 : 64;
	if (ncap > max)
		ncap = max;
	void *q = realloc(*p, (size_t)ncap * elem);
	if (!q)
		return 0;
	*p = q;
	*cap = ncap;
	return 1;
}

void counters_snapshot(struct machine *m, struct counters *out)
{
	*out = m->c;
	if (m->user) {
		out->user_insns += m->c.insns - m->mode_insns0;
		out->user_cycles += m->c.cycles - m->mode_cycles0;
	}
}

void board_reset(struct machine *m)
{
	struct board *b = &m->board;
	b->console_len = 0;
	b->nmarkers = 0;
	b->nresults = 0;
	b->pending_len = 0;
	b->cycles_hi_latch = b->insns_hi_latch = 0;
	b->timer_period = 0;
	b->timer_next = UINT64_MAX;
	b->timer_count = 0;
	b->owner_asid_addr = 0;
	b->foreign_writes = 0;
	memset(&b->first_foreign, 0, sizeof b->first_foreign);
	b->entropy_state = b->entropy_seed;
	b->ioasic_imsk = 0;
}

/* splitmix64 (Steele, Lea, Flood 2014): a fast generator with good statistics for the
 * entropy register; its output only seeds the guest kernel's own keyed generator. */
static uint32_t entropy_next(struct board *b)
{
	uint64_t z = (b->entropy_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static uint32_t cur_asid(struct machine *m)
{
	return (m->cp0[C0_ENTRYHI] & ENTRYHI_ASID_MASK) >> ENTRYHI_ASID_SHIFT;
}

/*
 * May the code running now write a marker or a result?  The kernel always may; user code
 * when no owner is named, or when its ASID is the one in the owner word the kernel named
 * (read from RAM by the board, at no cost to the guest).  A refused write is counted.
 */
static int report_allowed(struct machine *m, uint32_t off, uint32_t val, uint32_t pc)
{
	struct board *b = &m->board;
	uint32_t a = b->owner_asid_addr & ~(uint32_t)3;
	if (!m->user || b->owner_asid_addr == 0)
		return 1;
	uint32_t word = 0, asid = UINT32_MAX;
	if (a + 4 <= m->ram_size)
		memcpy(&word, m->ram + a, 4);
	if (b->owner_asid_addr & BOARD_OWNER_RAW)
		asid = word;                    /* a number; anything above the last ASID: none */
	else
		asid = (word & ENTRYHI_ASID_MASK) >> ENTRYHI_ASID_SHIFT;
	if (asid == cur_asid(m))
		return 1;
	if (b->foreign_writes++ == 0)
		b->first_foreign = (struct foreign_write){pc, cur_asid(m), off, val};
	return 0;
}

void board_free(struct machine *m)
{
	free(m->board.console);
	free(m->board.markers);
	free(m->board.results);
	memset(&m->board, 0, sizeof m->board);
}

uint32_t board_read(struct machine *m, uint32_t off)
{
	struct board *b = &m->board;
	switch (off) {
	case BOARD_CYCLES_LO:
		b->cycles_hi_latch = (uint32_t)(m->c.cycles >> 32);
		return (uint32_t)m->c.cycles;
	case BOARD_CYCLES_HI:
		return b->cycles_hi_latch;
	case BOARD_INSNS_LO:
		b->insns_hi_latch = (uint32_t)(m->c.insns >> 32);
		return (uint32_t)m->c.insns;
	case BOARD_INSNS_HI:
		return b->insns_hi_latch;
	case BOARD_TIMER_PERIOD:
		return b->timer_period;
	case BOARD_TIMER_COUNT:
		return b->timer_count;
	case BOARD_OWNER_ASID_ADDR:
		return b->owner_asid_addr;
	case BOARD_ENTROPY:
		return entropy_next(b);
	case BOARD_IOASIC_IMSK:
		return b->ioasic_imsk;
	default:
		return 0;
	}
}

void board_write(struct machine *m, uint32_t off, uint32_t val, uint32_t pc)
{
	struct board *b = &m->board;
	switch (off) {
	case BOARD_CONSOLE:
		if (grow((void **)&b->console, &b->console_cap, b->console_len, CONSOLE_MAX, 1))
			b->console[b->console_len++] = (char)val;
		break;
	case BOARD_HALT:
		m->stop.pc = pc;
		cpu_stop(m, STOP_HALT, val);
		break;
	case BOARD_MARKER:
		if (!report_allowed(m, off, val, pc))
			break;
		if (grow((void **)&b->markers, &b->markers_cap, b->nmarkers, MARKERS_MAX, sizeof *b->markers)) {
			struct marker *mk = &b->markers[b->nmarkers++];
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			mk->id = val;
			mk->pc = pc;
			mk->asid = cur_asid(m);
			mk->user = m->user;
			mk->host_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
			counters_snapshot(m, &mk->c);
		}
		break;
	case BOARD_RESULT_NAME:
		if (!report_allowed(m, off, val, pc))
			break;
		if (b->pending_len < sizeof b->pending_name - 1)
			b->pending_name[b->pending_len++] = (char)val;
		break;
	case BOARD_RESULT_VALUE:
		if (!report_allowed(m, off, val, pc))
			break;
		if (grow((void **)&b->results, &b->results_cap, b->nresults, RESULTS_MAX, sizeof *b->results)) {
			struct result *r = &b->results[b->nresults++];
			memset(r->name, 0, sizeof r->name);
			memcpy(r->name, b->pending_name, b->pending_len);
			r->value = val;
			r->asid = cur_asid(m);
			r->user = m->user;
		}
		b->pending_len = 0;
		break;
	case BOARD_TIMER_PERIOD:
		b->timer_period = val;
		b->timer_next = val ? m->c.cycles + val : UINT64_MAX;
		cpu_schedule(m);
		break;
	case BOARD_TIMER_ACK:
		cpu_set_line(m, BOARD_TIMER_LINE, 0);
		break;
	case BOARD_OWNER_ASID_ADDR:
		b->owner_asid_addr = val;
		break;
	case BOARD_IOASIC_IMSK:
		b->ioasic_imsk = val;
		break;
	default:
		break;
	}
}
