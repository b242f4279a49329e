/*
 * net.h - what the network experiment's programs share (Figure 2): a pinger on machine 0
 * (ping.c), an echo server (echo.c) with N compute-bound processes (spin.c) on machine 1.
 * Ports and the message size are netproto.h's.  The host numbers machine i station i + 1.
 */
#ifndef EXOBENCH_NET_BENCH_H
#define EXOBENCH_NET_BENCH_H

#include "benchutil.h"
#include "netproto.h"

#define NETB_PINGER     1               /* station of machine 0 */
#define NETB_SERVER     2               /* station of machine 1 */
#define NETB_HELLO      0x48454c4fu     /* the server's "ready" message to the pinger */
#define NETB_SEQ0       0x51000000u     /* the first round trip's message */
#define NETB_WARMUP     3               /* untimed round trips first */
#define NETB_START_DELAY 20000          /* the server's wait before "ready" (echo.c): ~10 cycles each */

#endif
