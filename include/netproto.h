/*
 * netproto.h - the wire format both kernels speak on the emulated Ethernet.
 *
 * An Ethernet II frame (RFC 894: destination, source, type) carrying an IPv4
 * header without options (RFC 791) and a UDP header (RFC 768): the fields
 * Table 7's TCP/IP filters look at (Ethernet type, IP version/header length,
 * fragment offset, protocol, destination address, destination port) sit at
 * the same offsets as there.  Multi-byte fields are big-endian (network
 * order) on the wire; guests are little-endian and swap, as Ultrix does.
 *
 * Addressing in the experiment: machine (station) number s, given by the host
 * (machine_nic_set_station; the kernel reads it from the LANCE_ESAR ROM), has
 * Ethernet address 08-00-2b-(s>>16)-(s>>8)-s and IPv4 address NET_IP(s) =
 * 10.0.(s>>8).s.  os_net_send() names the destination by station number.
 *
 * The UDP checksum is 0 (RFC 768: "no checksum"): neither kernel computes it,
 * a simplification applied to both alike (4.3BSD's udp_usrreq.c computes it
 * unless built with COMPAT_42; what Ultrix 4.2 ships is not checked here).
 * The IP header checksum is computed and checked by the baseline, as
 * ip_output/ip_input do.
 */
#ifndef EXOBENCH_NETPROTO_H
#define EXOBENCH_NETPROTO_H

#include "lance.h"

/* Ethernet II (offsets in the frame). */
#define NET_ETH_DST         0
#define NET_ETH_SRC         6
#define NET_ETH_TYPE        12
#define NET_ETHERTYPE_IP    0x0800

/* IPv4, no options (offsets in the frame). */
#define NET_IP_OFF          ETHER_HDR_LEN           /* 14 */
#define NET_IP_VHL          (NET_IP_OFF + 0)        /* 0x45 */
#define NET_IP_TOS          (NET_IP_OFF + 1)
#define NET_IP_LEN          (NET_IP_OFF + 2)        /* total length: IP header + UDP + data */
#define NET_IP_ID           (NET_IP_OFF + 4)
#define NET_IP_FRAG         (NET_IP_OFF + 6)        /* flags and fragment offset: 0 (no fragments) */
#define NET_IP_TTL          (NET_IP_OFF + 8)
#define NET_IP_PROTO        (NET_IP_OFF + 9)
#define NET_IP_SUM          (NET_IP_OFF + 10)
#define NET_IP_SRC          (NET_IP_OFF + 12)
#define NET_IP_DST          (NET_IP_OFF + 16)
#define NET_IP_HLEN         20
#define NET_IP_VHL_V4       0x45
#define NET_IP_TTL_DEFAULT  30                      /* 4.3BSD's UDP_TTL (udp_usrreq.c) */
#define NET_IPPROTO_UDP     17
#define NET_IP_FRAG_MASK    0x3fff                  /* MF flag and offset: any set = a fragment */

/* UDP (offsets in the frame). */
#define NET_UDP_OFF         (NET_IP_OFF + NET_IP_HLEN)  /* 34 */
#define NET_UDP_SPORT       (NET_UDP_OFF + 0)
#define NET_UDP_DPORT       (NET_UDP_OFF + 2)
#define NET_UDP_LEN         (NET_UDP_OFF + 4)       /* UDP header + data */
#define NET_UDP_SUM         (NET_UDP_OFF + 6)       /* 0: no checksum */
#define NET_UDP_HLEN        8
#define NET_HDR_LEN         (NET_UDP_OFF + NET_UDP_HLEN)  /* 42: where the message starts */
#define NET_MAX_DATA        (ETHER_MAX_LEN - NET_HDR_LEN) /* 1472: the largest message */

/* IPv4 addresses of stations: 10.0.(s >> 8).(s & 0xff). */
#define NET_IP_NET          0x0a000000
#define NET_IP(s)           (NET_IP_NET | ((s) & 0xffff))

/* The ports of the round-trip experiment (Figure 2). */
#define NET_PORT_ECHO       7           /* the server's port: replies to each message */
#define NET_PORT_CLIENT     1024        /* the client's port */
#define NET_MSG_LEN         4           /* the experiment's message: one 32-bit word (the paper's
                                           size is unknown, paper.md 3.7): a minimum-size frame */

#endif
