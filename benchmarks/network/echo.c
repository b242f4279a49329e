/*
 * echo.c - Figure 2, machine 1: starts "procs" compute-bound processes (spin.c), binds
 * NET_PORT_ECHO, tells the pinger it is ready, then echoes every message back to its
 * sender.  With "ash" = 1 (Aegis only) it downloads echo_ash.S for the binding first: the
 * kernel then answers each message in its receive interrupt and this process only yields;
 * without, it receives each message when it next runs (os_net_recv yields while none is
 * queued) and sends the reply itself.  Never exits: the run ends when the pinger's machine
 * halts.
 */
#include "net.h"
#ifdef EXOBENCH_SYSTEM_AEGIS
#include "exos.h"
extern const uint32_t netb_echo_ash[], netb_echo_ash_end[];
#endif

int main(void)
{
	uint32_t procs = os_param("procs", 0), ash = os_param("ash", 0), msg = NETB_HELLO;
	struct os_net_from from;
	for (uint32_t i = 0; i < procs; i++)
		if (os_spawn("spin") < 0)
			os_exit(1);
	int h = os_net_bind(NET_PORT_ECHO);
	if (h < 0)
		os_exit(2);
	if (ash) {
#ifdef EXOBENCH_SYSTEM_AEGIS
		if (os_net_ash(h, netb_echo_ash, (uint32_t)(netb_echo_ash_end - netb_echo_ash) * 4) != OS_OK)
			os_exit(3);
#else
		os_exit(3);
#endif
	}
	/* Before the "ready" message, let the pinger's machine bring its interface up (the
	 * baseline starts its LANCE at the first socket(); a frame that arrives before is lost,
	 * and neither side has a time-out): about NETB_START_DELAY loop iterations, untimed. */
	for (volatile uint32_t i = 0; i < NETB_START_DELAY; i++)
		;
	if (os_net_send(h, NETB_PINGER, NET_PORT_CLIENT, &msg, NET_MSG_LEN) != NET_MSG_LEN)
		os_exit(4);
	for (;;) {
		if (ash) {              /* the kernel answers: nothing to do here */
			os_yield(-1);
			continue;
		}
		int len = os_net_recv(h, &msg, sizeof msg, &from);
		if (len == NET_MSG_LEN)
			os_net_send(h, from.station, from.port, &msg, NET_MSG_LEN);
	}
}
