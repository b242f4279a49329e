/*
 * dpf.c - packet filters: the secure binding for the network (paper §3.2, §5.6):
 * the filter set, insertion with validation, removal, and the system calls.
 *
 * A filter is a conjunction of atoms {offset, size 1/2/4, mask, value}: the
 * field of `size` bytes at `offset` in the packet, read in network byte order
 * and masked, must equal `value` (Ethernet type = IP, IP protocol = TCP, IP
 * destination = X, TCP destination port = Y).  An environment inserts one
 * (SYS_DPF_INSERT), gets its id, and removes it (SYS_DPF_REMOVE); classifying
 * a packet yields the id of the first (lowest-id) filter it satisfies, or -1.
 *
 * Three engines classify against the same filters: DPF, the whole set compiled
 * into MIPS code at every insertion or removal (dpf_gen.c), an interpreter
 * standing in for MPF (dpf_interp.c), each filter translated at insertion into
 * a small accumulator program, and PATHFINDER (pathfinder.c), the set merged
 * into a trie of cells that an interpreter walks.
 *
 * Safety: atoms are data, validated at insertion (size 1/2/4, offset + size
 * <= DPF_MAXPKT, mask within the size, value within the mask, at most
 * DPF_MAXATOMS atoms and DPF_MAXFILTERS filters).  Every filter starts with
 * one check of the packet length against its largest offset + size, so
 * neither engine reads past the packet's end; the generated code holds only
 * loads relative to the packet pointer, ALU, branches and the return -- no
 * store, no other base register.  A packet is classified in a kernel buffer
 * (as a receive DMA buffer would hold it), copied from the caller's
 * guaranteed-mapped memory (PKT_BIAS, dpf.h).
 */
#include "dpf.h"

#define DPF_MARK_START  1       /* BENCH_MARK_START, BENCH_MARK_END (include/osapi.h) */
#define DPF_MARK_END    2

static uint32_t pktbuf[(PKT_BIAS + DPF_MAXPKT + 3) / 4];
#define PKT ((uint8_t *)pktbuf + PKT_BIAS)

struct filt filts[DPF_MAXFILTERS];
uint8_t active[DPF_MAXFILTERS];
uint32_t nactive;

/* ---- the system calls ---- */
typedef int32_t (*engine_t)(const uint8_t *pkt, uint32_t len);

static int32_t null_engine(const uint8_t *pkt, uint32_t len)
{
	(void)pkt, (void)len;
	return -1;
}

static int code_ready;

/* After every change to the set: DPF's code and PATHFINDER's trie. */
static void rebuild(void)
{
	dpf_regen();
	pf_build();
}

static engine_t engine(uint32_t which)
{
	if (!code_ready) {
		for (uint32_t i = 0; i < DPF_MAXFILTERS; i++)
			filts[i].owner = -1;
		rebuild();
		code_ready = 1;
	}
	switch (which) {
	case DPF_ENGINE_DPF: return (engine_t)(uintptr_t)dpf_code;
	case DPF_ENGINE_INTERP: return pf_interp;
	case DPF_ENGINE_PATHFINDER: return pf_pathfinder;
	case DPF_ENGINE_NULL: return null_engine;
	default: return 0;
	}
}

static uint32_t bswap(uint32_t v, uint32_t size)
{
	if (size == 2)
		return (v >> 8 & 0xff) | (v & 0xff) << 8;
	if (size == 4)
		return v >> 24 | (v >> 8 & 0xff00) | (v & 0xff00) << 8 | v << 24;
	return v;
}

/* Add "byte off, under mask, equals val" to f's per-byte constraints, kept sorted by offset;
 * two atoms that disagree on a bit make f empty. */
static void add_byte(struct filt *f, uint32_t off, uint32_t mask, uint32_t val)
{
	uint32_t i = 0;
	if (!mask)
		return;
	while (i < f->nbytes && f->bytes[i].off < off)
		i++;
	if (i < f->nbytes && f->bytes[i].off == off) {
		struct fbyte *b = &f->bytes[i];
		f->empty |= ((b->mask & mask) & (b->val ^ val)) != 0;
		b->mask |= (uint8_t)mask;
		b->val |= (uint8_t)val;
		return;
	}
	for (uint32_t j = f->nbytes++; j > i; j--)
		f->bytes[j] = f->bytes[j - 1];
	f->bytes[i] = (struct fbyte){(uint16_t)off, (uint8_t)mask, (uint8_t)val};
}

/*
 * Could one packet satisfy both filters?  Yes unless they ask different values of some
 * bit of some byte (or either can match nothing).  The length each needs is no obstacle:
 * a long enough packet has both fields.  A merge of the two sorted byte lists.
 */
static int overlap(const struct filt *x, const struct filt *y)
{
	if (x->empty || y->empty)
		return 0;
	for (uint32_t i = 0, j = 0; i < x->nbytes && j < y->nbytes;) {
		const struct fbyte *a = &x->bytes[i], *b = &y->bytes[j];
		if (a->off < b->off)
			i++;
		else if (b->off < a->off)
			j++;
		else if ((a->mask & b->mask) & (a->val ^ b->val))
			return 0;
		else
			i++, j++;
	}
	return 1;
}

/*
 * SYS_DPF_INSERT: the filter of the n atoms at uva (the caller's guaranteed-mapped
 * memory), validated, takes the lowest free id and the set is recompiled.  The secure
 * binding for the network: a filter is refused if some packet could satisfy both it and a
 * filter another environment inserted (the packets are that one's), and a filter that
 * tests nothing (every mask 0) would claim every packet.
 * -> its id; AE_EINVAL (no vector there, n out of 1..DPF_MAXATOMS, a bad atom, no bit
 * tested), AE_EPERM (it overlaps another environment's filter), AE_ENOMEM (DPF_MAXFILTERS
 * in use, or the caller holds DPF_MAXFILTERS_ENV).
 */
sysret_t sys_dpf_insert(uint32_t uva, uint32_t n)
{
	engine(0);
	const struct dpf_atom *ua = (uva & 3) || n == 0 || n > DPF_MAXATOMS ? 0
		: env_kptr(curenv, uva, n * DPF_ATOM_SIZE);
	if (!ua)
		return AE_EINVAL;
	struct filt f = {.owner = curenv->id, .natoms = (uint8_t)n, .maxend = 0};
	for (uint32_t k = 0; k < n; k++) {
		struct dpf_atom a = ua[k];
		uint32_t full = a.size >= 4 ? 0xffffffffu : (1u << 8 * a.size) - 1;   /* no shift by 32 or more */
		if ((a.size != 1 && a.size != 2 && a.size != 4) || a.off > DPF_MAXPKT - a.size ||
		    (a.mask & ~full) || (a.val & ~a.mask))
			return AE_EINVAL;
		f.a[k] = (struct dpf_atom){a.off, a.size, bswap(a.mask, a.size), bswap(a.val, a.size)};
		if (a.off + a.size > f.maxend)
			f.maxend = (uint16_t)(a.off + a.size);
		for (uint32_t b = 0; b < a.size; b++) {        /* network order: byte 0 is the top one */
			uint32_t sh = 8 * (a.size - 1 - b);
			add_byte(&f, a.off + b, (a.mask >> sh) & 0xff, (a.val >> sh) & 0xff);
		}
	}
	if (f.nbytes == 0)
		return AE_EINVAL;
	int32_t id = -1, mine = 0;
	uint32_t my_atoms = n, all_atoms = n;
	for (uint32_t i = 0; i < nactive; i++) {
		const struct filt *g = &filts[active[i]];
		all_atoms += g->natoms;
		if (g->owner == curenv->id)
			mine++, my_atoms += g->natoms;
		else if (overlap(&f, g))
			return AE_EPERM;
	}
	if (mine >= DPF_MAXFILTERS_ENV || my_atoms > DPF_MAXATOMS_ENV || all_atoms > DPF_MAXATOMS_SET)
		return AE_ENOMEM;
	for (int32_t i = 0; i < DPF_MAXFILTERS && id < 0; i++)
		if (filts[i].owner < 0)
			id = i;
	if (id < 0)
		return AE_ENOMEM;
	filts[id] = f;
	uint32_t at = nactive++;
	for (; at > 0 && active[at - 1] > id; at--)
		active[at] = active[at - 1];
	active[at] = (uint8_t)id;
	pf_translate(id);
	rebuild();
	return id;
}

static void drop(uint32_t id)
{
	filts[id].owner = -1;
	ash_drop((int32_t)id);
	uint32_t j = 0;
	for (uint32_t i = 0; i < nactive; i++)
		if (active[i] != id)
			active[j++] = active[i];
	nactive = j;
}

/* SYS_DPF_REMOVE -> 0; AE_EINVAL (no such filter), AE_EPERM (the caller did not insert it). */
sysret_t sys_dpf_remove(uint32_t id)
{
	engine(0);
	if (id >= DPF_MAXFILTERS || filts[id].owner < 0)
		return AE_EINVAL;
	if (filts[id].owner != curenv->id)
		return AE_EPERM;
	drop(id);
	rebuild();
	return 0;
}

/* An environment's filters go with it. */
void dpf_env_gone(int envid)
{
	uint32_t n = nactive;
	for (uint32_t id = 0; code_ready && id < DPF_MAXFILTERS; id++)
		if (filts[id].owner == envid)
			drop(id);
	if (nactive != n)
		rebuild();
}

/* The environment that inserted filter id, or -1 (no such filter). */
int32_t dpf_owner(uint32_t id)
{
	return code_ready && id < DPF_MAXFILTERS ? filts[id].owner : -1;
}

/* Demultiplex a received frame (kernel memory, len <= DPF_MAXPKT) with DPF: the lowest
 * id of a filter it satisfies, or -1.  The frame is classified in the kernel's buffer. */
int32_t dpf_match(const uint8_t *frame, uint32_t len)
{
	engine_t e = engine(DPF_ENGINE_DPF);
	memcpy(PKT, frame, len);
	return e(PKT, len);
}

/* The packet into the kernel's buffer, from the caller's guaranteed-mapped memory. */
static int32_t copyin(uint32_t uva, uint32_t len)
{
	const void *src = len > DPF_MAXPKT ? 0 : env_kptr(curenv, uva, len);
	if (!src)
		return AE_EINVAL;
	memcpy(PKT, src, len);
	return 0;
}

/* SYS_DPF_CLASSIFY -> the lowest id of a filter the packet satisfies, or -1; AE_EINVAL
 * (no such engine, len > DPF_MAXPKT, the packet not in guaranteed-mapped memory). */
sysret_t sys_dpf_classify(uint32_t uva, uint32_t len, uint32_t which)
{
	engine_t e = engine(which);
	if (!e || copyin(uva, len))
		return AE_EINVAL;
	return e(PKT, len);
}

/* Classify one packet n times between two board markers: the measured time is
 * the classification (and this loop's call), not the system call.  AE_EINVAL also when
 * n classifications could take more than DPF_BENCH_BUDGET filter and atom tests. */
sysret_t sys_dpf_bench(uint32_t uva, uint32_t len, uint32_t which, uint32_t n)
{
	engine_t e = engine(which);
	uint32_t work = nactive;
	for (uint32_t i = 0; i < nactive; i++)
		work += filts[active[i]].natoms;
	if (!e || n == 0 || n > DPF_BENCH_BUDGET / (work ? work : 1) || copyin(uva, len))
		return AE_EINVAL;
	int32_t r = -1;
	BOARD(BOARD_MARKER) = DPF_MARK_START;
	for (uint32_t i = 0; i < n; i++)
		r = e(PKT, len);
	BOARD(BOARD_MARKER) = DPF_MARK_END;
	return r;
}
