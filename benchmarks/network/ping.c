/*
 * ping.c - Figure 2, machine 0: waits for the echo server's "ready" message, then times n
 * round trips of a NET_MSG_LEN-byte message to it (markers around each: the harness sums
 * them), after NETB_WARMUP untimed ones.  Validates every reply: the message it sent (a
 * sequence number), from the server's station and port, of the right length.
 */
#include "net.h"

int main(void)
{
	uint32_t n = os_param("n", 20), bad = 0, msg, got = 0;
	struct os_net_from from;
	int h = os_net_bind(NET_PORT_CLIENT);
	if (h == OS_ENOTSUP)
		bench_unsupported();
	if (h < 0)
		bench_finish(0);
	int len = os_net_recv(h, &got, sizeof got, &from);
	bad |= len != NET_MSG_LEN || got != NETB_HELLO || from.station != NETB_SERVER;
	for (uint32_t i = 0; i < NETB_WARMUP + n && !bad; i++) {
		msg = NETB_SEQ0 + i;
		got = 0;
		if (i >= NETB_WARMUP)
			bench_marker(BENCH_MARK_START);
		bad |= os_net_send(h, NETB_SERVER, NET_PORT_ECHO, &msg, NET_MSG_LEN) != NET_MSG_LEN;
		len = os_net_recv(h, &got, sizeof got, &from);
		if (i >= NETB_WARMUP)
			bench_marker(BENCH_MARK_END);
		bad |= len != NET_MSG_LEN || got != msg || from.station != NETB_SERVER || from.port != NET_PORT_ECHO;
	}
	bench_result("round_trips", n);
	bench_finish(bad == 0);
}
