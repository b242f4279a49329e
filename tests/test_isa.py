"""Instruction-by-instruction golden tests of the R3000 interpreter (csrc/cpu_loop.h).

Every MIPS-I instruction runs in kernel mode from kseg0 through the run_asm
fixture; expected values come from the ISA rules in docs/references.md
(section r3000-instruction-set), written here as small Python models or as literal numbers, never
from the C code.  Exceptions are observed without a kernel: trap_on() stops
run() right after CP0 has been updated, so EPC, Cause and BadVAddr can be read.

Semantic tests run on both cost presets: "ideal" takes the interpreter's
fast loop, "dec5000" (cache model on) the full one.  Cycle tests use "ideal".
"""
from __future__ import annotations

import pytest

from exobench import constants as K
from exobench.machine import Machine, Stop

from mips_asm import assemble

M32 = 0xFFFFFFFF
CODE = K.KSEG0_BASE + 0x1000          # where run_asm puts programs
DATA_P = 0x8000                       # data area, physical
DATA = K.KSEG0_BASE + DATA_P          # ... through kseg0 (cached)
DATA_U = K.KSEG1_BASE + DATA_P        # ... through kseg1 (uncached: always the slow path)
HALT = f"lui $k1, 0xbf00; sw $zero, {K.BOARD_HALT}($k1)"
ALL_EXC = [c for c in K.EXC_NAMES if c != K.EXC_INT]


@pytest.fixture(params=["ideal", "dec5000"])
def machine(request):
    """Overrides conftest's machine (and so run_asm's): every test runs on both loops."""
    return Machine(request.param, 1 << 20)


# ---- Python models of the ISA rules ------------------------------------------

def s32(x: int) -> int:
    x &= M32
    return x - (1 << 32) if x & 0x80000000 else x


def sext16(i: int) -> int:
    i &= 0xFFFF
    return (i - 0x10000 if i & 0x8000 else i) & M32


def trunc_divmod(a: int, b: int) -> tuple[int, int]:
    """C-style (truncating) division of Python ints."""
    q = abs(a) // abs(b)
    if (a < 0) != (b < 0):
        q = -q
    return q, a - q * b


INTERESTING = [0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x12345678,
               0x7FFFFFFE, 0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFF0000, 0xFFFF8000,
               0xFFFFFFFE, 0xFFFFFFFF, 31, 32, 33]

R_OPS = {
    "add": lambda a, b: (a + b) & M32,
    "addu": lambda a, b: (a + b) & M32,
    "sub": lambda a, b: (a - b) & M32,
    "subu": lambda a, b: (a - b) & M32,
    "and": lambda a, b: a & b,
    "or": lambda a, b: a | b,
    "xor": lambda a, b: a ^ b,
    "nor": lambda a, b: ~(a | b) & M32,
    "slt": lambda a, b: int(s32(a) < s32(b)),
    "sltu": lambda a, b: int(a < b),
}


def add_overflows(a: int, b: int) -> bool:
    return not -(1 << 31) <= s32(a) + s32(b) < (1 << 31)


def sub_overflows(a: int, b: int) -> bool:
    return not -(1 << 31) <= s32(a) - s32(b) < (1 << 31)


def run_prog(machine: Machine, src: str, max_insns: int = 10_000, **regs) -> Machine:
    """Like run_asm, but usable many times on one machine (each run from a fresh PC)."""
    words = assemble(src + "\n" + HALT, CODE)
    machine.write_words(CODE - K.KSEG0_BASE, words)
    machine.pc = CODE
    for name, value in regs.items():
        machine.set_reg(name, value)
    machine.run(max_insns)
    return machine


def trap(machine: Machine, src: str, codes=ALL_EXC, **regs):
    """Run src expecting an exception: returns (StopInfo, EPC, Cause, BadVAddr)."""
    machine.trap_on(codes)
    run_prog(machine, src, **regs)
    info = machine.stop_info()
    assert info.reason == Stop.TRAP, info.describe()
    return info, machine.cp0(K.C0_EPC), machine.cp0(K.C0_CAUSE), machine.cp0(K.C0_BADVADDR)


def exc_code(cause: int) -> int:
    return (cause & K.CAUSE_EXC_MASK) >> K.CAUSE_EXC_SHIFT


# ---- ALU: register-register ------------------------------------------------------

@pytest.mark.parametrize("op", sorted(R_OPS))
def test_r_type_alu(machine, op):
    for a in INTERESTING:
        for b in INTERESTING:
            if (op == "add" and add_overflows(a, b)) or (op == "sub" and sub_overflows(a, b)):
                continue
            run_prog(machine, f"{op} $t2, $t0, $t1", t0=a, t1=b, t2=0xDEADBEEF)
            assert machine.reg("t2") == R_OPS[op](a, b), (op, hex(a), hex(b))


@pytest.mark.parametrize("op, a, b, want", [
    ("addu", 0x7FFFFFFF, 1, 0x80000000),
    ("addu", 0xFFFFFFFF, 1, 0),
    ("subu", 0, 1, 0xFFFFFFFF),
    ("subu", 0x80000000, 1, 0x7FFFFFFF),
    ("add", 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFE),
    ("sub", 5, 7, 0xFFFFFFFE),
    ("slt", 0xFFFFFFFF, 0, 1),
    ("sltu", 0xFFFFFFFF, 0, 0),
    ("slt", 0x80000000, 0x7FFFFFFF, 1),
    ("sltu", 0x80000000, 0x7FFFFFFF, 0),
    ("nor", 0x0F0F0000, 0x000000F0, 0xF0F0FF0F),
])
def test_r_type_golden(run_asm, op, a, b, want):
    m = run_asm(f"{op} $t2, $t0, $t1", t0=a, t1=b)
    assert m.reg("t2") == want


def test_same_register_operands(run_asm):
    m = run_asm("addu $t0, $t0, $t0; subu $t1, $t1, $t1; xor $t2, $t2, $t2; sltu $t3, $t3, $t3",
                t0=21, t1=99, t2=0x1234, t3=5)
    assert (m.reg("t0"), m.reg("t1"), m.reg("t2"), m.reg("t3")) == (42, 0, 0, 0)


# ---- ALU: immediates ---------------------------------------------------------------

IMMS = [0, 1, 0x7FFF, 0x8000, 0x8001, 0xFFFF, 0x1234, 0xFFFE]
I_OPS = {
    "addi": lambda a, i: (a + sext16(i)) & M32,
    "addiu": lambda a, i: (a + sext16(i)) & M32,
    "slti": lambda a, i: int(s32(a) < s32(sext16(i))),
    "sltiu": lambda a, i: int(a < sext16(i)),          # sign-extend, then compare unsigned
    "andi": lambda a, i: a & i,                          # zero-extended
    "ori": lambda a, i: a | i,
    "xori": lambda a, i: a ^ i,
}


@pytest.mark.parametrize("op", sorted(I_OPS))
def test_i_type_alu(machine, op):
    for a in INTERESTING:
        for imm in IMMS:
            if op == "addi" and add_overflows(a, sext16(imm)):
                continue
            run_prog(machine, f"{op} $t2, $t0, {imm}", t0=a, t2=0xDEADBEEF)
            assert machine.reg("t2") == I_OPS[op](a, imm), (op, hex(a), hex(imm))


@pytest.mark.parametrize("src, t0, want", [
    ("addiu $t2, $t0, 0xffff", 10, 9),                  # imm sign-extended
    ("addiu $t2, $t0, 0x8000", 0, 0xFFFF8000),
    ("addi $t2, $t0, 0xffff", 0, 0xFFFFFFFF),
    ("andi $t2, $t0, 0xffff", 0xFFFFFFFF, 0x0000FFFF),  # zero-extended
    ("andi $t2, $t0, 0x8000", 0xFFFF8000, 0x8000),
    ("ori $t2, $t0, 0x8000", 0, 0x00008000),
    ("xori $t2, $t0, 0xffff", 0xFFFFFFFF, 0xFFFF0000),
    ("slti $t2, $t0, 0xffff", 0xFFFFFFFE, 1),           # -2 < -1
    ("slti $t2, $t0, 0xffff", 0, 0),
    ("sltiu $t2, $t0, 0xffff", 5, 1),                   # 5 < 0xffffffff
    ("sltiu $t2, $t0, 0xffff", 0xFFFFFFFF, 0),
    ("sltiu $t2, $t0, 0x8000", 0x80000000, 1),          # < 0xffff8000 unsigned
    ("sltiu $t2, $t0, 0x8000", 0xFFFF8000, 0),
    ("sltiu $t2, $t0, 0x7fff", 0xFFFFFFFF, 0),
    ("lui $t2, 0x8001", 0x1234, 0x80010000),
    ("lui $t2, 0xffff", 0, 0xFFFF0000),
    ("lui $t2, 0", 0xFFFF, 0),
])
def test_immediate_golden(run_asm, src, t0, want):
    m = run_asm(src, t0=t0, t2=0xDEADBEEF)
    assert m.reg("t2") == want


# ---- shifts --------------------------------------------------------------------------

SHIFT_VALUES = [0x80000001, 0x12345678, 0xFFFFFFFF, 0x7FFFFFFF, 1, 0]


@pytest.mark.parametrize("op", ["sll", "srl", "sra"])
def test_shift_immediate(machine, op):
    for v in SHIFT_VALUES:
        for sa in range(32):
            run_prog(machine, f"{op} $t2, $t0, {sa}", t0=v)
            want = {"sll": (v << sa) & M32, "srl": v >> sa, "sra": (s32(v) >> sa) & M32}[op]
            assert machine.reg("t2") == want, (op, hex(v), sa)


@pytest.mark.parametrize("op", ["sllv", "srlv", "srav"])
def test_shift_variable_masks_to_5_bits(machine, op):
    for v in SHIFT_VALUES:
        for amount in [0, 1, 4, 31, 32, 33, 63, 0xFFFFFFE1, 0xFFFFFFFF, 0x80000000, 0x100]:
            sa = amount & 31
            run_prog(machine, f"{op} $t2, $t0, $t1", t0=v, t1=amount)
            want = {"sllv": (v << sa) & M32, "srlv": v >> sa, "srav": (s32(v) >> sa) & M32}[op]
            assert machine.reg("t2") == want, (op, hex(v), hex(amount))


def test_shift_golden(run_asm):
    m = run_asm("""
        sra $t2, $t0, 4
        srl $t3, $t0, 4
        sll $t4, $t0, 4
        srav $t5, $t0, $t1      # t1 = 36: shifts by 4
        sllv $t6, $t0, $t0      # amount = t0 & 31 = 1
    """, t0=0x80000001, t1=36)
    assert m.reg("t2") == 0xF8000000
    assert m.reg("t3") == 0x08000000
    assert m.reg("t4") == 0x00000010
    assert m.reg("t5") == 0xF8000000
    assert m.reg("t6") == 0x00000002


# ---- multiply and divide -------------------------------------------------------------

MD_VALUES = [0, 1, 2, 3, 7, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFF9, 0x7FFFFFFF, 0x80000000,
             0x80000001, 0x12345678, 0xFEDCBA98, 0x10000, 0xFFFF]


@pytest.mark.parametrize("op", ["mult", "multu", "div", "divu"])
def test_mult_div(machine, op):
    for a in MD_VALUES:
        for b in MD_VALUES:
            if op.startswith("div") and b == 0:
                continue
            if op == "div" and a == 0x80000000 and b == 0xFFFFFFFF:
                continue
            machine.set_hilo(0x11111111, 0x22222222)
            run_prog(machine, f"{op} $t0, $t1; mfhi $t2; mflo $t3", t0=a, t1=b)
            if op == "mult":
                p = (s32(a) * s32(b)) & ((1 << 64) - 1)
                hi, lo = p >> 32, p & M32
            elif op == "multu":
                p = a * b
                hi, lo = p >> 32, p & M32
            elif op == "div":
                q, r = trunc_divmod(s32(a), s32(b))
                hi, lo = r & M32, q & M32
            else:
                hi, lo = a % b, a // b
            assert (machine.reg("t2"), machine.reg("t3")) == (hi, lo), (op, hex(a), hex(b))
            assert (machine.hi, machine.lo) == (hi, lo)


@pytest.mark.parametrize("op, a, b, hi, lo", [
    ("mult", 0xFFFFFFFF, 0xFFFFFFFF, 0, 1),                    # -1 * -1
    ("mult", 0x80000000, 0x80000000, 0x40000000, 0),
    ("mult", 0xFFFFFFFE, 3, 0xFFFFFFFF, 0xFFFFFFFA),           # -2 * 3 = -6
    ("multu", 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFE, 1),
    ("multu", 0xFFFFFFFE, 3, 2, 0xFFFFFFFA),
    ("div", 0xFFFFFFF9, 2, 0xFFFFFFFF, 0xFFFFFFFD),            # -7 / 2 = -3 rem -1
    ("div", 7, 0xFFFFFFFE, 1, 0xFFFFFFFD),                     # 7 / -2 = -3 rem 1
    ("div", 0xFFFFFFF9, 0xFFFFFFFE, 0xFFFFFFFF, 3),            # -7 / -2 = 3 rem -1
    ("divu", 0xFFFFFFF9, 2, 1, 0x7FFFFFFC),
    # Corner cases: csrc/cpu_loop.h documents the R3000A results (no trap).
    ("div", 5, 0, 5, 0xFFFFFFFF),                              # rs >= 0: LO = -1, HI = rs
    ("div", 0, 0, 0, 0xFFFFFFFF),
    ("div", 0xFFFFFFFB, 0, 0xFFFFFFFB, 1),                     # rs < 0: LO = 1, HI = rs
    ("div", 0x80000000, 0, 0x80000000, 1),
    ("divu", 5, 0, 5, 0xFFFFFFFF),
    ("divu", 0xFFFFFFFB, 0, 0xFFFFFFFB, 0xFFFFFFFF),
    ("div", 0x80000000, 0xFFFFFFFF, 0, 0x80000000),            # INT_MIN / -1
])
def test_mult_div_golden(run_asm, op, a, b, hi, lo):
    m = run_asm(f"{op} $t0, $t1; mfhi $t2; mflo $t3", t0=a, t1=b)
    assert (m.reg("t2"), m.reg("t3")) == (hi, lo)


def test_mthi_mtlo(run_asm):
    m = run_asm("mthi $t0; mtlo $t1; mfhi $t2; mflo $t3", t0=0xCAFEBABE, t1=0x8BADF00D)
    assert (m.reg("t2"), m.reg("t3"), m.hi, m.lo) == (0xCAFEBABE, 0x8BADF00D, 0xCAFEBABE, 0x8BADF00D)


def test_divide_by_zero_does_not_trap(machine):
    machine.trap_on(ALL_EXC)
    run_prog(machine, "div $t0, $zero; divu $t0, $zero; addiu $t1, $zero, 1", t0=3)
    assert machine.stop_info().reason == Stop.HALT
    assert machine.reg("t1") == 1


# ---- overflow traps --------------------------------------------------------------------

@pytest.mark.parametrize("src, t0, t1", [
    ("add $t2, $t0, $t1", 0x7FFFFFFF, 1),
    ("add $t2, $t0, $t1", 0x80000000, 0xFFFFFFFF),
    ("add $t2, $t0, $t1", 0x80000000, 0x80000000),
    ("sub $t2, $t0, $t1", 0x80000000, 1),
    ("sub $t2, $t0, $t1", 0x7FFFFFFF, 0xFFFFFFFF),
    ("sub $t2, $t0, $t1", 0, 0x80000000),
    ("addi $t2, $t0, 1", 0x7FFFFFFF, 0),
    ("addi $t2, $t0, 0xffff", 0x80000000, 0),             # INT_MIN + (-1)
    ("addi $t2, $t0, 0x7fff", 0x7FFF8001, 0),
    ("add $t0, $t0, $t1", 0x7FFFFFFF, 1),                 # rd == rs: still not written
])
def test_overflow_traps_and_leaves_destination(machine, src, t0, t1):
    dest = src.split()[1].rstrip(",").lstrip("$")
    before = {"t0": t0, "t1": t1, "t2": 0xDEADBEEF}
    info, epc, cause, _ = trap(machine, f"la $s0, bad\nbad: {src}\naddiu $s1, $zero, 1",
                               s1=0, **before)
    assert info.code == K.EXC_OV and exc_code(cause) == K.EXC_OV
    assert epc == machine.reg("s0") == info.pc
    assert not cause & K.CAUSE_BD
    assert machine.reg(dest) == before[dest]
    assert machine.reg("s1") == 0                           # nothing after it ran


@pytest.mark.parametrize("src, t0, t1, want", [
    ("addu $t2, $t0, $t1", 0x7FFFFFFF, 1, 0x80000000),
    ("addiu $t2, $t0, 1", 0x7FFFFFFF, 0, 0x80000000),
    ("addiu $t2, $t0, 0xffff", 0x80000000, 0, 0x7FFFFFFF),
    ("subu $t2, $t0, $t1", 0x80000000, 1, 0x7FFFFFFF),
])
def test_unsigned_arithmetic_never_traps(machine, src, t0, t1, want):
    machine.trap_on(ALL_EXC)
    run_prog(machine, src, t0=t0, t1=t1)
    assert machine.stop_info().reason == Stop.HALT
    assert machine.reg("t2") == want


# ---- loads and stores --------------------------------------------------------------------

MEM = bytes([0x80, 0x01, 0xFE, 0x7F, 0x11, 0xA2, 0x33, 0xC4, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC])
BASES = {
    "kseg0-cold": (DATA, ""),
    "kseg0-warm": (DATA, "lw $at, 0($s7)"),   # the page is in the host map before the access
    "kseg1": (DATA_U, ""),                    # uncached: every access takes mmu_load/mmu_store
}


@pytest.fixture(params=sorted(BASES))
def base(request):
    return BASES[request.param]


def le32(b: bytes) -> int:
    return int.from_bytes(b, "little")


@pytest.mark.parametrize("op", ["lb", "lbu", "lh", "lhu", "lw"])
def test_loads(machine, base, op):
    addr, warm = base
    size = {"lb": 1, "lbu": 1, "lh": 2, "lhu": 2, "lw": 4}[op]
    for off in range(0, len(MEM), size):
        machine.write_phys(DATA_P, MEM)
        run_prog(machine, f"{warm}\n{op} $t2, {off}($s7)", s7=addr, t2=0xDEADBEEF)
        raw = le32(MEM[off:off + size])
        if op in ("lb", "lh"):
            bits = 8 * size
            raw = (raw - (1 << bits) if raw >> (bits - 1) else raw) & M32
        assert machine.reg("t2") == raw, (op, off)


def test_load_golden(machine):
    machine.write_phys(DATA_P, MEM)
    m = run_prog(machine, "lb $t0, 0($s7); lbu $t1, 0($s7); lh $t2, 6($s7); lhu $t3, 6($s7); lw $t4, 4($s7);"
                "lb $t5, 3($s7); lh $t6, 2($s7); lw $t7, -4($s6)", s7=DATA, s6=DATA + 8)
    assert m.reg("t0") == 0xFFFFFF80
    assert m.reg("t1") == 0x00000080
    assert m.reg("t2") == 0xFFFFC433
    assert m.reg("t3") == 0x0000C433
    assert m.reg("t4") == 0xC433A211
    assert m.reg("t5") == 0x0000007F
    assert m.reg("t6") == 0x00007FFE
    assert m.reg("t7") == 0xC433A211                      # negative offset


@pytest.mark.parametrize("op", ["sb", "sh", "sw"])
def test_stores(machine, base, op):
    addr, warm = base
    size = {"sb": 1, "sh": 2, "sw": 4}[op]
    value = 0x8899AABB
    for off in range(0, 8, size):
        machine.write_phys(DATA_P, MEM)
        run_prog(machine, f"{warm}\n{op} $t0, {off}($s7)", s7=addr, t0=value)
        want = bytearray(MEM)
        want[off:off + size] = value.to_bytes(4, "little")[:size]
        assert machine.read_phys(DATA_P, len(MEM)) == bytes(want), (op, off)


def test_store_then_load_back(run_asm):
    m = run_asm("""
        sw $t0, 0($s7)
        sb $t1, 1($s7)
        sh $t1, 6($s7)
        lw $t2, 0($s7)
        lw $t3, 4($s7)
    """, s7=DATA, t0=0x11223344, t1=0xABCD)
    assert m.reg("t2") == 0x1122CD44
    assert m.reg("t3") & 0xFFFF0000 == 0xABCD0000


# The little-endian unaligned loads and stores, modelled bytewise: the word at
# A (A aligned) holds bytes A..A+3, register byte i has weight 8*i.
def lwl_model(reg: int, mem: bytes, b: int) -> int:
    """lwl at A+b: memory bytes A..A+b go to register bytes 3-b..3."""
    rb = bytearray(reg.to_bytes(4, "little"))
    for k in range(b + 1):
        rb[3 - b + k] = mem[k]
    return le32(rb)


def lwr_model(reg: int, mem: bytes, b: int) -> int:
    """lwr at A+b: memory bytes A+b..A+3 go to register bytes 0..3-b."""
    rb = bytearray(reg.to_bytes(4, "little"))
    for k in range(4 - b):
        rb[k] = mem[b + k]
    return le32(rb)


def swl_model(mem: bytes, reg: int, b: int) -> bytes:
    """swl at A+b: register bytes 3-b..3 go to memory A..A+b."""
    out, rb = bytearray(mem), reg.to_bytes(4, "little")
    for k in range(b + 1):
        out[k] = rb[3 - b + k]
    return bytes(out)


def swr_model(mem: bytes, reg: int, b: int) -> bytes:
    """swr at A+b: register bytes 0..3-b go to memory A+b..A+3."""
    out, rb = bytearray(mem), reg.to_bytes(4, "little")
    for k in range(4 - b):
        out[b + k] = rb[k]
    return bytes(out)


@pytest.mark.parametrize("b, lwl, lwr", [
    # memory word at DATA+4: bytes 11 a2 33 c4; register before: aabbccdd
    (0, 0x11BBCCDD, 0xC433A211),
    (1, 0xA211CCDD, 0xAAC433A2),
    (2, 0x33A211DD, 0xAABBC433),
    (3, 0xC433A211, 0xAABBCCC4),
])
def test_lwl_lwr_golden(machine, b, lwl, lwr):
    machine.write_phys(DATA_P, MEM)
    m = run_prog(machine, f"lwl $t0, {4 + b}($s7); lwr $t1, {4 + b}($s7)", s7=DATA, t0=0xAABBCCDD, t1=0xAABBCCDD)
    assert (m.reg("t0"), m.reg("t1")) == (lwl, lwr)


@pytest.mark.parametrize("op", ["lwl", "lwr"])
def test_lwl_lwr_all_offsets(machine, base, op):
    addr, warm = base
    for word in (0, 4, 8):
        for b in range(4):
            machine.write_phys(DATA_P, MEM)
            run_prog(machine, f"{warm}\n{op} $t2, {word + b}($s7)", s7=addr, t2=0x0BADCAFE)
            model = lwl_model if op == "lwl" else lwr_model
            assert machine.reg("t2") == model(0x0BADCAFE, MEM[word:word + 4], b), (op, word, b)


@pytest.mark.parametrize("op", ["swl", "swr"])
def test_swl_swr_all_offsets(machine, base, op):
    addr, warm = base
    value = 0x8899AABB
    for word in (0, 4):
        for b in range(4):
            machine.write_phys(DATA_P, MEM)
            run_prog(machine, f"{warm}\n{op} $t0, {word + b}($s7)", s7=addr, t0=value)
            model = swl_model if op == "swl" else swr_model
            want = bytearray(MEM)
            want[word:word + 4] = model(MEM[word:word + 4], value, b)
            assert machine.read_phys(DATA_P, len(MEM)) == bytes(want), (op, word, b)


@pytest.mark.parametrize("b, swl, swr", [
    # memory word at DATA+4 before: 11 a2 33 c4; register: 8899aabb
    (0, "88 a2 33 c4", "bb aa 99 88"),
    (1, "99 88 33 c4", "11 bb aa 99"),
    (2, "aa 99 88 c4", "11 a2 bb aa"),
    (3, "bb aa 99 88", "11 a2 33 bb"),
])
def test_swl_swr_golden(machine, b, swl, swr):
    for op, want in (("swl", swl), ("swr", swr)):
        machine.write_phys(DATA_P, MEM)
        run_prog(machine, f"{op} $t0, {4 + b}($s7)", s7=DATA, t0=0x8899AABB)
        assert machine.read_phys(DATA_P + 4, 4) == bytes.fromhex(want), op
        assert machine.read_phys(DATA_P, 4) == MEM[:4] and machine.read_phys(DATA_P + 8, 8) == MEM[8:]


def test_unaligned_pair_load(machine, base):
    """The standard little-endian unaligned word load: lwr 0(a); lwl 3(a)."""
    addr, warm = base
    for k in range(9):
        machine.write_phys(DATA_P, MEM)
        run_prog(machine, f"{warm}\nlwr $t0, 0($a0); lwl $t0, 3($a0)", s7=addr, a0=addr + k, t0=0x5A5A5A5A)
        assert machine.reg("t0") == le32(MEM[k:k + 4]), k


def test_unaligned_pair_store(machine, base):
    """The standard little-endian unaligned word store: swr 0(a); swl 3(a)."""
    addr, warm = base
    for k in range(9):
        machine.write_phys(DATA_P, MEM)
        run_prog(machine, f"{warm}\nswr $t0, 0($a0); swl $t0, 3($a0)", s7=addr, a0=addr + k, t0=0xF1E2D3C4)
        want = bytearray(MEM)
        want[k:k + 4] = (0xF1E2D3C4).to_bytes(4, "little")
        assert machine.read_phys(DATA_P, len(MEM)) == bytes(want), k


def test_unaligned_pair_roundtrip_reversed_order(machine):
    """lwl first then lwr gives the same word: the two halves are independent merges."""
    machine.write_phys(DATA_P, MEM)
    m = run_prog(machine, "lwl $t0, 5($a0); lwr $t0, 2($a0)", a0=DATA, t0=0)
    assert m.reg("t0") == le32(MEM[2:6])


# ---- address errors --------------------------------------------------------------------------

@pytest.mark.parametrize("op, off", [("lw", 1), ("lw", 2), ("lw", 3), ("lh", 1), ("lhu", 3),
                                      ("lh", -1)])
def test_misaligned_load_raises_adel(machine, base, op, off):
    addr, warm = base
    warm = warm.replace("$at", "$t3")                # (warm-up load into another register)
    info, epc, cause, badv = trap(machine, f"{warm}\nla $s0, bad\nbad: {op} $t2, {off}($s6)",
                                  s7=addr, s6=addr + 8, t2=0x12345678)
    assert info.code == K.EXC_ADEL and exc_code(cause) == K.EXC_ADEL
    assert badv == info.badvaddr == addr + 8 + off
    assert epc == machine.reg("s0")
    assert machine.reg("t2") == 0x12345678


@pytest.mark.parametrize("op, off", [("sw", 1), ("sw", 2), ("sw", 3), ("sh", 1), ("sh", 3)])
def test_misaligned_store_raises_ades(machine, base, op, off):
    addr, warm = base
    machine.write_phys(DATA_P, MEM)
    info, epc, cause, badv = trap(machine, f"{warm}\nla $s0, bad\nbad: {op} $t2, {off}($s6)",
                                  s7=addr, s6=addr + 4, t2=0x12345678)
    assert info.code == K.EXC_ADES and exc_code(cause) == K.EXC_ADES
    assert badv == addr + 4 + off
    assert epc == machine.reg("s0")
    assert machine.read_phys(DATA_P, len(MEM)) == MEM


@pytest.mark.parametrize("src", ["lb $t0, 3($s7)", "lbu $t0, 1($s7)", "lwl $t0, 1($s7)",
                                 "lwr $t0, 3($s7)", "sb $t0, 1($s7)", "swl $t0, 2($s7)",
                                 "swr $t0, 1($s7)"])
def test_byte_and_partial_word_accesses_never_misalign(machine, src):
    machine.trap_on(ALL_EXC)
    run_prog(machine, src, s7=DATA)
    assert machine.stop_info().reason == Stop.HALT


def test_misaligned_fetch_raises_adel(machine):
    info, epc, cause, badv = trap(machine, "la $t0, target; addiu $t0, $t0, 2; jr $t0; nop\ntarget: nop")
    target = machine.reg("t0")
    assert info.code == K.EXC_ADEL
    assert epc == badv == target and target & 3 == 2
    assert not cause & K.CAUSE_BD
    assert machine.counters()["insns"] == 5              # la (2), addiu, jr, nop; the fetch retires nothing


def test_fetch_outside_ram_is_a_bus_error(machine):
    machine.set_cp0(K.C0_BADVADDR, 0x5A5A5A5A)
    info, epc, cause, badv = trap(machine, "jr $t0; nop", t0=K.KSEG0_BASE + 0x00400000)
    assert info.code == K.EXC_IBE and exc_code(cause) == K.EXC_IBE
    assert epc == K.KSEG0_BASE + 0x00400000
    assert badv == 0x5A5A5A5A                            # bus errors leave BadVAddr alone
    assert machine.counters()["insns"] == 2


@pytest.mark.parametrize("src, code", [
    ("lw $t0, 0($s6)", K.EXC_DBE),        # beyond the 1 MiB of RAM, through kseg1
    ("sw $t0, 0($s6)", K.EXC_DBE),
])
def test_bus_error_outside_ram(machine, src, code):
    info, epc, cause, _ = trap(machine, f"la $s0, bad\nbad: {src}", s6=K.KSEG1_BASE + 0x00400000)
    assert info.code == code and epc == machine.reg("s0")


# ---- syscall, break, reserved instructions, coprocessors --------------------------------------

@pytest.mark.parametrize("src, code", [("syscall", K.EXC_SYS), ("syscall 0xfffff", K.EXC_SYS),
                                       ("break", K.EXC_BP), ("break 7", K.EXC_BP)])
def test_syscall_break(machine, src, code):
    machine.set_cp0(K.C0_STATUS, K.SR_BEV | K.SR_IEC)       # IEc=1, no interrupt pending
    info, epc, cause, _ = trap(machine, f"addiu $t0, $zero, 1\nla $s0, bad\nbad: {src}\naddiu $t0, $zero, 2")
    assert info.code == code and exc_code(cause) == code
    assert epc == machine.reg("s0") == info.pc
    assert info.insn == assemble(src)[0]
    assert not cause & K.CAUSE_BD
    assert machine.reg("t0") == 1
    # KU/IE stack pushed: current <- kernel, interrupts off; previous <- IEc=1, KUc=0
    assert machine.cp0(K.C0_STATUS) & K.SR_KUIE_MASK == K.SR_IEP
    assert machine.pc == K.VEC_BEV_GENERAL


RESERVED_OPCODES = [0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F,
                    0x27, 0x2C, 0x2D, 0x2F, 0x30, 0x34, 0x35, 0x36, 0x37, 0x38, 0x3C, 0x3D, 0x3E, 0x3F]
VALID_FUNCTS = {0x00, 0x02, 0x03, 0x04, 0x06, 0x07, 0x08, 0x09, 0x0C, 0x0D, 0x10, 0x11, 0x12, 0x13,
                0x18, 0x19, 0x1A, 0x1B, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B}
RESERVED_FUNCTS = sorted(set(range(64)) - VALID_FUNCTS)
# MIPS-I does not decode bit 1 of REGIMM rt (bit 17 of the word): rt & 0x1d selects.
RESERVED_REGIMM = [rt for rt in range(32) if rt & 0x1D not in (0x00, 0x01, 0x10, 0x11)]


def _ri_word(kind: str, v: int) -> int:
    if kind == "op":
        return (v << 26) | (8 << 21) | (9 << 16) | 0x10      # op $t1, 16($t0)-shaped
    if kind == "funct":
        return (8 << 21) | (9 << 16) | (10 << 11) | v
    if kind == "regimm":
        return (1 << 26) | (8 << 21) | (v << 16) | 4
    return 0x42000000 | v                                     # cop0 function


@pytest.mark.parametrize("kind, v", [("op", o) for o in RESERVED_OPCODES]
                         + [("funct", f) for f in RESERVED_FUNCTS]
                         + [("regimm", r) for r in RESERVED_REGIMM]
                         + [("cop0", f) for f in (0x00, 0x03, 0x04, 0x05, 0x07, 0x09, 0x11, 0x18, 0x20, 0x3F)])
def test_reserved_instruction(machine, kind, v):
    word = _ri_word(kind, v)
    info, epc, cause, _ = trap(machine, f"la $s0, bad\nbad: .word {word:#x}", t0=DATA, t1=0x1234, t2=0x5678)
    assert info.code == K.EXC_RI and exc_code(cause) == K.EXC_RI, hex(word)
    assert epc == machine.reg("s0")
    assert (machine.reg("t1"), machine.reg("t2")) == (0x1234, 0x5678)   # nothing written


@pytest.mark.parametrize("rs", [0x01, 0x02, 0x03, 0x05, 0x06, 0x07, 0x09, 0x0C])
def test_reserved_cop0_rs_field(machine, rs):
    info, _, cause, _ = trap(machine, f".word {(0x10 << 26) | (rs << 21) | (8 << 16) | (12 << 11):#x}")
    assert info.code == K.EXC_RI


@pytest.mark.parametrize("rt, taken_when_negative", [(0x02, True), (0x03, False)])
def test_regimm_bit17_not_decoded(run_asm, rt, taken_when_negative):
    """rt=2/3 alias bltz/bgez (MAME: MIPS-1 does not decode bit 17 of REGIMM)."""
    word = (1 << 26) | (8 << 21) | (rt << 16) | 2           # branch +2 words past the delay slot
    m = run_asm(f".word {word:#x}\nnop\naddiu $t5, $t5, 10\naddiu $t5, $t5, 100", t0=0xFFFFFFFF, t5=0)
    assert m.reg("t5") == (100 if taken_when_negative else 110)


@pytest.mark.parametrize("src, ce", [
    ("mfc1 $t0, $f0", 1), ("mtc1 $t0, $f1", 1), ("cfc1 $t0, $31", 1), ("ctc1 $t0, $31", 1),
    (".word 0x46000000", 1),                                 # add.s
    (".word 0x45000000", 1),                                 # bc1f
    ("lwc1 $f0, 0($s7)", 1), ("swc1 $f2, 0($s7)", 1),
    ("mfc2 $t0, $2", 2), ("lwc2 $2, 0($s7)", 2), ("swc2 $2, 0($s7)", 2), (".word 0x4a000001", 2),
    ("mtc3 $t0, $3", 3), ("lwc3 $3, 0($s7)", 3), ("swc3 $3, 0($s7)", 3),
])
def test_coprocessor_unusable(machine, src, ce):
    info, epc, cause, _ = trap(machine, f"la $s0, bad\nbad: {src}", s7=DATA, t0=0x77)
    assert info.code == K.EXC_CPU and exc_code(cause) == K.EXC_CPU
    assert (cause & K.CAUSE_CE_MASK) >> K.CAUSE_CE_SHIFT == ce
    assert epc == machine.reg("s0")
    assert machine.reg("t0") == 0x77


@pytest.mark.parametrize("src", ["mfc1 $t0, $f0", "lwc1 $f0, 0($s7)", "swc1 $f0, 0($s7)"])
def test_cop1_usable_but_no_fpu_is_reserved(machine, src):
    """Documented choice (cpu_loop.h): no FPU is modelled, so a usable COP1 gives RI."""
    machine.set_cp0(K.C0_STATUS, K.SR_BEV | K.SR_CU1)
    info, _, cause, _ = trap(machine, src, s7=DATA)
    assert info.code == K.EXC_RI
    assert cause & K.CAUSE_CE_MASK == 0


def test_cause_ce_cleared_by_next_exception(machine):
    trap(machine, "mfc2 $t0, $0")
    assert machine.cp0(K.C0_CAUSE) & K.CAUSE_CE_MASK
    trap(machine, "syscall")
    assert machine.cp0(K.C0_CAUSE) & K.CAUSE_CE_MASK == 0


def test_lwc0_swc0_reserved_in_kernel(machine):
    for word in (0xC0000000 | (23 << 21), 0xE0000000 | (23 << 21)):
        info, _, _, _ = trap(machine, f".word {word:#x}", s7=DATA)
        assert info.code == K.EXC_RI


def test_bc0t_bc0f(run_asm):
    """Documented choice: CpCond0 reads true (the write buffer looks empty)."""
    m = run_asm("""
        bc0f nottaken
        addiu $t0, $t0, 1
        addiu $t0, $t0, 10
    nottaken:
        bc0t taken
        addiu $t0, $t0, 100
        addiu $t0, $t0, 1000
    taken:
    """, t0=0)
    assert m.reg("t0") == 111


# ---- branches and jumps ------------------------------------------------------------------------

BRANCH_CASES = [
    # (branch, regs, taken)
    ("beq $t0, $t1, target", dict(t0=5, t1=5), True),
    ("beq $t0, $t1, target", dict(t0=5, t1=6), False),
    ("beq $zero, $zero, target", {}, True),
    ("bne $t0, $t1, target", dict(t0=5, t1=6), True),
    ("bne $t0, $t1, target", dict(t0=5, t1=5), False),
    ("blez $t0, target", dict(t0=0), True),
    ("blez $t0, target", dict(t0=0xFFFFFFFF), True),
    ("blez $t0, target", dict(t0=1), False),
    ("blez $t0, target", dict(t0=0x7FFFFFFF), False),
    ("bgtz $t0, target", dict(t0=1), True),
    ("bgtz $t0, target", dict(t0=0), False),
    ("bgtz $t0, target", dict(t0=0x80000000), False),
    ("bltz $t0, target", dict(t0=0x80000000), True),
    ("bltz $t0, target", dict(t0=0), False),
    ("bgez $t0, target", dict(t0=0), True),
    ("bgez $t0, target", dict(t0=0x7FFFFFFF), True),
    ("bgez $t0, target", dict(t0=0xFFFFFFFF), False),
    ("bltzal $t0, target", dict(t0=0xFFFFFFFF), True),
    ("bltzal $t0, target", dict(t0=1), False),
    ("bgezal $t0, target", dict(t0=1), True),
    ("bgezal $t0, target", dict(t0=0x80000000), False),
    ("j target", {}, True),
    ("jal target", {}, True),
    ("jr $t9", {}, True),
    ("jalr $t9", {}, True),
    ("jalr $t3, $t9", {}, True),
]


@pytest.mark.parametrize("branch, regs, taken", BRANCH_CASES)
def test_branch(machine, branch, regs, taken):
    run_prog(machine, f"""
        la $s0, br
        la $t9, target
        move $t5, $zero
    br: {branch}
        addiu $t5, $t5, 1           # delay slot: always executes
        addiu $t5, $t5, 10          # fall-through only
    target:
        addiu $t5, $t5, 100
    """, ra=0x5A5A5A5A, t3=0x5A5A5A5A, **regs)
    assert machine.reg("t5") == (101 if taken else 111)
    link = machine.reg("s0") + 8
    op = branch.split()[0]
    if op in ("jal", "bltzal", "bgezal") or branch == "jalr $t9":
        assert machine.reg("ra") == link            # linked whether taken or not
    else:
        assert machine.reg("ra") == 0x5A5A5A5A
    assert machine.reg("t3") == (link if branch.startswith("jalr $t3") else 0x5A5A5A5A)


def test_backward_branch_and_loop(run_asm):
    m = run_asm("""
        addiu $t0, $zero, 10
        move $t1, $zero
    loop:
        addiu $t0, $t0, -1
        bgtz $t0, loop
        addiu $t1, $t1, 3           # delay slot, runs 10 times
    """)
    assert (m.reg("t0"), m.reg("t1")) == (0, 30)


def test_delay_slot_sees_link_and_old_values(run_asm):
    """The delay slot runs after the branch has written its link register."""
    m = run_asm("""
        jal target
        move $t0, $ra               # delay slot
        addiu $t1, $zero, 1         # return point: never reached
    target:
        move $t2, $ra
    """)
    assert m.reg("t0") == m.reg("t2") == CODE + 8
    assert m.reg("t1") == 0


def test_jalr_reads_its_target_before_the_delay_slot_runs(run_asm):
    """jalr reads rs before writing rd when they differ; the target is the old rs."""
    m = run_asm("""
        la $t0, target
        jalr $t1, $t0
        addiu $t0, $zero, 0         # delay slot clobbers t0 after the jump read it
        addiu $t2, $zero, 1
    target:
        addiu $t3, $zero, 7
    """)
    assert (m.reg("t2"), m.reg("t3")) == (0, 7)
    assert m.reg("t1") == CODE + 8 + 8


def test_branch_offset_extremes(machine):
    """A branch reaches +/- 128 KiB; the offset is relative to the delay slot."""
    # Forward: beq at CODE jumps 0x7fff words past the delay slot.
    far = CODE + 4 + (0x7FFF << 2)
    machine.write_words(far - K.KSEG0_BASE, assemble(f"addiu $t5, $zero, 42\n{HALT}", far))
    machine.write_words(CODE - K.KSEG0_BASE, [(4 << 26) | 0x7FFF, 0])
    machine.pc = CODE
    machine.run(100)
    assert machine.reg("t5") == 42
    # Backward: offset -0x8000 words.
    start = CODE + 0x20000 + 0x100
    back = start + 4 - 0x20000
    machine.write_words(back - K.KSEG0_BASE, assemble(f"addiu $t5, $zero, 43\n{HALT}", back))
    machine.write_words(start - K.KSEG0_BASE, [(4 << 26) | 0x8000, 0])
    machine.pc = start
    machine.run(100)
    assert machine.reg("t5") == 43


@pytest.mark.parametrize("op", ["j", "jal"])
def test_jump_region_comes_from_delay_slot(machine, op):
    """j/jal: target = (address of delay slot & 0xf0000000) | target << 2 (docs/references.md#r3000-instruction-set).

    The j sits in the last word of the kseg2 region 0xc (TLB-mapped), so its
    delay slot is already in region 0xd; a correct jump lands in region 0xd."""
    pages = {0xCFFFF000: 0x10000, 0xD0000000: 0x11000, 0xC0000000: 0x12000}
    for i, (va, pa) in enumerate(pages.items()):
        machine.set_tlb(i, va, pa | K.ENTRYLO_V | K.ENTRYLO_D | K.ENTRYLO_G)
    jump = ((3 if op == "jal" else 2) << 26) | ((0x100 >> 2) & 0x03FFFFFF)
    machine.write_words(0x10FFC, [jump])
    machine.write_words(0x11000, assemble("addiu $t0, $zero, 1", 0xD0000000))
    machine.write_words(0x11100, assemble(f"addiu $t1, $zero, 0xd\n{HALT}", 0xD0000100))
    machine.write_words(0x12100, assemble(f"addiu $t1, $zero, 0xc\n{HALT}", 0xC0000100))
    machine.pc = 0xCFFFFFFC
    machine.run(100)
    assert machine.reg("t0") == 1          # the delay slot ran
    assert machine.reg("t1") == 0xD
    assert machine.reg("ra") == (0xD0000004 if op == "jal" else 0)


def test_j_target_within_kseg0(run_asm):
    m = run_asm("""
        j there
        addiu $t0, $zero, 1
        addiu $t1, $zero, 1
    there:
        jal sub
        nop
        j done
        nop
    sub:
        jr $ra
        addiu $t2, $zero, 2
    done:
    """)
    assert (m.reg("t0"), m.reg("t1"), m.reg("t2")) == (1, 0, 2)


# ---- exceptions in delay slots ------------------------------------------------------------------

SLOT_FAULTS = [
    ("syscall", K.EXC_SYS, None),
    ("break 3", K.EXC_BP, None),
    ("lw $t4, 1($s7)", K.EXC_ADEL, DATA + 1),
    ("sh $t4, 3($s7)", K.EXC_ADES, DATA + 3),
    ("add $t4, $t6, $t6", K.EXC_OV, None),
    (".word 0x0000003f", K.EXC_RI, None),
    ("mfc1 $t4, $f0", K.EXC_CPU, None),
]
SLOT_BRANCHES = [
    ("beq $zero, $zero, target", True),
    ("bne $zero, $zero, target", False),       # not taken: the slot is still a delay slot
    ("bltzal $t7, target", True),
    ("bgezal $t7, target", False),
    ("j target", True),
    ("jal target", True),
    ("jr $t9", True),
    ("jalr $t9", True),
]


@pytest.mark.parametrize("fault, code, badv", SLOT_FAULTS)
@pytest.mark.parametrize("branch, taken", SLOT_BRANCHES)
def test_exception_in_delay_slot(machine, branch, taken, fault, code, badv):
    info, epc, cause, badvaddr = trap(machine, f"""
        la $s0, br
        la $t9, target
    br: {branch}
        {fault}
        nop
    target:
        nop
    """, s7=DATA, t4=0x4444, t6=0x7FFFFFFF, t7=0xFFFFFFFF, ra=0x5A5A5A5A)
    assert info.code == code and exc_code(cause) == code
    assert cause & K.CAUSE_BD
    assert epc == machine.reg("s0")                   # the branch, not the slot
    assert info.pc == machine.reg("s0") + 4           # StopInfo names the faulting slot
    if badv is not None:
        assert badvaddr == badv
    assert machine.reg("t4") == 0x4444
    assert machine.counters()["insns"] == 5           # la, la, the branch; the slot retires nothing
    if branch.split()[0] in ("bltzal", "bgezal", "jal", "jalr"):
        assert machine.reg("ra") == machine.reg("s0") + 8   # the branch itself completed


def test_delay_slot_fetch_fault_sets_bd(machine):
    """The delay slot is on the next (unmapped) page: TLB miss fetching it, BD=1, EPC = branch."""
    # A kseg2 page mapped at 0xc0000000; the branch is its last word; 0xc0001000 is unmapped.
    machine.set_tlb(0, 0xC0000000, 0x10000 | K.ENTRYLO_V | K.ENTRYLO_G)
    machine.write_words(0x10FFC, assemble("b 0xc0000000", 0xC0000FFC))
    machine.pc = 0xC0000FFC
    machine.trap_on(ALL_EXC)
    info = machine.run(100, check=False)
    assert info.reason == Stop.TRAP and info.code == K.EXC_TLBL
    assert machine.cp0(K.C0_CAUSE) & K.CAUSE_BD
    assert machine.cp0(K.C0_EPC) == 0xC0000FFC
    assert machine.cp0(K.C0_BADVADDR) == 0xC0001000


def test_bd_cleared_by_a_later_exception(machine):
    trap(machine, "b next; syscall; next: nop")
    assert machine.cp0(K.C0_CAUSE) & K.CAUSE_BD
    info, epc, cause, _ = trap(machine, "nop; la $s0, bad\nbad: syscall")
    assert not cause & K.CAUSE_BD and epc == machine.reg("s0")


def test_exception_at_branch_target_is_not_in_a_delay_slot(machine):
    info, epc, cause, _ = trap(machine, "la $s0, bad\nb bad\nnop\nnop\nbad: syscall")
    assert not cause & K.CAUSE_BD and epc == machine.reg("s0")


def test_exception_vector_round_trip(machine):
    """Without trap_on the CPU goes to the general vector; a handler returns past the syscall."""
    machine.set_cp0(K.C0_STATUS, 0)                          # BEV=0: vectors in kseg0
    handler = assemble("""
        mfc0 $k0, $14
        mfc0 $s2, $13
        addiu $k0, $k0, 4
        addiu $s1, $s1, 1
        jr $k0
        rfe
    """, K.VEC_GENERAL)
    machine.write_words(K.VEC_GENERAL - K.KSEG0_BASE, handler)
    run_prog(machine, "syscall; addiu $t0, $zero, 5; syscall; break", s1=0)
    assert (machine.reg("s1"), machine.reg("t0")) == (3, 5)
    assert exc_code(machine.reg("s2")) == K.EXC_BP
    c = machine.counters()
    assert c["exceptions"]["SYS"] == 2 and c["exceptions"]["BP"] == 1


# ---- user mode (through the TLB) -------------------------------------------------------------------

USER_CODE, USER_CODE_P = 0x00400000, 0x10000
USER_DATA, USER_DATA_P = 0x10000000, DATA_P


def run_user(machine: Machine, src: str, **regs):
    machine.set_tlb(0, USER_CODE, USER_CODE_P | K.ENTRYLO_V | K.ENTRYLO_G)
    machine.set_tlb(1, USER_DATA, USER_DATA_P | K.ENTRYLO_V | K.ENTRYLO_D | K.ENTRYLO_G)
    machine.write_words(USER_CODE_P, assemble(src + "\nbreak", USER_CODE))
    machine.pc = USER_CODE
    machine.set_cp0(K.C0_STATUS, K.SR_KUC)
    for name, value in regs.items():
        machine.set_reg(name, value)
    machine.trap_on(ALL_EXC)
    return machine.run(1000, check=False)


def test_user_mode_runs_mapped_code(machine):
    machine.write_phys(DATA_P, MEM)
    info = run_user(machine, "lw $t0, 4($s7); addiu $t0, $t0, 1; sw $t0, 8($s7)", s7=USER_DATA)
    assert info.reason == Stop.TRAP and info.code == K.EXC_BP
    assert machine.read_u32(DATA_P + 8) == le32(MEM[4:8]) + 1


@pytest.mark.parametrize("src", ["mfc0 $t0, $12", "mtc0 $t0, $12", "tlbwi", "rfe", "bc0t 0x400010",
                                 ".word 0xc2e00000"])      # lwc0
def test_cop0_in_user_mode_is_unusable(machine, src):
    info = run_user(machine, src, t0=0)
    assert info.reason == Stop.TRAP and info.code == K.EXC_CPU
    cause = machine.cp0(K.C0_CAUSE)
    assert (cause & K.CAUSE_CE_MASK) == 0
    assert machine.cp0(K.C0_EPC) == USER_CODE
    # Exception entry switched to kernel mode and pushed KUc=1 into KUp.
    assert machine.cp0(K.C0_STATUS) & K.SR_KUIE_MASK == K.SR_KUP


@pytest.mark.parametrize("src, code, badv", [
    ("lw $t0, 0($s6)", K.EXC_ADEL, DATA),           # kernel address from user mode
    ("lb $t0, 0($s6)", K.EXC_ADEL, DATA),
    ("sb $t0, 0($s6)", K.EXC_ADES, DATA),
    ("lw $t0, 0($s5)", K.EXC_TLBL, 0x20000000),     # unmapped kuseg
    ("sw $t0, 0($s5)", K.EXC_TLBS, 0x20000000),
])
def test_user_mode_address_faults(machine, src, code, badv):
    info = run_user(machine, src, s6=DATA, s5=0x20000000)
    assert info.reason == Stop.TRAP and info.code == code
    assert machine.cp0(K.C0_BADVADDR) == badv
    assert machine.cp0(K.C0_EPC) == USER_CODE


# ---- self-modifying code -----------------------------------------------------------------------

@pytest.mark.parametrize("alias", [K.KSEG0_BASE, K.KSEG1_BASE])
def test_self_modifying_code(machine, alias):
    """The guest stores an instruction, runs it, overwrites it, runs it again: the new one runs."""
    first = assemble("addiu $v0, $zero, 1")[0]
    second = assemble("addiu $v0, $zero, 2")[0]
    run_prog(machine, f"""
        la $s0, slot
        subu $s0, $s0, $s5           # the slot through the chosen alias (kseg0 or kseg1)
        addu $s0, $s0, $s6
        li $t0, {first:#x}
        sw $t0, 0($s0)
        jal slot
        nop
        move $s1, $v0
        li $t0, {second:#x}
        sw $t0, 0($s0)
        jal slot
        nop
        move $s2, $v0
        j done
        nop
    slot:
        nop
        jr $ra
        nop
    done:
    """, s5=K.KSEG0_BASE, s6=alias)
    assert (machine.reg("s1"), machine.reg("s2")) == (1, 2)


def test_self_modifying_loop_patches_its_own_body(run_asm):
    """A loop rewrites an instruction it executes on every iteration (the immediate counts up)."""
    base = assemble("addiu $v0, $v0, 0")[0]
    m = run_asm(f"""
        la $s0, patched
        li $s1, {base:#x}
        addiu $t0, $zero, 5
    loop:
        addu $t1, $s1, $t0           # addiu $v0, $v0, t0
        sw $t1, 0($s0)
        nop
        nop
    patched:
        nop
        addiu $t0, $t0, -1
        bgtz $t0, loop
        nop
    """, v0=0)
    assert m.reg("v0") == 5 + 4 + 3 + 2 + 1


# ---- r0 ----------------------------------------------------------------------------------------

def test_r0_stays_zero(machine):
    """Writes to $zero by every instruction class are discarded, and the very next
    instruction already reads 0 (each read is stored to memory)."""
    machine.write_phys(DATA_P, bytes(range(1, 33)))
    machine.set_hilo(0x1234, 0x5678)
    writers = [
        "addu $zero, $t0, $t1", "addiu $zero, $t0, 5", "ori $zero, $zero, 0xffff", "lui $zero, 0x1234",
        "sll $zero, $t0, 3", "srav $zero, $t0, $t1", "slt $zero, $t1, $t0", "sltiu $zero, $zero, 1",
        "lw $zero, 0($s7)", "lb $zero, 1($s7)", "lhu $zero, 2($s7)", "lwl $zero, 5($s7)",
        "lwr $zero, 6($s7)", "mfhi $zero", "mflo $zero", "mfc0 $zero, $12", "mfc0 $zero, $15",
        "add $zero, $t0, $t1", "sub $zero, $t0, $t1", "addi $zero, $t0, 1", "nor $zero, $zero, $zero",
    ]
    lines = []
    for i, w in enumerate(writers):
        lines += [w, f"sw $zero, {0x100 + 4 * i}($s7)"]
    lines += ["la $t9, after", "jalr $zero, $t9", "sw $zero, 0x1fc($s7)", "after:",
              "mtc0 $zero, $14", "mfc0 $zero, $14", "sw $zero, 0x1f8($s7)"]
    for off in range(0x100, 0x200, 4):
        machine.write_u32(DATA_P + off, 0xFFFFFFFF)
    run_prog(machine, "\n".join(lines), s7=DATA, t0=0x11111111, t1=0x22222222)
    stored = [machine.read_u32(DATA_P + 0x100 + 4 * i) for i in range(len(writers))]
    assert stored == [0] * len(writers)
    assert [machine.read_u32(DATA_P + o) for o in (0x1f8, 0x1fc)] == [0, 0]
    assert machine.reg(0) == 0


# ---- stopping anywhere ------------------------------------------------------------------------------

STEP_PROGRAM = """
    addiu $t0, $zero, 4
    move $t1, $zero
loop:
    mult $t0, $t0
    jal sub
    addiu $t1, $t1, 1            # delay slot of a jal
    mflo $t2
    addu $t3, $t3, $t2
    addiu $t0, $t0, -1
    bgtz $t0, loop
    sw $t3, 0($s7)               # delay slot of a backward branch
    j done
    lw $t4, 0($s7)               # delay slot of a jump
sub:
    lwr $t5, 1($s7)
    jr $ra
    lwl $t5, 4($s7)
done:
"""


def test_single_stepping_matches_one_run(machine):
    """run(1) at a time - stopping between every branch and its delay slot - gives the
    same registers, memory and counters as one run."""
    run_prog(machine, STEP_PROGRAM, s7=DATA)
    whole = (machine.regs, machine.hi, machine.lo, machine.read_phys(DATA_P, 8), machine.counters())
    other = Machine(machine.preset, 1 << 20)
    other.write_words(CODE - K.KSEG0_BASE, assemble(STEP_PROGRAM + HALT, CODE))
    other.pc = CODE
    other.set_reg("s7", DATA)
    for step in range(1, 1000):
        info = other.run(1, check=False)
        if info.reason == Stop.HALT:
            break
        assert info.reason == Stop.LIMIT and other.counters()["insns"] == step
    stepped = (other.regs, other.hi, other.lo, other.read_phys(DATA_P, 8), other.counters())
    assert stepped == whole
    assert whole[0][REG_T3] == 16 + 9 + 4 + 1


REG_T3 = 11


# ---- instruction and cycle counts (ideal preset) -------------------------------------------------

def ideal(src: str, max_insns: int = 10_000, **regs) -> Machine:
    m = Machine("ideal", 1 << 20)
    return run_prog(m, src, max_insns, **regs)


def test_loop_retires_exact_count():
    m = ideal("""
        addiu $t0, $zero, 10
    loop:
        addiu $t0, $t0, -1
        bne $t0, $zero, loop
        nop
    """)
    c = m.counters()
    assert c["insns"] == 1 + 10 * 3 + 2          # + lui/sw of the halt
    assert c["cycles"] == c["insns"]             # CPI 1, no stalls in "ideal"


def test_faulting_instruction_does_not_retire():
    m = Machine("ideal", 1 << 20)
    m.trap_on(["SYS"])
    run_prog(m, "addiu $t0, $zero, 1; addiu $t0, $t0, 1; syscall; nop")
    c = m.counters()
    assert c["insns"] == 2
    assert c["exceptions"]["SYS"] == 1
    assert c["exc_entry_cycles"] == m.cost["exc_entry_cycles"]
    assert c["cycles"] == 2 + m.cost["exc_entry_cycles"]


def test_faulting_load_does_not_retire():
    m = Machine("ideal", 1 << 20)
    m.trap_on(["ADEL"])
    run_prog(m, "lw $t0, 2($zero)")
    assert m.counters()["insns"] == 0


def test_limit_counts_retired_instructions():
    m = Machine("ideal", 1 << 20)
    m.write_words(0x1000, assemble("loop: addiu $t0, $t0, 1; b loop; nop", CODE))
    m.pc = CODE
    info = m.run(1000, check=False)
    assert info.reason == Stop.LIMIT
    assert m.counters()["insns"] == 1000
    info = m.run(7, check=False)
    assert info.reason == Stop.LIMIT and m.counters()["insns"] == 1007
    assert m.reg("t0") == 336                    # 1007 = 335 * 3 + 2: 336 increments


@pytest.mark.parametrize("op, latency", [("mult", 12), ("multu", 12), ("div", 35), ("divu", 35)])
@pytest.mark.parametrize("gap", [0, 1, 5, 10, 11, 12, 20, 40])
def test_hilo_latency(op, latency, gap):
    """mult/div then mflo: the mflo waits until the unit is done; gap independent
    instructions in between hide that much of the latency."""
    m = ideal(f"{op} $t0, $t1\n" + "addiu $t2, $t2, 1\n" * gap + "mflo $t3", t0=100, t1=7)
    c = m.counters()
    assert c["insns"] == gap + 2 + 2
    span = max(latency + 1, gap + 2)             # cycles from the mult to the mflo's end
    assert c["cycles"] == span + 2
    assert c["hilo_stall_cycles"] == span - (gap + 2)
    assert m.reg("t3") == (700 if op.startswith("mult") else 14)


def test_mult_then_mflo_costs_13_and_div_36():
    assert ideal("mult $t0, $t1; mflo $t2").counters()["cycles"] == 12 + 1 + 2
    assert ideal("div $t0, $t1; mflo $t2", t1=3).counters()["cycles"] == 35 + 1 + 2
    assert ideal("mult $t0, $t1; mfhi $t2").counters()["cycles"] == 12 + 1 + 2


def test_back_to_back_mult_waits_for_the_unit():
    """A second mult issued while the unit is busy waits (GCC 3000.md reserves the unit)."""
    c = ideal("mult $t0, $t1; mult $t0, $t1; mflo $t2").counters()
    assert c["cycles"] == 12 + 12 + 1 + 2


def test_mthi_mtlo_do_not_wait():
    c = ideal("mthi $t0; mtlo $t1; mfhi $t2; mflo $t3").counters()
    assert c["cycles"] == c["insns"] == 6


def test_no_stall_without_mult():
    c = ideal("mflo $t2; mfhi $t3").counters()
    assert c["cycles"] == 4 and c["hilo_stall_cycles"] == 0
