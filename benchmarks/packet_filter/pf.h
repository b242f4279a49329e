/*
 * pf.h - the packet-filter system calls of Aegis (aegis/dpf.c) for guest programs,
 * and the TCP/IP filters and packets of the Table 7 experiment.  Shared by pf.c and
 * the tests (tests/guest_aegis/dpf.c).  Aegis only.
 */
#ifndef EXOBENCH_PF_H
#define EXOBENCH_PF_H

#include <stdint.h>
#include "aegis.h"

/* A system call is a function call: the caller-saved registers are clobbered. */
static inline int32_t pf_syscall(uint32_t num, uint32_t x, uint32_t y, uint32_t z, uint32_t w)
{
	register uint32_t v0 __asm__("$2") = num;
	register uint32_t a0 __asm__("$4") = x;
	register uint32_t a1 __asm__("$5") = y;
	register uint32_t a2 __asm__("$6") = z;
	register uint32_t a3 __asm__("$7") = w;
	__asm__ volatile("syscall"
			 : "+r"(v0), "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3)
			 :
			 : "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15",
			   "$24", "$25", "hi", "lo", "memory");
	return (int32_t)v0;
}

static inline int32_t dpf_insert(const struct dpf_atom *a, uint32_t n)
{
	return pf_syscall(SYS_DPF_INSERT, (uint32_t)(uintptr_t)a, n, 0, 0);
}
static inline int32_t dpf_remove(int32_t id) { return pf_syscall(SYS_DPF_REMOVE, (uint32_t)id, 0, 0, 0); }
static inline int32_t dpf_classify(const void *pkt, uint32_t len, uint32_t engine)
{
	return pf_syscall(SYS_DPF_CLASSIFY, (uint32_t)(uintptr_t)pkt, len, engine, 0);
}
static inline int32_t dpf_bench(const void *pkt, uint32_t len, uint32_t engine, uint32_t n)
{
	return pf_syscall(SYS_DPF_BENCH, (uint32_t)(uintptr_t)pkt, len, engine, n);
}

/* ---- TCP/IP over Ethernet ---- */
#define ETH_TYPE_OFF    12
#define IP_VHL_OFF      14
#define IP_FRAG_OFF     20
#define IP_PROTO_OFF    23
#define IP_SRC_OFF      26
#define IP_DST_OFF      30
#define TCP_SPORT_OFF   34
#define TCP_DPORT_OFF   36
#define PF_PKT_LEN      60      /* the minimum Ethernet frame (54 bytes of headers + padding) */
#define PF_NATOMS       6

/* Filter for TCP/IP to dst:port, unfragmented, IPv4 without options. */
static inline void pf_tcp_filter(struct dpf_atom a[PF_NATOMS], uint32_t dst, uint32_t port)
{
	a[0] = (struct dpf_atom){ETH_TYPE_OFF, 2, 0xffff, 0x0800};
	a[1] = (struct dpf_atom){IP_VHL_OFF, 1, 0xff, 0x45};
	a[2] = (struct dpf_atom){IP_FRAG_OFF, 2, 0x1fff, 0};
	a[3] = (struct dpf_atom){IP_PROTO_OFF, 1, 0xff, 6};
	a[4] = (struct dpf_atom){IP_DST_OFF, 4, 0xffffffff, dst};
	a[5] = (struct dpf_atom){TCP_DPORT_OFF, 2, 0xffff, port};
}

static inline void pf_put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void pf_put32(uint8_t *p, uint32_t v) { pf_put16(p, v >> 16); pf_put16(p + 2, v); }

/* An Ethernet + IPv4 + TCP SYN to dst:port (PF_PKT_LEN bytes). */
static inline void pf_tcp_packet(uint8_t *p, uint32_t dst, uint32_t port)
{
	for (uint32_t i = 0; i < PF_PKT_LEN; i++)
		p[i] = 0;
	for (uint32_t i = 0; i < 6; i++) {
		p[i] = (uint8_t)(0x08 + i);             /* destination MAC */
		p[6 + i] = (uint8_t)(0x10 + i);         /* source MAC */
	}
	pf_put16(p + ETH_TYPE_OFF, 0x0800);
	p[IP_VHL_OFF] = 0x45;
	pf_put16(p + 16, 40);                       /* total length */
	pf_put16(p + 18, 0x1234);                   /* id */
	pf_put16(p + IP_FRAG_OFF, 0x4000);          /* don't fragment, offset 0 */
	p[22] = 64;                                 /* ttl */
	p[IP_PROTO_OFF] = 6;
	pf_put32(p + IP_SRC_OFF, 0x121a0401);       /* 18.26.4.1 */
	pf_put32(p + IP_DST_OFF, dst);
	pf_put16(p + TCP_SPORT_OFF, 1023);
	pf_put16(p + TCP_DPORT_OFF, port);
	pf_put32(p + 38, 1);                        /* seq */
	p[46] = 0x50;                               /* data offset 5 */
	p[47] = 0x02;                               /* SYN */
	pf_put16(p + 48, 4096);                     /* window */
}

#endif
