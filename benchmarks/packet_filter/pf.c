/*
 * pf.c - Table 7: packet-filter classification on Aegis.
 *
 * Installs ten TCP/IP filters (Ethernet type IP, IPv4 without options, not a
 * fragment, protocol TCP, destination address, destination port; pairs of filters
 * share an address, every port differs) and builds an Ethernet + IP + TCP packet
 * that matches the last one installed -- the worst case for a linear scan.
 * Validation, for every engine: a packet for each filter classifies to that
 * filter's id, packets that differ in the port, the address, the protocol or the
 * Ethernet type classify to -1, and a packet cut short before the port classifies
 * to -1.  Then the kernel classifies the packet n times with the engine of the
 * boot parameter "engine" (0 DPF: compiled; 1: interpreted, our MPF; 2: the null
 * engine, which classifies nothing: the loop's own cost; 3: PATHFINDER, the trie of
 * cells) between the two markers,
 * which it writes itself: the system call is not measured.
 * Aegis only: the baseline has no packet filters.
 */
#include "benchutil.h"

#ifdef EXOBENCH_SYSTEM_AEGIS
#include "exos.h"
#include "pf.h"

static uint32_t NFILT = 10;             /* boot parameter "filters" (Table 7: 10) */

static struct dpf_atom atoms[DPF_MAXFILTERS][PF_NATOMS];
static int32_t ids[DPF_MAXFILTERS];
static uint8_t pkt[PF_PKT_LEN] __attribute__((aligned(4)));

static uint32_t dst_of(uint32_t i) { return 0x121a040a + i / 2; }   /* 18.26.4.10 + i/2 */
static uint32_t port_of(uint32_t i) { return 6000 + i; }

static uint32_t check(uint32_t engine)
{
	uint32_t bad = 0;
	for (uint32_t i = 0; i < NFILT; i++) {
		pf_tcp_packet(pkt, dst_of(i), port_of(i));
		bad |= dpf_classify(pkt, PF_PKT_LEN, engine) != ids[i];
	}
	pf_tcp_packet(pkt, dst_of(NFILT - 1), port_of(NFILT));          /* no such port */
	bad |= dpf_classify(pkt, PF_PKT_LEN, engine) != -1;
	pf_tcp_packet(pkt, dst_of(NFILT + 1), port_of(NFILT - 1));      /* no such address */
	bad |= dpf_classify(pkt, PF_PKT_LEN, engine) != -1;
	pf_tcp_packet(pkt, dst_of(NFILT - 1), port_of(NFILT - 1));
	pkt[IP_PROTO_OFF] = 17;                                         /* UDP */
	bad |= dpf_classify(pkt, PF_PKT_LEN, engine) != -1;
	pf_tcp_packet(pkt, dst_of(NFILT - 1), port_of(NFILT - 1));
	pkt[ETH_TYPE_OFF + 1] = 0x06;                                   /* ARP */
	bad |= dpf_classify(pkt, PF_PKT_LEN, engine) != -1;
	pf_tcp_packet(pkt, dst_of(NFILT - 1), port_of(NFILT - 1));
	bad |= dpf_classify(pkt, TCP_DPORT_OFF + 1, engine) != -1;     /* cut inside the port */
	bad |= dpf_classify(pkt, TCP_DPORT_OFF + 2, engine) != ids[NFILT - 1];
	return bad;
}

int main(void)
{
	uint32_t n = os_param("n", 1000), engine = os_param("engine", DPF_ENGINE_DPF), bad = 0;
	NFILT = os_param("filters", 10);
	uint32_t target = os_param("target", NFILT - 1);  /* the packet's filter: default the last */
	if ((engine != DPF_ENGINE_DPF && engine != DPF_ENGINE_INTERP && engine != DPF_ENGINE_NULL &&
	     engine != DPF_ENGINE_PATHFINDER) ||
	    NFILT == 0 || NFILT > DPF_MAXFILTERS || target >= NFILT)
		bench_finish(0);
	int32_t want = engine == DPF_ENGINE_NULL ? -1 : (int32_t)target;
	for (uint32_t i = 0; i < NFILT; i++) {
		pf_tcp_filter(atoms[i], dst_of(i), port_of(i));
		ids[i] = dpf_insert(atoms[i], PF_NATOMS);
		bad |= ids[i] < 0;
	}
	bad |= check(DPF_ENGINE_DPF) | check(DPF_ENGINE_INTERP) | check(DPF_ENGINE_PATHFINDER);

	pf_tcp_packet(pkt, dst_of(target), port_of(target));
	for (uint32_t i = 0; i < 4; i++)                /* warm up: code, filters, packet buffer */
		bad |= dpf_classify(pkt, PF_PKT_LEN, engine) != want;
	/* markers around each chunk of classifications: a call may do at most DPF_BENCH_BUDGET
	 * filter and atom tests (its interrupts are off); the harness sums the chunks */
	uint32_t chunk = DPF_BENCH_BUDGET / (NFILT * (1 + PF_NATOMS)), k;
	int32_t r = -1;
	for (uint32_t done = 0; done < n; done += k) {
		k = n - done < chunk ? n - done : chunk;
		r = dpf_bench(pkt, PF_PKT_LEN, engine, k);
		if (r != want)
			break;
	}
	bad |= r != want || ids[target] != (int32_t)target;
	bench_result("id", (uint32_t)r);
	bench_result("filters", NFILT);
	bench_finish(bad == 0);
}
#else
int main(void)
{
	bench_unsupported();
}
#endif
