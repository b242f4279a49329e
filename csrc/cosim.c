/*
 * cosim.c - several machines on one Ethernet link, run together in C.
 *
 * The link: a frame whose first bit leaves a sender's LANCE at cycle s (the
 * sender's clock; all machines share one cost model, so one clock) reaches the
 * receiver's LANCE with its last bit at s + W(len) + F, where W is the wire
 * time at the link's bit rate (nic_wire_cycles: preamble, frame padded to the
 * minimum, FCS) and F the fixed latency (propagation, transceivers).  The link
 * is full duplex and switched: no collisions (lance.h).  A frame goes to the
 * station named by its destination address (every other station for
 * broadcast); one to no station, or to a machine that has halted, is counted
 * as undeliverable.
 *
 * Interleaving: conservative lock-step.  Let L = F + W(ETHER_MIN_LEN), the
 * smallest latency of any frame.  The run is cut into quanta of L cycles:
 * every machine runs to the first instruction boundary at or after the
 * quantum's end Q_k (machine_run_until), then the frames each one sent during
 * the quantum are handed to their receivers with their exact arrival cycles.
 *
 * Why this is exact (the same cycles as if every machine ran in one global
 * cycle order):
 *   - a machine's device events fire at the first boundary at or after their
 *     cycle, and cpu_events() runs them before it honours the quantum's end.
 *     So when quantum k-1 ends at the sender's boundary c_{k-1} >= Q_{k-1},
 *     every transmit event due by c_{k-1} has happened, and the transmit event
 *     (cycle t) of a frame taken after quantum k came later: its first bit
 *     leaves at s >= t > c_{k-1} >= Q_{k-1};
 *   - it arrives at a = s + W(len) + F >= s + L > Q_{k-1} + L = Q_k, and is
 *     handed over before quantum k+1 runs.  The receiver then stands at its
 *     first boundary c' >= Q_k; its previous boundary was before Q_k < a.  So if
 *     a <= c', c' is the first boundary at or after a, and the arrival event
 *     fires at c', where it would have fired had the frame been known all
 *     along; if a > c', it fires later in the usual way;
 *   - a frame's effect on its receiver is only through that event, and a
 *     sender's behaviour depends on nothing the receiver does within the same
 *     quantum (anything the receiver sends back arrives a full L later).
 * Stopping at quantum ends changes nothing either: a run resumed at a boundary
 * takes the same interrupts there as one that never stopped (cpu_events() runs
 * again first).  The argument above holds for any quantum no longer than L, so
 * the counters are the same on every run and for every such quantum
 * (tests/test_cosim.py checks both; cosim_set_quantum).
 */
#include <stdlib.h>
#include <string.h>
#include "machine.h"

#define COSIM_MAX 16

struct cosim {
	machine_t *m[COSIM_MAX];
	uint32_t n;
	struct link_params lp;
	uint64_t fixed_cyc;
	uint64_t quantum;
	uint64_t now;           /* the end of the last quantum run */
	uint64_t start_insns[COSIM_MAX];
	int halted[COSIM_MAX];
	int stopped;            /* the machine that ended the last run, -1 none */
	uint64_t delivered, undeliverable;
};

/* Defaults: a 10 Mbit/s Ethernet; fixed latency ASSUMPTION 1 us, range 0.1..25.6 us (a
 * 500 m 10BASE5 segment is ~2.2 us of cable at 0.77c; 25.6 us is half the 802.3 slot
 * time, the most a conforming network's one-way delay can be). */
static const struct link_params link_defaults = { .mbit_s = 10.0, .fixed_us = 1.0 };

cosim_t *cosim_new(machine_t **ms, uint32_t n, const struct link_params *lp)
{
	if (!lp)
		lp = &link_defaults;
	if (n < 1 || n > COSIM_MAX) {
		machine_set_error("a cluster has 1..%d machines, not %u", COSIM_MAX, n);
		return NULL;
	}
	if (!(lp->mbit_s >= 0.1 && lp->mbit_s <= 1e4) || !(lp->fixed_us >= 0 && lp->fixed_us <= 1e6)) {
		machine_set_error("link: mbit_s must be 0.1..10000 and fixed_us 0..1e6");
		return NULL;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (!ms[i]) {
			machine_set_error("machine %u is missing", i);
			return NULL;
		}
		const struct cost_params *a = &ms[0]->cost, *b = &ms[i]->cost;
		if (strncmp(a->name, b->name, sizeof a->name) || a->clock_mhz != b->clock_mhz) {
			machine_set_error("machine %u: cost model '%.16s' at %g MHz, not machine 0's '%.16s' at %g MHz",
					  i, b->name, b->clock_mhz, a->name, a->clock_mhz);
			return NULL;
		}
		if (ms[i]->c.cycles != ms[0]->c.cycles) {
			machine_set_error("machine %u is at cycle %llu, machine 0 at %llu: boot them together", i,
					  (unsigned long long)ms[i]->c.cycles, (unsigned long long)ms[0]->c.cycles);
			return NULL;
		}
		for (uint32_t j = 0; j < i; j++)
			if (ms[j] == ms[i] || ms[j]->nic.station == ms[i]->nic.station) {
				machine_set_error("machines %u and %u are the same machine or station", j, i);
				return NULL;
			}
	}
	struct cosim *c = calloc(1, sizeof *c);
	if (!c) {
		machine_set_error("out of memory");
		return NULL;
	}
	c->n = n;
	c->lp = *lp;
	memcpy(c->m, ms, n * sizeof *ms);
	for (uint32_t i = 0; i < n; i++) {
		struct nic_params p = machine_nic_params(ms[i]);
		p.mbit_s = lp->mbit_s;
		machine_nic_set_params(ms[i], &p);
	}
	double mhz = ms[0]->cost.clock_mhz;
	c->fixed_cyc = (uint64_t)(lp->fixed_us * mhz + 0.5);
	c->quantum = c->fixed_cyc + nic_wire_cycles(&ms[0]->nic.p, mhz, ETHER_MIN_LEN);
	c->now = ms[0]->c.cycles;
	c->stopped = -1;
	return c;
}

void cosim_free(cosim_t *c) { free(c); }
int cosim_stopped(cosim_t *c) { return c->stopped; }
uint64_t cosim_quantum(cosim_t *c) { return c->quantum; }

/* A shorter quantum (for the test that the result does not depend on it): 0, or -1 if
 * q is 0 or longer than the link's smallest latency, which exactness needs. */
int cosim_set_quantum(cosim_t *c, uint64_t q)
{
	uint64_t l = c->fixed_cyc + nic_wire_cycles(&c->m[0]->nic.p, c->m[0]->cost.clock_mhz, ETHER_MIN_LEN);
	if (q == 0 || q > l) {
		machine_set_error("the quantum must be 1..%llu cycles (the link's smallest latency)",
				  (unsigned long long)l);
		return -1;
	}
	c->quantum = q;
	return 0;
}
uint64_t cosim_delivered(cosim_t *c) { return c->delivered; }
uint64_t cosim_undeliverable(cosim_t *c) { return c->undeliverable; }

static uint32_t station_of(const uint8_t *a)
{
	return (uint32_t)a[3] << 16 | (uint32_t)a[4] << 8 | a[5];
}

/* Hand the frames machine i sent to their receivers, at their arrival cycles. */
static void deliver(struct cosim *c, uint32_t i)
{
	struct nic_frame f;
	while (machine_nic_take(c->m[i], &f)) {
		uint64_t at = f.start + nic_wire_cycles(&c->m[i]->nic.p, c->m[i]->cost.clock_mhz, f.len) +
			      c->fixed_cyc;
		int bcast = (f.data[0] & 1) != 0;       /* the group bit: broadcast (and multicast) */
		int dec = f.data[0] == ETHER_OUI0 && f.data[1] == ETHER_OUI1 && f.data[2] == ETHER_OUI2;
		int found = 0;
		for (uint32_t j = 0; j < c->n; j++) {
			if (j == i || !(bcast || (dec && c->m[j]->nic.station == station_of(f.data))))
				continue;
			found = 1;
			if (c->halted[j] || nic_deliver(c->m[j], at, f.data, f.len))
				c->undeliverable++;
			else
				c->delivered++;
		}
		if (!found)
			c->undeliverable++;
	}
}

int cosim_run(cosim_t *c, uint32_t until_mask, uint64_t max_insns)
{
	until_mask &= (c->n >= 32 ? ~0u : (1u << c->n) - 1);
	c->stopped = -1;
	for (uint32_t i = 0; i < c->n; i++)
		c->start_insns[i] = c->m[i]->c.insns;
	for (;;) {
		uint32_t pending = 0;
		for (uint32_t i = 0; i < c->n; i++)
			if ((until_mask >> i & 1) && !c->halted[i])
				pending++;
		if (!pending)
			return STOP_HALT;
		uint64_t end = c->now + c->quantum;
		for (uint32_t i = 0; i < c->n; i++) {
			if (c->halted[i])
				continue;
			uint64_t used = c->m[i]->c.insns - c->start_insns[i];
			int r = machine_run_until(c->m[i], end, used < max_insns ? max_insns - used : 0);
			if (r == STOP_HALT) {
				c->halted[i] = 1;
				if (c->m[i]->stop.code != HALT_OK) {
					c->stopped = (int)i;
					return r;
				}
			} else if (r != STOP_CYCLES) {
				c->stopped = (int)i;
				return r;
			}
		}
		for (uint32_t i = 0; i < c->n; i++)
			deliver(c, i);
		c->now = end;
	}
}
