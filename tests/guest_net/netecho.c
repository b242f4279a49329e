/* netecho.c - the server of the round trip: starts "spinners" compute-bound processes
 * (boot module "spinner"), then answers every message on the echo port with the same
 * bytes, to the port it came from.  Never exits: the client's machine ends the run. */
#include "osapi.h"
#include "netproto.h"

int main(void)
{
	uint32_t k = os_param("spinners", 0), buf[NET_MAX_DATA / 4], i;
	struct os_net_from from;
	int h = os_net_bind(NET_PORT_ECHO), n;

	if (h < 0)
		os_exit(HALT_VALIDATION);
	for (i = 0; i < k; i++)
		if (os_spawn("spinner") < 0)
			os_exit(HALT_VALIDATION);
	for (;;) {
		n = os_net_recv(h, buf, sizeof buf, &from);
		if (n < 0 || os_net_send(h, from.station, from.port, buf, (uint32_t)n) != n)
			os_exit(HALT_VALIDATION);
	}
}
