/*
 * lance.h - the network interface: an AMD Am7990 LANCE as a kernel-only device.
 *
 * The one place where the emulator (csrc/nic.c), the kernels' drivers and the
 * Python side (exobench.constants) agree on the NIC.  Plain #defines outside
 * the __ASSEMBLER__ block so that assembly and the Python parser read them.
 *
 * Where it sits.  At the DECstation 2100/3100 (KN01) LANCE address, physical
 * LANCE_PADDR, reached by kernels through kseg1 (LANCE_KSEG1), and on CPU
 * hardware interrupt line Int1 (Cause.IP3), as on the KN01 (4.4BSD pmax
 * kn01.h; the board timer is on Int3).  It is NOT on the board's user page
 * and no kernel maps it into an address space: user code cannot reach it
 * (kseg1 from user mode is an address error; through kuseg it is whatever the
 * TLB says, and kernels never enter this frame).
 *
 * Registers (Am7990 data sheet, "Register Access"; NetBSD sys/dev/ic/lancereg.h):
 * a register data port (RDP) and a register address port (RAP), 16 bits each,
 * on a 32-bit word stride as the KN01 wires them (BSD kn01 `struct lereg1`:
 * a short and a pad).  Word accesses only; the upper 16 bits read 0.  The
 * kernel writes the CSR number (0..3) to RAP, then reads or writes CSR<RAP>
 * through RDP.  CSR1/CSR2 hold the init block's address (bits 15:0 and 23:16);
 * CSR3 the bus control (byte swap etc.: stored, no effect here).
 * CSR0 bits below: INIT/STRT/STOP/TDMD/INEA are commands or enables the
 * kernel sets; RINT/TINT/IDON/MISS/MERR/BABL/CERR are status cleared by
 * writing 1 (write-one-to-clear); INTR, RXON, TXON, ERR are read-only.
 * The line is raised while CSR0.INEA and CSR0.INTR are both set.
 *
 * The station address ROM (a board register): six words at LANCE_ESAR, the
 * low byte of word i is byte i of this machine's Ethernet address, as the
 * DECstation's Ethernet address ROMs present one byte per 32-bit word.  The
 * host sets the address (machine_nic_set_station); the kernel copies it into
 * the init block's PADR.
 *
 * Guest memory formats (little-endian 16-bit words, as the LANCE sees a
 * little-endian MIPS host with CSR3.BSWP = 0):
 *   init block (LANCE_IB_SIZE bytes, word aligned): mode, padr[3], ladrf[4],
 *     rdra[15:0], rlen<<13 | rdra[23:16], tdra[15:0], tlen<<13 | tdra[23:16];
 *     rlen/tlen are log2 of the number of descriptors (0..7: 1..128);
 *   descriptors (8 bytes, 8-byte aligned, a ring of 2^rlen / 2^tlen):
 *     word 0: buffer address [15:0]
 *     word 1: flags << 8 | buffer address [23:16]
 *     word 2: BCNT, the buffer size as a 12-bit two's-complement negative
 *             number with bits 15:12 set (-len | 0xf000)
 *     word 3: receive: MCNT, the frame length incl. the 4-byte FCS;
 *             transmit: error bits (TMD3_*).
 *   The kernel owns a descriptor while OWN is clear; it sets OWN to hand it
 *   to the LANCE, which clears it when done (receive: frame stored; transmit:
 *   frame sent or refused).
 *
 * Simplifications (each stated; see docs/design.md "The network"):
 *   - the LANCE DMAs straight into main RAM at 24-bit physical addresses,
 *     without the KN01's 64 KiB gapped LANCE buffer or the 3MIN IOASIC's
 *     16-bit-gapped DMA region, so drivers need no copy to/from a staging buffer
 *     (both kernels alike).  DMA writes invalidate the D-cache lines they cover
 *     (the misses a driver pays on the real machine, by flushing or reading
 *     through kseg1);
 *   - transmission starts on TDMD only (the 1.6 ms transmit-ring poll is not
 *     modelled), and short frames are padded to ETHER_MIN_LEN with zeros by the
 *     device (a driver pads them on the real LANCE);
 *   - no collisions, no FCS errors, no multicast (LADRF is stored, ignored):
 *     a receiver accepts frames to its PADR, broadcast, or anything in
 *     promiscuous mode (LANCE_MODE_PROM);
 *   - a received frame larger than the descriptor's buffer is not chained
 *     across descriptors: it is dropped with ERR|BUFF in that descriptor (a
 *     kernel that gives every receive buffer ETHER_MAX_LEN + 4 bytes, as both
 *     do, never sees it);
 *   - a transmit frame may span descriptors (STP .. ENP) as on the LANCE.
 * Timing (wire time, transmit-start latency, receive DMA latency) is in
 * csrc/nic.c with its sources and ranges; register accesses cost the
 * machine's uncached-access cycles.
 */
#ifndef EXOBENCH_LANCE_H
#define EXOBENCH_LANCE_H

#define LANCE_PADDR         0x18000000  /* KN01 "SYS_LANCE" */
#define LANCE_KSEG1         0xb8000000
#define LANCE_SIZE          0x1000      /* one page of registers */
#define LANCE_LINE          1           /* hardware interrupt Int1 (Cause.IP3) */

/* Register offsets (word accesses). */
#define LANCE_RDP           0x00
#define LANCE_RAP           0x04
#define LANCE_ESAR          0x40        /* 6 words: the station address, one byte each */
#define LANCE_MISSED        0x60        /* r: frames missed (no receive descriptor) so far; emulator
                                           statistic, like the Am79C90's CSR MPC: not on the Am7990 */

/* CSR numbers written to RAP. */
#define LANCE_CSR0          0
#define LANCE_CSR1          1           /* init block address [15:0] (bit 0 must be 0) */
#define LANCE_CSR2          2           /* init block address [23:16] */
#define LANCE_CSR3          3           /* bus control: stored only */

/* CSR0 bits (Am7990). */
#define LANCE_ERR           0x8000      /* r: BABL|CERR|MISS|MERR */
#define LANCE_BABL          0x4000      /* w1c: transmitter babble (never raised here) */
#define LANCE_CERR          0x2000      /* w1c: collision error (never raised here) */
#define LANCE_MISS          0x1000      /* w1c: a frame arrived with no receive descriptor owned */
#define LANCE_MERR          0x0800      /* w1c: memory error: a ring, init block or buffer outside RAM */
#define LANCE_RINT          0x0400      /* w1c: a frame was received */
#define LANCE_TINT          0x0200      /* w1c: a transmit descriptor was completed */
#define LANCE_IDON          0x0100      /* w1c: initialization done */
#define LANCE_INTR          0x0080      /* r: BABL|MISS|MERR|RINT|TINT|IDON */
#define LANCE_INEA          0x0040      /* rw: interrupt enable */
#define LANCE_RXON          0x0020      /* r: receiver on */
#define LANCE_TXON          0x0010      /* r: transmitter on */
#define LANCE_TDMD          0x0008      /* w: transmit demand: look at the transmit ring now */
#define LANCE_STOP          0x0004      /* w: stop (reset) the device; other CSR0 bits of the write ignored */
#define LANCE_STRT          0x0002      /* w: start receiver and transmitter */
#define LANCE_INIT          0x0001      /* w: read the init block (CSR1/CSR2) */

/* Init block (byte offsets) and its mode word. */
#define LANCE_IB_MODE       0
#define LANCE_IB_PADR       2           /* 6 bytes: station address in wire order */
#define LANCE_IB_LADRF      8           /* 8 bytes: multicast filter (ignored) */
#define LANCE_IB_RDRA       16          /* receive ring: address [15:0] */
#define LANCE_IB_RLEN       18          /* rlen << 13 | address [23:16] */
#define LANCE_IB_TDRA       20
#define LANCE_IB_TLEN       22
#define LANCE_IB_SIZE       24
#define LANCE_MODE_PROM     0x8000      /* receive every frame */
#define LANCE_MODE_DRX      0x0001      /* disable the receiver */
#define LANCE_MODE_DTX      0x0002      /* disable the transmitter */
#define LANCE_LEN_SHIFT     13
#define LANCE_MAX_LOG2      7           /* rings of at most 128 descriptors */

/* Descriptors (byte offsets of the four 16-bit words). */
#define LANCE_DESC_SIZE     8
#define LANCE_D_ADDR        0
#define LANCE_D_FLAGS       2           /* flags << 8 | address [23:16] */
#define LANCE_D_BCNT        4
#define LANCE_D_MCNT        6           /* receive: message length; transmit: TMD3 */
#define LANCE_BCNT_ONES     0xf000      /* bits 15:12 of BCNT must be set */

/* Descriptor flags (the high byte of word 1). */
#define LANCE_OWN           0x80        /* the LANCE owns it */
#define LANCE_DERR          0x40        /* ERR: an error bit below is set */
#define LANCE_RFRAM         0x20        /* receive: framing error (never raised here) */
#define LANCE_ROFLO         0x10        /* receive: overflow (never raised here) */
#define LANCE_RCRC          0x08        /* receive: bad FCS (never raised here) */
#define LANCE_RBUFF         0x04        /* receive: frame did not fit the buffer (dropped) */
#define LANCE_STP           0x02        /* start of packet */
#define LANCE_ENP           0x01        /* end of packet */
#define LANCE_TMORE         0x10        /* transmit: more than one retry (never raised here) */
#define LANCE_TONE          0x08        /* transmit: exactly one retry (never raised here) */
#define LANCE_TDEF          0x04        /* transmit: deferred (never raised here) */

/* Transmit word 3 (TMD3) error bits. */
#define LANCE_TMD3_BUFF     0x8000      /* a frame's chain ended without ENP on a descriptor we own */
#define LANCE_TMD3_UFLO     0x4000      /* refused: bad descriptor (byte count without the ones,
                                           zero or over ETHER_MAX_LEN, buffer outside RAM) */
#define LANCE_TMD3_LCOL     0x1000
#define LANCE_TMD3_LCAR     0x0800
#define LANCE_TMD3_RTRY     0x0400

/* Frame sizes without the FCS (IEEE 802.3 clause 3.2.7/4.4.2; netproto.h uses them). */
#define ETHER_ADDR_LEN      6
#define ETHER_HDR_LEN       14
#define ETHER_MIN_LEN       60          /* 64 on the wire with the FCS */
#define ETHER_MAX_LEN       1514        /* 1518 on the wire with the FCS */
#define ETHER_FCS_LEN       4
#define ETHER_MTU           1500

/* Station addresses: DEC's OUI 08-00-2b, then the 24-bit station number the host
 * gives each machine (machine_nic_set_station); all ones is broadcast. */
#define ETHER_OUI0          0x08
#define ETHER_OUI1          0x00
#define ETHER_OUI2          0x2b

#ifndef __ASSEMBLER__
#include <stdint.h>

struct lance_init {
	uint16_t mode;
	uint8_t padr[ETHER_ADDR_LEN];
	uint16_t ladrf[4];
	uint16_t rdra, rlen;
	uint16_t tdra, tlen;
};

struct lance_desc {
	uint16_t addr;
	uint16_t flags;         /* flags << 8 | address [23:16] */
	uint16_t bcnt;          /* -size | LANCE_BCNT_ONES */
	uint16_t mcnt;          /* receive: length with FCS; transmit: TMD3 */
};

_Static_assert(sizeof(struct lance_init) == LANCE_IB_SIZE, "init block layout");
_Static_assert(sizeof(struct lance_desc) == LANCE_DESC_SIZE, "descriptor layout");
#endif

#endif
