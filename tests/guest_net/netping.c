/* netping.c - the client of the round trip: n numbered messages to the echo port of
 * station "peer", each answered before the next; markers 1/2 bracket each round trip.
 * Reports valid = 1 when every reply carried its own number and came from the peer's
 * echo port, and the number of rounds.  Written against osapi.h only: runs on both systems. */
#include "osapi.h"
#include "netproto.h"

int main(void)
{
	uint32_t n = os_param("n", 5), peer = os_param("peer", 2), ok = 1, i;
	int h = os_net_bind(NET_PORT_CLIENT);

	if (h < 0) {
		bench_result("bind", (uint32_t)h);
		os_exit(HALT_VALIDATION);
	}
	for (i = 0; i < n; i++) {
		uint32_t msg = 0x5eed0000 + i, reply = 0;
		struct os_net_from from = {0, 0};
		bench_marker(BENCH_MARK_START);
		int s = os_net_send(h, peer, NET_PORT_ECHO, &msg, sizeof msg);
		int r = os_net_recv(h, &reply, sizeof reply, &from);
		bench_marker(BENCH_MARK_END);
		if (s != (int)sizeof msg || r != (int)sizeof reply || reply != msg || from.station != peer ||
		    from.port != NET_PORT_ECHO)
			ok = 0;
	}
	bench_result("rounds", n);
	bench_result("valid", ok);
	return ok ? HALT_OK : HALT_VALIDATION;
}
