/* netbad.c - osapi's net calls with bad arguments: each refused with its error, and a
 * good send still goes out afterwards. */
#include "osapi.h"
#include "netproto.h"

int main(void)
{
	uint32_t word = 1;
	int h;

	bench_result("port0", (uint32_t)os_net_bind(0));
	h = os_net_bind(2000);
	bench_result("rebind", (uint32_t)os_net_bind(2000));
	bench_result("badh", (uint32_t)os_net_send(99, 2, NET_PORT_ECHO, &word, 4));
	bench_result("toobig", (uint32_t)os_net_send(h, 2, NET_PORT_ECHO, &word, NET_MAX_DATA + 1));
	bench_result("badbuf", (uint32_t)os_net_send(h, 2, NET_PORT_ECHO, (const void *)0x80000000, 4));
	bench_result("ash", (uint32_t)os_net_ash(h, &word, 4));
	bench_result("ok", os_net_send(h, 2, NET_PORT_ECHO, &word, 4) == 4);
	return 0;
}
