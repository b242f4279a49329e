/*
 * lance.c - Aegis's driver for the LANCE (include/lance.h): a kernel-only device on
 * hardware interrupt Int1, reached through kseg1 and never mapped for anyone.
 *
 * The receive ring's buffers are kernel memory: at an interrupt, every frame the
 * device has handed back goes through the receive path (net.c: DPF demultiplexing,
 * the owner's ASH -- whose reply, if any, is transmitted at once, still in the
 * interrupt -- or the owner's queue) and its descriptor goes back to the device.
 * Transmission copies the frame into the next transmit buffer the kernel owns and
 * demands transmission (TDMD); a full ring refuses (AE_EBUSY) rather than wait with
 * interrupts off.
 *
 * Started at boot only when the boot parameter "aegis_net" is set (machines without a
 * link leave the device alone).
 */
#include "dpf.h"
#include "lance.h"

#define NRX_LOG2        3
#define NTX_LOG2        2
#define NRX             (1 << NRX_LOG2)
#define NTX             (1 << NTX_LOG2)
#define BUFSZ           (ETHER_MAX_LEN + ETHER_FCS_LEN)

#define LREG(off)       (*(volatile uint32_t *)((uintptr_t)LANCE_KSEG1 + (off)))

static struct lance_init ib __attribute__((aligned(8)));
static struct lance_desc rxd[NRX] __attribute__((aligned(8)));
static struct lance_desc txd[NTX] __attribute__((aligned(8)));
static uint32_t rxbuf[NRX][(BUFSZ + 3) / 4];
static uint32_t txbuf[NTX][(BUFSZ + 3) / 4];
static uint32_t txnext;
static int up;
uint8_t lance_station[ETHER_ADDR_LEN];
uint32_t lance_rx_frames, lance_tx_frames, lance_tx_busy;

static void csr_write(uint32_t csr, uint32_t v)
{
	LREG(LANCE_RAP) = csr;
	LREG(LANCE_RDP) = v;
}

static uint32_t csr0(void)
{
	LREG(LANCE_RAP) = LANCE_CSR0;
	return LREG(LANCE_RDP) & 0xffff;
}

static void desc_give(struct lance_desc *d, const void *buf, uint32_t size, uint32_t flags)
{
	uint32_t pa = PADDR(buf);
	d->addr = (uint16_t)pa;
	d->bcnt = (uint16_t)(-size | LANCE_BCNT_ONES);
	d->mcnt = 0;
	d->flags = (uint16_t)((flags | LANCE_OWN) << 8 | (pa >> 16 & 0xff));   /* OWN last */
}

/* Write this machine's station address (all zeros without a device) as frame's source. */
void lance_source(uint8_t *frame)
{
	memcpy(frame + ETHER_ADDR_LEN, lance_station, ETHER_ADDR_LEN);
}

/* At boot, if "aegis_net": the init block, the rings, start with interrupts enabled. */
void lance_init(void)
{
	for (uint32_t i = 0; i < ETHER_ADDR_LEN; i++)
		lance_station[i] = (uint8_t)LREG(LANCE_ESAR + 4 * i);
	csr_write(LANCE_CSR0, LANCE_STOP);
	ib.mode = 0;
	for (uint32_t i = 0; i < ETHER_ADDR_LEN; i++)
		ib.padr[i] = lance_station[i];
	uint32_t r = PADDR(rxd), t = PADDR(txd);
	ib.rdra = (uint16_t)r;
	ib.rlen = (uint16_t)(NRX_LOG2 << LANCE_LEN_SHIFT | (r >> 16 & 0xff));
	ib.tdra = (uint16_t)t;
	ib.tlen = (uint16_t)(NTX_LOG2 << LANCE_LEN_SHIFT | (t >> 16 & 0xff));
	for (uint32_t i = 0; i < NRX; i++)
		desc_give(&rxd[i], rxbuf[i], BUFSZ, 0);
	for (uint32_t i = 0; i < NTX; i++)
		txd[i] = (struct lance_desc){0, 0, 0, 0};
	uint32_t ibp = PADDR(&ib);
	csr_write(LANCE_CSR1, ibp & 0xffff);
	csr_write(LANCE_CSR2, ibp >> 16 & 0xff);
	csr_write(LANCE_CSR3, 0);
	csr_write(LANCE_CSR0, LANCE_INIT);
	while (!(csr0() & LANCE_IDON))
		;
	csr_write(LANCE_CSR0, LANCE_IDON | LANCE_STRT | LANCE_INEA);
	up = 1;
}

/* Transmit a frame (kernel-readable, ETHER_HDR_LEN <= len <= ETHER_MAX_LEN) with this
 * machine's station address as its source, which the kernel writes: neither an environment
 * nor an ASH can send as another machine.  -> 0; AE_EBUSY the next transmit descriptor is
 * still the device's; AE_ENOSYS no device. */
int32_t lance_send(const uint8_t *frame, uint32_t len)
{
	if (!up)
		return AE_ENOSYS;
	struct lance_desc *d = &txd[txnext];
	if (d->flags >> 8 & LANCE_OWN) {
		lance_tx_busy++;
		return AE_EBUSY;
	}
	memcpy(txbuf[txnext], frame, len);
	lance_source((uint8_t *)txbuf[txnext]);
	desc_give(d, txbuf[txnext], len, LANCE_STP | LANCE_ENP);
	txnext = (txnext + 1) % NTX;
	csr_write(LANCE_CSR0, LANCE_TDMD | LANCE_INEA);
	lance_tx_frames++;
	return 0;
}

/* The LANCE's interrupt (intr_c): acknowledge, then every received frame through net.c. */
void lance_intr(void)
{
	uint32_t s = csr0();
	csr_write(LANCE_CSR0, (s & (LANCE_RINT | LANCE_TINT | LANCE_IDON | LANCE_MISS | LANCE_MERR |
				     LANCE_BABL | LANCE_CERR)) | LANCE_INEA);
	static uint32_t rxnext;
	for (uint32_t k = 0; k < NRX; k++) {
		struct lance_desc *d = &rxd[rxnext];
		uint32_t fl = d->flags >> 8;
		if (fl & LANCE_OWN)
			break;
		uint32_t len = d->mcnt & 0xfff;
		if (!(fl & LANCE_DERR) && len >= ETHER_FCS_LEN + ETHER_HDR_LEN &&
		    len - ETHER_FCS_LEN <= DPF_MAXPKT) {
			const uint8_t *reply;
			uint32_t rlen;
			int32_t act;
			lance_rx_frames++;
			net_input((const uint8_t *)rxbuf[rxnext], len - ETHER_FCS_LEN, &reply, &rlen, &act);
			if (rlen)
				lance_send(reply, rlen);
		}
		desc_give(d, rxbuf[rxnext], BUFSZ, 0);
		rxnext = (rxnext + 1) % NRX;
	}
}

/* SYS_NET_SEND: a frame from the caller's guaranteed-mapped memory onto the wire (source
 * address: this machine's, see lance_send).  -> 0; AE_EINVAL (length outside
 * ETHER_HDR_LEN..ETHER_MAX_LEN, the frame not in guaranteed RAM), AE_EBUSY, AE_ENOSYS. */
sysret_t sys_net_send(uint32_t uva, uint32_t len)
{
	const uint8_t *src = len < ETHER_HDR_LEN || len > ETHER_MAX_LEN ? 0 : env_kptr(curenv, uva, len);
	if (!src)
		return AE_EINVAL;
	return lance_send(src, len);
}

/* SYS_NET_STATION: this machine's station number (the last three bytes of its address). */
sysret_t sys_net_station(void)
{
	if (!up)
		return AE_ENOSYS;
	return (uint32_t)lance_station[3] << 16 | (uint32_t)lance_station[4] << 8 | lance_station[5];
}
