/*
 * net.c - ExOS's message protocol over Aegis's network (osapi.h "network (Figure 2)"):
 * UDP/IPv4 over Ethernet (include/netproto.h), built and parsed here at user level.
 *
 * A binding is a DPF filter (aegis/dpf.c) for "IPv4 without options, not a fragment,
 * UDP, to this station's address, to this port"; Aegis demultiplexes received frames
 * with it and queues them per filter (aegis/net.c) until os_net_recv asks -- i.e. until
 * this environment runs, which it waits for by yielding.  os_net_ash downloads a handler
 * for the binding (aegis/ash.c): then the kernel runs it on each message as it arrives,
 * in the interrupt, and the process need not run at all.  os_net_send builds the frame
 * (the kernel writes the source Ethernet address itself) and hands it to the driver.
 */
#include "exos.h"
#include "netproto.h"

#define EXOS_NBIND      4

static struct {
	int32_t fid;            /* its filter; -1: free */
	uint16_t port;
} binds[EXOS_NBIND] = {{-1, 0}, {-1, 0}, {-1, 0}, {-1, 0}};
static uint32_t frame[(ETHER_MAX_LEN + 3) / 4];        /* guaranteed-mapped (bss): the kernel reads it */
static struct dpf_atom atoms[6];
static uint32_t station = 0xffffffff;   /* this machine's station number, once asked */
uint32_t exos_ash_data[EXOS_ASH_DATA / 4];      /* the data region of this process's handlers */

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }
static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }

static uint32_t me(void)
{
	if (station == 0xffffffff)
		station = (uint32_t)ae_net_station();
	return station;
}

int os_net_bind(uint16_t port)
{
	int h = EXOS_NBIND;
	if (port == 0)
		return OS_EINVAL;
	for (int i = EXOS_NBIND - 1; i >= 0; i--) {
		if (binds[i].fid < 0)
			h = i;
		else if (binds[i].port == port)
			return OS_EPERM;
	}
	if (h == EXOS_NBIND)
		return OS_ENOMEM;
	if ((int32_t)me() < 0)
		return OS_ENOTSUP;
	atoms[0] = (struct dpf_atom){NET_ETH_TYPE, 2, 0xffff, NET_ETHERTYPE_IP};
	atoms[1] = (struct dpf_atom){NET_IP_VHL, 1, 0xff, NET_IP_VHL_V4};
	atoms[2] = (struct dpf_atom){NET_IP_FRAG, 2, NET_IP_FRAG_MASK, 0};
	atoms[3] = (struct dpf_atom){NET_IP_PROTO, 1, 0xff, NET_IPPROTO_UDP};
	atoms[4] = (struct dpf_atom){NET_IP_DST, 4, 0xffffffff, NET_IP(me())};
	atoms[5] = (struct dpf_atom){NET_UDP_DPORT, 2, 0xffff, port};
	int32_t fid = dpf_insert_atoms(atoms, 6);
	if (fid < 0)            /* AE_EPERM: another environment's filter takes this port */
		return fid == AE_EPERM ? OS_EPERM : fid == AE_ENOMEM ? OS_ENOMEM : OS_EINVAL;
	binds[h].fid = fid;
	binds[h].port = port;
	return h;
}

/* The IPv4 header checksum (RFC 791: one's complement of the one's-complement sum). */
static uint32_t ip_sum(const uint8_t *h)
{
	uint32_t s = 0;
	for (uint32_t i = 0; i < NET_IP_HLEN; i += 2)
		s += get16(h + i);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

int os_net_send(int h, uint32_t dst_station, uint16_t dst_port, const void *buf, uint32_t n)
{
	if (h < 0 || h >= EXOS_NBIND || binds[h].fid < 0 || n > NET_MAX_DATA)
		return OS_EINVAL;
	uint8_t *f = (uint8_t *)frame;
	static uint16_t ip_id;
	f[0] = ETHER_OUI0, f[1] = ETHER_OUI1, f[2] = ETHER_OUI2;
	f[3] = (uint8_t)(dst_station >> 16), f[4] = (uint8_t)(dst_station >> 8), f[5] = (uint8_t)dst_station;
	put16(f + NET_ETH_TYPE, NET_ETHERTYPE_IP);
	f[NET_IP_VHL] = NET_IP_VHL_V4;
	f[NET_IP_TOS] = 0;
	put16(f + NET_IP_LEN, NET_IP_HLEN + NET_UDP_HLEN + n);
	put16(f + NET_IP_ID, ip_id++);
	put16(f + NET_IP_FRAG, 0);
	f[NET_IP_TTL] = NET_IP_TTL_DEFAULT;
	f[NET_IP_PROTO] = NET_IPPROTO_UDP;
	put16(f + NET_IP_SUM, 0);
	put32(f + NET_IP_SRC, NET_IP(me()));
	put32(f + NET_IP_DST, NET_IP(dst_station));
	put16(f + NET_IP_SUM, ip_sum(f + NET_IP_OFF));
	put16(f + NET_UDP_SPORT, binds[h].port);
	put16(f + NET_UDP_DPORT, dst_port);
	put16(f + NET_UDP_LEN, NET_UDP_HLEN + n);
	put16(f + NET_UDP_SUM, 0);
	memcpy(f + NET_HDR_LEN, buf, n);
	int r;
	while ((r = ae_net_send(f, NET_HDR_LEN + n)) == AE_EBUSY)     /* the transmit ring is full */
		exos_yield(-1);
	return r < 0 ? (r == AE_ENOSYS ? OS_ENOTSUP : OS_EINVAL) : (int)n;     /* as sendto: the bytes sent */
}

int os_net_recv(int h, void *buf, uint32_t n, struct os_net_from *from)
{
	if (h < 0 || h >= EXOS_NBIND || binds[h].fid < 0)
		return OS_EINVAL;
	const uint8_t *f = (const uint8_t *)frame;
	for (;;) {
		int r = ae_net_recv((uint32_t)binds[h].fid, frame, sizeof frame);
		if (r == AE_EAGAIN) {           /* nothing yet: let the others run */
			exos_yield(-1);
			continue;
		}
		if (r < 0)
			return r;
		uint32_t ulen = get16(f + NET_UDP_LEN);
		if ((uint32_t)r < NET_HDR_LEN || ulen < NET_UDP_HLEN || ulen - NET_UDP_HLEN > (uint32_t)r - NET_HDR_LEN)
			continue;               /* malformed: not a message */
		uint32_t len = ulen - NET_UDP_HLEN;
		memcpy(buf, f + NET_HDR_LEN, len < n ? len : n);
		if (from) {
			from->station = (uint32_t)f[NET_ETH_SRC + 3] << 16 | get16(f + NET_ETH_SRC + 4);
			from->port = (uint16_t)get16(f + NET_UDP_SPORT);
		}
		return (int)len;
	}
}

int os_net_ash(int h, const void *code, uint32_t nbytes)
{
	if (h < 0 || h >= EXOS_NBIND || binds[h].fid < 0)
		return OS_EINVAL;
	if (nbytes == 0 || nbytes > 4 * ASH_MAXINSNS)
		return OS_EINVAL;
	static struct ash_desc d;
	d = (struct ash_desc){(uint32_t)(uintptr_t)code, nbytes, (uint32_t)(uintptr_t)exos_ash_data,
			      sizeof exos_ash_data};
	return (int)(int32_t)ae_ash_download((uint32_t)binds[h].fid, &d);
}
