/*
 * ash.c - ASHs (aegis/ash.c) and the receive queue (aegis/net.c), one test per boot
 * parameter "t"; tests/test_ash.py checks the results.  Handlers: ash_handlers.S.
 *
 * t=1 refusals: every bad handler is refused with its ASH_R_* reason and the index of
 *     the instruction; bad descriptors, foreign and missing filters
 * t=2 a good handler runs on delivery: echo replies at once (message initiation), counts in
 *     its data region, its sandboxed store lands; changing the downloaded code afterwards
 *     changes nothing; without a handler the frame is queued and SYS_NET_RECV returns it;
 *     ASH_COPY|ASH_QUEUE copies and queues; a handler goes with its filter
 * t=4 the network experiment's echo ASH (benchmarks/network/echo_ash.S, linked in with
 *     "netecho"): verified, and its reply is the frame with addresses and ports swapped
 * t=5 the kernel's work: markers 10/11 around the largest download, 12/13 around delivering
 *     the largest frame to the largest handler, which asks for a copy and a reply
 * t=3 hostility: a child (module "ash2") downloads the hostile handler on its own filter
 *     and runs it, tries to bind to the parent's filter, reads what is past a frame in the
 *     message buffer; the parent's data region, registers and filter are intact
 */
#include "exos.h"
#include "pf.h"

#define DSIZE   512             /* ASH_TEST_DSIZE in ash_handlers.S */

#define H(n) extern const uint32_t n[], n##_end[]
H(ash_echo); H(ash_copyq); H(ash_peek); H(ash_hostile); H(ash_max); H(ash_over);
H(bad_mtc0); H(bad_rfe); H(bad_syscall); H(bad_break); H(bad_tlbwi); H(bad_add); H(bad_back);
H(bad_jr); H(bad_jalr); H(bad_j); H(bad_out); H(bad_ra); H(bad_a0); H(bad_a2); H(bad_store_oob);
H(bad_store_msg_oob); H(bad_store_neg); H(bad_store_base); H(bad_load_base); H(bad_unaligned);
H(bad_mask); H(bad_mask_odd); H(bad_no_mask); H(bad_into_pair); H(bad_hazard); H(bad_slot);
H(bad_last); H(bad_lwc1);

static uint32_t data[DSIZE / 4] __attribute__((aligned(8)));
static uint32_t code[ASH_MAXINSNS + 1];
static uint8_t pkt[PF_PKT_LEN] __attribute__((aligned(4)));
static uint8_t reply[DPF_MAXPKT + 2] __attribute__((aligned(4)));
static struct ash_desc desc;

/* Download the words [lo, hi) (copied into our buffer) for filter fid -> the raw result. */
static uint64_t download(int32_t fid, const uint32_t *lo, const uint32_t *hi, void *d, uint32_t dsize)
{
	uint32_t n = (uint32_t)(hi - lo);
	for (uint32_t i = 0; i < n && i <= ASH_MAXINSNS; i++)
		code[i] = lo[i];
	desc = (struct ash_desc){(uint32_t)(uintptr_t)code, 4 * n, (uint32_t)(uintptr_t)d, dsize};
	return ae_ash_download((uint32_t)fid, &desc);
}
#define DL(fid, n) download(fid, n, n##_end, data, DSIZE)

static int32_t filter(uint32_t port)
{
	static struct dpf_atom a[PF_NATOMS];
	pf_tcp_filter(a, 0x0a000001, port);
	return dpf_insert(a, PF_NATOMS);
}

static uint64_t deliver(uint32_t port)
{
	pf_tcp_packet(pkt, 0x0a000001, port);
	return ae_net_deliver(pkt, PF_PKT_LEN, reply);
}

#define REFUSE(name, n) bench_result(#name, (uint32_t)(DL(fid, n) >> 32)); \
			bad |= (int32_t)DL(fid, n) != AE_EINVAL
static void t_refuse(void)
{
	uint32_t bad = 0;
	int32_t fid = filter(80);
	bad |= fid < 0;
	REFUSE(mtc0, bad_mtc0); REFUSE(rfe, bad_rfe); REFUSE(syscall, bad_syscall); REFUSE(brk, bad_break);
	REFUSE(tlbwi, bad_tlbwi); REFUSE(lwc1, bad_lwc1); REFUSE(add, bad_add); REFUSE(back, bad_back);
	REFUSE(jr, bad_jr); REFUSE(jalr, bad_jalr); REFUSE(j, bad_j); REFUSE(out, bad_out);
	REFUSE(ra, bad_ra); REFUSE(a0, bad_a0); REFUSE(a2, bad_a2); REFUSE(store_oob, bad_store_oob);
	REFUSE(store_msg_oob, bad_store_msg_oob); REFUSE(store_neg, bad_store_neg);
	REFUSE(store_base, bad_store_base); REFUSE(load_base, bad_load_base); REFUSE(unaligned, bad_unaligned);
	REFUSE(mask, bad_mask); REFUSE(mask_odd, bad_mask_odd); REFUSE(no_mask, bad_no_mask);
	REFUSE(into_pair, bad_into_pair); REFUSE(hazard, bad_hazard); REFUSE(slot, bad_slot);
	REFUSE(last, bad_last); REFUSE(over, ash_over);
	bench_result("max", (uint32_t)DL(fid, ash_max));
	bench_result("empty_removes", (uint32_t)download(fid, code, code, data, DSIZE));
	/* the data region: too big, not word sized, in the kernel, not mapped; the code not mapped */
	bench_result("dsize_big", (uint32_t)download(fid, ash_echo, ash_echo_end, data, ASH_DATA_MAX + 4));
	bench_result("dsize_odd", (uint32_t)download(fid, ash_echo, ash_echo_end, data, 6));
	bench_result("dsize_0", (uint32_t)download(fid, ash_echo, ash_echo_end, data, 0));
	bench_result("data_kernel", (uint32_t)download(fid, ash_echo, ash_echo_end, (void *)0x80001000, 64));
	bench_result("data_unmapped", (uint32_t)download(fid, ash_echo, ash_echo_end, (void *)0x40000000, 64));
	desc = (struct ash_desc){0x80000000, 16, (uint32_t)(uintptr_t)data, DSIZE};
	bench_result("code_kernel", (uint32_t)ae_ash_download((uint32_t)fid, &desc));
	bench_result("desc_kernel", (uint32_t)ae_ash_download((uint32_t)fid, (void *)0x80000000));
	bench_result("no_filter", (uint32_t)DL(fid + 1, ash_echo));
	bench_result("filter_range", (uint32_t)DL(DPF_MAXFILTERS, ash_echo));
	/* refused handlers left nothing bound: the frame is queued */
	bench_result("after", (uint32_t)deliver(80));
	bench_result("bad", bad);
}

static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }

static void t_run(void)
{
	uint32_t bad = 0;
	int32_t e = filter(80), q = filter(81), c = filter(82);
	bad |= e < 0 || q < 0 || c < 0;
	bad |= (uint32_t)DL(e, ash_echo) != 0;
	for (uint32_t i = 0; i < ASH_MAXINSNS; i++)             /* the owner changes its copy: */
		code[i] = 0x0000000d;                           /* break, everywhere */
	uint64_t r = deliver(80);
	bench_result("echo_act", (uint32_t)r);
	bench_result("echo_len", (uint32_t)(r >> 32));
	pf_tcp_packet(pkt, 0x0a000001, 80);
	for (uint32_t i = 0; i < 6; i++)
		bad |= reply[i] != 0 || reply[6 + i] != pkt[i];  /* the source was ours: 0, no device */
	for (uint32_t i = 12; i < PF_PKT_LEN; i++)
		bad |= reply[i] != pkt[i];
	r = deliver(80);
	bench_result("count", data[0]);
	bench_result("indexed", data[1 + (pkt[14] & 0xfc) / 4]);
	/* no handler: queued, in order, for us */
	bench_result("queued_act", (uint32_t)deliver(81));
	pkt[50] = 7;
	(void)ae_net_deliver(pkt, PF_PKT_LEN, reply);
	bench_result("recv1", (uint32_t)ae_net_recv((uint32_t)q, reply, sizeof reply));
	bad |= get16(reply + TCP_DPORT_OFF) != 81 || reply[50] != 0;
	for (uint32_t i = 0; i < 6; i++)        /* we wrote 10 11 12..: the kernel wrote our station */
		bad |= reply[6 + i] != 0 || pkt[6 + i] == 0;
	bench_result("recv2", (uint32_t)ae_net_recv((uint32_t)q, reply, 20));  /* cut to the buffer */
	bench_result("recv_none", (uint32_t)ae_net_recv((uint32_t)q, reply, sizeof reply));
	bench_result("recv_kernel", (uint32_t)ae_net_recv((uint32_t)q, (void *)0x80000000, 64));
	bench_result("nofilter_act", (uint32_t)deliver(99));
	/* copy + queue */
	bad |= (uint32_t)DL(c, ash_copyq) != 0;
	bench_result("copyq_act", (uint32_t)deliver(82));
	bad |= get16((uint8_t *)data + 16 + TCP_DPORT_OFF) != 82;
	bench_result("copyq_recv", (uint32_t)ae_net_recv((uint32_t)c, reply, sizeof reply));
	bench_result("other_filter", (uint32_t)ae_net_recv((uint32_t)q, reply, sizeof reply));
	/* the handler goes with its filter: a new filter with the same id has none */
	bad |= dpf_remove(e) != 0 || filter(80) != e;
	bench_result("reused_act", (uint32_t)deliver(80));
	bench_result("reused_recv", (uint32_t)ae_net_recv((uint32_t)e, reply, sizeof reply));
	bench_result("bad", bad);
}

static uint32_t secret[DSIZE / 4] __attribute__((aligned(8)));

static void t_hostile(void)
{
	uint32_t bad = 0;
	if (*(volatile int32_t *)(UAREA_VADDR + SA_PARENT) >= 0) {      /* the attacker */
		int32_t mine = filter(90);
		bench_result("a_download", (uint32_t)download(mine, ash_hostile, ash_hostile_end, secret, DSIZE));
		bench_result("a_foreign", (uint32_t)download(0, ash_echo, ash_echo_end, secret, DSIZE));
		for (uint32_t i = 0; i < 50; i++)
			bench_result("a_act", (uint32_t)deliver(90));
		bench_result("a_secret_last", secret[DSIZE / 4 - 1]);
		/* what lies past a frame in the message buffer: another handler's leftovers? */
		bench_result("a_peek_dl", (uint32_t)download(mine, ash_peek, ash_peek_end, secret, DSIZE));
		(void)deliver(90);
		bench_result("a_peek0", secret[0]);
		bench_result("a_peek1", secret[1]);
		/* the victim's echo answers us like any peer: it counts, nothing more */
		bench_result("a_victim_act", (uint32_t)deliver(80));
		os_exit(0);
	}
	int32_t fid = filter(80);
	bad |= fid != 0;
	for (uint32_t i = 0; i < DSIZE / 4; i++)
		data[i] = 0x5eed0000 + i;
	data[0] = 0;
	bad |= (uint32_t)DL(fid, ash_echo) != 0;
	register uint32_t s0 __asm__("$16") = 0x12345678, s7 __asm__("$23") = 0x9abcdef0;
	int child = os_spawn("ash2");
	bad |= child < 0;
	while (ae_env_alive((uint32_t)child))
		os_yield(child);
	__asm__ volatile("" : "+r"(s0), "+r"(s7));
	bad |= s0 != 0x12345678 || s7 != 0x9abcdef0;
	pf_tcp_packet(pkt, 0x0a000001, 80);
	uint32_t touched = 0;
	for (uint32_t i = 1; i < DSIZE / 4; i++)
		touched += data[i] != 0x5eed0000 + i && i != 1 + (pkt[14] & 0xfc) / 4;
	bench_result("v_touched", touched);
	bench_result("v_count", data[0]);
	bench_result("v_act", (uint32_t)deliver(80));                  /* still ours, still works */
	bench_result("gone_act", (uint32_t)deliver(90));                /* its filter and handler went */
	bench_result("bad", bad);
}

static uint8_t big[DPF_MAXPKT] __attribute__((aligned(4)));
static uint32_t bigdata[ASH_DATA_MAX / 4];

static void t_bound(void)
{
	uint32_t bad = 0;
	int32_t fid = filter(80);
	for (uint32_t i = 0; i < ASH_MAXINSNS - 3; i++)
		code[i] = 0;                                    /* nop */
	code[ASH_MAXINSNS - 3] = 0x24020000 | ASH_REPLY | ASH_COPY;     /* li v0, REPLY|COPY */
	code[ASH_MAXINSNS - 2] = 0x3c030000;                            /* lui v1, 0: copy at 0 */
	code[ASH_MAXINSNS - 1] = 0x34630000 | DPF_MAXPKT;               /* ori v1, v1, DPF_MAXPKT */
	desc = (struct ash_desc){(uint32_t)(uintptr_t)code, 4 * ASH_MAXINSNS, (uint32_t)(uintptr_t)bigdata,
				 sizeof bigdata};
	bench_marker(10);
	uint64_t r = ae_ash_download((uint32_t)fid, &desc);
	bench_marker(11);
	bad |= (uint32_t)r != 0;
	pf_tcp_packet(big, 0x0a000001, 80);
	bench_marker(12);
	r = ae_net_deliver(big, DPF_MAXPKT, reply);
	bench_marker(13);
	bench_result("act", (uint32_t)r);
	bench_result("len", (uint32_t)(r >> 32));
	bench_result("bad", bad);
}

#ifdef NETECHO
extern const uint32_t netb_echo_ash[], netb_echo_ash_end[];

static void t_netecho(void)
{
	uint32_t bad = 0;
	int32_t fid = filter(7);
	bench_result("dl", (uint32_t)download(fid, netb_echo_ash, netb_echo_ash_end, data, DSIZE));
	pf_tcp_packet(pkt, 0x0a000001, 7);
	pkt[50] = 0xab;
	uint64_t r = ae_net_deliver(pkt, PF_PKT_LEN, reply);
	bench_result("act", (uint32_t)r);
	bench_result("len", (uint32_t)(r >> 32));
	for (uint32_t i = 0; i < 6; i++)
		bad |= reply[i] != 0 || reply[6 + i] != pkt[i];  /* the source was ours: 0, no device */
	for (uint32_t i = 0; i < 4; i++)
		bad |= reply[IP_SRC_OFF + i] != pkt[IP_DST_OFF + i] || reply[IP_DST_OFF + i] != pkt[IP_SRC_OFF + i];
	for (uint32_t i = 0; i < 2; i++)
		bad |= reply[TCP_SPORT_OFF + i] != pkt[TCP_DPORT_OFF + i] || reply[TCP_DPORT_OFF + i] != pkt[TCP_SPORT_OFF + i];
	for (uint32_t i = 12; i < IP_SRC_OFF; i++)
		bad |= reply[i] != pkt[i];
	for (uint32_t i = TCP_DPORT_OFF + 2; i < PF_PKT_LEN; i++)
		bad |= reply[i] != pkt[i];
	bench_result("count", data[0]);
	bench_result("bad", bad);
}
#endif

int main(void)
{
	switch (os_param("t", 0)) {
	case 1: t_refuse(); break;
	case 2: t_run(); break;
	case 3: t_hostile(); break;
	case 5: t_bound(); break;
#ifdef NETECHO
	case 4: t_netecho(); break;
#endif
	default: bench_result("bad", 1);
	}
	os_exit(0);
}
