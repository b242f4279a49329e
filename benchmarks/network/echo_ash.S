/*
 * echo_ash.S - Figure 2's ASH (aegis/ash.c): answer a message from inside the kernel's
 * receive interrupt.  The frame (a0, length a1) is turned into its reply in place: the
 * Ethernet addresses, the IPv4 addresses and the UDP ports swapped (the IPv4 checksum
 * does not change: the sum is the same; the UDP checksum is 0, netproto.h), the message
 * left as it is; it counts the messages in the data region's first word and asks the
 * kernel to send the a1 bytes (ASH_REPLY).  Straight-line code: no loop, no store
 * outside the frame and the data region, no load whose value is used by the next
 * instruction -- the verifier's rules.
 */
#include "aegis.h"
#include "netproto.h"

	.set	noreorder
	.set	noat
	.text
	.globl	netb_echo_ash, netb_echo_ash_end
netb_echo_ash:
	lhu	$t0, NET_ETH_DST + 0($a0)
	lhu	$t1, NET_ETH_SRC + 0($a0)
	lhu	$t2, NET_ETH_DST + 2($a0)
	sh	$t1, NET_ETH_DST + 0($a0)
	sh	$t0, NET_ETH_SRC + 0($a0)
	lhu	$t0, NET_ETH_SRC + 2($a0)
	lhu	$t1, NET_ETH_DST + 4($a0)
	sh	$t2, NET_ETH_SRC + 2($a0)
	lhu	$t2, NET_ETH_SRC + 4($a0)
	sh	$t0, NET_ETH_DST + 2($a0)
	sh	$t1, NET_ETH_SRC + 4($a0)
	sh	$t2, NET_ETH_DST + 4($a0)
	lhu	$t0, NET_IP_SRC + 0($a0)
	lhu	$t1, NET_IP_DST + 0($a0)
	lhu	$t2, NET_IP_SRC + 2($a0)
	lhu	$t3, NET_IP_DST + 2($a0)
	sh	$t1, NET_IP_SRC + 0($a0)
	sh	$t0, NET_IP_DST + 0($a0)
	sh	$t3, NET_IP_SRC + 2($a0)
	sh	$t2, NET_IP_DST + 2($a0)
	lhu	$t0, NET_UDP_SPORT($a0)
	lhu	$t1, NET_UDP_DPORT($a0)
	lw	$t2, 0($a2)
	sh	$t0, NET_UDP_DPORT($a0)
	sh	$t1, NET_UDP_SPORT($a0)
	addiu	$t2, $t2, 1
	sw	$t2, 0($a2)
	li	$v0, ASH_REPLY
	jr	$ra
	move	$v1, $a1
netb_echo_ash_end:
