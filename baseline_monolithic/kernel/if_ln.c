/*
 * if_ln.c - the LANCE driver (Ultrix 4.2 sys/io/netif/if_ln.c, the
 * DS5000/1xx "ln_dodma" flavour), for include/lance.h's device.
 *
 * Rings of 16 receive and 16 transmit descriptors (Ultrix if_ln_data.c:
 * RLEN = TLEN = 4).  As on the 5000/1xx, the LANCE DMAs straight into mbufs:
 * every receive descriptor owns an mbuf, which lnread() passes up without a
 * copy and replaces with a fresh one; lnstart() hands each outgoing mbuf to a
 * transmit descriptor and lntint() frees it when the LANCE is done.  The
 * descriptors are read and written through kseg1 (uncached: the LANCE's DMA
 * is not coherent with the caches).  lnintr() runs at splimp: it saves CSR0,
 * writes it back (clearing the interrupt bits it saw) and INEA, then
 * services the receive and transmit rings, as Ultrix does.
 */
#include "net.h"

#define NRCV            (1 << 4)
#define NXMT            (1 << 4)
#define LN_REG(off)     (*(volatile uint32_t *)(LANCE_KSEG1 + (off)))
#define K1(kva)         ((volatile struct lance_desc *)((uint32_t)(kva) - KSEG0_BASE + KSEG1_BASE))
#define PHYS(kva)       ((uint32_t)(kva) - KSEG0_BASE)

uint8_t ln_addr[ETHER_ADDR_LEN];
uint32_t ln_station;
static struct lance_init ln_ib __attribute__((aligned(8)));
static struct lance_desc ln_rring[NRCV] __attribute__((aligned(8)));
static struct lance_desc ln_tring[NXMT] __attribute__((aligned(8)));
static struct mbuf *ln_rmbuf[NRCV], *ln_tmbuf[NXMT];
static int ln_rindex, ln_tindex, ln_otindex;
int ln_up;
static struct ifqueue ln_snd;
static uint32_t ln_ipackets, ln_opackets, ln_ierrors, ln_oerrors, ln_miss;

/* Point descriptor d at the data of m (its 24-bit physical address) with OWN set or not. */
static void ln_setdesc(volatile struct lance_desc *d, struct mbuf *m, uint32_t len, int flags)
{
	uint32_t pa = PHYS(mtod(m));

	d->addr = (uint16_t)pa;
	d->bcnt = (uint16_t)(-(int32_t)len) | LANCE_BCNT_ONES;
	d->mcnt = 0;
	d->flags = (uint16_t)(flags << 8 | (pa >> 16 & 0xff));
}

static void ln_csr(int csr, uint32_t v)
{
	LN_REG(LANCE_RAP) = csr;
	LN_REG(LANCE_RDP) = v;
}

/*
 * lninit(): read the station address ROM, build the init block and rings
 * (each receive descriptor with an mbuf of its own), INIT, wait for IDON,
 * STRT with interrupts on.  Ultrix does this at boot (ifconfig); we do it
 * at the first socket, so runs without the network do not pay for it.
 * Returns 0, or ENOBUFS (no mbufs) or ENETDOWN (the LANCE refused the block).
 */
int lninit(void)
{
	int i, s;

	if (ln_up)
		return 0;
	for (i = 0; i < ETHER_ADDR_LEN; i++)
		ln_addr[i] = (uint8_t)LN_REG(LANCE_ESAR + 4 * i);
	ln_station = (uint32_t)ln_addr[3] << 16 | (uint32_t)ln_addr[4] << 8 | ln_addr[5];
	memcpy(ln_ib.padr, ln_addr, ETHER_ADDR_LEN);
	ln_ib.mode = 0;
	ln_ib.rdra = (uint16_t)PHYS(ln_rring);
	ln_ib.rlen = (uint16_t)(4 << LANCE_LEN_SHIFT | (PHYS(ln_rring) >> 16 & 0xff));
	ln_ib.tdra = (uint16_t)PHYS(ln_tring);
	ln_ib.tlen = (uint16_t)(4 << LANCE_LEN_SHIFT | (PHYS(ln_tring) >> 16 & 0xff));
	for (i = 0; i < NRCV; i++) {
		if (!ln_rmbuf[i] && !(ln_rmbuf[i] = m_get()))
			return ENOBUFS;
		ln_setdesc(K1(&ln_rring[i]), ln_rmbuf[i], MCLBYTES - ln_rmbuf[i]->m_off, LANCE_OWN);
	}
	for (i = 0; i < NXMT; i++)
		K1(&ln_tring[i])->flags = 0;
	s = splimp();
	ln_csr(LANCE_CSR0, LANCE_STOP);
	ln_csr(LANCE_CSR1, PHYS(&ln_ib) & 0xffff);
	ln_csr(LANCE_CSR2, PHYS(&ln_ib) >> 16);
	ln_csr(LANCE_CSR3, 0);
	ln_csr(LANCE_CSR0, LANCE_INIT);
	for (i = 0; i < 1000 && !(LN_REG(LANCE_RDP) & (LANCE_IDON | LANCE_MERR)); i++)
		;
	if (!(LN_REG(LANCE_RDP) & LANCE_IDON)) {
		splx(s);
		return ENETDOWN;
	}
	LN_REG(LANCE_RDP) = LANCE_IDON | LANCE_STRT | LANCE_INEA;
	ln_up = 1;
	splx(s);
	return 0;
}

/* lnread(): a frame in receive slot i: the IP ones go up in their mbuf (swapped for a
 * fresh one, or dropped when none is free), others are dropped.  At splimp. */
static void lnread(int i, uint32_t len)
{
	struct mbuf *m = ln_rmbuf[i], *nm;
	uint8_t *eh = mtod(m);

	if (len < ETHER_HDR_LEN || (eh[NET_ETH_TYPE] << 8 | eh[NET_ETH_TYPE + 1]) != NET_ETHERTYPE_IP ||
	    !(nm = m_get())) {
		ln_ierrors++;
		return;                 /* the descriptor keeps its mbuf */
	}
	ln_ipackets++;
	m->m_len = len;
	ln_rmbuf[i] = nm;
	if (ipintrq.ifq_len >= IFQ_MAXLEN) {
		ipintrq.ifq_drops++;
		m_freem(m);
		return;
	}
	if_enqueue(&ipintrq, m);
	setsoftnet();                   /* schednetisr(NETISR_IP) */
}

/* lnrint(): every frame the LANCE has handed back, in ring order; each slot is
 * given back with its (new) mbuf. */
static void lnrint(void)
{
	volatile struct lance_desc *d;

	while (!((d = K1(&ln_rring[ln_rindex]))->flags & LANCE_OWN << 8)) {
		uint32_t fl = d->flags >> 8;
		if ((fl & LANCE_DERR) || (fl & (LANCE_STP | LANCE_ENP)) != (LANCE_STP | LANCE_ENP))
			ln_ierrors++;
		else
			lnread(ln_rindex, d->mcnt - ETHER_FCS_LEN);
		ln_setdesc(d, ln_rmbuf[ln_rindex], MCLBYTES - ln_rmbuf[ln_rindex]->m_off, LANCE_OWN);
		ln_rindex = (ln_rindex + 1) % NRCV;
	}
}

/* lnstart(): move queued frames into free transmit slots, then TDMD.  At splimp. */
static void lnstart(void)
{
	struct mbuf *m;
	int sent = 0;

	while (ln_snd.ifq_head && !ln_tmbuf[ln_tindex]) {
		m = if_dequeue(&ln_snd);
		ln_tmbuf[ln_tindex] = m;
		ln_setdesc(K1(&ln_tring[ln_tindex]), m, m->m_len, LANCE_OWN | LANCE_STP | LANCE_ENP);
		ln_tindex = (ln_tindex + 1) % NXMT;
		sent = 1;
	}
	if (sent)
		LN_REG(LANCE_RDP) = LANCE_TDMD | LANCE_INEA;
}

/* lntint(): free the mbufs of the frames the LANCE has sent, then send more. */
static void lntint(void)
{
	volatile struct lance_desc *d;

	while (ln_tmbuf[ln_otindex] && !((d = K1(&ln_tring[ln_otindex]))->flags & LANCE_OWN << 8)) {
		if (d->flags & LANCE_DERR << 8)
			ln_oerrors++;
		else
			ln_opackets++;
		m_freem(ln_tmbuf[ln_otindex]);
		ln_tmbuf[ln_otindex] = 0;
		ln_otindex = (ln_otindex + 1) % NXMT;
	}
	lnstart();
}

/* lnintr(): the LANCE's interrupt (trap.c intr()), at splimp. */
void lnintr(void)
{
	int s = splimp();
	uint32_t csr;

	LN_REG(LANCE_RAP) = LANCE_CSR0;
	csr = LN_REG(LANCE_RDP);
	LN_REG(LANCE_RDP) = csr & ~LANCE_INEA;  /* clear what we saw (write one to clear) */
	LN_REG(LANCE_RDP) = LANCE_INEA;
	if (csr & LANCE_MISS)
		ln_miss++;
	if (csr & LANCE_RINT)
		lnrint();
	if (csr & LANCE_TINT)
		lntint();
	splx(s);
}

/*
 * ln_output(m, dst_ip): ether_output() and the driver's start: prepend the
 * Ethernet header (the destination's address from its IP address: a static
 * ARP table, see README), queue on the interface, start it.  m holds an IP
 * datagram with ETHER_HDR_LEN bytes of room in front.  Returns 0, or
 * ENOBUFS when the queue is full (the mbuf is freed either way on error).
 */
int ln_output(struct mbuf *m, uint32_t dst_ip)
{
	uint8_t *eh;
	int s;

	m->m_off -= ETHER_HDR_LEN;
	m->m_len += ETHER_HDR_LEN;
	eh = mtod(m);
	eh[0] = ETHER_OUI0;
	eh[1] = ETHER_OUI1;
	eh[2] = ETHER_OUI2;
	eh[3] = 0;                      /* arpresolve: stations' addresses follow their IP (netproto.h) */
	eh[4] = (uint8_t)(dst_ip >> 8);
	eh[5] = (uint8_t)dst_ip;
	memcpy(eh + NET_ETH_SRC, ln_addr, ETHER_ADDR_LEN);
	eh[NET_ETH_TYPE] = NET_ETHERTYPE_IP >> 8;
	eh[NET_ETH_TYPE + 1] = NET_ETHERTYPE_IP & 0xff;
	s = splimp();
	if (ln_snd.ifq_len >= IFQ_MAXLEN) {
		ln_snd.ifq_drops++;
		splx(s);
		m_freem(m);
		return ENOBUFS;
	}
	if_enqueue(&ln_snd, m);
	lnstart();
	splx(s);
	return 0;
}
