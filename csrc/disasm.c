/*
 * disasm.c - disassembler for the MIPS-I instruction set as the R3000 runs it.
 *
 * Used for traces, fault reports and the debugger, so the text says what the
 * CPU will *execute*, not what an assembler would have liked to see.
 * Decode facts: docs/references.md#r3000-instruction-set.
 *
 * Output conventions
 *   - Register names are the o32 software names ($zero, $at, $v0 ... $fp, $ra).
 *   - Operand order follows capstone/GNU: "addiu $sp, $sp, -16",
 *     "lw $ra, 12($sp)", "beq $a0, $zero, 0x80001000".
 *   - Signed immediates, load/store offsets, shift amounts and
 *     syscall/break codes are decimal; the zero-extended immediates of
 *     andi/ori/xori/lui, coprocessor function fields and all addresses are hex.
 *   - Branch and jump targets are absolute addresses computed from pc, as
 *     the CPU computes them from the address of the delay slot (pc + 4).
 *   - Pseudo-ops: only 0x00000000 is printed as "nop".  Everything else is
 *     printed as the real instruction ("addu $v0, $a0, $zero", not "move";
 *     "beq $zero, $zero, ...", not "b"), because a trace reader needs to see
 *     the actual opcode.  The one abbreviation is "jalr $rs" for
 *     "jalr $ra, $rs", which is the standard assembler form, not a pseudo-op.
 *   - break prints its code the way the BSD/GNU tools split it: "break"
 *     when the code is 0, "break 7" when only bits 25:16 are set, otherwise
 *     "break hi, lo" (bits 25:16, bits 15:6).  syscall prints the 20-bit code
 *     in bits 25:6 when it is non-zero.
 *   - CP0 registers are printed by number; mfc0/mtc0 of a register that
 *     exists on the R3000 get a comment with its name: "mfc0 $k0, $13  # Cause".
 *   - Other coprocessors' registers print as "$n", except that COP1 (the
 *     R3010 FPU on a DECstation) data registers print as "$fn".  R3010
 *     arithmetic is decoded (add.s ... c.cond.d); other COP1, COP2 and COP3
 *     operations print in the generic form "copz 0x<25-bit cofun>", which is
 *     what the CPU hands to the coprocessor.
 *
 * Reserved encodings (the ones that raise a Reserved Instruction exception)
 * print as ".word 0x%08x  # reserved".  They are: unassigned primary opcodes;
 * unassigned SPECIAL functions; REGIMM rt values other than BLTZ/BGEZ/BLTZAL/
 * BGEZAL once bit 17 is ignored (MIPS-I does not decode it, so rt = 0x02 is
 * BLTZ, not BLTZL); COPz rs values other than MF/CF/MT/CT/BC/CO; BCz with
 * rt other than 0 (F) or 1 (T); and COP0 operations other than tlbr, tlbwi,
 * tlbwr, tlbp and rfe (selected by bits 5:0).
 *
 * Fields that MIPS-I leaves unused (e.g. rs of sll, shamt of add, rd of mult,
 * bits 24:6 of a COP0 operation, the sel bits of mfc0) are not checked: the
 * R3000 ignores them, so the instruction is printed as what it executes.
 *
 * mips_disasm() has snprintf semantics: it returns the length of the full
 * text (excluding the NUL), writes at most len-1 characters plus a NUL when
 * len > 0, and writes nothing when len <= 0.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "machine_api.h"
#include "r3000.h"

/* Instruction fields (docs/references.md#r3000-instruction-set). */
#define OP(w)       ((w) >> 26)
#define RS(w)       (((w) >> 21) & 31)
#define RT(w)       (((w) >> 16) & 31)
#define RD(w)       (((w) >> 11) & 31)
#define SHAMT(w)    (((w) >> 6) & 31)
#define FUNCT(w)    ((w) & 63)
#define UIMM(w)     ((w) & 0xffff)
#define SIMM(w)     ((int32_t)(int16_t)((w) & 0xffff))
#define TARGET(w)   ((w) & 0x03ffffff)
#define COFUN(w)    ((w) & 0x01ffffff)

/* Longest output is well under this; the .word form is 31 characters. */
#define TEXT_MAX    96

static const char *const gpr[32] = {
	"$zero", "$at", "$v0", "$v1", "$a0", "$a1", "$a2", "$a3",
	"$t0", "$t1", "$t2", "$t3", "$t4", "$t5", "$t6", "$t7",
	"$s0", "$s1", "$s2", "$s3", "$s4", "$s5", "$s6", "$s7",
	"$t8", "$t9", "$k0", "$k1", "$gp", "$sp", "$fp", "$ra",
};

/*
 * Operand layouts.  The tables below pair each mnemonic with one of these,
 * so adding an instruction means adding one table entry.
 */
enum layout {
	L_RESERVED = 0,     /* zero-initialised table slots are reserved */
	L_RD_RT_SA,         /* sll rd, rt, sa */
	L_RD_RT_RS,         /* sllv rd, rt, rs */
	L_RS,               /* jr rs; mthi rs */
	L_JALR,             /* jalr [rd,] rs */
	L_SYSCALL,          /* syscall [code] */
	L_BREAK,            /* break [hi[, lo]] */
	L_RD,               /* mfhi rd */
	L_RS_RT,            /* mult rs, rt */
	L_RD_RS_RT,         /* addu rd, rs, rt */
	L_JUMP,             /* j target */
	L_BR_RS_RT,         /* beq rs, rt, target */
	L_BR_RS,            /* blez rs, target */
	L_RT_RS_SIMM,       /* addiu rt, rs, -16 */
	L_RT_RS_UIMM,       /* andi rt, rs, 0xff */
	L_RT_UIMM,          /* lui rt, 0x8000 */
	L_MEM,              /* lw rt, off(rs) */
	L_COPMEM            /* lwcz $n, off(rs) */
};

struct opinfo {
	const char *name;
	enum layout layout;
};

/* SPECIAL (op 0), indexed by funct.  Missing entries raise RI. */
static const struct opinfo special_ops[64] = {
	[0x00] = { "sll", L_RD_RT_SA },
	[0x02] = { "srl", L_RD_RT_SA },
	[0x03] = { "sra", L_RD_RT_SA },
	[0x04] = { "sllv", L_RD_RT_RS },
	[0x06] = { "srlv", L_RD_RT_RS },
	[0x07] = { "srav", L_RD_RT_RS },
	[0x08] = { "jr", L_RS },
	[0x09] = { "jalr", L_JALR },
	[0x0c] = { "syscall", L_SYSCALL },
	[0x0d] = { "break", L_BREAK },
	[0x10] = { "mfhi", L_RD },
	[0x11] = { "mthi", L_RS },
	[0x12] = { "mflo", L_RD },
	[0x13] = { "mtlo", L_RS },
	[0x18] = { "mult", L_RS_RT },
	[0x19] = { "multu", L_RS_RT },
	[0x1a] = { "div", L_RS_RT },
	[0x1b] = { "divu", L_RS_RT },
	[0x20] = { "add", L_RD_RS_RT },
	[0x21] = { "addu", L_RD_RS_RT },
	[0x22] = { "sub", L_RD_RS_RT },
	[0x23] = { "subu", L_RD_RS_RT },
	[0x24] = { "and", L_RD_RS_RT },
	[0x25] = { "or", L_RD_RS_RT },
	[0x26] = { "xor", L_RD_RS_RT },
	[0x27] = { "nor", L_RD_RS_RT },
	[0x2a] = { "slt", L_RD_RS_RT },
	[0x2b] = { "sltu", L_RD_RS_RT },
};

/*
 * Primary opcodes other than SPECIAL, REGIMM and COPz (which need a second
 * level of decoding and are handled in code).  Missing entries raise RI;
 * that includes everything MIPS II added (ll/sc, ldcz/sdcz, branch-likely).
 */
static const struct opinfo primary_ops[64] = {
	[0x02] = { "j", L_JUMP },
	[0x03] = { "jal", L_JUMP },
	[0x04] = { "beq", L_BR_RS_RT },
	[0x05] = { "bne", L_BR_RS_RT },
	[0x06] = { "blez", L_BR_RS },
	[0x07] = { "bgtz", L_BR_RS },
	[0x08] = { "addi", L_RT_RS_SIMM },
	[0x09] = { "addiu", L_RT_RS_SIMM },
	[0x0a] = { "slti", L_RT_RS_SIMM },
	[0x0b] = { "sltiu", L_RT_RS_SIMM },  /* sign-extends, then compares unsigned */
	[0x0c] = { "andi", L_RT_RS_UIMM },
	[0x0d] = { "ori", L_RT_RS_UIMM },
	[0x0e] = { "xori", L_RT_RS_UIMM },
	[0x0f] = { "lui", L_RT_UIMM },
	[0x20] = { "lb", L_MEM },
	[0x21] = { "lh", L_MEM },
	[0x22] = { "lwl", L_MEM },
	[0x23] = { "lw", L_MEM },
	[0x24] = { "lbu", L_MEM },
	[0x25] = { "lhu", L_MEM },
	[0x26] = { "lwr", L_MEM },
	[0x28] = { "sb", L_MEM },
	[0x29] = { "sh", L_MEM },
	[0x2a] = { "swl", L_MEM },
	[0x2b] = { "sw", L_MEM },
	[0x2e] = { "swr", L_MEM },
	[0x30] = { "lwc0", L_COPMEM },
	[0x31] = { "lwc1", L_COPMEM },
	[0x32] = { "lwc2", L_COPMEM },
	[0x33] = { "lwc3", L_COPMEM },
	[0x38] = { "swc0", L_COPMEM },
	[0x39] = { "swc1", L_COPMEM },
	[0x3a] = { "swc2", L_COPMEM },
	[0x3b] = { "swc3", L_COPMEM },
};

/* Names of the CP0 registers the R3000 has; the others do not exist
 * (docs/references.md#r3000-cp0-registers). */
static const char *cp0_name(unsigned reg)
{
	switch (reg) {
	case C0_INDEX:    return "Index";
	case C0_RANDOM:   return "Random";
	case C0_ENTRYLO:  return "EntryLo";
	case C0_CONTEXT:  return "Context";
	case C0_BADVADDR: return "BadVAddr";
	case C0_ENTRYHI:  return "EntryHi";
	case C0_STATUS:   return "Status";
	case C0_CAUSE:    return "Cause";
	case C0_EPC:      return "EPC";
	case C0_PRID:     return "PRId";
	}
	return NULL;
}

/* The CPU computes branch targets from the delay slot's address. */
static uint32_t branch_target(uint32_t insn, uint32_t pc)
{
	return pc + 4 + ((uint32_t)SIMM(insn) << 2);
}

static uint32_t jump_target(uint32_t insn, uint32_t pc)
{
	return ((pc + 4) & 0xf0000000) | (TARGET(insn) << 2);
}

static void reserved(char *t, uint32_t insn)
{
	snprintf(t, TEXT_MAX, ".word 0x%08x  # reserved", insn);
}

/* A coprocessor data register as an operand: the FPU's are $fN, the rest $N. */
static void copreg(char *r, size_t n, unsigned z, unsigned reg)
{
	snprintf(r, n, z == 1 ? "$f%u" : "$%u", reg);
}

/* SPECIAL (op 0): R-type, selected by funct. */
static void do_special(char *t, uint32_t insn)
{
	const struct opinfo *oi = &special_ops[FUNCT(insn)];
	const char *rs = gpr[RS(insn)], *rt = gpr[RT(insn)], *rd = gpr[RD(insn)];
	uint32_t code;

	switch (oi->layout) {
	case L_RD_RT_SA:
		snprintf(t, TEXT_MAX, "%s %s, %s, %u", oi->name, rd, rt, SHAMT(insn));
		break;
	case L_RD_RT_RS:
		snprintf(t, TEXT_MAX, "%s %s, %s, %s", oi->name, rd, rt, rs);
		break;
	case L_RS:
		snprintf(t, TEXT_MAX, "%s %s", oi->name, rs);
		break;
	case L_JALR:
		/* rd = 31 is implied by the usual assembler form. */
		if (RD(insn) == 31)
			snprintf(t, TEXT_MAX, "jalr %s", rs);
		else
			snprintf(t, TEXT_MAX, "jalr %s, %s", rd, rs);
		break;
	case L_SYSCALL:
		code = (insn >> 6) & 0xfffff;
		if (code == 0)
			snprintf(t, TEXT_MAX, "syscall");
		else
			snprintf(t, TEXT_MAX, "syscall %u", code);
		break;
	case L_BREAK:
		/*
		 * Software puts break codes in bits 25:16 (BSD MACH_BREAK_VAL_SHIFT),
		 * so print that half on its own and the low half only if used.
		 */
		if (((insn >> 6) & 0x3ff) != 0)
			snprintf(t, TEXT_MAX, "break %u, %u", (insn >> 16) & 0x3ff, (insn >> 6) & 0x3ff);
		else if (((insn >> 16) & 0x3ff) != 0)
			snprintf(t, TEXT_MAX, "break %u", (insn >> 16) & 0x3ff);
		else
			snprintf(t, TEXT_MAX, "break");
		break;
	case L_RD:
		snprintf(t, TEXT_MAX, "%s %s", oi->name, rd);
		break;
	case L_RS_RT:
		snprintf(t, TEXT_MAX, "%s %s, %s", oi->name, rs, rt);
		break;
	case L_RD_RS_RT:
		snprintf(t, TEXT_MAX, "%s %s, %s, %s", oi->name, rd, rs, rt);
		break;
	default:
		reserved(t, insn);
		break;
	}
}

/*
 * REGIMM (op 1): branches on the sign of rs, selected by rt.  MIPS-I does not
 * decode rt bit 17 (the MIPS II "likely" bit), so mask it off: rt = 0x02 runs
 * as BLTZ with an ordinary delay slot (MAME, confirmed on hardware).
 */
static void do_regimm(char *t, uint32_t insn, uint32_t pc)
{
	const char *name;

	switch (RT(insn) & 0x1d) {
	case 0x00: name = "bltz"; break;
	case 0x01: name = "bgez"; break;
	case 0x10: name = "bltzal"; break;
	case 0x11: name = "bgezal"; break;
	default:
		reserved(t, insn);
		return;
	}
	snprintf(t, TEXT_MAX, "%s %s, 0x%08x", name, gpr[RS(insn)], branch_target(insn, pc));
}

/* COP0 operations (rs >= 0x10), selected by the low six bits. */
static void do_cop0_op(char *t, uint32_t insn)
{
	const char *name;

	switch (FUNCT(insn)) {
	case 0x01: name = "tlbr"; break;
	case 0x02: name = "tlbwi"; break;
	case 0x06: name = "tlbwr"; break;
	case 0x08: name = "tlbp"; break;
	case 0x10: name = "rfe"; break;
	default:
		reserved(t, insn);
		return;
	}
	snprintf(t, TEXT_MAX, "%s", name);
}

/*
 * R3010 FPU operations (COP1, rs >= 0x10).  rs is the format: S, D or W.
 * Only the MIPS-I operations are named (no sqrt/round/trunc: MIPS II); the
 * rest print in the generic form, because an unknown COP1 function is the
 * FPU's business (it raises an FP exception), not a Reserved Instruction.
 */
#define FMT_S   0x10
#define FMT_D   0x11
#define FMT_W   0x14

static const char *const fp_cond[16] = {
	"f", "un", "eq", "ueq", "olt", "ult", "ole", "ule",
	"sf", "ngle", "seq", "ngl", "lt", "nge", "le", "ngt",
};

static int do_fpu_op(char *t, uint32_t insn)
{
	static const char *const arith[8] = {
		"add", "sub", "mul", "div", NULL, "abs", "mov", "neg",
	};
	unsigned fmt = RS(insn), fn = FUNCT(insn);
	unsigned ft = RT(insn), fs = RD(insn), fd = SHAMT(insn);
	char f;

	switch (fmt) {
	case FMT_S: f = 's'; break;
	case FMT_D: f = 'd'; break;
	case FMT_W: f = 'w'; break;
	default:    return 0;
	}

	if (fn < 8 && arith[fn] != NULL && fmt != FMT_W) {
		if (fn < 4)
			snprintf(t, TEXT_MAX, "%s.%c $f%u, $f%u, $f%u", arith[fn], f, fd, fs, ft);
		else
			snprintf(t, TEXT_MAX, "%s.%c $f%u, $f%u", arith[fn], f, fd, fs);
		return 1;
	}
	/* Conversions: the target format must differ from the source. */
	if ((fn == 0x20 && fmt != FMT_S) || (fn == 0x21 && fmt != FMT_D) ||
	    (fn == 0x24 && fmt != FMT_W)) {
		char to = fn == 0x20 ? 's' : fn == 0x21 ? 'd' : 'w';

		snprintf(t, TEXT_MAX, "cvt.%c.%c $f%u, $f%u", to, f, fd, fs);
		return 1;
	}
	if (fn >= 0x30 && fmt != FMT_W) {
		snprintf(t, TEXT_MAX, "c.%s.%c $f%u, $f%u", fp_cond[fn & 15], f, fs, ft);
		return 1;
	}
	return 0;
}

/* COPz (op 0x10 + z): the rs field selects the kind of transfer. */
static void do_cop(char *t, uint32_t insn, uint32_t pc)
{
	unsigned z = OP(insn) & 3, rs = RS(insn), rd = RD(insn);
	const char *rt = gpr[RT(insn)];
	const char *name;
	char reg[16];

	if (rs >= 0x10) {
		/* CO bit set: a 25-bit operation for the coprocessor. */
		if (z == 0)
			do_cop0_op(t, insn);
		else if (z != 1 || !do_fpu_op(t, insn))
			snprintf(t, TEXT_MAX, "cop%u 0x%07x", z, COFUN(insn));
		return;
	}

	switch (rs) {
	case 0x00:
	case 0x04:
		/* mfcz/mtcz: data registers ($fN on the FPU, names on CP0). */
		copreg(reg, sizeof reg, z, rd);
		if (z == 0 && cp0_name(rd) != NULL)
			snprintf(t, TEXT_MAX, "%s %s, %s  # %s", rs ? "mtc0" : "mfc0",
			    rt, reg, cp0_name(rd));
		else
			snprintf(t, TEXT_MAX, "%sc%u %s, %s", rs ? "mt" : "mf", z, rt, reg);
		return;
	case 0x02:
	case 0x06:
		/* cfcz/ctcz: control registers are plain numbers, even on the FPU. */
		snprintf(t, TEXT_MAX, "%sc%u %s, $%u", rs == 2 ? "cf" : "ct", z, rt, rd);
		return;
	case 0x08:
		/* bczf/bczt branch on the coprocessor condition input CpCondz. */
		switch (RT(insn)) {
		case 0: name = "f"; break;
		case 1: name = "t"; break;
		default:
			reserved(t, insn);
			return;
		}
		snprintf(t, TEXT_MAX, "bc%u%s 0x%08x", z, name, branch_target(insn, pc));
		return;
	default:
		reserved(t, insn);
		return;
	}
}

/* Everything decoded through primary_ops[]. */
static void do_primary(char *t, uint32_t insn, uint32_t pc)
{
	const struct opinfo *oi = &primary_ops[OP(insn)];
	const char *rs = gpr[RS(insn)], *rt = gpr[RT(insn)];
	char reg[16];

	switch (oi->layout) {
	case L_JUMP:
		snprintf(t, TEXT_MAX, "%s 0x%08x", oi->name, jump_target(insn, pc));
		break;
	case L_BR_RS_RT:
		snprintf(t, TEXT_MAX, "%s %s, %s, 0x%08x", oi->name, rs, rt, branch_target(insn, pc));
		break;
	case L_BR_RS:
		snprintf(t, TEXT_MAX, "%s %s, 0x%08x", oi->name, rs, branch_target(insn, pc));
		break;
	case L_RT_RS_SIMM:
		snprintf(t, TEXT_MAX, "%s %s, %s, %d", oi->name, rt, rs, (int)SIMM(insn));
		break;
	case L_RT_RS_UIMM:
		snprintf(t, TEXT_MAX, "%s %s, %s, 0x%x", oi->name, rt, rs, UIMM(insn));
		break;
	case L_RT_UIMM:
		snprintf(t, TEXT_MAX, "%s %s, 0x%x", oi->name, rt, UIMM(insn));
		break;
	case L_MEM:
		snprintf(t, TEXT_MAX, "%s %s, %d(%s)", oi->name, rt, (int)SIMM(insn), rs);
		break;
	case L_COPMEM:
		copreg(reg, sizeof reg, OP(insn) & 3, RT(insn));
		snprintf(t, TEXT_MAX, "%s %s, %d(%s)", oi->name, reg, (int)SIMM(insn), rs);
		break;
	default:
		reserved(t, insn);
		break;
	}
}

int mips_disasm(uint32_t insn, uint32_t pc, char *buf, int len)
{
	char text[TEXT_MAX];
	int n;

	text[0] = '\0';
	if (insn == 0) {
		/* sll $zero, $zero, 0: the canonical nop, everywhere in delay slots. */
		snprintf(text, sizeof text, "nop");
	} else {
		switch (OP(insn)) {
		case 0x00: do_special(text, insn); break;
		case 0x01: do_regimm(text, insn, pc); break;
		case 0x10:
		case 0x11:
		case 0x12:
		case 0x13: do_cop(text, insn, pc); break;
		default:   do_primary(text, insn, pc); break;
		}
	}

	n = (int)strlen(text);
	if (buf != NULL && len > 0) {
		int copy = n < len ? n : len - 1;
		memcpy(buf, text, (size_t)copy);
		buf[copy] = '\0';
	}
	return n;
}
