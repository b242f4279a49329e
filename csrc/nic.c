/*
 * nic.c - the network interface: an AMD Am7990 LANCE (include/lance.h).
 *
 * The device keeps time in the machine's cycles.  Its events (look at the
 * transmit ring, a frame's last bit leaves the wire, a received frame is in
 * RAM) take effect at exactly their cycle: nic_next_event() is part of the
 * deadline cpu_events() computes, so the interpreter stops at the first
 * instruction boundary at or after the event, where the timer's interrupt
 * would also be taken.  DMA reads and writes RAM at that boundary: no guest
 * instruction ran between the event's cycle and then.
 *
 * Timing (docs/references.md "The network"):
 *   - wire time: IEEE 802.3 (10BASE5/10BASE-T MAC parameters, clause 4.4.2):
 *     10 Mbit/s, 8 bytes of preamble and SFD, frames of at least 64 bytes with
 *     the 4-byte FCS, an inter-frame gap of 96 bit times (9.6 us);
 *   - tx_start_us, TDMD with the transmitter idle to the first bit: ASSUMPTION
 *     6 us, range 2..20 us.  After TDMD the LANCE reads the descriptor (three
 *     16-bit DMA transfers) and fills its 48-byte FIFO before it transmits
 *     (Am7990 data sheet, "Transmit"); at the ~600 ns per DMA transfer recalled
 *     from that data sheet (unverified) that is a few microseconds;
 *   - rx_dma_us, last bit received to the frame in RAM with its descriptor
 *     written and RINT raised: ASSUMPTION 4 us, range 1..10 us (the FIFO's
 *     remaining bytes, then two descriptor writes, at the same rate);
 *   - register accesses cost the machine's uncached-access cycles (mmu.c).
 * The interrupt reaches the CPU at the next instruction boundary, as every
 * interrupt in this machine does.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "machine.h"

_Static_assert(sizeof(((struct nic_frame *)0)->data) == ETHER_MAX_LEN, "nic_frame.data");

#define PREAMBLE_BYTES  8       /* 7 bytes of preamble + the start frame delimiter */
#define IFG_BITS        96      /* the inter-frame gap */
#define CSR0_W1C  (LANCE_BABL | LANCE_CERR | LANCE_MISS | LANCE_MERR | LANCE_RINT | LANCE_TINT | LANCE_IDON)
#define CSR0_INTR (LANCE_BABL | LANCE_MISS | LANCE_MERR | LANCE_RINT | LANCE_TINT | LANCE_IDON)
#define CSR0_ERRS (LANCE_BABL | LANCE_CERR | LANCE_MISS | LANCE_MERR)

static const struct nic_params defaults = {
	.mbit_s = 10.0,         /* IEEE 802.3 10 Mbit/s */
	.tx_start_us = 6.0,     /* ASSUMPTION, 2..20 (above) */
	.rx_dma_us = 4.0,       /* ASSUMPTION, 1..10 (above) */
};

static uint64_t us_cycles(double us, double clock_mhz)
{
	return (uint64_t)llround(us * clock_mhz);
}

/* Cycles a frame of len bytes (without FCS) takes on the wire, preamble to FCS. */
uint64_t nic_wire_cycles(const struct nic_params *p, double clock_mhz, uint32_t len)
{
	uint32_t bytes = PREAMBLE_BYTES + (len < ETHER_MIN_LEN ? ETHER_MIN_LEN : len) + ETHER_FCS_LEN;
	return (uint64_t)ceil(bytes * 8.0 * clock_mhz / p->mbit_s);
}

static void derive(struct machine *m)
{
	struct nic *n = &m->nic;
	n->tx_start_cyc = us_cycles(n->p.tx_start_us, m->cost.clock_mhz);
	n->rx_dma_cyc = us_cycles(n->p.rx_dma_us, m->cost.clock_mhz);
	n->ifg_cyc = (uint64_t)ceil(IFG_BITS * m->cost.clock_mhz / n->p.mbit_s);
}

void nic_init(struct machine *m)
{
	m->nic.p = defaults;
	derive(m);
}

int nic_alloc(struct machine *m)
{
	m->nic.rxq = calloc(NIC_RXQ_MAX, sizeof *m->nic.rxq);
	m->nic.txq = calloc(NIC_TXQ_MAX, sizeof *m->nic.txq);
	return m->nic.rxq && m->nic.txq ? 0 : -1;
}

void nic_free(struct machine *m)
{
	free(m->nic.rxq);
	free(m->nic.txq);
	m->nic.rxq = NULL;
	m->nic.txq = NULL;
}

/* Drive the interrupt line from CSR0: up while INEA and any interrupt status bit. */
static void update_line(struct machine *m)
{
	struct nic *n = &m->nic;
	int level = (n->csr0 & LANCE_INEA) && (n->csr0 & CSR0_INTR);
	if (level == n->line)
		return;
	n->line = level;
	if (level)
		n->st.interrupts++;
	cpu_set_line(m, LANCE_LINE, level);
}

/* STOP: the device's state after reset or a STOP command. */
static void stop(struct machine *m)
{
	struct nic *n = &m->nic;
	n->csr0 = LANCE_STOP;
	n->inited = 0;
	n->tx_poll_at = n->tx_done_at = UINT64_MAX;
	n->tx_ndesc = 0;
	update_line(m);
}

/* Reset: registers and rings; frames on their way in and sent frames not taken are
 * dropped; station, parameters and statistics' owner (the host) keep theirs. */
void nic_reset(struct machine *m)
{
	struct nic *n = &m->nic;
	n->rap = 0;
	n->csr1 = n->csr2 = n->csr3 = 0;
	n->rx_i = n->tx_i = 0;
	n->wire_free = 0;
	n->rxq_head = n->rxq_n = 0;
	n->txq_head = n->txq_n = 0;
	n->line = 0;
	memset(&n->st, 0, sizeof n->st);
	stop(m);
}

static uint32_t rd16(struct machine *m, uint32_t pa)
{
	return m->ram[pa] | (uint32_t)m->ram[pa + 1] << 8;
}

/* A DMA write into RAM: the predecoded code there and the D-cache lines it covers are stale. */
static void dma_write(struct machine *m, uint32_t pa, const void *src, uint32_t len)
{
	memcpy(m->ram + pa, src, len);
	decode_invalidate(m, pa, len);
	if (m->cost.caches && len) {
		for (uint32_t line = pa >> m->line_shift; line <= (pa + len - 1) >> m->line_shift; line++) {
			uint32_t *tag = &m->dtags[line & m->dmask];
			if (*tag == line + 1)
				*tag = 0;
		}
	}
}

static void wr16(struct machine *m, uint32_t pa, uint32_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	dma_write(m, pa, b, 2);
}

/* Is [pa, pa + len) inside RAM? */
static int in_ram(struct machine *m, uint32_t pa, uint32_t len)
{
	return pa <= m->ram_size && len <= m->ram_size - pa;
}

/* Read a ring's address and length from the init block word pair at ib + off. */
static int ring(struct machine *m, uint32_t ib, uint32_t off, uint32_t *base, uint32_t *len)
{
	uint32_t hi = rd16(m, ib + off + 2);
	*base = rd16(m, ib + off) | (hi & 0xff) << 16;
	*len = 1u << ((hi >> LANCE_LEN_SHIFT) & LANCE_MAX_LOG2);
	return (*base % LANCE_DESC_SIZE) == 0 && in_ram(m, *base, *len * LANCE_DESC_SIZE);
}

/* INIT: read the init block at CSR2:CSR1.  A block or ring outside RAM, or a misaligned
 * one, is refused with MERR and the device stays stopped. */
static void init(struct machine *m)
{
	struct nic *n = &m->nic;
	uint32_t ib = n->csr1 | (uint32_t)(n->csr2 & 0xff) << 16;
	if ((ib & 1) || !in_ram(m, ib, LANCE_IB_SIZE) ||
	    !ring(m, ib, LANCE_IB_RDRA, &n->rdra, &n->rlen) || !ring(m, ib, LANCE_IB_TDRA, &n->tdra, &n->tlen)) {
		n->csr0 |= LANCE_MERR;
		return;
	}
	n->mode = (uint16_t)rd16(m, ib + LANCE_IB_MODE);
	memcpy(n->padr, m->ram + ib + LANCE_IB_PADR, ETHER_ADDR_LEN);
	n->rx_i = n->tx_i = 0;
	n->inited = 1;
	n->csr0 = (n->csr0 & ~LANCE_STOP) | LANCE_IDON;
}

static void csr0_write(struct machine *m, uint32_t val)
{
	struct nic *n = &m->nic;
	if (val & LANCE_STOP) {         /* STOP wins; the rest of the write is ignored */
		stop(m);
		return;
	}
	n->csr0 &= ~(val & CSR0_W1C);
	n->csr0 = (n->csr0 & ~LANCE_INEA) | (val & LANCE_INEA);
	if (val & LANCE_INIT)
		init(m);
	if ((val & LANCE_STRT) && n->inited) {
		n->csr0 &= ~LANCE_STOP;
		if (!(n->mode & LANCE_MODE_DRX))
			n->csr0 |= LANCE_RXON;
		if (!(n->mode & LANCE_MODE_DTX))
			n->csr0 |= LANCE_TXON;
	}
	if ((val & LANCE_TDMD) && (n->csr0 & LANCE_TXON) &&
	    n->tx_done_at == UINT64_MAX && n->tx_poll_at == UINT64_MAX) {
		n->tx_poll_at = m->c.cycles + n->tx_start_cyc;
		cpu_schedule(m);
	}
	/* TDMD while a frame is on the wire: the LANCE looks at the ring when it ends anyway */
	update_line(m);
}

uint32_t nic_read(struct machine *m, uint32_t off)
{
	struct nic *n = &m->nic;
	if (off >= LANCE_ESAR && off < LANCE_ESAR + 4 * ETHER_ADDR_LEN) {
		static const uint8_t oui[3] = { ETHER_OUI0, ETHER_OUI1, ETHER_OUI2 };
		uint32_t i = (off - LANCE_ESAR) / 4;
		return i < 3 ? oui[i] : (n->station >> (8 * (5 - i))) & 0xff;
	}
	switch (off) {
	case LANCE_RAP:
		return n->rap;
	case LANCE_MISSED:
		return (uint32_t)n->st.rx_missed;
	case LANCE_RDP:
		switch (n->rap) {
		case LANCE_CSR0: {
			uint32_t v = n->csr0;
			if (v & CSR0_ERRS)
				v |= LANCE_ERR;
			if (v & CSR0_INTR)
				v |= LANCE_INTR;
			return v;
		}
		case LANCE_CSR1: return n->csr1;
		case LANCE_CSR2: return n->csr2;
		default: return n->csr3;
		}
	default:
		return 0;
	}
}

void nic_write(struct machine *m, uint32_t off, uint32_t val)
{
	struct nic *n = &m->nic;
	if (off == LANCE_RAP) {
		n->rap = val & 3;
		return;
	}
	if (off != LANCE_RDP)
		return;
	if (n->rap == LANCE_CSR0) {
		csr0_write(m, val & 0xffff);
		return;
	}
	if (!(n->csr0 & LANCE_STOP))    /* CSR1..3 are writable only while stopped (Am7990) */
		return;
	if (n->rap == LANCE_CSR1)
		n->csr1 = val & 0xfffe;
	else if (n->rap == LANCE_CSR2)
		n->csr2 = val & 0xff;
	else
		n->csr3 = val & 7;
}

/* Size of a descriptor's buffer from its BCNT, 0 if the count is malformed. */
static uint32_t buf_size(uint32_t bcnt)
{
	if ((bcnt & LANCE_BCNT_ONES) != LANCE_BCNT_ONES)
		return 0;
	return (0x10000u - bcnt) & 0x0fff;
}

static uint32_t desc(struct nic *n, uint32_t base, uint32_t i, uint32_t len)
{
	return base + (i % len) * LANCE_DESC_SIZE;
}

/* The transmitter looks at the ring at cycle t: put the next frame on the wire, refusing
 * (ERR, counted) the descriptors of malformed ones on the way. */
static void tx_poll(struct machine *m, uint64_t t)
{
	struct nic *n = &m->nic;
	uint8_t frame[ETHER_MAX_LEN];
	n->tx_poll_at = UINT64_MAX;
	while (n->csr0 & LANCE_TXON) {
		uint32_t len = 0, k = 0, tmd3 = 0, nmark;
		for (;;) {
			uint32_t d = desc(n, n->tdra, n->tx_i + k, n->tlen);
			uint32_t fl = rd16(m, d + LANCE_D_FLAGS) >> 8;
			if (!(fl & LANCE_OWN)) {
				if (k == 0)
					return;                 /* nothing to send: idle until TDMD */
				tmd3 = LANCE_TMD3_BUFF;         /* the frame's chain ends without ENP */
				nmark = k;
				break;
			}
			uint32_t size = buf_size(rd16(m, d + LANCE_D_BCNT));
			uint32_t buf = rd16(m, d + LANCE_D_ADDR) | (rd16(m, d + LANCE_D_FLAGS) & 0xff) << 16;
			if ((k == 0 && !(fl & LANCE_STP)) || size == 0 || !in_ram(m, buf, size) ||
			    len + size > ETHER_MAX_LEN) {
				tmd3 = LANCE_TMD3_UFLO;
				nmark = k + 1;
				break;
			}
			memcpy(frame + len, m->ram + buf, size);
			len += size;
			k++;
			if (fl & LANCE_ENP) {
				nmark = 0;
				break;
			}
			if (k == n->tlen) {
				tmd3 = LANCE_TMD3_BUFF;
				nmark = k;
				break;
			}
		}
		if (nmark) {                            /* refused: hand the descriptors back with ERR */
			for (uint32_t i = 0; i < nmark; i++) {
				uint32_t d = desc(n, n->tdra, n->tx_i + i, n->tlen);
				uint32_t fl = rd16(m, d + LANCE_D_FLAGS);
				if (i == nmark - 1)
					wr16(m, d + LANCE_D_MCNT, tmd3);
				wr16(m, d + LANCE_D_FLAGS, (fl & ~(LANCE_OWN << 8)) | LANCE_DERR << 8);
			}
			n->tx_i = (n->tx_i + nmark) % n->tlen;
			n->st.tx_refused++;
			n->csr0 |= LANCE_TINT;
			continue;
		}
		if (len < ETHER_MIN_LEN) {
			memset(frame + len, 0, ETHER_MIN_LEN - len);
			len = ETHER_MIN_LEN;
		}
		uint64_t start = t > n->wire_free ? t : n->wire_free;
		uint64_t end = start + nic_wire_cycles(&n->p, m->cost.clock_mhz, len);
		if (n->txq_n < NIC_TXQ_MAX) {
			struct nic_frame *f = &n->txq[(n->txq_head + n->txq_n++) % NIC_TXQ_MAX];
			f->start = start;
			f->end = end;
			f->len = len;
			memcpy(f->data, frame, len);
		} else {
			n->st.tx_lost++;
		}
		n->st.tx_bytes += len;
		n->tx_ndesc = k;
		n->tx_done_at = end;
		return;
	}
}

/* The frame on the wire has ended at cycle t: hand its descriptors back, raise TINT, and
 * look at the ring again at once (the next frame starts after the inter-frame gap). */
static void tx_done(struct machine *m, uint64_t t)
{
	struct nic *n = &m->nic;
	for (uint32_t i = 0; i < n->tx_ndesc; i++) {
		uint32_t d = desc(n, n->tdra, n->tx_i + i, n->tlen);
		uint32_t fl = rd16(m, d + LANCE_D_FLAGS);
		wr16(m, d + LANCE_D_MCNT, 0);
		wr16(m, d + LANCE_D_FLAGS, fl & ~((uint32_t)(LANCE_OWN | LANCE_DERR | LANCE_TMORE |
							      LANCE_TONE | LANCE_TDEF) << 8));
	}
	n->tx_i = (n->tx_i + n->tx_ndesc) % n->tlen;
	n->tx_ndesc = 0;
	n->tx_done_at = UINT64_MAX;
	n->wire_free = t + n->ifg_cyc;
	n->st.tx_frames++;
	n->csr0 |= LANCE_TINT;
	n->tx_poll_at = t;
}

static int for_us(struct nic *n, const uint8_t *dst)
{
	static const uint8_t bcast[ETHER_ADDR_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	return (n->mode & LANCE_MODE_PROM) || !memcmp(dst, n->padr, ETHER_ADDR_LEN) ||
	       !memcmp(dst, bcast, ETHER_ADDR_LEN);
}

/* A received frame is stored at its cycle: into the next receive descriptor, or missed. */
static void rx_store(struct machine *m, const struct nic_rx *f)
{
	struct nic *n = &m->nic;
	if (!(n->csr0 & LANCE_RXON) || !for_us(n, f->data)) {
		n->st.rx_dropped++;
		return;
	}
	uint32_t d = desc(n, n->rdra, n->rx_i, n->rlen);
	uint32_t fl = rd16(m, d + LANCE_D_FLAGS);
	if (!(fl & LANCE_OWN << 8)) {           /* the kernel has not given the LANCE a buffer */
		n->csr0 |= LANCE_MISS;
		n->st.rx_missed++;
		return;
	}
	uint32_t size = buf_size(rd16(m, d + LANCE_D_BCNT));
	uint32_t buf = rd16(m, d + LANCE_D_ADDR) | (fl & 0xff) << 16;
	uint32_t out = (fl & 0xff) | (uint32_t)(LANCE_STP | LANCE_ENP) << 8;
	if (size == 0 || !in_ram(m, buf, size) || f->len > size) {
		out |= (uint32_t)(LANCE_DERR | LANCE_RBUFF) << 8;
		n->st.rx_refused++;
	} else {
		dma_write(m, buf, f->data, f->len);
		wr16(m, d + LANCE_D_MCNT, f->len + ETHER_FCS_LEN);
		n->st.rx_frames++;
		n->st.rx_bytes += f->len;
	}
	wr16(m, d + LANCE_D_FLAGS, out);        /* OWN cleared last: the kernel's again */
	n->rx_i = (n->rx_i + 1) % n->rlen;
	n->csr0 |= LANCE_RINT;
}

uint64_t nic_next_event(struct machine *m)
{
	struct nic *n = &m->nic;
	uint64_t t = n->tx_poll_at < n->tx_done_at ? n->tx_poll_at : n->tx_done_at;
	if (n->rxq_n && n->rxq[n->rxq_head].at < t)
		t = n->rxq[n->rxq_head].at;
	return t;
}

/* Run every event due by the current cycle, in cycle order (at one cycle: the end of a
 * transmission, then the ring poll, then receptions). */
void nic_events(struct machine *m)
{
	struct nic *n = &m->nic;
	uint64_t now = m->c.cycles;
	for (;;) {
		uint64_t rx = n->rxq_n ? n->rxq[n->rxq_head].at : UINT64_MAX;
		if (n->tx_done_at <= now && n->tx_done_at <= n->tx_poll_at && n->tx_done_at <= rx) {
			tx_done(m, n->tx_done_at);
		} else if (n->tx_poll_at <= now && n->tx_poll_at <= rx) {
			tx_poll(m, n->tx_poll_at);
		} else if (rx <= now) {
			rx_store(m, &n->rxq[n->rxq_head]);
			n->rxq_head = (n->rxq_head + 1) % NIC_RXQ_MAX;
			n->rxq_n--;
		} else {
			break;
		}
	}
	update_line(m);
}

/* Queue a frame whose last bit arrives at cycle `at` (its DMA ends rx_dma_us later), in
 * arrival order (after any other frame of the same cycle).  0, or -1: queue full. */
int nic_deliver(struct machine *m, uint64_t at, const uint8_t *frame, uint32_t len)
{
	struct nic *n = &m->nic;
	if (n->rxq_n == NIC_RXQ_MAX) {
		n->st.rx_dropped++;
		return -1;
	}
	at += n->rx_dma_cyc;
	uint32_t i = n->rxq_n++;
	/* insertion sort from the tail: arrivals almost always come in order */
	while (i > 0 && n->rxq[(n->rxq_head + i - 1) % NIC_RXQ_MAX].at > at) {
		n->rxq[(n->rxq_head + i) % NIC_RXQ_MAX] = n->rxq[(n->rxq_head + i - 1) % NIC_RXQ_MAX];
		i--;
	}
	struct nic_rx *slot = &n->rxq[(n->rxq_head + i) % NIC_RXQ_MAX];
	slot->at = at;
	slot->len = len;
	memcpy(slot->data, frame, len);
	cpu_schedule(m);
	return 0;
}

/* ---- the host's side (machine_api.h) ---- */

void machine_nic_set_station(machine_t *m, uint32_t station) { m->nic.station = station & 0xffffff; }
uint32_t machine_nic_station(machine_t *m) { return m->nic.station; }
struct nic_params machine_nic_params(machine_t *m) { return m->nic.p; }
struct nic_stats machine_nic_stats(machine_t *m) { return m->nic.st; }

int machine_nic_set_params(machine_t *m, const struct nic_params *p)
{
	if (!(p->mbit_s >= 0.1 && p->mbit_s <= 1e4) || !(p->tx_start_us >= 0 && p->tx_start_us <= 1e4) ||
	    !(p->rx_dma_us >= 0 && p->rx_dma_us <= 1e4)) {
		machine_set_error("nic parameters: mbit_s must be 0.1..10000, latencies 0..10000 us");
		return -1;
	}
	m->nic.p = *p;
	derive(m);
	return 0;
}

int machine_nic_inject(machine_t *m, uint64_t cycle, const uint8_t *frame, uint32_t len)
{
	if (len < ETHER_HDR_LEN || len > ETHER_MAX_LEN) {
		machine_set_error("a frame is 14..1514 bytes (without the FCS)");
		return -1;
	}
	if (cycle < m->c.cycles) {
		machine_set_error("the frame's cycle is in the machine's past");
		return -1;
	}
	if (nic_deliver(m, cycle, frame, len)) {
		machine_set_error("too many frames on their way in");
		return -1;
	}
	return 0;
}

int machine_nic_take(machine_t *m, struct nic_frame *out)
{
	struct nic *n = &m->nic;
	if (n->txq_n == 0)
		return 0;
	*out = n->txq[n->txq_head];
	n->txq_head = (n->txq_head + 1) % NIC_TXQ_MAX;
	n->txq_n--;
	return 1;
}
