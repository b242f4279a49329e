/*
 * netinet.c - IP and UDP (Ultrix 4.2 sys/net/netinet/ip_input.c,
 * ip_output.c, udp_usrreq.c, in_cksum.c), for the datagrams of
 * include/netproto.h.
 *
 * Input runs from the software network interrupt (ipintr, at splnet): the
 * checks of ip_input (version and header length, header checksum, lengths,
 * fragments, destination), then udp_input: UDP length, the protocol control
 * block of the destination port, sbappendaddr to its socket and
 * sorwakeup.  Output: udp_output fills the UDP header, ip_output the IP
 * header and its checksum, and hands the datagram to the interface.
 * Departures from Ultrix (README): no IP options, no reassembly (fragments
 * are dropped), no forwarding, no ICMP (a datagram to a port nobody has bound
 * is dropped without a port-unreachable), no UDP checksum (netproto.h).
 */
#include "net.h"

struct ifqueue ipintrq;
static uint16_t ip_id;
static uint32_t ips_badsum, ips_tooshort, ips_badlen, ips_fragdropped, ips_cantforward, ips_noproto;
static uint32_t udps_badlen, udps_noport, udps_delivered;

static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t get32(const uint8_t *p) { return get16(p) << 16 | get16(p + 2); }
static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }

/* in_cksum(): the Internet checksum of n bytes (n even), as stored (0 when a
 * header with its checksum in place is intact). */
static uint32_t in_cksum(const uint8_t *p, int n)
{
	uint32_t sum = 0;

	for (; n > 1; n -= 2, p += 2)
		sum += get16(p);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static uint32_t my_ip(void)
{
	return NET_IP(ln_station);
}

/* udp_input(m): m's data is the IP datagram (ip_len bytes); its header checked. */
static void udp_input(struct mbuf *m, uint32_t ip_len)
{
	uint8_t *ip = mtod(m), *uh = ip + NET_IP_HLEN;
	uint32_t ulen = get16(uh + 4);
	struct socket *so;

	if (ip_len < NET_IP_HLEN + NET_UDP_HLEN || ulen != ip_len - NET_IP_HLEN || ulen < NET_UDP_HLEN) {
		udps_badlen++;
		m_freem(m);
		return;
	}
	if (!(so = udp_lookup((uint16_t)get16(uh + 2)))) {
		udps_noport++;          /* Ultrix answers with ICMP port unreachable */
		m_freem(m);
		return;
	}
	m->m_faddr = get32(ip + 12);
	m->m_fport = (uint16_t)get16(uh);
	m->m_off += NET_IP_HLEN + NET_UDP_HLEN;         /* the data */
	m->m_len = ulen - NET_UDP_HLEN;
	udps_delivered++;
	udp_deliver(so, m);
}

/* ip_input(m): m holds a frame from lnread (Ethernet header first). */
static void ip_input(struct mbuf *m)
{
	uint8_t *ip;
	uint32_t len, dst;

	m->m_off += ETHER_HDR_LEN;
	m->m_len -= ETHER_HDR_LEN;
	ip = mtod(m);
	if (m->m_len < NET_IP_HLEN || ip[0] != NET_IP_VHL_V4) {      /* options: see the header comment */
		ips_tooshort++;
		goto bad;
	}
	if (in_cksum(ip, NET_IP_HLEN)) {
		ips_badsum++;
		goto bad;
	}
	len = get16(ip + 2);
	if (len < NET_IP_HLEN || len > m->m_len) {
		ips_badlen++;
		goto bad;
	}
	m->m_len = len;                 /* drop the Ethernet padding */
	if (get16(ip + 6) & NET_IP_FRAG_MASK) {
		ips_fragdropped++;
		goto bad;
	}
	dst = get32(ip + 16);
	if (dst != my_ip() && dst != 0xffffffff) {
		ips_cantforward++;
		goto bad;
	}
	if (ip[9] != NET_IPPROTO_UDP) {
		ips_noproto++;
		goto bad;
	}
	udp_input(m, len);
	return;
bad:
	m_freem(m);
}

/* The software network interrupt, as Ultrix posts it on MIPS: Cause.IP0, open
 * in Status below splnet, so it is taken as soon as the level allows. */
void setsoftnet(void)
{
	uint32_t c;

	__asm__ volatile("mfc0 %0, $13\n\tnop" : "=r"(c));     /* the load delay of mfc0 */
	__asm__ volatile("mtc0 %0, $13" : : "r"(c | SR_IM_SOFTNET));
}

/* ipintr(): every queued datagram, each dequeued at splimp, processed at splnet. */
static void ipintr(void)
{
	struct mbuf *m;
	int s;

	for (;;) {
		s = splimp();
		m = if_dequeue(&ipintrq);
		splx(s);
		if (!m)
			return;
		ip_input(m);
	}
}

/* softnet(): the software interrupt's handler (trap.c intr()): acknowledge it, then
 * ipintr at splnet. */
void softnet(void)
{
	uint32_t c;

	__asm__ volatile("mfc0 %0, $13\n\tnop" : "=r"(c));     /* the load delay of mfc0 */
	__asm__ volatile("mtc0 %0, $13" : : "r"(c & ~(uint32_t)SR_IM_SOFTNET));
	(void)splnet();
	ipintr();
}

/* ip_output(m, dst): m's data starts with a UDP header; prepend the IP header. */
static int ip_output(struct mbuf *m, uint32_t dst)
{
	uint8_t *ip;

	m->m_off -= NET_IP_HLEN;
	m->m_len += NET_IP_HLEN;
	ip = mtod(m);
	ip[0] = NET_IP_VHL_V4;
	ip[1] = 0;
	put16(ip + 2, m->m_len);
	put16(ip + 4, ip_id++);
	put16(ip + 6, 0);
	ip[8] = NET_IP_TTL_DEFAULT;
	ip[9] = NET_IPPROTO_UDP;
	put16(ip + 10, 0);
	put32(ip + 12, my_ip());
	put32(ip + 16, dst);
	put16(ip + 10, in_cksum(ip, NET_IP_HLEN));
	return ln_output(m, dst);
}

/* udp_output(lport, m, dst, dport): m holds the message; prepend the UDP header
 * (no checksum) and send.  Returns 0 or an errno; m is consumed either way. */
int udp_output(uint16_t lport, struct mbuf *m, uint32_t dst, uint16_t dport)
{
	uint8_t *uh;

	m->m_off -= NET_UDP_HLEN;
	m->m_len += NET_UDP_HLEN;
	uh = mtod(m);
	put16(uh, lport);
	put16(uh + 2, dport);
	put16(uh + 4, m->m_len);
	put16(uh + 6, 0);
	return ip_output(m, dst);
}
