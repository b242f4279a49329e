/*
 * net.h - what the network files share: mbufs (socket.c), the interface
 * queues, the LANCE driver (if_ln.c), IP and UDP (netinet.c) and sockets
 * (socket.c).  The shapes are Ultrix 4.2's (sys/h/mbuf.h, sys/net/net/if.h,
 * sys/h/socketvar.h, sys/net/netinet/in_pcb.h), cut to the datagram path
 * Figure 2 takes; the wire format is include/netproto.h.
 */
#ifndef BASELINE_NET_H
#define BASELINE_NET_H

#include "kern.h"
#include "netproto.h"

/* An mbuf: one cluster-sized buffer per packet (Ultrix would chain a small
 * mbuf for the headers to a cluster; one buffer keeps the same copies). */
#define MCLBYTES        2048
#define NMBUF           64
struct mbuf {
	struct mbuf *m_next;            /* next packet on a queue */
	uint32_t m_off;                 /* where the data starts in m_dat */
	uint32_t m_len;
	uint32_t m_faddr;               /* socket buffers: the sender's IP address ... */
	uint16_t m_fport;               /* ... and port (sbappendaddr's sockaddr) */
	uint8_t m_dat[MCLBYTES];
};
#define mtod(m)         ((m)->m_dat + (m)->m_off)
struct mbuf *m_get(void);               /* 0 when none is free (ENOBUFS) */
void m_freem(struct mbuf *m);

/* An interface queue (if.h ifqueue): IF_ENQUEUE/IF_DEQUEUE at splimp. */
#define IFQ_MAXLEN      50
struct ifqueue {
	struct mbuf *ifq_head, *ifq_tail;
	int ifq_len, ifq_drops;
};
void if_enqueue(struct ifqueue *q, struct mbuf *m);
struct mbuf *if_dequeue(struct ifqueue *q);

/* if_ln.c: the LANCE */
extern uint8_t ln_addr[ETHER_ADDR_LEN];         /* this station's Ethernet address */
extern uint32_t ln_station;                     /* its station number (netproto.h) */
int lninit(void);                               /* 0, or ENOBUFS/ENETDOWN */
int ln_output(struct mbuf *m, uint32_t dst_ip);  /* ether_output + lnstart */

/* netinet.c */
extern struct ifqueue ipintrq;
void setsoftnet(void);                          /* schednetisr: post software interrupt IP0 */
void softnet(void);                             /* its handler (trap.c intr): ipintr at splnet */
int udp_output(uint16_t lport, struct mbuf *m, uint32_t dst_ip, uint16_t dst_port);

/* socket.c: the UDP protocol control blocks' sockets */
struct socket;
struct socket *udp_lookup(uint16_t lport);       /* in_pcblookup */
void udp_deliver(struct socket *so, struct mbuf *m);     /* sbappendaddr + sorwakeup */

#endif
