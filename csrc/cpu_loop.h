/*
 * cpu_loop.h - the interpreter loop.  Included twice by cpu.c:
 *   RUN_NAME=run_fast, FULL=0: no cache model, no checker, no profile;
 *   RUN_NAME=run_full, FULL=1: all of those, each switched at run time.
 *
 * The hot state lives in locals: pc/npc (npc becomes the branch target once
 * a branch has run, so the delay slot executes next), the counters, the
 * fetch page and the host-map context.  SYNC() writes them back before any
 * call into a slow path; RELOAD() reads them again afterwards, since a slow
 * path may take an exception, change mode or ASID, or schedule an event.
 */

static int RUN_NAME(struct machine *m)
{
	uint32_t *const r = m->r;
	uint32_t pc, npc, ftag, ctx, fpdelta;
	uintptr_t fhost;
	int dnext;
	uint64_t icount, cycles, ev;
	(void)fpdelta;

#define SYNC() do { m->pc = pc; m->npc = npc; m->delay = dnext; \
		m->c.insns = icount; m->c.cycles = cycles; } while (0)
#define RELOAD() do { pc = m->pc; npc = m->npc; dnext = m->delay; \
		icount = m->c.insns; cycles = m->c.cycles; ev = m->next_event; \
		ctx = m->ctx; ftag = m->ftag; fhost = m->fhost; fpdelta = m->fpdelta; } while (0)
/* Raise an exception at the current instruction and go on at the vector. */
#define RAISE(code, ce) { SYNC(); cpu_exception(m, (code), cur, bd, (ce)); RELOAD(); continue; }
#define RS ((insn >> 21) & 31)
#define RT ((insn >> 16) & 31)
#define RD ((insn >> 11) & 31)
#define SA ((insn >> 6) & 31)
#define SIMM ((uint32_t)(int32_t)(int16_t)insn)
#define UIMM (insn & 0xffffu)
#define BRANCH(cond) { if (cond) npc = cur + 4 + (SIMM << 2); dnext = 1; break; }
#define HMAP_KEY(va, amask) (((va) & (ENTRYHI_VPN_MASK | (amask))) | ctx)

#if FULL
#define DCOST_LOAD(e, va) if (m->cost.caches) cycles += cost_dload(m, (va) + (e)->pdelta, cycles)
#define DCOST_STORE(e, va, sz) if (m->cost.caches) cycles += cost_dstore(m, (va) + (e)->pdelta, (sz), cycles)
#else
#define DCOST_LOAD(e, va)
#define DCOST_STORE(e, va, sz)
#endif

/*
 * Load `size` bytes at va into v (zero-extended), through the host map when it hits;
 * the slow path is asked for (slow_va, slow_size), which lwl/lwr use to have faults
 * reported at the unaligned address they were given.
 */
#define LOAD_AS(size, ctype, amask, slow_va, slow_size) { \
	struct hmap_entry *e_ = &m->rmap[HMAP_INDEX(va)]; \
	if (likely(e_->tag == HMAP_KEY(va, amask))) { \
		v = *(const ctype *)(e_->host + va); \
		DCOST_LOAD(e_, va); \
	} else { \
		SYNC(); \
		if (mmu_load(m, (slow_va), (slow_size), cur, bd, &v)) { RELOAD(); continue; } \
		RELOAD(); \
	} }
#define LOAD(size, ctype, amask) LOAD_AS(size, ctype, amask, va, size)
#define STORE(size, ctype, amask, value) { \
	struct hmap_entry *e_ = &m->wmap[HMAP_INDEX(va)]; \
	if (likely(e_->tag == HMAP_KEY(va, amask))) { \
		*(ctype *)(e_->host + va) = (ctype)(value); \
		DCOST_STORE(e_, va, (size)); \
	} else { \
		SYNC(); \
		if (mmu_store(m, va, (size), (value), cur, bd)) { RELOAD(); continue; } \
		RELOAD(); \
	} }
/* The multiply/divide unit: wait until it is free (the instruction issued at cycles - 1). */
#define HILO_WAIT() { uint64_t now_ = cycles - 1; \
	if (unlikely(now_ < m->hilo_ready)) { \
		uint64_t s_ = m->hilo_ready - now_; cycles += s_; m->c.hilo_stall_cycles += s_; } }
#define HILO_BUSY(n) (m->hilo_ready = cycles - 1 + (n))

	RELOAD();
	for (;;) {
		uint32_t insn, cur, va, v;
		int bd;

		if (unlikely(cycles >= ev)) {
			SYNC();
			if (cpu_events(m))
				return m->stop.reason;
			RELOAD();
		}
		r[0] = 0;
		bd = dnext;
		dnext = 0;
		cur = pc;
#if FULL
		/* The profile charges an instruction from before its fetch, so that its own
		 * I-cache miss or uncached fetch is its cost (not the previous instruction's,
		 * and not lost for the first instruction of a run). */
		uint64_t fetch_cycles = cycles;
#endif
		if (likely((pc & 0xfffff003u) == ftag)) {
			insn = *(const uint32_t *)(fhost + pc);
#if FULL
			if (m->cost.caches)
				cycles += cost_icache(m, pc + fpdelta);
#endif
		} else {
			SYNC();
			if (mmu_fetch(m, pc, bd, &insn)) {
				RELOAD();
				continue;
			}
			RELOAD();
		}
#if FULL
		if (m->profile)
			profile_step(m, cur, fetch_cycles);
		if (m->hazard_check)
			hazard_step(m, cur, insn);
#endif
		pc = npc;
		npc = pc + 4;
		icount++;
		cycles++;

		switch (insn >> 26) {
		case 0x00: /* SPECIAL */
			switch (insn & 0x3f) {
			case 0x00: r[RD] = r[RT] << SA; break;
			case 0x02: r[RD] = r[RT] >> SA; break;
			case 0x03: r[RD] = (uint32_t)((int32_t)r[RT] >> SA); break;
			case 0x04: r[RD] = r[RT] << (r[RS] & 31); break;
			case 0x06: r[RD] = r[RT] >> (r[RS] & 31); break;
			case 0x07: r[RD] = (uint32_t)((int32_t)r[RT] >> (r[RS] & 31)); break;
			case 0x08: npc = r[RS]; dnext = 1; break;
			case 0x09: { uint32_t t = r[RS]; r[RD] = cur + 8; npc = t; dnext = 1; break; }
			case 0x0c: RAISE(EXC_SYS, 0);
			case 0x0d: RAISE(EXC_BP, 0);
			case 0x10: HILO_WAIT(); r[RD] = m->hi; break;
			case 0x11: m->hi = r[RS]; break;
			case 0x12: HILO_WAIT(); r[RD] = m->lo; break;
			case 0x13: m->lo = r[RS]; break;
			case 0x18: {
				HILO_WAIT();
				int64_t p = (int64_t)(int32_t)r[RS] * (int32_t)r[RT];
				m->lo = (uint32_t)p; m->hi = (uint32_t)((uint64_t)p >> 32);
				HILO_BUSY(m->cost.mult_cycles);
				break;
			}
			case 0x19: {
				HILO_WAIT();
				uint64_t p = (uint64_t)r[RS] * r[RT];
				m->lo = (uint32_t)p; m->hi = (uint32_t)(p >> 32);
				HILO_BUSY(m->cost.mult_cycles);
				break;
			}
			case 0x1a: {
				int32_t a = (int32_t)r[RS], b = (int32_t)r[RT];
				HILO_WAIT();
				r3000_div(m, a, b);     /* machine.h: by zero and INT_MIN / -1 as the R3000A */
				HILO_BUSY(m->cost.div_cycles);
				break;
			}
			case 0x1b: {
				uint32_t a = r[RS], b = r[RT];
				HILO_WAIT();
				r3000_divu(m, a, b);
				HILO_BUSY(m->cost.div_cycles);
				break;
			}
			case 0x20: {
				int32_t s;
				if (__builtin_add_overflow((int32_t)r[RS], (int32_t)r[RT], &s))
					RAISE(EXC_OV, 0);
				r[RD] = (uint32_t)s;
				break;
			}
			case 0x21: r[RD] = r[RS] + r[RT]; break;
			case 0x22: {
				int32_t s;
				if (__builtin_sub_overflow((int32_t)r[RS], (int32_t)r[RT], &s))
					RAISE(EXC_OV, 0);
				r[RD] = (uint32_t)s;
				break;
			}
			case 0x23: r[RD] = r[RS] - r[RT]; break;
			case 0x24: r[RD] = r[RS] & r[RT]; break;
			case 0x25: r[RD] = r[RS] | r[RT]; break;
			case 0x26: r[RD] = r[RS] ^ r[RT]; break;
			case 0x27: r[RD] = ~(r[RS] | r[RT]); break;
			case 0x2a: r[RD] = (int32_t)r[RS] < (int32_t)r[RT]; break;
			case 0x2b: r[RD] = r[RS] < r[RT]; break;
			default: RAISE(EXC_RI, 0);
			}
			break;

		case 0x01: { /* REGIMM: MIPS-I does not decode rt bit 1 (MAME mips1.cpp) */
			int32_t s = (int32_t)r[RS];
			switch (RT & 0x1d) {
			case 0x00: BRANCH(s < 0);
			case 0x01: BRANCH(s >= 0);
			case 0x10: r[31] = cur + 8; BRANCH(s < 0);
			case 0x11: r[31] = cur + 8; BRANCH(s >= 0);
			default: RAISE(EXC_RI, 0);
			}
			break;
		}
		case 0x02: npc = ((cur + 4) & 0xf0000000u) | ((insn & 0x03ffffffu) << 2); dnext = 1; break;
		case 0x03: r[31] = cur + 8; npc = ((cur + 4) & 0xf0000000u) | ((insn & 0x03ffffffu) << 2); dnext = 1; break;
		case 0x04: BRANCH(r[RS] == r[RT]);
		case 0x05: BRANCH(r[RS] != r[RT]);
		case 0x06: BRANCH((int32_t)r[RS] <= 0);
		case 0x07: BRANCH((int32_t)r[RS] > 0);
		case 0x08: {
			int32_t s;
			if (__builtin_add_overflow((int32_t)r[RS], (int32_t)SIMM, &s))
				RAISE(EXC_OV, 0);
			r[RT] = (uint32_t)s;
			break;
		}
		case 0x09: r[RT] = r[RS] + SIMM; break;
		case 0x0a: r[RT] = (int32_t)r[RS] < (int32_t)SIMM; break;
		case 0x0b: r[RT] = r[RS] < SIMM; break;
		case 0x0c: r[RT] = r[RS] & UIMM; break;
		case 0x0d: r[RT] = r[RS] | UIMM; break;
		case 0x0e: r[RT] = r[RS] ^ UIMM; break;
		case 0x0f: r[RT] = insn << 16; break;

		case 0x10: /* COP0 */
			if ((m->cp0[C0_STATUS] & (SR_KUC | SR_CU0)) == SR_KUC)
				RAISE(EXC_CPU, 0);
			if (insn & (1u << 25)) {
				SYNC();
				switch (insn & 0x3f) {
				case 0x01: tlb_read(m); break;
				case 0x02: tlb_write(m, (m->cp0[C0_INDEX] & INDEX_MASK) >> INDEX_SHIFT); break;
				case 0x06: tlb_write(m, (int)cp0_random(m)); break;
				case 0x08: tlb_probe(m); break;
				case 0x10: cpu_rfe(m); break;
				default: RELOAD(); RAISE(EXC_RI, 0);
				}
				RELOAD();
				break;
			}
			switch (RS) {
			case 0x00: SYNC(); r[RT] = cpu_mfc0(m, RD); break;
			case 0x04: SYNC(); cpu_mtc0(m, RD, r[RT]); RELOAD(); break;
			case 0x08: /* bc0f/bc0t: CpCond0 reads as true (the write buffer looks empty) */
				if (RT == 0) BRANCH(0);
				if (RT == 1) BRANCH(1);
				RAISE(EXC_RI, 0);
			default: RAISE(EXC_RI, 0);
			}
			break;
		case 0x11: case 0x12: case 0x13: /* COP1-3; no FPU is modelled */
		case 0x30: case 0x38: /* lwc0/swc0: no meaning on the R3000 */
		case 0x31: case 0x32: case 0x33: case 0x39: case 0x3a: case 0x3b: {
			int u = cop_unusable(m, insn);
			if (u)
				RAISE(EXC_CPU, u - 1);
			RAISE(EXC_RI, 0);
		}

		case 0x20: va = r[RS] + SIMM; LOAD(1, uint8_t, 0); r[RT] = (uint32_t)(int32_t)(int8_t)v; break;
		case 0x21: va = r[RS] + SIMM; LOAD(2, uint16_t, 1); r[RT] = (uint32_t)(int32_t)(int16_t)v; break;
		case 0x23: va = r[RS] + SIMM; LOAD(4, uint32_t, 3); r[RT] = v; break;
		case 0x24: va = r[RS] + SIMM; LOAD(1, uint8_t, 0); r[RT] = v; break;
		case 0x25: va = r[RS] + SIMM; LOAD(2, uint16_t, 1); r[RT] = v; break;
		case 0x22: { /* lwl, little-endian: the high bytes of rt from the word's low end */
			uint32_t ea = r[RS] + SIMM, b = ea & 3, s = (3 - b) * 8;
			va = ea & ~3u;
			LOAD_AS(4, uint32_t, 3, ea, MMU_LWLR);
			r[RT] = (r[RT] & ~(0xffffffffu << s)) | (v << s);
			break;
		}
		case 0x26: { /* lwr */
			uint32_t ea = r[RS] + SIMM, b = ea & 3, s = b * 8;
			va = ea & ~3u;
			LOAD_AS(4, uint32_t, 3, ea, MMU_LWLR);
			r[RT] = b == 0 ? v : (r[RT] & ~(0xffffffffu >> s)) | (v >> s);
			break;
		}
		case 0x28: va = r[RS] + SIMM; STORE(1, uint8_t, 0, r[RT]); break;
		case 0x29: va = r[RS] + SIMM; STORE(2, uint16_t, 1, r[RT]); break;
		case 0x2b: va = r[RS] + SIMM; STORE(4, uint32_t, 3, r[RT]); break;
		case 0x2a: case 0x2e: { /* swl, swr: read-modify-write of the enclosing word */
			uint32_t a = r[RS] + SIMM, b = a & 3, x = r[RT];
			int swl = (insn >> 26) == 0x2a;
			struct hmap_entry *e_ = &m->wmap[HMAP_INDEX(a)];
			va = a & ~3u;
			if (likely(e_->tag == HMAP_KEY(va, 3))) {
				uint32_t *p = (uint32_t *)(e_->host + va);
				*p = swl ? merge_swl(*p, x, b) : merge_swr(*p, x, b);
				DCOST_STORE(e_, va, COST_PARTIAL);
			} else {
				SYNC();
				if (mmu_store(m, a, swl ? MMU_SWL : MMU_SWR, x, cur, bd)) { RELOAD(); continue; }
				RELOAD();
			}
			break;
		}
		default:
			RAISE(EXC_RI, 0);
		}
	}
#undef SYNC
#undef RELOAD
#undef RAISE
#undef RS
#undef RT
#undef RD
#undef SA
#undef SIMM
#undef UIMM
#undef BRANCH
#undef HMAP_KEY
#undef DCOST_LOAD
#undef DCOST_STORE
#undef LOAD
#undef LOAD_AS
#undef STORE
#undef HILO_WAIT
#undef HILO_BUSY
}
