"""A tiny MIPS-I assembler for tests: one instruction per line, labels, no macros.

Tests write short programs in readable assembly instead of hex words.  Syntax
follows the disassembler's: ``addiu $t0, $zero, 5``, ``lw $t0, 4($sp)``,
``beq $t0, $t1, label``, ``mfc0 $k0, $13``, ``.word 0x...``; ``#`` starts a
comment, ``;`` separates statements.  ``li`` and ``la`` expand to lui+ori
(always two words, so label addresses never shift).
"""
from __future__ import annotations

import re

REGS = {n: i for i, n in enumerate(
    ("zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
     "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "t8", "t9", "k0", "k1", "gp", "sp", "s8", "ra"))}
REGS["fp"] = 30

R3 = {"add": 0x20, "addu": 0x21, "sub": 0x22, "subu": 0x23, "and": 0x24, "or": 0x25, "xor": 0x26,
      "nor": 0x27, "slt": 0x2a, "sltu": 0x2b}                       # rd, rs, rt
SHIFT_IMM = {"sll": 0x00, "srl": 0x02, "sra": 0x03}                   # rd, rt, sa
SHIFT_VAR = {"sllv": 0x04, "srlv": 0x06, "srav": 0x07}                # rd, rt, rs
MULDIV = {"mult": 0x18, "multu": 0x19, "div": 0x1a, "divu": 0x1b}    # rs, rt
IMM = {"addi": 0x08, "addiu": 0x09, "slti": 0x0a, "sltiu": 0x0b, "andi": 0x0c, "ori": 0x0d, "xori": 0x0e}
MEM = {"lb": 0x20, "lh": 0x21, "lwl": 0x22, "lw": 0x23, "lbu": 0x24, "lhu": 0x25, "lwr": 0x26,
       "sb": 0x28, "sh": 0x29, "swl": 0x2a, "sw": 0x2b, "swr": 0x2e,
       "lwc1": 0x31, "lwc2": 0x32, "lwc3": 0x33, "swc1": 0x39, "swc2": 0x3a, "swc3": 0x3b}
BR2 = {"beq": 0x04, "bne": 0x05}
BR1 = {"blez": (0x06, 0), "bgtz": (0x07, 0), "bltz": (0x01, 0x00), "bgez": (0x01, 0x01),
       "bltzal": (0x01, 0x10), "bgezal": (0x01, 0x11)}
COP0_FN = {"tlbr": 0x01, "tlbwi": 0x02, "tlbwr": 0x06, "tlbp": 0x08, "rfe": 0x10}


class AsmError(ValueError):
    pass


def _reg(tok: str) -> int:
    tok = tok.strip()
    if not tok.startswith("$"):
        raise AsmError(f"expected a register, got {tok!r}")
    name = tok[1:]
    if name.isdigit() and int(name) < 32:
        return int(name)
    if name not in REGS:
        raise AsmError(f"unknown register {tok!r}")
    return REGS[name]


def _int(tok: str) -> int:
    return int(tok.strip(), 0)


def assemble(src: str, base: int = 0) -> list[int]:
    """Assemble src for address base; returns the instruction words."""
    lines = []
    for raw in src.splitlines():
        for stmt in raw.split("#", 1)[0].split(";"):
            stmt = stmt.strip()
            while True:
                m = re.match(r"^([A-Za-z_.][\w.]*):\s*(.*)$", stmt)
                if not m:
                    break
                lines.append((m.group(1) + ":", ""))
                stmt = m.group(2)
            if stmt:
                op, _, rest = stmt.partition(" ")
                lines.append((op.lower(), rest.strip()))
    labels, addr = {}, base
    for op, rest in lines:
        if op.endswith(":"):
            labels[op[:-1]] = addr
        else:
            addr += 8 if op in ("li", "la") else 4
    out: list[int] = []
    for op, rest in lines:
        if op.endswith(":"):
            continue
        pc = base + 4 * len(out)
        args = [a.strip() for a in rest.split(",")] if rest else []
        out.extend(_encode(op, args, pc, labels))
    return out


def _target(tok: str, labels: dict) -> int:
    return labels[tok] if tok in labels else _int(tok)


def _encode(op: str, a: list[str], pc: int, labels: dict) -> list[int]:
    def r(rs=0, rt=0, rd=0, sa=0, fn=0):
        return (rs << 21) | (rt << 16) | (rd << 11) | (sa << 6) | fn

    def i(opc, rs, rt, imm):
        return (opc << 26) | (rs << 21) | (rt << 16) | (imm & 0xFFFF)

    def branch_off(tok):
        off = (_target(tok, labels) - (pc + 4)) >> 2
        if not -0x8000 <= off < 0x8000:
            raise AsmError(f"branch to {tok} out of range")
        return off

    if op == "nop":
        return [0]
    if op == ".word":
        return [_int(x) & 0xFFFFFFFF for x in a]
    if op in ("li", "la"):
        v = _target(a[1], labels) & 0xFFFFFFFF
        rt = _reg(a[0])
        return [i(0x0f, 0, rt, v >> 16), i(0x0d, rt, rt, v & 0xFFFF)]
    if op == "move":
        return [r(_reg(a[1]), 0, _reg(a[0]), 0, 0x21)]
    if op in R3:
        return [r(_reg(a[1]), _reg(a[2]), _reg(a[0]), 0, R3[op])]
    if op in SHIFT_IMM:
        return [r(0, _reg(a[1]), _reg(a[0]), _int(a[2]) & 31, SHIFT_IMM[op])]
    if op in SHIFT_VAR:
        return [r(_reg(a[2]), _reg(a[1]), _reg(a[0]), 0, SHIFT_VAR[op])]
    if op in MULDIV:
        return [r(_reg(a[0]), _reg(a[1]), 0, 0, MULDIV[op])]
    if op in ("mfhi", "mflo"):
        return [r(0, 0, _reg(a[0]), 0, 0x10 if op == "mfhi" else 0x12)]
    if op in ("mthi", "mtlo"):
        return [r(_reg(a[0]), 0, 0, 0, 0x11 if op == "mthi" else 0x13)]
    if op == "jr":
        return [r(_reg(a[0]), 0, 0, 0, 0x08)]
    if op == "jalr":
        rd, rs = (31, _reg(a[0])) if len(a) == 1 else (_reg(a[0]), _reg(a[1]))
        return [r(rs, 0, rd, 0, 0x09)]
    if op in ("syscall", "break"):
        code = _int(a[0]) if a else 0
        return [(code & 0xFFFFF) << 6 | (0x0c if op == "syscall" else 0x0d)]
    if op in IMM:
        return [i(IMM[op], _reg(a[1]), _reg(a[0]), _int(a[2]))]
    if op == "lui":
        return [i(0x0f, 0, _reg(a[0]), _int(a[1]))]
    if op in MEM:
        m = re.match(r"^(.*)\((\$\w+)\)$", a[1].replace(" ", ""))
        if not m:
            raise AsmError(f"bad memory operand {a[1]!r}")
        off = _int(m.group(1)) if m.group(1) else 0
        rt = _reg(a[0]) if op[:3] not in ("lwc", "swc") else int(a[0].lstrip("$f"), 0)
        return [i(MEM[op], _reg(m.group(2)), rt, off)]
    if op in BR2:
        return [i(BR2[op], _reg(a[0]), _reg(a[1]), branch_off(a[2]))]
    if op in BR1:
        opc, rt = BR1[op]
        return [i(opc, _reg(a[0]), rt, branch_off(a[1]))]
    if op == "b":
        return [i(0x04, 0, 0, branch_off(a[0]))]
    if op in ("j", "jal"):
        t = _target(a[0], labels)
        if (t & 0xF0000000) != ((pc + 4) & 0xF0000000):
            raise AsmError(f"jump target {a[0]} outside the current 256 MiB region")
        return [((0x02 if op == "j" else 0x03) << 26) | ((t >> 2) & 0x03FFFFFF)]
    if op in ("mfc0", "mtc0"):
        return [(0x10 << 26) | ((0 if op == "mfc0" else 4) << 21) | (_reg(a[0]) << 16)
                | (int(a[1].lstrip("$"), 0) << 11)]
    if op in ("bc0f", "bc0t"):
        return [(0x10 << 26) | (8 << 21) | ((op == "bc0t") << 16) | (branch_off(a[0]) & 0xFFFF)]
    if op in COP0_FN:
        return [0x42000000 | COP0_FN[op]]
    m = re.match(r"^(mfc|mtc|cfc|ctc)([123])$", op)
    if m:
        rs = {"mfc": 0, "cfc": 2, "mtc": 4, "ctc": 6}[m.group(1)]
        return [((0x10 + int(m.group(2))) << 26) | (rs << 21) | (_reg(a[0]) << 16)
                | (int(a[1].lstrip("$f"), 0) << 11)]
    raise AsmError(f"unknown instruction {op!r}")
