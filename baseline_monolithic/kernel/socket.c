/*
 * socket.c - mbufs, interface queues and datagram sockets (Ultrix 4.2
 * sys/sys/uipc_mbuf.c, uipc_syscalls.c, uipc_socket.c, uipc_socket2.c,
 * sys/net/netinet/in_pcb.c), for AF_INET/SOCK_DGRAM only.
 *
 * A socket is an open file (pipe.c's table).  sendto: sosend copies the
 * message into an mbuf and calls udp_output.  recvfrom: soreceive takes the
 * first datagram of the receive buffer, sleeping in sbwait at PZERO+1 (a
 * signal breaks it) while the buffer is empty; the datagram is copied out
 * (truncated to the caller's length, the rest dropped, as for any datagram
 * socket) with the sender's address.  udp_deliver (from udp_input, at
 * splnet) appends a datagram with its sender's address if the buffer has
 * room (sbappendaddr) and wakes a sleeping reader (sorwakeup), whose sleep
 * priority puts it ahead of every user-priority process (sched.c setrq).
 */
#include "net.h"

#define NSOCK           16
#define UDP_RECVSPACE   (40 * (1024 + SOCKADDR_IN_LEN))        /* 4.3BSD udp_usrreq.c udp_recvspace */
#define IPPORT_RESERVED 1024            /* automatic ports start above (in_pcb.c in_pcbbind) */
#define SB_WAIT         0x04            /* someone sleeps on sb_cc (socketvar.h) */

struct sockbuf {
	struct ifqueue sb_q;            /* datagrams, oldest first (Ultrix: an mbuf chain of records) */
	uint32_t sb_cc, sb_hiwat;
	int sb_flags;
};

struct socket {
	int so_used;
	uint16_t so_lport;              /* the pcb's local port: 0 until bound */
	struct sockbuf so_rcv;
};

static struct socket sockets[NSOCK];
static struct mbuf mbufs[NMBUF];
static struct mbuf *mfree;
static int mbinit;
static uint16_t nextport = IPPORT_RESERVED;
static uint32_t udps_fullsock, m_drops;

/* ---- mbufs (uipc_mbuf.c m_get/m_freem): a free list at splimp ---- */
struct mbuf *m_get(void)
{
	struct mbuf *m;
	int s = splimp();

	if (!mbinit) {
		for (m = mbufs; m < &mbufs[NMBUF]; m++) {
			m->m_next = mfree;
			mfree = m;
		}
		mbinit = 1;
	}
	if ((m = mfree)) {
		mfree = m->m_next;
		m->m_next = 0;
		m->m_off = 0;
		m->m_len = 0;
	} else {
		m_drops++;
	}
	splx(s);
	return m;
}

void m_freem(struct mbuf *m)
{
	int s = splimp();

	m->m_next = mfree;
	mfree = m;
	splx(s);
}

/* ---- mbuf queues (if.h IF_ENQUEUE/IF_DEQUEUE); callers hold splimp (interface queues)
 * or splnet (socket buffers) ---- */
void if_enqueue(struct ifqueue *q, struct mbuf *m)
{
	m->m_next = 0;
	if (q->ifq_tail)
		q->ifq_tail->m_next = m;
	else
		q->ifq_head = m;
	q->ifq_tail = m;
	q->ifq_len++;
}

struct mbuf *if_dequeue(struct ifqueue *q)
{
	struct mbuf *m = q->ifq_head;

	if (m) {
		if (!(q->ifq_head = m->m_next))
			q->ifq_tail = 0;
		m->m_next = 0;
		q->ifq_len--;
	}
	return m;
}

/* ---- protocol control blocks (in_pcb.c) ---- */
struct socket *udp_lookup(uint16_t lport)
{
	struct socket *so;

	for (so = sockets; so < &sockets[NSOCK]; so++)
		if (so->so_used && so->so_lport == lport)
			return so;
	return 0;
}

/* in_pcbbind: port 0 picks the next free automatic port.  0, or EADDRINUSE. */
static int in_pcbbind(struct socket *so, uint16_t port)
{
	if (!port) {
		do {
			port = nextport++;
			if (nextport == 0)
				nextport = IPPORT_RESERVED;
		} while (udp_lookup(port));
	} else if (udp_lookup(port)) {
		return EADDRINUSE;
	}
	so->so_lport = port;
	return 0;
}

/* udp_deliver(so, m): sbappendaddr and sorwakeup, at splnet (udp_input). */
void udp_deliver(struct socket *so, struct mbuf *m)
{
	struct sockbuf *sb = &so->so_rcv;

	if (sb->sb_cc + m->m_len + SOCKADDR_IN_LEN > sb->sb_hiwat) {
		udps_fullsock++;
		m_freem(m);
		return;
	}
	if_enqueue(&sb->sb_q, m);
	sb->sb_cc += m->m_len + SOCKADDR_IN_LEN;
	if (sb->sb_flags & SB_WAIT) {   /* sorwakeup -> sbwakeup */
		sb->sb_flags &= ~SB_WAIT;
		wakeup(&sb->sb_cc);
	}
}

void soclose(struct socket *so)
{
	struct mbuf *m;
	int s = splnet();

	while ((m = if_dequeue(&so->so_rcv.sb_q)))
		m_freem(m);
	memset(so, 0, sizeof(*so));
	splx(s);
}

static struct socket *getsock(uint32_t fd, int *error)
{
	struct socket *so = file_socket(fd);

	*error = so ? 0 : (fd < NOFILE && curproc->p_ofile[fd] ? ENOTSOCK : EBADF);
	return so;
}

/* ---- the system calls (uipc_syscalls.c) ---- */

/* socket(domain, type, protocol): a datagram socket; the interface comes up at the first. */
int sys_socket(uint32_t *a, uint32_t *rv)
{
	struct socket *so;
	int error, fd;

	if (a[0] != AF_INET)
		return EAFNOSUPPORT;
	if (a[1] != SOCK_DGRAM || (a[2] && a[2] != NET_IPPROTO_UDP))
		return EPROTOTYPE;
	if ((error = lninit()))
		return error;
	for (so = sockets; so < &sockets[NSOCK] && so->so_used; so++)
		;
	if (so == &sockets[NSOCK])
		return ENOBUFS;
	if ((error = file_open_socket(so, &fd)))
		return error;
	so->so_used = 1;
	so->so_lport = 0;
	so->so_rcv.sb_hiwat = UDP_RECVSPACE;
	rv[0] = fd;
	return 0;
}

/* Copy in a sockaddr_in of namelen bytes: 0, or EINVAL/EFAULT/EAFNOSUPPORT. */
static int getsockaddr(uint32_t uva, uint32_t namelen, struct sockaddr_in *sin)
{
	if (namelen != SOCKADDR_IN_LEN)
		return EINVAL;
	if (copyin(curproc, uva, sin, SOCKADDR_IN_LEN))
		return EFAULT;
	return sin->sin_family == AF_INET ? 0 : EAFNOSUPPORT;
}

static uint32_t ntohl(uint32_t v) { return __builtin_bswap32(v); }
static uint16_t ntohs(uint16_t v) { return __builtin_bswap16(v); }

/* bind(s, name, namelen): the local port (the address must be ours or any). */
int sys_bind(uint32_t *a, uint32_t *rv)
{
	struct sockaddr_in sin;
	struct socket *so;
	int error;

	(void)rv;
	if (!(so = getsock(a[0], &error)))
		return error;
	if ((error = getsockaddr(a[1], a[2], &sin)))
		return error;
	if (so->so_lport)
		return EINVAL;
	return in_pcbbind(so, ntohs(sin.sin_port));
}

/* sendto(s, buf, len, flags, to, tolen): sosend -> udp_output. */
int sys_sendto(uint32_t *a, uint32_t *rv)
{
	struct sockaddr_in sin;
	struct socket *so;
	struct mbuf *m;
	int error;

	if (!(so = getsock(a[0], &error)))
		return error;
	if (!a[4])
		return EDESTADDRREQ;
	if ((error = getsockaddr(a[4], a[5], &sin)))
		return error;
	if (a[2] > NET_MAX_DATA)
		return EMSGSIZE;        /* no fragmentation (README) */
	if (!so->so_lport && (error = in_pcbbind(so, 0)))
		return error;
	if (!(m = m_get()))
		return ENOBUFS;
	m->m_off = NET_HDR_LEN;
	if (copyin(curproc, a[1], mtod(m), a[2])) {
		m_freem(m);
		return EFAULT;
	}
	m->m_len = a[2];
	if ((error = udp_output(so->so_lport, m, ntohl(sin.sin_addr), ntohs(sin.sin_port))))
		return error;
	rv[0] = a[2];
	return 0;
}

/* recvfrom(s, buf, len, flags, from, fromlenaddr): soreceive. */
int sys_recvfrom(uint32_t *a, uint32_t *rv)
{
	struct sockaddr_in sin;
	struct socket *so;
	struct sockbuf *sb;
	struct mbuf *m;
	uint32_t n, fromlen;
	int error, s;

	if (!(so = getsock(a[0], &error)))
		return error;
	sb = &so->so_rcv;
	s = splnet();
	while (!(m = if_dequeue(&sb->sb_q))) {  /* sbwait */
		sb->sb_flags |= SB_WAIT;
		sleep(&sb->sb_cc, PSOCK);       /* a signal: longjmp to syscall's EINTR */
	}
	sb->sb_cc -= m->m_len + SOCKADDR_IN_LEN;
	splx(s);
	n = m->m_len < a[2] ? m->m_len : a[2];
	error = copyout(curproc, mtod(m), a[1], n) ? EFAULT : 0;
	if (!error && a[4]) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = ntohs(m->m_fport);
		sin.sin_addr = ntohl(m->m_faddr);
		if (copyin(curproc, a[5], &fromlen, 4) ||
		    copyout(curproc, &sin, a[4], fromlen < SOCKADDR_IN_LEN ? fromlen : SOCKADDR_IN_LEN))
			error = EFAULT;
		fromlen = SOCKADDR_IN_LEN;
		if (!error && copyout(curproc, &fromlen, a[5], 4))
			error = EFAULT;
	}
	m_freem(m);
	rv[0] = n;
	return error;
}
