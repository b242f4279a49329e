"""Tests for csrc/disasm.c (mips_disasm).

Three layers:
  * a golden list of (word, pc, text), hand-assembled from the field layouts in
    docs/references.md#r3000-instruction-set, covering every instruction class;
  * every reserved-encoding path, enumerated exhaustively from the opcode
    tables in the reference (not from the C tables), plus random words checked
    against the same Python model;
  * a cross-check against capstone over ~20k random MIPS-I encodings, after
    mapping capstone's pseudo-ops and cosmetic differences back to the real
    instruction (see _normalise_capstone for each rule).

The library under test is the real cffi extension when it imports and exports
mips_disasm; otherwise disasm.c is compiled into a throwaway shared library.
"""
import ctypes
import pathlib
import random
import re
import shutil
import struct
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CSRC = ROOT / "csrc"
PC = 0x80001000


# --------------------------------------------------------------------------
# Loading the disassembler
# --------------------------------------------------------------------------

def _load_cffi():
    try:
        from exobench._machine import ffi, lib
        fn = lib.mips_disasm
    except Exception:       # not built yet, stale build, or missing symbol
        return None

    def call(word, pc, size=128):
        buf = ffi.new("char[]", max(size, 1))
        n = fn(word, pc, buf if size > 0 else ffi.NULL, size)
        return n, ffi.string(buf).decode() if size > 0 else ""
    return call


def _load_ctypes(tmpdir):
    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        pytest.skip("no C compiler and no built extension")
    so = tmpdir / "libdisasm.so"
    subprocess.run([gcc, "-std=gnu11", "-Wall", "-O2", "-shared", "-fPIC",
                    "-I", str(CSRC), str(CSRC / "disasm.c"), "-o", str(so)],
                   check=True)
    dll = ctypes.CDLL(str(so))
    fn = dll.mips_disasm
    fn.argtypes = [ctypes.c_uint32, ctypes.c_uint32, ctypes.c_char_p, ctypes.c_int]
    fn.restype = ctypes.c_int

    def call(word, pc, size=128):
        buf = ctypes.create_string_buffer(max(size, 1))
        n = fn(word, pc, buf if size > 0 else None, size)
        return n, buf.value.decode() if size > 0 else ""
    return call


@pytest.fixture(scope="module")
def dis_call(tmp_path_factory):
    return _load_cffi() or _load_ctypes(tmp_path_factory.mktemp("disasm"))


@pytest.fixture(scope="module")
def dis(dis_call):
    def text(word, pc=PC):
        n, s = dis_call(word, pc)
        assert n == len(s)
        return s
    return text


# --------------------------------------------------------------------------
# Golden list.  pc is PC unless given.  Field breakdowns are in the comments
# where the encoding is not obvious.
# --------------------------------------------------------------------------

GOLDEN = [
    # SPECIAL: shifts
    (0x00000000, PC, "nop"),
    (0x00011080, PC, "sll $v0, $at, 2"),            # rt=1 rd=2 sa=2
    (0x000947c2, PC, "srl $t0, $t1, 31"),           # rt=9 rd=8 sa=31
    (0x00042403, PC, "sra $a0, $a0, 16"),
    (0x00000040, PC, "sll $zero, $zero, 1"),        # ssnop in MIPS32; not a pseudo-op here
    (0x00a41004, PC, "sllv $v0, $a0, $a1"),         # rs=5 (amount) rt=4 rd=2
    (0x00a41006, PC, "srlv $v0, $a0, $a1"),
    (0x00a41007, PC, "srav $v0, $a0, $a1"),
    # SPECIAL: jumps, traps
    (0x03e00008, PC, "jr $ra"),
    (0x0320f809, PC, "jalr $t9"),                   # rd=31 implied
    (0x03208009, PC, "jalr $s0, $t9"),              # rd=16
    (0x0000000c, PC, "syscall"),
    (0x0001000c, PC, "syscall 1024"),               # code 0x400 in bits 25:6
    (0x03ffffcc, PC, "syscall 1048575"),
    (0x0000000d, PC, "break"),
    (0x0007000d, PC, "break 7"),                    # BSD divide-by-zero code
    (0x0006000d, PC, "break 6"),
    (0x0000100d, PC, "break 0, 64"),                # only bits 15:6 set
    (0x03ffffcd, PC, "break 1023, 1023"),
    # SPECIAL: HI/LO, multiply/divide
    (0x00001010, PC, "mfhi $v0"),
    (0x00400011, PC, "mthi $v0"),
    (0x00004012, PC, "mflo $t0"),
    (0x00e00013, PC, "mtlo $a3"),
    (0x00850018, PC, "mult $a0, $a1"),
    (0x00850019, PC, "multu $a0, $a1"),
    (0x0064001a, PC, "div $v1, $a0"),
    (0x0064001b, PC, "divu $v1, $a0"),
    # SPECIAL: ALU (move/negu/not are printed as the real instruction)
    (0x00851020, PC, "add $v0, $a0, $a1"),
    (0x00851021, PC, "addu $v0, $a0, $a1"),
    (0x00801021, PC, "addu $v0, $a0, $zero"),
    (0x00851022, PC, "sub $v0, $a0, $a1"),
    (0x00041023, PC, "subu $v0, $zero, $a0"),
    (0x00851024, PC, "and $v0, $a0, $a1"),
    (0x00801025, PC, "or $v0, $a0, $zero"),
    (0x00851026, PC, "xor $v0, $a0, $a1"),
    (0x00802027, PC, "nor $a0, $a0, $zero"),
    (0x0085102a, PC, "slt $v0, $a0, $a1"),
    (0x03dcf82b, PC, "sltu $ra, $fp, $gp"),         # rs=30 rt=28 rd=31
    # REGIMM, including the undecoded bit 17 of rt
    (0x04800004, PC, "bltz $a0, 0x80001014"),
    (0x0481ffff, PC, "bgez $a0, 0x80001000"),       # imm -1: branch to self
    (0x04900004, PC, "bltzal $a0, 0x80001014"),
    (0x04110004, PC, "bgezal $zero, 0x80001014"),   # "bal" in MIPS32 assemblers
    (0x04820004, PC, "bltz $a0, 0x80001014"),       # rt=0x02 (bltzl in MIPS II)
    (0x04830004, PC, "bgez $a0, 0x80001014"),       # rt=0x03
    (0x04920004, PC, "bltzal $a0, 0x80001014"),     # rt=0x12
    (0x04930004, PC, "bgezal $a0, 0x80001014"),     # rt=0x13
    # J-type: the region comes from the delay slot's address
    (0x08000400, PC, "j 0x80001000"),
    (0x0c100000, PC, "jal 0x80400000"),
    (0x0c000010, 0x8ffffffc, "jal 0x90000040"),     # delay slot is in the next region
    (0x0bffffff, 0xbfc00000, "j 0xbffffffc"),
    # Branches
    (0x1080ffff, PC, "beq $a0, $zero, 0x80001000"),
    (0x10000003, PC, "beq $zero, $zero, 0x80001010"),
    (0x14850010, PC, "bne $a0, $a1, 0x80001044"),
    (0x15098000, PC, "bne $t0, $t1, 0x7ffe1004"),   # most negative offset
    (0x11097fff, PC, "beq $t0, $t1, 0x80021000"),   # most positive offset
    (0x1000fffe, 0x00000000, "beq $zero, $zero, 0xfffffffc"),  # wraps below 0
    (0x18800004, PC, "blez $a0, 0x80001014"),
    (0x1c800004, PC, "bgtz $a0, 0x80001014"),
    # I-type ALU
    (0x20020010, PC, "addi $v0, $zero, 16"),
    (0x27bdfff0, PC, "addiu $sp, $sp, -16"),
    (0x2882ffff, PC, "slti $v0, $a0, -1"),
    (0x2c828000, PC, "sltiu $v0, $a0, -32768"),     # sign-extended immediate
    (0x308200ff, PC, "andi $v0, $a0, 0xff"),
    (0x34218000, PC, "ori $at, $at, 0x8000"),       # zero-extended immediate
    (0x3842ffff, PC, "xori $v0, $v0, 0xffff"),
    (0x3c01bfc0, PC, "lui $at, 0xbfc0"),
    # Loads and stores
    (0x80880000, PC, "lb $t0, 0($a0)"),
    (0x8488fffe, PC, "lh $t0, -2($a0)"),
    (0x88410003, PC, "lwl $at, 3($v0)"),
    (0x8fbf000c, PC, "lw $ra, 12($sp)"),
    (0x93827fff, PC, "lbu $v0, 32767($gp)"),
    (0x94820002, PC, "lhu $v0, 2($a0)"),
    (0x98410000, PC, "lwr $at, 0($v0)"),
    (0xa3a08000, PC, "sb $zero, -32768($sp)"),
    (0xa4850002, PC, "sh $a1, 2($a0)"),
    (0xa8410003, PC, "swl $at, 3($v0)"),
    (0xafbf000c, PC, "sw $ra, 12($sp)"),
    (0xb8410000, PC, "swr $at, 0($v0)"),
    # COP0
    (0x401a6800, PC, "mfc0 $k0, $13  # Cause"),
    (0x409a6000, PC, "mtc0 $k0, $12  # Status"),
    (0x401b7000, PC, "mfc0 $k1, $14  # EPC"),
    (0x40805000, PC, "mtc0 $zero, $10  # EntryHi"),
    (0x40824000, PC, "mtc0 $v0, $8  # BadVAddr"),
    (0x40021800, PC, "mfc0 $v0, $3"),               # no such register on the R3000
    (0x42000001, PC, "tlbr"),
    (0x42000002, PC, "tlbwi"),
    (0x42000006, PC, "tlbwr"),
    (0x42000008, PC, "tlbp"),
    (0x42000010, PC, "rfe"),
    (0x40420800, PC, "cfc0 $v0, $1"),
    (0x40c20800, PC, "ctc0 $v0, $1"),
    (0x4100ffff, PC, "bc0f 0x80001000"),            # the DS3100 write-buffer spin
    (0x41010004, PC, "bc0t 0x80001014"),
    (0xc0410004, PC, "lwc0 $1, 4($v0)"),
    (0xe0410004, PC, "swc0 $1, 4($v0)"),
    # COP1 (R3010): transfers, branches, loads, arithmetic
    (0x44020000, PC, "mfc1 $v0, $f0"),
    (0x44820800, PC, "mtc1 $v0, $f1"),
    (0x4442f800, PC, "cfc1 $v0, $31"),              # FCR31 is a control register: no "f"
    (0x44c2f800, PC, "ctc1 $v0, $31"),
    (0x45000004, PC, "bc1f 0x80001014"),
    (0x45010004, PC, "bc1t 0x80001014"),
    (0xc4410004, PC, "lwc1 $f1, 4($v0)"),
    (0xe7a2fffc, PC, "swc1 $f2, -4($sp)"),
    (0x46020800, PC, "add.s $f0, $f1, $f2"),        # fmt=S ft=2 fs=1 fd=0
    (0x46283101, PC, "sub.d $f4, $f6, $f8"),        # fmt=D ft=8 fs=6 fd=4
    (0x46041002, PC, "mul.s $f0, $f2, $f4"),
    (0x46241003, PC, "div.d $f0, $f2, $f4"),
    (0x46202085, PC, "abs.d $f2, $f4"),
    (0x46000806, PC, "mov.s $f0, $f1"),
    (0x46201007, PC, "neg.d $f0, $f2"),
    (0x46201020, PC, "cvt.s.d $f0, $f2"),
    (0x46800821, PC, "cvt.d.w $f0, $f1"),
    (0x46000824, PC, "cvt.w.s $f0, $f1"),
    (0x46241032, PC, "c.eq.d $f2, $f4"),            # c.cond fs, ft
    (0x4601003f, PC, "c.ngt.s $f0, $f1"),
    # COP1 operations MIPS-I does not name: generic form, not RI
    (0x46000804, PC, "cop1 0x0000804"),             # sqrt.s is MIPS II
    (0x46800800, PC, "cop1 0x0800800"),             # add.w does not exist
    (0x46000820, PC, "cop1 0x0000820"),             # cvt.s.s does not exist
    (0x46400800, PC, "cop1 0x0400800"),             # fmt 0x12
    # COP2 / COP3: generic forms
    (0x48020800, PC, "mfc2 $v0, $1"),
    (0x48820800, PC, "mtc2 $v0, $1"),
    (0x48420800, PC, "cfc2 $v0, $1"),
    (0x48c20800, PC, "ctc2 $v0, $1"),
    (0x49010004, PC, "bc2t 0x80001014"),
    (0x4a123456, PC, "cop2 0x0123456"),
    (0x4c020800, PC, "mfc3 $v0, $1"),
    (0x4d000004, PC, "bc3f 0x80001014"),
    (0x4fffffff, PC, "cop3 0x1ffffff"),
    (0xc8410004, PC, "lwc2 $1, 4($v0)"),
    (0xcc410004, PC, "lwc3 $1, 4($v0)"),
    (0xe8410004, PC, "swc2 $1, 4($v0)"),
    (0xec410004, PC, "swc3 $1, 4($v0)"),
    # Reserved, one per path (all of them are enumerated further down)
    (0x50000000, PC, ".word 0x50000000  # reserved"),   # beql (MIPS II)
    (0x70851002, PC, ".word 0x70851002  # reserved"),   # op 0x1c (MIPS32 mul)
    (0xfc000000, PC, ".word 0xfc000000  # reserved"),   # op 0x3f (sd, MIPS III)
    (0x00000001, PC, ".word 0x00000001  # reserved"),   # SPECIAL funct 0x01
    (0x0000000f, PC, ".word 0x0000000f  # reserved"),   # sync (MIPS II)
    (0x00850034, PC, ".word 0x00850034  # reserved"),   # teq (MIPS II)
    (0x04840004, PC, ".word 0x04840004  # reserved"),   # REGIMM rt=0x04
    (0x04880004, PC, ".word 0x04880004  # reserved"),   # tgei (MIPS II)
    (0x40220800, PC, ".word 0x40220800  # reserved"),   # COP0 rs=0x01
    (0x45020004, PC, ".word 0x45020004  # reserved"),   # bc1fl (MIPS II)
    (0x42000018, PC, ".word 0x42000018  # reserved"),   # eret (MIPS III)
    (0x42000020, PC, ".word 0x42000020  # reserved"),   # wait
    (0xd0410004, PC, ".word 0xd0410004  # reserved"),   # op 0x34 (lld)
]


def test_golden_count():
    assert len(GOLDEN) >= 60
    assert len({(w, pc) for w, pc, _ in GOLDEN}) == len(GOLDEN)


@pytest.mark.parametrize("word,pc,expected", GOLDEN,
                         ids=[f"{w:08x}" for w, _, _ in GOLDEN])
def test_golden(dis, word, pc, expected):
    assert dis(word, pc) == expected


# --------------------------------------------------------------------------
# Return value and buffer handling (snprintf semantics)
# --------------------------------------------------------------------------

def test_truncation(dis_call):
    full = "addiu $sp, $sp, -16"
    assert dis_call(0x27bdfff0, PC, 128) == (len(full), full)
    assert dis_call(0x27bdfff0, PC, 6) == (len(full), full[:5])
    assert dis_call(0x27bdfff0, PC, 1) == (len(full), "")
    # len 0: nothing written (the wrappers pass NULL), length still reported
    assert dis_call(0x27bdfff0, PC, 0)[0] == len(full)
    assert dis_call(0x27bdfff0, PC, len(full) + 1) == (len(full), full)
    assert dis_call(0x27bdfff0, PC, len(full)) == (len(full), full[:-1])


# --------------------------------------------------------------------------
# Reserved encodings: an independent model of the MIPS-I decode tables
# (docs/references.md#r3000-instruction-set), not a copy of the C tables.
# --------------------------------------------------------------------------

PRIMARY_VALID = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
                 0x10, 0x11, 0x12, 0x13,
                 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26,
                 0x28, 0x29, 0x2a, 0x2b, 0x2e,
                 0x30, 0x31, 0x32, 0x33, 0x38, 0x39, 0x3a, 0x3b}
SPECIAL_VALID = {0x00, 0x02, 0x03, 0x04, 0x06, 0x07, 0x08, 0x09, 0x0c, 0x0d,
                 0x10, 0x11, 0x12, 0x13, 0x18, 0x19, 0x1a, 0x1b,
                 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2a, 0x2b}
REGIMM_VALID = {0x00, 0x01, 0x10, 0x11}          # after masking rt with 0x1d
COP_RS_MOVES = {0x00, 0x02, 0x04, 0x06}
COP0_OPS = {0x01, 0x02, 0x06, 0x08, 0x10}


def is_reserved(w):
    op, rs, rt, funct = w >> 26, (w >> 21) & 31, (w >> 16) & 31, w & 63
    if op == 0x00:
        return funct not in SPECIAL_VALID
    if op == 0x01:
        return (rt & 0x1d) not in REGIMM_VALID
    if 0x10 <= op <= 0x13:
        if rs >= 0x10:
            return op == 0x10 and funct not in COP0_OPS
        if rs in COP_RS_MOVES:
            return False
        if rs == 0x08:
            return rt not in (0, 1)
        return True
    return op not in PRIMARY_VALID


def _reserved_text(w):
    return f".word 0x{w:08x}  # reserved"


def _check_class(dis, words):
    """Every word in `words` is reserved iff the model says so."""
    bad = []
    for w in words:
        s = dis(w)
        got = s == _reserved_text(w)
        if got != is_reserved(w) or (not got and "reserved" in s):
            bad.append((hex(w), s))
    assert not bad, bad[:20]


def test_reserved_primary(dis):
    # every primary opcode, with a spread of low bits
    _check_class(dis, [(op << 26) | low for op in range(64)
                       for low in (0x0, 0x1234567, 0x3ffffff)
                       if op not in (0, 1) and not 0x10 <= op <= 0x13])
    assert sum(is_reserved(op << 26) for op in range(64)) == 64 - len(PRIMARY_VALID)


def test_reserved_special(dis):
    _check_class(dis, [(fields << 6) | funct for funct in range(64)
                       for fields in (0, 0x12345, 0xfffff)])


def test_reserved_regimm(dis):
    _check_class(dis, [(1 << 26) | (rs << 21) | (rt << 16) | imm
                       for rt in range(32) for rs in (0, 4, 31)
                       for imm in (0, 0x8000)])


def test_reserved_cop(dis):
    words = []
    for z in range(4):
        base = (0x10 + z) << 26
        for rs in range(32):
            for rt in range(32):
                for low in (0x0000, 0x0801, 0x0802, 0x0806, 0x0808, 0x0810,
                            0x0018, 0x003f, 0xffff):
                    words.append(base | (rs << 21) | (rt << 16) | low)
    _check_class(dis, words)


def test_reserved_cop0_ops_exhaustive(dis):
    for fn in range(64):
        w = 0x42000000 | fn
        assert (dis(w) == _reserved_text(w)) == (fn not in COP0_OPS), hex(w)


def test_random_words_against_model(dis_call):
    rng = random.Random(0x3000)
    for _ in range(20000):
        w = rng.getrandbits(32)
        pc = rng.getrandbits(30) << 2
        n, s = dis_call(w, pc)
        assert 0 < n == len(s) < 64, (hex(w), s)
        assert (s == _reserved_text(w)) == is_reserved(w), (hex(w), s)


# --------------------------------------------------------------------------
# Cross-check against capstone over random MIPS-I encodings
# --------------------------------------------------------------------------

# (name, fixed bits, free bits).  Free bits are randomised; fields that MIPS-I
# leaves unused stay zero, because capstone (MIPS32) gives some of them a
# meaning (rotr, movf/movt, jr.hb, sel of mfc0...).
R_RS, R_RT, R_RD, R_SA = 31 << 21, 31 << 16, 31 << 11, 31 << 6
IMM16, TARGET26 = 0xffff, 0x3ffffff
# even FPU registers only for .d: capstone's MIPS32 (FP32) mode rejects odd ones
FT_EVEN, FS_EVEN, FD_EVEN = 0x1e << 16, 0x1e << 11, 0x1e << 6

TEMPLATES = (
    [(n, f, R_RT | R_RD | R_SA) for n, f in (("sll", 0), ("srl", 2), ("sra", 3))]
    # rt = rd = 0: nop, ssnop, ehb, pause in capstone's spelling
    + [("sll $zero", 0, R_SA)]
    + [(n, f, R_RS | R_RT | R_RD) for n, f in (("sllv", 4), ("srlv", 6), ("srav", 7))]
    + [("jr", 0x08, R_RS), ("jalr", 0x09, R_RS | R_RD),
       ("syscall", 0x0c, 0x3ffffc0), ("break", 0x0d, 0x3ffffc0),
       ("mfhi", 0x10, R_RD), ("mthi", 0x11, R_RS),
       ("mflo", 0x12, R_RD), ("mtlo", 0x13, R_RS)]
    + [(n, f, R_RS | R_RT) for n, f in (("mult", 0x18), ("multu", 0x19),
                                        ("div", 0x1a), ("divu", 0x1b))]
    + [(n, f, R_RS | R_RT | R_RD) for n, f in (
        ("add", 0x20), ("addu", 0x21), ("sub", 0x22), ("subu", 0x23), ("and", 0x24),
        ("or", 0x25), ("xor", 0x26), ("nor", 0x27), ("slt", 0x2a), ("sltu", 0x2b))]
    + [(n, (1 << 26) | (rt << 16), R_RS | IMM16) for n, rt in (
        ("bltz", 0), ("bgez", 1), ("bltzal", 0x10), ("bgezal", 0x11))]
    + [("j", 2 << 26, TARGET26), ("jal", 3 << 26, TARGET26),
       ("beq", 4 << 26, R_RS | R_RT | IMM16), ("bne", 5 << 26, R_RS | R_RT | IMM16),
       ("beq $zero, $zero", 4 << 26, IMM16),      # capstone: "b"
       ("blez", 6 << 26, R_RS | IMM16), ("bgtz", 7 << 26, R_RS | IMM16)]
    + [(n, op << 26, R_RS | R_RT | IMM16) for n, op in (
        ("addi", 8), ("addiu", 9), ("slti", 10), ("sltiu", 11),
        ("andi", 12), ("ori", 13), ("xori", 14))]
    + [("lui", 15 << 26, R_RT | IMM16)]
    + [(n, op << 26, R_RS | R_RT | IMM16) for n, op in (
        ("lb", 0x20), ("lh", 0x21), ("lwl", 0x22), ("lw", 0x23), ("lbu", 0x24),
        ("lhu", 0x25), ("lwr", 0x26), ("sb", 0x28), ("sh", 0x29), ("swl", 0x2a),
        ("sw", 0x2b), ("swr", 0x2e),
        ("lwc1", 0x31), ("lwc2", 0x32), ("swc1", 0x39), ("swc2", 0x3a))]
    # COP0
    + [("mfc0", 0x40000000, R_RT | R_RD), ("mtc0", 0x40800000, R_RT | R_RD),
       ("tlbr", 0x42000001, 0), ("tlbwi", 0x42000002, 0),
       ("tlbwr", 0x42000006, 0), ("tlbp", 0x42000008, 0)]
    # COPz transfers and branches capstone knows (the rest are listed below)
    + [(f"bc{z}f", ((0x10 + z) << 26) | (8 << 21), IMM16) for z in range(4)]
    + [(f"bc{z}t", ((0x10 + z) << 26) | (8 << 21) | (1 << 16), IMM16) for z in range(4)]
    + [("mfc1", 0x44000000, R_RT | R_RD), ("mtc1", 0x44800000, R_RT | R_RD),
       ("cfc1", 0x44400000, R_RT | R_RD), ("ctc1", 0x44c00000, R_RT | R_RD),
       ("mfc2", 0x48000000, R_RT | R_RD), ("mtc2", 0x48800000, R_RT | R_RD)]
    # R3010 arithmetic
    + [(f"{n}.s", 0x46000000 | f, R_RT | R_RD | R_SA) for n, f in (
        ("add", 0), ("sub", 1), ("mul", 2), ("div", 3))]
    + [(f"{n}.d", 0x46200000 | f, FT_EVEN | FS_EVEN | FD_EVEN) for n, f in (
        ("add", 0), ("sub", 1), ("mul", 2), ("div", 3))]
    + [(f"{n}.s", 0x46000000 | f, R_RD | R_SA) for n, f in (
        ("abs", 5), ("mov", 6), ("neg", 7), ("cvt.w", 0x24))]
    + [("cvt.d.s", 0x46000021, R_RD | FD_EVEN)]
    + [(f"{n}.d", 0x46200000 | f, FS_EVEN | FD_EVEN) for n, f in (
        ("abs", 5), ("mov", 6), ("neg", 7))]
    + [(f"{n}.d", 0x46200000 | f, FS_EVEN | R_SA) for n, f in (
        ("cvt.s", 0x20), ("cvt.w", 0x24))]
    + [("cvt.s.w", 0x46800020, R_RD | R_SA), ("cvt.d.w", 0x46800021, R_RD | FD_EVEN)]
    + [(f"c.{c}.s", 0x46000030 | c, R_RT | R_RD) for c in range(16)]
    + [(f"c.{c}.d", 0x46200030 | c, FT_EVEN | FS_EVEN) for c in range(16)]
)

# Encodings whose capstone (MIPS32) reading is a different instruction or
# nothing at all; they are covered by GOLDEN instead:
#   rfe (0x42000010)          capstone: not decoded (no RFE in MIPS32)
#   lwc0/swc0 (op 0x30/0x38)  capstone: ll/sc
#   lwc3 (op 0x33)            capstone: pref;   swc3 (op 0x3b): not decoded
#   cfc0/ctc0, cfc2/ctc2, mfc3/mtc3/cfc3/ctc3, cop2/cop3 operations:
#                             capstone: not decoded
#   REGIMM rt with bit 17 set capstone: MIPS II branch-likely (bltzl ...)
#   words with MIPS-I-ignored fields set (sll with rs != 0 ...): capstone reads
#                             MIPS32 meanings (rotr, ...), so the generator
#                             keeps those fields zero.


def _num(tok):
    try:
        return int(tok, 0)
    except ValueError:
        return tok


def _split(text):
    """'lw $ra, 12($sp)  # x' -> ('lw', ['$ra', (12, '$sp')])"""
    text = text.split("#", 1)[0].strip()
    mnem, _, rest = text.partition(" ")
    ops = []
    for tok in filter(None, (t.strip() for t in rest.split(","))):
        # capstone omits a zero offset: "lb $t0, ($a0)"
        m = re.fullmatch(r"(-?\w*)\((\$\w+)\)", tok)
        ops.append((_num(m.group(1) or "0"), m.group(2)) if m else _num(tok))
    return mnem, ops


GPR = ["$zero", "$at", "$v0", "$v1", "$a0", "$a1", "$a2", "$a3",
       "$t0", "$t1", "$t2", "$t3", "$t4", "$t5", "$t6", "$t7",
       "$s0", "$s1", "$s2", "$s3", "$s4", "$s5", "$s6", "$s7",
       "$t8", "$t9", "$k0", "$k1", "$gp", "$sp", "$fp", "$ra"]
SPECIAL_NAMES = {0x21: "addu", 0x25: "or", 0x22: "sub", 0x23: "subu", 0x27: "nor"}


def _normalise_capstone(word, mnem, ops):
    """Map capstone's output for `word` back to the real MIPS-I instruction.

    Each rule is a cosmetic difference, not a decode difference:
      "b -4", "blez $a1, 0x100001468"
                           capstone does target arithmetic in 64 bits; the CPU
                           wraps at 32 (0xfffffffc, 0x00001468)
      "lb $t0, ($a0)"      a zero offset is spelled out: 0($a0)
      nop/ssnop/ehb/pause  sll $zero, $zero, N   (we print "nop" only for 0)
      move rd, rs          addu/or rd, rs, $zero
      neg/negu rd, rt      sub/subu rd, $zero, rt
      not rd, rs           nor rd, rs, $zero
      b/beqz/bnez          beq/bne with $zero spelled out
      bal                  bgezal $zero, target
      jr rs (for jalr)     jalr $zero, rs  (capstone hides a link to $zero)
      div/divu $zero, a, b div/divu a, b  (capstone shows the implicit rd)
      m[ft]c0/2 rt, $gpr, 0  m[ft]cz rt, $n  (capstone names a coprocessor
                           register as a GPR and appends sel; we print $n)
    """
    if ops and isinstance(ops[-1], int) and mnem[0] in "bj" and mnem != "break":
        ops = ops[:-1] + [ops[-1] & 0xffffffff]     # targets wrap at 32 bits
    if mnem in ("ssnop", "ehb", "pause") or (mnem == "nop" and word != 0):
        return "sll", ["$zero", "$zero", (word >> 6) & 31]
    if mnem == "move":
        return SPECIAL_NAMES[word & 63], [ops[0], ops[1], "$zero"]
    if mnem in ("neg", "negu"):
        return SPECIAL_NAMES[word & 63], [ops[0], "$zero", ops[1]]
    if mnem == "not":
        return "nor", [ops[0], ops[1], "$zero"]
    if mnem == "b" and word >> 26 == 4:
        return "beq", ["$zero", "$zero", ops[0]]
    if mnem in ("beqz", "bnez"):
        return mnem[:3], [ops[0], "$zero", ops[1]]
    if mnem == "bal":
        return "bgezal", ["$zero", ops[0]]
    if mnem == "jr" and word & 63 == 0x09:
        return "jalr", ["$zero", ops[0]]
    if mnem in ("div", "divu") and len(ops) == 3 and ops[0] == "$zero":
        return mnem, ops[1:]
    if mnem in ("mfc0", "mtc0", "mfc2", "mtc2") and len(ops) == 3 and ops[2] == 0:
        return mnem, [ops[0], f"${GPR.index(ops[1])}"]
    return mnem, ops


EDGE_PCS = (0x00000000, 0x00000ffc, 0x0ffffffc, 0x7ffffffc, 0x8ffffffc, 0xfffffffc)


def test_capstone_crosscheck(dis):
    capstone = pytest.importorskip("capstone")
    md = capstone.Cs(capstone.CS_ARCH_MIPS,
                     capstone.CS_MODE_MIPS32 + capstone.CS_MODE_LITTLE_ENDIAN)
    rng = random.Random(19950301)
    mismatches, seen = [], set()
    for i in range(20000):
        name, fixed, free = TEMPLATES[i % len(TEMPLATES)]
        # Bias towards the cases that need care: $zero operands (capstone's
        # pseudo-op spellings), zero offsets, and pcs where targets wrap.
        r = rng.random()
        if r < 0.25:
            free &= ~(31 << rng.choice((21, 16, 11)))
        elif r < 0.35:
            free &= ~0xffff
        word = fixed | (rng.getrandbits(32) & free)
        pc = rng.choice(EDGE_PCS) if rng.random() < 0.1 else rng.getrandbits(30) << 2
        cs = list(md.disasm_lite(struct.pack("<I", word), pc))
        assert len(cs) == 1, f"capstone cannot decode {name} {word:08x}"
        _, _, cmnem, cops = cs[0]
        want = _normalise_capstone(word, *_split(f"{cmnem} {cops}"))
        ours = dis(word, pc)
        got = _split(ours)
        if word == 0:
            got = want = ("nop", [])
        if got != want:
            mismatches.append((f"{word:08x}", f"pc={pc:08x}", ours, f"{cmnem} {cops}"))
        seen.add(name)
    assert not mismatches, mismatches[:20]
    assert seen == {t[0] for t in TEMPLATES}


# --------------------------------------------------------------------------
# Build hygiene: the file compiles on its own, warning-free
# --------------------------------------------------------------------------

def test_compiles_standalone(tmp_path):
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc not installed")
    r = subprocess.run([gcc, "-std=gnu11", "-Wall", "-O2", "-c", str(CSRC / "disasm.c"),
                        "-I", str(CSRC), "-I", str(ROOT / "include"), "-o", str(tmp_path / "disasm.o")],
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == "", r.stderr
