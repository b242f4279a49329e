/*
 * pt.h - the page-table structure under ExOS's virtual memory, chosen when a
 * program is linked.  vm.c (faults, mapping, protection, dirty bits) keeps one
 * struct pte (exos.h) per page and reaches it only through these calls; the
 * structure decides where the PTEs live.
 *
 *  - pt_twolevel.c, linked into every ExOS program: a two-level table.  Its
 *    definitions are weak.
 *  - optional/ipt.c: an inverted (hashed) table (paper section 7.2).  A program
 *    selects it by linking that file as one of its own sources; its strong
 *    definitions replace the default's (whose tables stay linked, unused).
 *
 * Calls are direct either way: neither structure pays a test or an indirect
 * call for the other, only the call itself (about 12 instructions per lookup:
 * vm.c cannot inline a structure it is not compiled with).  A structure keeps
 * its memory in bss, which Aegis maps with guaranteed mappings, so the fault
 * path can read it without faulting.
 */
#ifndef EXOS_PT_H
#define EXOS_PT_H

#include "exos.h"

/* va's PTE, or 0 when the structure holds none for its page (never mapped, or a
 * two-level table without that second-level table).  Any time. */
struct pte *pt_lookup(uint32_t va);

/* va's PTE, added (word and cap 0) if absent; 0 when the structure is full (nothing
 * changed then).  Entries are never removed: an unmapped page keeps a PTE without PTE_P. */
struct pte *pt_insert(uint32_t va);

/* The protection of npages pages from va (page-aligned, in range): every PTE's PTE_R and
 * PTE_W become those of set, in page order, up to the first page without a present PTE.
 * *accp = the OR of the PTE words before they changed.  -> OS_OK, or OS_EINVAL at a page
 * without one (the pages before it changed).  The structure's own walk: consecutive
 * PTEs in one go where it keeps them together. */
int pt_protect(uint32_t va, uint32_t npages, uint32_t set, uint32_t *accp);

/* uint32_t vm_pt_bytes(void), in exos.h: the bytes of structure in use. */

#endif
