/*
 * fast_ops.h - the fast engine's instruction handlers, included twice inside
 * fast_loop.h's loop function: first the handlers of an instruction that is not
 * in a delay slot (op_ and line_ labels), whose NEXT goes on to the next slot with
 * no test; then those of an instruction in a delay slot (ds_ labels), whose NEXT
 * goes to the branch's target and whose branches are branches in a delay slot.
 * The macros (OP, NEXT, BRANCH_TO, LABEL, ...) are fast_loop.h's, defined for each.
 */

OP(NOP) NEXT();
OP(SLL) RD = RT << IMM; NEXT();
OP(SRL) RD = RT >> IMM; NEXT();
OP(SRA) RD = (uint32_t)((int32_t)RT >> IMM); NEXT();
OP(SLLV) RD = RT << (RS & 31); NEXT();
OP(SRLV) RD = RT >> (RS & 31); NEXT();
OP(SRAV) RD = (uint32_t)((int32_t)RT >> (RS & 31)); NEXT();
OP(JR) BRANCH_TO(1, RS);
OP(JALR) { uint32_t t = RS; RD = pc + 8; BRANCH_TO(1, t); }
OP(SYSCALL) RAISE(EXC_SYS, 0);
OP(BREAK) RAISE(EXC_BP, 0);
OP(MFHI) HILO_WAIT(); RD = m->hi; NEXT();
OP(MTHI) m->hi = RS; NEXT();
OP(MFLO) HILO_WAIT(); RD = m->lo; NEXT();
OP(MTLO) m->lo = RS; NEXT();
OP(MULT) {
	HILO_WAIT();
	int64_t p = (int64_t)(int32_t)RS * (int32_t)RT;
	m->lo = (uint32_t)p; m->hi = (uint32_t)((uint64_t)p >> 32);
	HILO_BUSY(m->cost.mult_cycles);
	NEXT();
}
OP(MULTU) {
	HILO_WAIT();
	uint64_t p = (uint64_t)RS * RT;
	m->lo = (uint32_t)p; m->hi = (uint32_t)(p >> 32);
	HILO_BUSY(m->cost.mult_cycles);
	NEXT();
}
OP(DIV) {
	int32_t a = (int32_t)RS, b = (int32_t)RT;
	HILO_WAIT();
	r3000_div(m, a, b);             /* machine.h: the R3000A's HI/LO, shared with the reference */
	HILO_BUSY(m->cost.div_cycles);
	NEXT();
}
OP(DIVU) {
	uint32_t a = RS, b = RT;
	HILO_WAIT();
	r3000_divu(m, a, b);
	HILO_BUSY(m->cost.div_cycles);
	NEXT();
}
OP(ADD) {
	int32_t s;
	if (__builtin_add_overflow((int32_t)RS, (int32_t)RT, &s))
		RAISE(EXC_OV, 0);
	RD = (uint32_t)s;
	NEXT();
}
OP(ADDU) RD = RS + RT; NEXT();
OP(SUB) {
	int32_t s;
	if (__builtin_sub_overflow((int32_t)RS, (int32_t)RT, &s))
		RAISE(EXC_OV, 0);
	RD = (uint32_t)s;
	NEXT();
}
OP(SUBU) RD = RS - RT; NEXT();
OP(AND) RD = RS & RT; NEXT();
OP(OR) RD = RS | RT; NEXT();
OP(XOR) RD = RS ^ RT; NEXT();
OP(NOR) RD = ~(RS | RT); NEXT();
OP(SLT) RD = (int32_t)RS < (int32_t)RT; NEXT();
OP(SLTU) RD = RS < RT; NEXT();
OP(MOVE) RD = RS; NEXT();

OP(BLTZ) BRANCH((int32_t)RS < 0);
OP(BGEZ) BRANCH((int32_t)RS >= 0);
OP(BLTZAL) { int32_t s = (int32_t)RS; r[31] = pc + 8; BRANCH(s < 0); }
OP(BGEZAL) { int32_t s = (int32_t)RS; r[31] = pc + 8; BRANCH(s >= 0); }
OP(J) BRANCH_TO(1, ((pc + 4) & 0xf0000000u) | IMM);
OP(JAL) r[31] = pc + 8; BRANCH_TO(1, ((pc + 4) & 0xf0000000u) | IMM);
OP(BEQ) BRANCH(RS == RT);
OP(BNE) BRANCH(RS != RT);
OP(BLEZ) BRANCH((int32_t)RS <= 0);
OP(BGTZ) BRANCH((int32_t)RS > 0);
OP(B) BRANCH(1);

OP(ADDI) {
	int32_t s;
	if (__builtin_add_overflow((int32_t)RS, (int32_t)IMM, &s))
		RAISE(EXC_OV, 0);
	RD = (uint32_t)s;
	NEXT();
}
OP(ADDIU) RD = RS + IMM; NEXT();
OP(SLTI) RD = (int32_t)RS < (int32_t)IMM; NEXT();
OP(SLTIU) RD = RS < IMM; NEXT();
OP(ANDI) RD = RS & IMM; NEXT();
OP(ORI) RD = RS | IMM; NEXT();
OP(XORI) RD = RS ^ IMM; NEXT();
OP(LUI) RD = IMM; NEXT();
OP(LI) RD = IMM; NEXT();

OP(LB) { uint32_t va = RS + IMM, v; int slow_ = 0; LOAD(1, uint8_t, 0, va); RD = (uint32_t)(int32_t)(int8_t)v; NEXT_AFTER(slow_); }
OP(LH) { uint32_t va = RS + IMM, v; int slow_ = 0; LOAD(2, uint16_t, 1, va); RD = (uint32_t)(int32_t)(int16_t)v; NEXT_AFTER(slow_); }
OP(LW) { uint32_t va = RS + IMM, v; int slow_ = 0; LOAD(4, uint32_t, 3, va); RD = v; NEXT_AFTER(slow_); }
OP(LBU) { uint32_t va = RS + IMM, v; int slow_ = 0; LOAD(1, uint8_t, 0, va); RD = v; NEXT_AFTER(slow_); }
OP(LHU) { uint32_t va = RS + IMM, v; int slow_ = 0; LOAD(2, uint16_t, 1, va); RD = v; NEXT_AFTER(slow_); }
OP(LWL) { /* little-endian: the high bytes of rt from the word's low end; rt is also read */
	uint32_t ea = RS + IMM, b = ea & 3, s = (3 - b) * 8, va = ea & ~3u, v;
	int slow_ = 0;
	LOAD_AS(uint32_t, 3, va, ea, MMU_LWLR);
	RD = (RT & ~(0xffffffffu << s)) | (v << s);
	NEXT_AFTER(slow_);
}
OP(LWR) {
	uint32_t ea = RS + IMM, b = ea & 3, s = b * 8, va = ea & ~3u, v;
	int slow_ = 0;
	LOAD_AS(uint32_t, 3, va, ea, MMU_LWLR);
	RD = b == 0 ? v : (RT & ~(0xffffffffu >> s)) | (v >> s);
	NEXT_AFTER(slow_);
}
OP(SB) { uint32_t va = RS + IMM; STORE(1, uint8_t, 0, va, RT); NEXT(); }
OP(SH) { uint32_t va = RS + IMM; STORE(2, uint16_t, 1, va, RT); NEXT(); }
OP(SW) { uint32_t va = RS + IMM; STORE(4, uint32_t, 3, va, RT); NEXT(); }
OP(SWL) goto LABEL(swl_swr);
OP(SWR) LABEL(swl_swr): { /* read-modify-write of the enclosing word */
	uint32_t a = RS + IMM, b = a & 3, x = RT, va = a & ~3u;
	int swl = d->op == OP_SWL;
	struct hmap_entry *e_ = &m->wmap[HMAP_INDEX(a)];
	if (likely(e_->tag == HMAP_KEY(va, 3))) {
		uint32_t *p = (uint32_t *)(e_->host + va);
		*p = swl ? merge_swl(*p, x, b) : merge_swr(*p, x, b);
		DCOST_STORE(e_, va, COST_PARTIAL);
	} else {
		SYNC();
		if (mmu_store(m, a, swl ? MMU_SWL : MMU_SWR, x, pc, bd)) { RELOAD_TOP(); goto fetch; }
		RELOAD_CNT();
		goto advance_full;
	}
	NEXT();
}

/* COP0's common instructions; as the reference, first the coprocessor-usable test. */
OP(MFC0) {
	/* only Random depends on the cycle count, so only it needs SYNC; the other registers
	 * read as cpu_mfc0 reads them, without a call */
	uint32_t rd = IMM;
	CP0_USABLE();
	if (rd == C0_RANDOM) {
		SYNC();
		RD = cpu_mfc0(m, (int)rd);
	} else {
		RD = (MFC0_READABLE >> rd) & 1 ? m->cp0[rd] : 0;
	}
	NEXT();
}
OP(MTC0) {
	/* only EntryHi, Status and Cause reach beyond the register (context, mode accounting,
	 * the event deadline); the others need no SYNC and no full fetch after */
	uint32_t rd = IMM;
	CP0_USABLE();
	if (!((1u << rd) & MTC0_SIDE_EFFECTS)) {
		cpu_mtc0(m, (int)rd, RT);
		NEXT();
	}
	if (rd == C0_STATUS) {
		/* A kernel's spl: a Status write that keeps KUc (so the mode and the context) and
		 * makes no interrupt deliverable is only the register (cpu_mtc0's other work,
		 * cpu_mode_update and schedule_if_interrupt, would find nothing to do). */
		uint32_t sr = RT & SR_WRITE_MASK;
		if (!((sr ^ m->cp0[C0_STATUS]) & SR_KUC) &&
		    !((sr & SR_IEC) && (m->cp0[C0_CAUSE] & sr & SR_IM_MASK))) {
			m->cp0[C0_STATUS] = sr;
			NEXT();
		}
	}
	SYNC(); cpu_mtc0(m, (int)rd, RT); RELOAD_CNT(); goto advance_full;
}
OP(RFE) {
	CP0_USABLE();
	SYNC(); cpu_rfe(m); RELOAD_CNT(); goto advance_full;
}

OP(SLOW) {
	/* The rare encodings, on the raw word, as in the reference. */
	uint32_t insn = d->imm;
	uint32_t rt = (insn >> 16) & 31;
	switch (insn >> 26) {
	case 0x10: /* COP0 */
		CP0_USABLE();
		if (insn & (1u << 25)) {
			SYNC();
			switch (insn & 0x3f) {
			case 0x01: tlb_read(m); break;
			case 0x02: tlb_write(m, (m->cp0[C0_INDEX] & INDEX_MASK) >> INDEX_SHIFT); break;
			case 0x06: tlb_write(m, (int)cp0_random(m)); break;
			case 0x08: tlb_probe(m); break;
			default: RAISE(EXC_RI, 0);      /* rfe is OP_RFE */
			}
			RELOAD_CNT();
			goto advance_full;
		}
		switch ((insn >> 21) & 31) {   /* mfc0 and mtc0 are OP_MFC0, OP_MTC0 */
		case 0x08: /* bc0f/bc0t: CpCond0 reads as true (the write buffer looks empty) */
			if (rt == 0) BRANCH_TO(0, 0);
			if (rt == 1) BRANCH_TO(1, pc + 4 + ((uint32_t)(int32_t)(int16_t)insn << 2));
			RAISE(EXC_RI, 0);
		default: RAISE(EXC_RI, 0);
		}
	case 0x11: case 0x12: case 0x13: /* COP1-3; no FPU is modelled */
	case 0x30: case 0x38: /* lwc0/swc0: no meaning on the R3000 */
	case 0x31: case 0x32: case 0x33: case 0x39: case 0x3a: case 0x3b: {
		int u = cop_unusable(m, insn);
		if (u)
			RAISE(EXC_CPU, u - 1);
		RAISE(EXC_RI, 0);
	}
	default:
		RAISE(EXC_RI, 0);
	}
}
