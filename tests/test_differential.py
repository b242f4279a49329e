"""Differential test: our interpreter against unicorn (QEMU's MIPS32) on random user-mode code.

Seeded random sequences (1000 of about 40 instructions) of MIPS-I ALU,
shift, multiply/divide, HI/LO moves, loads and stores of every width
(lwl/lwr/swl/swr included) and forward branches and jumps with delay
slots run on both engines at the same user virtual addresses: unicorn maps
a code page and a data page there; our machine maps the same pages through
its TLB and runs with Status.KUc=1 (even seeds on the "ideal" preset's fast
loop, odd seeds on "dec5000"'s full loop).
Each sequence ends in a `break`, which stops our machine (trap_on BP) while
unicorn stops one instruction earlier with emu_start(until=) (it loses the
PC at a break: docs/references.md#unicorn).  Afterwards
all 32 GPRs, HI, LO, the data page and the executed-instruction count must
agree.

Only behaviour where MIPS-I and MIPS32 agree is generated:
  * no division by zero (the divisor goes through `ori x, y, 1` first);
  * no branch in a delay slot, no backward branch, no jalr with rd == rs;
  * no load-delay-sensitive pattern matters: neither engine models the
    MIPS-I load delay (ours is interlocked like MIPS32);
  * canonical encodings only (MIPS32r2 gives meaning to some MIPS-I
    don't-care bits, e.g. srl with rs=1 is rotr).
add/addi/sub may overflow: then both engines must stop at that instruction
with the destination unwritten (unicorn reports QEMU's EXCP_OVERFLOW, 21).
"""
from __future__ import annotations

import random

import pytest

unicorn = pytest.importorskip("unicorn")
from unicorn import UC_ARCH_MIPS, UC_HOOK_CODE, UC_HOOK_INTR, UC_MODE_LITTLE_ENDIAN, UC_MODE_MIPS32, Uc  # noqa: E402
from unicorn import mips_const as UM  # noqa: E402

from exobench import constants as K  # noqa: E402
from exobench.machine import Machine, Stop  # noqa: E402

from mips_asm import REGS, assemble  # noqa: E402

CODE_VA, CODE_PA = 0x00400000, 0x10000
DATA_VA, DATA_PA = 0x10000000, 0x20000
PAGE = K.PAGE_SIZE
N_SEQUENCES = 1000
SEQ_LEN = 40
QEMU_EXCP_OVERFLOW = 21

NAMES = [n for n, _ in sorted(REGS.items(), key=lambda kv: kv[1]) if n != "fp"]
BASE, BASE2 = "s7", "s6"                  # data pointers, never written by the sequences
BASE2_OFF = 0x800
DESTS = [n for n in NAMES if n not in (BASE, BASE2)]          # $zero included on purpose
SRCS = NAMES
UC_REG = [getattr(UM, f"UC_MIPS_REG_{i}") for i in range(32)]

VALUES = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000,
          0x80000001, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFF8000, 31, 32, 33]

R3 = ["addu", "subu", "and", "or", "xor", "nor", "slt", "sltu"]
R3_TRAPPING = ["add", "sub"]
IMM = ["addiu", "slti", "sltiu", "andi", "ori", "xori"]
SHIFTS = ["sll", "srl", "sra"]
SHIFTV = ["sllv", "srlv", "srav"]
LOADS = {"lb": 1, "lbu": 1, "lh": 2, "lhu": 2, "lw": 4, "lwl": 1, "lwr": 1}
STORES = {"sb": 1, "sh": 2, "sw": 4, "swl": 1, "swr": 1}
COND2 = ["beq", "bne"]
COND1 = ["blez", "bgtz", "bltz", "bgez", "bltzal", "bgezal"]


def rand_value(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.4:
        return rng.choice(VALUES)
    if r < 0.6:
        return rng.randrange(-64, 64) & 0xFFFFFFFF
    return rng.getrandbits(32)


def rand_imm(rng: random.Random) -> int:
    return rng.choice([0, 1, 0x7FFF, 0x8000, 0xFFFF, rng.getrandbits(16), rng.randrange(0, 32)])


def mem_operand(rng: random.Random, size: int) -> str:
    """An in-page address, aligned to size, through one of the two base registers."""
    off = rng.randrange(0, PAGE - 3) // size * size
    if rng.random() < 0.5:
        return f"{off}(${BASE})"
    return f"{off - BASE2_OFF}(${BASE2})"


def simple_insn(rng: random.Random) -> list[str]:
    """One non-branch item (one or two instructions, the second never a branch)."""
    d, s, t = rng.choice(DESTS), rng.choice(SRCS), rng.choice(SRCS)
    k = rng.random()
    if k < 0.22:
        return [f"{rng.choice(R3)} ${d}, ${s}, ${t}"]
    if k < 0.25:
        return [f"{rng.choice(R3_TRAPPING)} ${d}, ${s}, ${t}"]
    if k < 0.27:
        return [f"addi ${d}, ${s}, {rand_imm(rng)}"]
    if k < 0.42:
        return [f"{rng.choice(IMM)} ${d}, ${s}, {rand_imm(rng)}"]
    if k < 0.45:
        return [f"lui ${d}, {rng.getrandbits(16)}"]
    if k < 0.50:
        return [f"{rng.choice(SHIFTS)} ${d}, ${s}, {rng.randrange(32)}"]
    if k < 0.54:
        return [f"{rng.choice(SHIFTV)} ${d}, ${s}, ${t}"]
    if k < 0.58:
        return [f"{rng.choice(['mult', 'multu'])} ${s}, ${t}"]
    if k < 0.62:
        # The divisor is made odd, hence non-zero; INT_MIN / -1 may still happen
        # (both engines leave LO = INT_MIN, HI = 0).
        x = rng.choice(DESTS[1:])
        return [f"ori ${x}, ${t}, 1", f"{rng.choice(['div', 'divu'])} ${s}, ${x}"]
    if k < 0.67:
        return [f"{rng.choice(['mfhi', 'mflo'])} ${d}"]
    if k < 0.69:
        return [f"{rng.choice(['mthi', 'mtlo'])} ${s}"]
    if k < 0.84:
        op = rng.choice(list(LOADS))
        return [f"{op} ${d}, {mem_operand(rng, LOADS[op])}"]
    op = rng.choice(list(STORES))
    return [f"{op} ${t}, {mem_operand(rng, STORES[op])}"]


def branch_insn(rng: random.Random, target: str) -> list[str]:
    """A branch or jump to target; jr/jalr load the target address first."""
    s, t = rng.choice(SRCS), rng.choice(SRCS)
    k = rng.random()
    if k < 0.3:
        return [f"{rng.choice(COND2)} ${s}, ${t}, {target}"]
    if k < 0.65:
        return [f"{rng.choice(COND1)} ${s}, {target}"]
    if k < 0.75:
        return [f"{rng.choice(['j', 'jal'])} {target}"]
    x = rng.choice([n for n in DESTS if n not in ("zero", "ra")])
    if rng.random() < 0.5:
        return [f"la ${x}, {target}", f"jr ${x}"]
    rd = rng.choice([n for n in DESTS if n != x])
    return [f"la ${x}, {target}", f"jalr ${rd}, ${x}"]


def gen_sequence(rng: random.Random, n: int = SEQ_LEN) -> str:
    """About n items; each branch is followed by a one-instruction, non-branch delay
    slot and jumps forward past it (to a later item or to the final break)."""
    kinds: list[str] = []
    while len(kinds) < n:
        if len(kinds) < n - 1 and rng.random() < 0.12:
            kinds += ["branch", "slot"]
        else:
            kinds.append("plain")
    lines = []
    for idx, kind in enumerate(kinds):
        lines.append(f"L{idx}:")
        if kind == "branch":
            tgt = rng.randrange(idx + 2, min(len(kinds), idx + 9) + 1)
            lines += branch_insn(rng, f"L{tgt}" if tgt < len(kinds) else "end")
        elif kind == "slot":
            item = simple_insn(rng)
            while len(item) != 1:
                item = simple_insn(rng)
            lines += item
        else:
            lines += simple_insn(rng)
    lines.append("end: break")
    return "\n".join(lines)


def run_unicorn(words: list[int], regs: list[int], hi: int, lo: int, data: bytes):
    uc = Uc(UC_ARCH_MIPS, UC_MODE_MIPS32 + UC_MODE_LITTLE_ENDIAN)
    uc.mem_map(CODE_VA, PAGE)
    uc.mem_map(DATA_VA, PAGE)
    uc.mem_write(CODE_VA, b"".join(w.to_bytes(4, "little") for w in words))
    uc.mem_write(DATA_VA, data)
    for i in range(1, 32):
        uc.reg_write(UC_REG[i], regs[i])
    uc.reg_write(UM.UC_MIPS_REG_HI, hi)
    uc.reg_write(UM.UC_MIPS_REG_LO, lo)
    state = {"intno": None, "count": 0}

    def on_intr(u, intno, _):
        state["intno"] = intno
        u.emu_stop()

    def on_code(u, addr, size, _):
        state["count"] += 1

    uc.hook_add(UC_HOOK_INTR, on_intr)
    uc.hook_add(UC_HOOK_CODE, on_code)
    end = CODE_VA + 4 * (len(words) - 1)          # the final break
    uc.emu_start(CODE_VA, end, count=10_000)
    gprs = [0] + [uc.reg_read(UC_REG[i]) & 0xFFFFFFFF for i in range(1, 32)]
    return (gprs, uc.reg_read(UM.UC_MIPS_REG_HI) & 0xFFFFFFFF, uc.reg_read(UM.UC_MIPS_REG_LO) & 0xFFFFFFFF,
            bytes(uc.mem_read(DATA_VA, PAGE)), state["intno"], state["count"])


def run_ours(m: Machine, words: list[int], regs: list[int], hi: int, lo: int, data: bytes):
    m.reset()
    m.set_tlb(0, CODE_VA, CODE_PA | K.ENTRYLO_V | K.ENTRYLO_G)
    m.set_tlb(1, DATA_VA, DATA_PA | K.ENTRYLO_V | K.ENTRYLO_D | K.ENTRYLO_G)
    m.write_phys(CODE_PA, bytes(PAGE))
    m.write_words(CODE_PA, words)
    m.write_phys(DATA_PA, data)
    for i in range(1, 32):
        m.set_reg(i, regs[i])
    m.set_hilo(hi, lo)
    m.set_cp0(K.C0_STATUS, K.SR_KUC)           # user mode, interrupts off
    m.pc = CODE_VA
    m.trap_on(["BP", "OV"])
    info = m.run(10_000, check=False)
    return m.regs, m.hi, m.lo, m.read_phys(DATA_PA, PAGE), info, m.counters()["insns"]


def _sequence_case(seed: int):
    rng = random.Random(seed)
    src = gen_sequence(rng)
    words = assemble(src, CODE_VA)
    regs = [0] + [rand_value(rng) for _ in range(31)]
    regs[REGS[BASE]] = DATA_VA
    regs[REGS[BASE2]] = DATA_VA + BASE2_OFF
    hi, lo = rand_value(rng), rand_value(rng)
    data = bytes(rng.getrandbits(8) for _ in range(PAGE))
    return src, words, regs, hi, lo, data


@pytest.fixture(scope="module")
def machines():
    """Even seeds run on "ideal" (the fast loop), odd ones on "dec5000" (the full loop)."""
    return [Machine("ideal", 1 << 20), Machine("dec5000", 1 << 20)]


@pytest.mark.parametrize("chunk", range(10))
def test_random_sequences_match_unicorn(machines, chunk):
    per = N_SEQUENCES // 10
    overflows = 0
    for seed in range(chunk * per, (chunk + 1) * per):
        src, words, regs, hi, lo, data = _sequence_case(seed)
        u_gprs, u_hi, u_lo, u_data, u_intno, u_count = run_unicorn(words, regs, hi, lo, data)
        o_gprs, o_hi, o_lo, o_data, info, o_count = run_ours(machines[seed % 2], words, regs, hi, lo, data)
        where = f"seed {seed}:\n{src}"
        assert info.reason == Stop.TRAP, where + "\n" + info.describe()
        if u_intno is None:
            assert info.code == K.EXC_BP and info.pc == CODE_VA + 4 * (len(words) - 1), where
            assert o_count == u_count, where
        else:
            assert u_intno == QEMU_EXCP_OVERFLOW, where
            assert info.code == K.EXC_OV, where + "\n" + info.describe()
            assert o_count == u_count - 1, where     # unicorn's hook saw the faulting add
            overflows += 1
        for i in range(32):
            assert o_gprs[i] == u_gprs[i], f"{where}\n${NAMES[i]}: ours {o_gprs[i]:#x} unicorn {u_gprs[i]:#x}"
        assert (o_hi, o_lo) == (u_hi, u_lo), where
        if o_data != u_data:
            diff = next(i for i in range(PAGE) if o_data[i] != u_data[i])
            pytest.fail(f"{where}\ndata differs first at +{diff:#x}: ours {o_data[diff:diff + 4].hex()} "
                        f"unicorn {u_data[diff:diff + 4].hex()}")
    assert overflows < per                  # most sequences run to the end


def test_generator_covers_every_instruction():
    """The seeded sequences exercise every instruction the generator knows."""
    seen = set()
    for seed in range(N_SEQUENCES):
        src = _sequence_case(seed)[0]
        seen.update(line.split()[0] for line in src.splitlines() if line and not line.endswith(":"))
    expected = set(R3 + R3_TRAPPING + IMM + SHIFTS + SHIFTV + list(LOADS) + list(STORES) + COND2 + COND1
                   + ["addi", "lui", "mult", "multu", "div", "divu", "mfhi", "mflo", "mthi", "mtlo",
                      "j", "jal", "jr", "jalr", "la", "end:"])
    assert expected <= seen, expected - seen
