/*
 * pathfinder.c - a PATHFINDER-style classifier (Bailey, Gopal, Pagels, Peterson,
 * Sarkar, "PATHFINDER: A Pattern-Based Packet Classifier", OSDI 1994): Table 7's
 * middle row, run on the same filter set as DPF and the interpreter (dpf.c).
 *
 * PATHFINDER describes a filter as a pattern: a sequence of cells, each a
 * (offset, length, mask, value) comparison, and merges the patterns of all
 * filters into a decision tree (a trie) in which patterns that begin with the
 * same cells share those cells: a packet is compared once against a common
 * prefix, then against the alternatives that follow it.  Cells that read the
 * same field and differ only in their value (or mask) sit side by side in one
 * list of alternatives, and the field is loaded once for all of them
 * (PATHFINDER hashes such lines of values; ten filters are few enough for a
 * list).  The trie is data, walked by an interpreter: no code is
 * generated.
 *
 * Built from the filter set (dpf.c's filts/active) at every insertion or
 * removal (pf_build), in ascending filter id, so that the first cell of a list
 * whose prefix a filter needs is the one of the lowest id.  Our filters are
 * not a partition of the packet space (an environment may hold filters that
 * overlap, and one filter may be a prefix of another), so the walk does not
 * stop at the first pattern that matches: it is a depth-first search for the
 * lowest id, pruning every cell whose subtree holds no id lower than the best
 * found so far -- the answer is dpf.c's (the lowest matching id, or -1).
 *
 * Safety: every cell checks offset + length against the packet length before
 * its load; the trie has at most DPF_MAXATOMS_SET cells and is DPF_MAXATOMS
 * deep (the walk's recursion depth).
 */
#include "dpf.h"

#define PFT_NIL  0xffff
#define PFT_MAX  DPF_MAXATOMS_SET       /* one cell per atom at most */

struct cell {
	uint16_t off;
	uint8_t size;
	uint8_t minid;          /* lowest filter id in this cell's subtree (itself included) */
	uint32_t mask, val;     /* load (native) order, as filts[] holds them */
	uint16_t child;         /* first cell of the list that follows this one, or PFT_NIL */
	uint16_t next;          /* next alternative in this cell's list, or PFT_NIL */
	int32_t accept;         /* lowest id of a filter whose pattern ends here, or -1 */
};

static struct cell cells[PFT_MAX];
uint32_t pf_ncells;             /* cells in the trie (read by tests/test_pathfinder.py) */
static uint16_t root = PFT_NIL;

/* The cell of list *head equal to atom a, or a new one appended to the list. */
static uint16_t find_or_add(uint16_t *head, const struct dpf_atom *a, int id)
{
	uint16_t *link = head;
	for (uint16_t c = *head; c != PFT_NIL; link = &cells[c].next, c = cells[c].next)
		if (cells[c].off == a->off && cells[c].size == a->size && cells[c].mask == a->mask &&
		    cells[c].val == a->val)
			return c;
	uint16_t c = (uint16_t)pf_ncells++;
	cells[c] = (struct cell){a->off, (uint8_t)a->size, (uint8_t)id, a->mask, a->val, PFT_NIL, PFT_NIL, -1};
	*link = c;
	return c;
}

/* Rebuild the trie from the filter set: after every insertion or removal (dpf.c). */
void pf_build(void)
{
	pf_ncells = 0;
	root = PFT_NIL;
	for (uint32_t i = 0; i < nactive; i++) {
		const struct filt *f = &filts[active[i]];
		uint16_t *list = &root, c = PFT_NIL;
		for (uint32_t k = 0; k < f->natoms; k++) {
			c = find_or_add(list, &f->a[k], active[i]);
			list = &cells[c].child;
		}
		if (c != PFT_NIL && cells[c].accept < 0)        /* ids ascend: the first is the lowest */
			cells[c].accept = active[i];
	}
}

/* The field a cell reads, in native load order (as dpf_interp.c's loads read it). */
static uint32_t field(const uint8_t *pkt, uint32_t off, uint32_t size)
{
	const uint8_t *q = pkt + off;
	if (size == 1)
		return *q;
	if (aligned(off, size))
		return size == 2 ? *(const uint16_t *)q : *(const uint32_t *)q;
	return size == 2 ? q[0] | (uint32_t)q[1] << 8
			 : q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
}

/*
 * Walk the list at c: for each alternative whose subtree may still improve on *best
 * (unsigned: -1 is the worst), test the cell -- one load for a run of alternatives on
 * the same field and mask -- and on a match take its accept and descend.
 */
static void walk(uint16_t c, const uint8_t *pkt, uint32_t len, uint32_t *best)
{
	uint32_t key = 0, raw = 0;      /* key: (off << 8 | size) of the field in raw; 0: none */
	for (; c != PFT_NIL; c = cells[c].next) {
		const struct cell *p = &cells[c];
		if (p->minid >= *best || p->off + p->size > len)
			continue;
		uint32_t k = (uint32_t)p->off << 8 | p->size;
		if (k != key) {
			raw = field(pkt, p->off, p->size);
			key = k;
		}
		if ((raw & p->mask) != p->val)
			continue;
		if ((uint32_t)p->accept < *best)
			*best = (uint32_t)p->accept;
		walk(p->child, pkt, len, best);
	}
}

/* The lowest id of a filter the packet satisfies, or -1 (DPF_ENGINE_PATHFINDER). */
int32_t pf_pathfinder(const uint8_t *pkt, uint32_t len)
{
	uint32_t best = 0xffffffffu;
	walk(root, pkt, len, &best);
	return (int32_t)best;
}
