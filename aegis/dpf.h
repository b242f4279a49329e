/*
 * dpf.h - what the packet-filter files share: the filter set (dpf.c
 * keeps it: insertion with validation, removal, the system calls), its DPF
 * code generator (dpf_gen.c), its interpreter (dpf_interp.c) and PATHFINDER's
 * trie (pathfinder.c).  The rest of
 * the kernel sees dpf.c's section of kern.h only.
 */
#ifndef AEGIS_DPF_H
#define AEGIS_DPF_H

#include "kern.h"

/* A packet is classified in a kernel buffer, PKT_BIAS bytes into a word so that
 * the IP header behind the 14-byte Ethernet header is word-aligned. */
#define PKT_BIAS        2

/* dpf.c: the filter set */
struct fbyte {                  /* what a filter asks of one packet byte */
	uint16_t off;
	uint8_t mask, val;
};
struct filt {
	int32_t owner;          /* env id; -1: free */
	uint8_t natoms;
	uint16_t maxend;        /* max(offset + size): the length the packet needs */
	struct dpf_atom a[DPF_MAXATOMS];        /* mask and value in load (native) order */
	/* The same conjunction per byte, by offset, for the overlap check: nbytes entries;
	 * none (nbytes 0) means it tests nothing, empty means no packet can satisfy it. */
	struct fbyte bytes[4 * DPF_MAXATOMS];
	uint8_t nbytes, empty;
};
extern struct filt filts[DPF_MAXFILTERS];
extern uint8_t active[DPF_MAXFILTERS];      /* ids of the filters in use, ascending */
extern uint32_t nactive;

/* Is the size-byte field at packet offset off aligned for a native load? */
static inline int aligned(uint32_t off, uint32_t size)
{
	return ((off + PKT_BIAS) & (size - 1)) == 0;
}

/* dpf_gen.c: the set compiled into dpf_code, int32_t code(const uint8_t *pkt, uint32_t len) */
extern uint32_t dpf_code[];
void dpf_regen(void);             /* after every change to the set */

/* dpf_interp.c: the interpreter standing in for MPF */
void pf_translate(int id);        /* filter id's program, at its insertion */
int32_t pf_interp(const uint8_t *pkt, uint32_t len);   /* the lowest matching id, or -1 */

/* pathfinder.c: PATHFINDER, the set as a trie of cells */
void pf_build(void);              /* after every change to the set */
int32_t pf_pathfinder(const uint8_t *pkt, uint32_t len);   /* the lowest matching id, or -1 */

#endif
