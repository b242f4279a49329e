/*
 * net.c - the receive path: a frame is demultiplexed by DPF to the environment whose
 * filter accepts it (dpf.c), its ASH runs at once if the filter has one (ash.c), and
 * otherwise -- or if the ASH asks for it -- the frame waits in the kernel's receive
 * queue until its owner asks for it (SYS_NET_RECV), i.e. until the owner next runs.
 *
 * The queue is a pool of NET_NRXBUF frame buffers, at most NET_RXQ_ENV per environment
 * (beyond that the frame is dropped and counted, as a full receive ring drops): one
 * environment cannot take every buffer.  Frames go with their environment.
 *
 * SYS_NET_DELIVER is the loopback: a frame from the calling environment is received
 * as if it came from the wire -- with this machine's station address as its source,
 * which the kernel writes as it does for SYS_NET_SEND, so no environment can pass a
 * frame off as another machine's -- and a reply an ASH initiates goes back to the
 * caller (the "wire" here) in its reply buffer.
 */
#include "dpf.h"

#define NET_NRXBUF      32
#define NET_RXQ_ENV     8

struct rxbuf {
	int32_t owner;          /* env id; -1: free */
	int32_t fid;            /* the filter that accepted it */
	uint32_t seq;           /* arrival order */
	uint32_t len;
	uint8_t data[ASH_MSG_SIZE];
};
static struct rxbuf rx[NET_NRXBUF];
static uint32_t rx_seq, rx_ready;
uint32_t net_dropped;           /* frames no filter took, or beyond a queue's bound */

static void rx_init(void)
{
	if (rx_ready)
		return;
	for (uint32_t i = 0; i < NET_NRXBUF; i++)
		rx[i].owner = -1;
	rx_ready = 1;
}

static void enqueue(int32_t owner, int32_t fid, const uint8_t *frame, uint32_t len)
{
	struct rxbuf *free = 0;
	uint32_t mine = 0;
	rx_init();
	for (uint32_t i = 0; i < NET_NRXBUF; i++) {
		if (rx[i].owner == owner)
			mine++;
		else if (rx[i].owner < 0 && !free)
			free = &rx[i];
	}
	if (!free || mine >= NET_RXQ_ENV) {
		net_dropped++;
		return;
	}
	free->owner = owner;
	free->fid = fid;
	free->seq = rx_seq++;
	free->len = len;
	memcpy(free->data, frame, len);
}

/*
 * A frame received (kernel memory, len <= DPF_MAXPKT): demultiplex, run the owner's ASH
 * or queue it.  *actions: ASH_* taken (ASH_QUEUE when queued without a handler), -1 when
 * no filter accepts it; *reply and *rlen: a reply the ASH initiated (rlen 0: none), which the
 * caller sends.  Interrupts off.
 */
void net_input(const uint8_t *frame, uint32_t len, const uint8_t **reply, uint32_t *rlen, int32_t *actions)
{
	*rlen = 0;
	int32_t fid = dpf_match(frame, len);
	if (fid < 0) {
		net_dropped++;
		*actions = -1;
		return;
	}
	int32_t act = ash_run(fid, frame, len, reply, rlen);
	if (act < 0)
		act = ASH_QUEUE;
	if (act & ASH_QUEUE)
		enqueue(dpf_owner((uint32_t)fid), fid, frame, len);
	*actions = act;
}

void net_env_gone(int envid)
{
	for (uint32_t i = 0; rx_ready && i < NET_NRXBUF; i++)
		if (rx[i].owner == envid)
			rx[i].owner = -1;
}

/* SYS_NET_DELIVER: the loopback (see the top).  -> v0 = the actions (-1: no filter), v1 = the
 * reply's length; AE_EINVAL (len 0 or > DPF_MAXPKT, the frame or the reply buffer not in the
 * caller's guaranteed-mapped RAM). */
sysret_t sys_net_deliver(uint32_t uva, uint32_t len, uint32_t reply_uva)
{
	static uint8_t frame[ASH_MSG_SIZE];
	const void *src = len == 0 || len > DPF_MAXPKT ? 0 : env_kptr(curenv, uva, len);
	uint8_t *out = (uint8_t *)(uintptr_t)env_kptr(curenv, reply_uva, DPF_MAXPKT);
	if (!src || !out)
		return AE_EINVAL;
	memcpy(frame, src, len);
	if (len >= ETHER_HDR_LEN)       /* as on the wire: the kernel writes the source address */
		lance_source(frame);
	const uint8_t *reply;
	uint32_t rlen;
	int32_t act;
	net_input(frame, len, &reply, &rlen, &act);
	if (rlen)
		memcpy(out, reply, rlen);
	return (uint32_t)act | (uint64_t)rlen << 32;
}

/* SYS_NET_RECV: the oldest frame its filter fid accepted for the caller into its buffer (up
 * to n bytes).  -> the frame's length; AE_EAGAIN none queued; AE_EINVAL the buffer not in
 * guaranteed RAM.  (Frames wait for their environment, not their filter: a frame queued for
 * a filter its owner removed is still the owner's, under that id.) */
sysret_t sys_net_recv(uint32_t fid, uint32_t uva, uint32_t n)
{
	uint8_t *dst = (uint8_t *)(uintptr_t)env_kptr(curenv, uva, n);
	if (!dst || n == 0)
		return AE_EINVAL;
	rx_init();
	struct rxbuf *best = 0;
	for (uint32_t i = 0; i < NET_NRXBUF; i++)
		if (rx[i].owner == curenv->id && rx[i].fid == (int32_t)fid && (!best || rx[i].seq - best->seq >= 0x80000000u))
			best = &rx[i];
	if (!best)
		return AE_EAGAIN;
	memcpy(dst, best->data, best->len < n ? best->len : n);
	best->owner = -1;
	return best->len;
}
