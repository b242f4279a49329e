/*
 * fast_loop.h - the fast engine: a threaded interpreter over predecoded
 * instructions (decode.c).  Included twice by cpu.c:
 *   RUN_NAME=fast_ideal, CACHES=0: no cache model;
 *   RUN_NAME=fast_caches, CACHES=1: the I-cache, D-cache and write buffer;
 *   RUN_NAME=fast_caches16, CACHES=1, LINE_SHIFT=4: the same for 16-byte I- and
 *     D-cache lines and no page-mode writes (dec5000), with the line
 *     shift a constant - a variable shift, reloaded from the stack at every
 *     fetch, was a measurable cost - and no page-mode test in a store.
 * The hazard checker and the profile are not here: a run with either on
 * uses the reference interpreter (cpu_loop.h).
 *
 * It must give exactly the reference's counters, so it makes the same
 * slow-path calls with the same state, in the same order, and counts
 * instructions and cycles as the reference does; it changes how the next
 * instruction is found:
 *   - the fetch page has a predecoded array (fdec); d points at the current
 *     instruction's entry, and the next sequential one is d + 1 with no fetch
 *     check at all: the array ends with a sentinel slot, never decoded, whose
 *     handler (op_DECODE) sends pc, now on the next page, to a full fetch; so
 *     does the one-slot array an uncached fetch is decoded into;
 *   - control state is (pc, bd, target): the current instruction, whether it
 *     sits in a delay slot, and where execution goes after it if it does.
 *     A branch sets bd and target for its successor; only a delay slot's
 *     successor, a page change or a slow path goes through a full fetch.
 *     Every handler is compiled twice (fast_ops.h): a delay slot runs its
 *     ds_ copy (ops_ds), whose end goes to target, so the common copy's end
 *     tests nothing.
 *     The reference's (pc, npc, delay) at the top of its loop is
 *     (pc, bd ? target : pc + 4, bd) here (SYNC_TOP);
 *   - each handler ends with its own copy of the dispatch (NEXT), an
 *     indirect jump to the entry's handler address (d->h, set from the
 *     label table when the slot is decoded: direct threading), so the host
 *     predicts each handler's successor separately;
 *   - the cache model's per-instruction state (tag arrays, masks) is in
 *     locals, and the I-cache is looked up in straight-line code only where a
 *     line starts (and at every fetch through fetch).
 * Stores invalidate the predecoded word they overwrite (the store map holds
 * no page with predecoded code, so such a store takes the slow path and its
 * decode_store), so code written at run time executes as written.
 */

/* Keep each handler's own copy of the dispatch: GCC would otherwise merge the identical
 * tails into one indirect jump (cross-jumping), which the host predicts far worse. */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("no-crossjumping", "no-gcse")))
#endif
static int RUN_NAME(struct machine *m)
{
#define FAST_OP_LABEL(n) [OP_##n] = &&op_##n,
	static const void *const ops[OP_COUNT] = { FAST_OPS(FAST_OP_LABEL) };
#undef FAST_OP_LABEL
#if CACHES
	/* the handlers of an instruction that starts an I-cache line: the lookup, then the op */
#define FAST_OP_LABEL(n) [OP_##n] = &&line_##n,
	static const void *const ops_line[OP_COUNT] = { FAST_OPS(FAST_OP_LABEL) };
#undef FAST_OP_LABEL
#else
	const void *const *const ops_line = ops;
#endif
	/* the handlers of an instruction in a delay slot; a word to decode goes to op_DECODE */
#define FAST_OP_LABEL(n) [OP_##n] = &&ds_##n,
	static const void *const ops_ds[OP_COUNT] = { FAST_OPS(FAST_OP_LABEL) };
#undef FAST_OP_LABEL
	uint32_t *const r = m->r;
	uint32_t pc;                    /* the current instruction */
	uint32_t target = 0;            /* where to go after it, when bd */
	int bd;                         /* it sits in a delay slot */
	uint32_t ftag, ctx, fpdelta;
	/* The counters as a countdown to the next event: cycles = cend - left, so the
	 * deadline test and the cycle count are one decrement per instruction (left <= 0:
	 * the event is due), and instructions = cycles - extra, where extra (the cycles
	 * that are not one per instruction: stalls, misses) changes only with a stall. */
	int64_t left;
	uint64_t cend, extra;
	const struct dinsn *d;          /* pc's entry */
	struct dinsn *fdec = NULL;      /* the fetch page's predecoded array, valid while ftag matches */
	struct dinsn uncached[2];       /* an instruction fetched uncached (kseg1, N pages), decoded each
	                                 * time, and its sentinel */
#if CACHES
	uint32_t *const itags = m->itags, *const dtags = m->dtags;
	const uint32_t imask = m->imask, dmask = m->dmask;
#ifdef LINE_SHIFT
	/* this instance's line size, I- and D-cache alike: shifts by a constant; no page mode */
#define PAGE_MODE 0
	const uint32_t lshift = LINE_SHIFT, dshift = LINE_SHIFT;
#else
#define PAGE_MODE 1
	const uint32_t lshift = m->line_shift, dshift = m->dline_shift;
#endif
#endif

#define CYCLES() (cend - (uint64_t)left)
/* n cycles more than the one every instruction takes */
#define STALL(n) do { uint64_t n_ = (n); left -= (int64_t)n_; extra += n_; } while (0)
/* The instruction about to run: its cycle; if the deadline is reached, the events first. */
#define TICK_OR_EVENTS() do { if (unlikely(--left < 0)) goto events_untick; } while (0)
#define SYNC_CNT() do { uint64_t c_ = CYCLES(); m->c.cycles = c_; m->c.insns = c_ - extra; } while (0)
/* The reference's state at the top of its loop, before the instruction at pc. */
#define SYNC_TOP() do { m->pc = pc; m->npc = bd ? target : pc + 4; m->delay = bd; \
		SYNC_CNT(); } while (0)
#define RELOAD_TOP() do { pc = m->pc; bd = m->delay; target = m->npc; RELOAD_CNT(); } while (0)
/* ... and inside an instruction, where the reference has already moved pc on. */
#define SYNC() do { uint32_t nx_ = bd ? target : pc + 4; \
		m->pc = nx_; m->npc = nx_ + 4; m->delay = 0; \
		SYNC_CNT(); } while (0)
/* After a slow path that did not raise: counters, deadline, context and fetch page may
 * have changed, the control state has not. */
#define RELOAD_CNT() do { uint64_t c_ = m->c.cycles, ev_ = m->next_event; \
		uint64_t room_ = ev_ > c_ ? ev_ - c_ : 0; \
		if (room_ > LEFT_MAX) room_ = LEFT_MAX;     /* events then looks again */ \
		left = (int64_t)room_; cend = c_ + room_; extra = c_ - m->c.insns; \
		ctx = m->ctx; ftag = m->ftag; fpdelta = m->fpdelta; } while (0)
#define LEFT_MAX ((uint64_t)1 << 62)   /* far beyond any run, and no overflow with stalls */

#if CACHES
/* Only fetches change the I-cache tags, so a lookup that hits changes nothing, and a
 * fetch from the line of the fetch just before it hits.  Every fetch through fetch
 * looks the I-cache up (ICACHE); the sequential successor of an instruction in the
 * same array only when it starts a line: its predecessor, just fetched from the same
 * page, had the line otherwise.  Whether a slot starts a line is known when it is
 * decoded (its physical address), so such a slot's h is its op's line_ handler, which
 * looks the I-cache up first (OP): no handler tests the pc for it.  A line_ handler
 * entered through fetch looks up again, and hits. */
#define ICACHE() do { \
		uint32_t l_ = (pc + fpdelta) >> lshift; uint32_t *t_ = &itags[l_ & imask]; \
		if (unlikely(*t_ != l_ + 1)) STALL(cost_imiss(m, t_, l_)); } while (0)
#define STARTS_LINE(pc) (!((pc) & ((1u << lshift) - 1)))
/* a handler: its line_ entry (the I-cache lookup), then its op_ entry */
#define OP(n) line_##n: ICACHE(); op_##n:
#else
#define ICACHE() do { } while (0)
#define STARTS_LINE(pc) 0
#define OP(n) op_##n:
#endif
/* Run the instruction at d: the deadline, the counts, its handler (which looks the
 * I-cache up if the instruction starts a line). */
#define TOP() do { \
		TICK_OR_EVENTS(); \
		goto *d->h; \
	} while (0)
/* The instruction (not in a delay slot: fast_ops.h's DS 0) finished: on to its successor. */
#define NEXT() do { \
		pc += 4; \
		d++;    /* the sentinel at the end of the array goes to fetch */ \
		TOP(); \
	} while (0)
/* The instruction in a delay slot finished: on to the branch's target, with fetch's fast
 * path inlined (deadline, fetch page, I-cache lookup): each site gets its own indirect jump. */
#define GO_TARGET() do { \
		pc = target; bd = 0; \
		if (likely(left > 0) && likely((pc & 0xfffff003u) == ftag)) { \
			d = fdec + ((pc >> 2) & (PAGE_SIZE / 4 - 1)); \
			left--; \
			ICACHE(); \
			goto *d->h; \
		} \
		goto fetch; \
	} while (0)
/* A branch or jump to tgt, taken if cond: its successor is a delay slot, run by its
 * ds_ handler (fast_ops.h's DS 1), which looks the I-cache up only if entered through
 * fetch, so the lookup of a line start is made here. */
#define BRANCH_TO(cond, tgt) do { \
		uint32_t t_ = (tgt); \
		target = (cond) ? t_ : pc + 8; bd = 1; pc += 4; \
		d++; \
		TICK_OR_EVENTS(); \
		if (d->op == OP_NOP) { \
			/* the delay slot is a nop (a decoded one: not a sentinel, not \
			 * to decode): run it here, as its handler would */ \
			if (STARTS_LINE(pc)) ICACHE(); \
			GO_TARGET(); \
		} \
		/* a sentinel (pc is on the next page: no lookup before its fetch) or a \
		 * word to decode: op_DECODE, which knows bd */ \
		if (unlikely(d->op == OP_DECODE)) goto op_DECODE; \
		if (STARTS_LINE(pc)) ICACHE(); \
		goto *ops_ds[d->op]; \
	} while (0)
/* The same in a delay slot (DS 1): the reference runs the first branch's target as
 * this one's delay slot. */
#define BRANCH_IN_DS(cond, tgt) do { \
		uint32_t t_ = (tgt); \
		pc = target; target = (cond) ? t_ : pc + 4; \
		goto fetch; \
	} while (0)
/* Run the instruction at d, the I-cache looked up if it starts a line, as a fetch
 * does: its ds_ handler if it sits in a delay slot. */
#define DISPATCH_FETCHED() do { \
		if (unlikely(bd)) goto *ops_ds[d->op]; \
		goto *d->h; \
	} while (0)
#define BRANCH(cond) BRANCH_TO(cond, pc + IMM)
/* Raise an exception at the current instruction and go on at the vector. */
#define RAISE(code, ce) do { SYNC(); cpu_exception(m, (code), pc, bd, (ce)); RELOAD_TOP(); goto fetch; } while (0)
#define RD r[d->d]
#define RS r[d->s]
#define RT r[d->t]
#define IMM d->imm
#define HMAP_KEY(va, amask) (((va) & (ENTRYHI_VPN_MASK | (amask))) | ctx)

#if CACHES
#define DCOST_LOAD(e, va) do { uint32_t l_ = ((va) + (e)->pdelta) >> dshift; uint32_t *t_ = &dtags[l_ & dmask]; \
		if (unlikely(*t_ != l_ + 1)) STALL(cost_dmiss(m, t_, l_, CYCLES())); } while (0)
/* the test keeps the common no-stall store from adding a zero to extra, which lives on the stack */
#define DCOST_STORE(e, va, sz) do { uint32_t s_ = cost_dstore_at(m, (va) + (e)->pdelta, (sz), CYCLES(), dshift, PAGE_MODE); \
		if (s_ != 0) STALL(s_); } while (0)
#else
#define DCOST_LOAD(e, va) do { } while (0)
#define DCOST_STORE(e, va, sz) do { } while (0)
#endif

/* As the reference's LOAD_AS: through the host map when it hits, else the slow path
 * (after which the instruction ends with a full fetch: slow_ is set). */
#define LOAD_AS(ctype, amask, va, slow_va, slow_size) do { \
		struct hmap_entry *e_ = &m->rmap[HMAP_INDEX(va)]; \
		if (likely(e_->tag == HMAP_KEY(va, amask))) { \
			v = *(const ctype *)(e_->host + (va)); \
			DCOST_LOAD(e_, va); \
		} else { \
			SYNC(); \
			uint32_t sv_;   /* not &v: v stays in a register on the fast path */ \
			if (mmu_load(m, (slow_va), (slow_size), pc, bd, &sv_)) { RELOAD_TOP(); goto fetch; } \
			v = sv_; \
			RELOAD_CNT(); \
			slow_ = 1; \
		} } while (0)
#define LOAD(size, ctype, amask, va) LOAD_AS(ctype, amask, va, va, size)
#define STORE(size, ctype, amask, va, value) do { \
		struct hmap_entry *e_ = &m->wmap[HMAP_INDEX(va)]; \
		if (likely(e_->tag == HMAP_KEY(va, amask))) { \
			*(ctype *)(e_->host + (va)) = (ctype)(value); \
			DCOST_STORE(e_, va, (size)); \
		} else { \
			SYNC(); \
			if (mmu_store(m, (va), (size), (value), pc, bd)) { RELOAD_TOP(); goto fetch; } \
			RELOAD_CNT(); \
			goto advance_full; \
		} } while (0)
#define NEXT_AFTER(slow) do { if (unlikely(slow)) goto advance_full; NEXT(); } while (0)
/* The multiply/divide unit: wait until it is free (the instruction issued at cycles - 1). */
#define HILO_WAIT() do { uint64_t now_ = CYCLES() - 1; \
		if (unlikely(now_ < m->hilo_ready)) { \
			uint64_t s_ = m->hilo_ready - now_; STALL(s_); m->c.hilo_stall_cycles += s_; } } while (0)
#define HILO_BUSY(n) (m->hilo_ready = CYCLES() - 1 + (n))

	/* Slots decoded by another instance of this loop point at its labels: decode again. */
	if (m->decode_label != &&op_DECODE) {
		m->decode_label = &&op_DECODE;
		decode_flush_all(m);
	}
	/* The fetch page may have been set up by the reference engine, with no fdec. */
	m->ftag = FTAG_NONE;
	RELOAD_TOP();
	goto fetch;

advance_full:
	/* the instruction finished through a slow path, which may have changed the fetch page */
	if (bd) {
		pc = target;
		bd = 0;
	} else {
		pc += 4;
	}
	/* fall through */
fetch:
	/* the reference's loop top: deadline, then fetch */
	if (unlikely(left <= 0))
		goto events;
fetch_noev:
	if (unlikely((pc & 0xfffff003u) != ftag))
		goto fetch_slow;
	d = fdec + ((pc >> 2) & (PAGE_SIZE / 4 - 1));
	left--;
	ICACHE();
	DISPATCH_FETCHED();

events_untick:
	/* TICK_OR_EVENTS counted the instruction: undo it.  The empty asm hides that this
	 * is the value left had before the decrement, which GCC would otherwise keep alive in
	 * a second register, copying it at every dispatch. */
	__asm__("" : "+r"(left));
	left++;
events:
	if (CYCLES() < m->next_event) {         /* only when the countdown was clamped */
		RELOAD_CNT();
		goto fetch_noev;
	}
	SYNC_TOP();
	if (cpu_events(m))
		return m->stop.reason;
	RELOAD_TOP();
	/* as the reference: fetch now, without looking at the deadline again */
	goto fetch_noev;

fetch_slow: {
	/* pc left the fetch page, or the context changed (every exception and rfe).  When the
	 * load map knows the page (same key: context and alignment), it is the translation
	 * mmu_fetch would make, of cacheable RAM: switch pages here, and do what mmu_fetch's
	 * success path does that anyone can see - clear fetching_vector, charge the I-cache. */
	uint32_t insn;
	struct hmap_entry *e = &m->rmap[HMAP_INDEX(pc)];
	if (likely(e->tag == HMAP_KEY(pc, 3))) {
		m->fetching_vector = 0;
		ftag = pc & ENTRYHI_VPN_MASK;
		fpdelta = e->pdelta & ENTRYHI_VPN_MASK;
		fdec = e->dec ? e->dec : decode_page(m, pc + fpdelta);
		m->ftag = ftag;
		m->fpdelta = fpdelta;
		m->fhost = e->host;
		d = fdec + ((pc >> 2) & (PAGE_SIZE / 4 - 1));
		left--;
		ICACHE();
		DISPATCH_FETCHED();
	}
	/* Otherwise the reference's slow fetch, which also charges the I-cache for this
	 * fetch and sets up the new page. */
	SYNC_TOP();
	m->delay = 0;                   /* as the reference, whose SYNC comes after dnext = 0 */
	if (mmu_fetch(m, pc, bd, &insn)) {
		RELOAD_TOP();
		goto fetch;
	}
	RELOAD_CNT();
	if ((pc & 0xfffff003u) == ftag) {
		fdec = decode_page(m, pc + fpdelta);
		d = fdec + ((pc >> 2) & (PAGE_SIZE / 4 - 1));
	} else {
		decode_insn(&uncached[0], insn);
		uncached[0].h = ops[uncached[0].op];
		decode_slot_reset(m, &uncached[1]);
		d = uncached;
	}
	left--;
	DISPATCH_FETCHED();
}

#if CACHES
line_DECODE:    /* ops_line's entry for OP_DECODE, which no decoded slot has */
#endif
ds_DECODE:      /* ops_ds's: a fetched word to decode in a delay slot */
op_DECODE:
	/* A sentinel: pc has left the array, on to a full fetch, which counts the
	 * instruction again (TOP counted it already). */
	if (unlikely(d == fdec + PAGE_SIZE / 4 || d == &uncached[1])) {
		left++;
		goto fetch;
	}
	/* First execution of this word since it was (re)written: only reached through fdec.
	 * Decoded, it gets its line_ handler if it starts an I-cache line. */
	decode_insn((struct dinsn *)d, *(const uint32_t *)(m->ram + (uint32_t)(pc + fpdelta)));
	((struct dinsn *)d)->h = STARTS_LINE(pc) ? ops_line[d->op] : ops[d->op];
	if (unlikely(bd)) {
		/* a delay slot, from BRANCH_TO (the line's lookup not made yet) or from fetch
		 * (made: a second lookup hits and changes nothing) */
		if (STARTS_LINE(pc)) ICACHE();
		goto *ops_ds[d->op];
	}
	goto *d->h;

/* COP0's coprocessor-usable test, as the reference's */
#define CP0_USABLE() do { if ((m->cp0[C0_STATUS] & (SR_KUC | SR_CU0)) == SR_KUC) RAISE(EXC_CPU, 0); } while (0)

/* The handlers, twice (fast_ops.h): first out of a delay slot, with the macros above ... */
#define LABEL(n) n
#include "fast_ops.h"
#undef LABEL
#undef OP
#undef NEXT
#undef BRANCH_TO
/* ... then in a delay slot: ds_ labels (ops_ds), on to the target after it, and a branch
 * here is a branch in a delay slot. */
#define LABEL(n) ds_##n
#define OP(n) ds_##n:
#define NEXT() GO_TARGET()
#define BRANCH_TO(cond, tgt) BRANCH_IN_DS(cond, tgt)
#include "fast_ops.h"
#undef LABEL

#undef SYNC
#undef SYNC_TOP
#undef SYNC_CNT
#undef CYCLES
#undef STALL
#undef TICK_OR_EVENTS
#undef LEFT_MAX
#undef RELOAD_TOP
#undef RELOAD_CNT
#undef TOP
#undef NEXT
#undef NEXT_AFTER
#undef BRANCH_TO
#undef BRANCH_IN_DS
#undef GO_TARGET
#undef DISPATCH_FETCHED
#undef ICACHE
#undef STARTS_LINE
#undef OP
#undef RAISE
#undef RD
#undef RS
#undef RT
#undef IMM
#undef BRANCH
#undef HMAP_KEY
#undef DCOST_LOAD
#undef DCOST_STORE
#undef PAGE_MODE
#undef LOAD_AS
#undef LOAD
#undef STORE
#undef HILO_WAIT
#undef HILO_BUSY
#undef CP0_USABLE
}
