/*
 * nic.h - the LANCE's state inside a machine (csrc/nic.c), and the calls the
 * rest of the emulator makes into it.  Register map and formats: include/lance.h.
 */
#ifndef EXOBENCH_NIC_H
#define EXOBENCH_NIC_H

#include <stdint.h>
#include "machine_api.h"
#include "lance.h"

#define NIC_RXQ_MAX     256     /* frames on their way in (arrival not reached yet) */
#define NIC_TXQ_MAX     256     /* sent frames the host has not taken yet */

struct nic_rx {
	uint64_t at;            /* cycle the last bit arrives */
	uint32_t len;
	uint8_t data[ETHER_MAX_LEN];
};

struct nic {
	/* registers */
	uint32_t rap;
	uint16_t csr0, csr1, csr2, csr3;
	uint32_t station;       /* 24-bit station number: the ESAR ROM; kept across reset */
	/* what INIT read from the init block */
	int inited;
	uint16_t mode;
	uint8_t padr[ETHER_ADDR_LEN];
	uint32_t rdra, tdra;    /* ring physical addresses */
	uint32_t rlen, tlen;    /* descriptors per ring */
	uint32_t rx_i, tx_i;    /* the next descriptor the LANCE looks at */
	/* transmitter: at most one frame on the wire */
	uint64_t tx_poll_at;    /* look at the transmit ring at this cycle (UINT64_MAX: idle) */
	uint64_t tx_done_at;    /* the frame on the wire ends (UINT64_MAX: none) */
	uint32_t tx_ndesc;      /* its descriptors, from tx_i */
	uint64_t wire_free;     /* earliest start of the next frame (end + inter-frame gap) */
	/* receiver: frames on their way, in arrival order */
	struct nic_rx *rxq;
	uint32_t rxq_head, rxq_n;
	/* sent frames for the host */
	struct nic_frame *txq;
	uint32_t txq_head, txq_n;
	int line;               /* level of LANCE_LINE as last driven */
	struct nic_stats st;
	struct nic_params p;
	uint64_t tx_start_cyc, rx_dma_cyc, ifg_cyc;     /* p in cycles at the machine's clock */
};

struct machine;
void nic_init(struct machine *m);               /* once, at machine_new: defaults, buffers */
int nic_alloc(struct machine *m);               /* 0, or -1: out of memory */
void nic_reset(struct machine *m);
void nic_free(struct machine *m);
uint32_t nic_read(struct machine *m, uint32_t off);
void nic_write(struct machine *m, uint32_t off, uint32_t val);
void nic_events(struct machine *m);             /* run every device event due by now */
uint64_t nic_next_event(struct machine *m);     /* cycle of the next one, UINT64_MAX if none */
uint64_t nic_wire_cycles(const struct nic_params *p, double clock_mhz, uint32_t len);
int nic_deliver(struct machine *m, uint64_t at, const uint8_t *frame, uint32_t len);

#endif
