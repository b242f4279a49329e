"""The guest toolchain (exobench.toolchain), the ELF reader (exobench.elf) and the test runtime.

What must hold for every later measurement to mean something:
  * guests build with the one flag set, land in kseg0, and parse;
  * the image cache never rebuilds what it has, and never serves a stale image;
  * compiler errors reach the user, clang's MIPS-I noise does not;
  * a malformed ELF is always an ElfError, never an IndexError inside the loader;
  * the code is MIPS-I only, with no load-use pairs (docs/references.md#toolchain-findings
    item 6), so
    an R3000 model with load delays or strict opcode checks runs it unchanged.
Running the image on the emulator is the emulator's own test.
"""
from __future__ import annotations

import logging
import random
import shutil
import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

from exobench import elf, paths, toolchain
from exobench.toolchain import Image, ToolchainError, build_image

from helpers import build_selfcheck

GUEST = paths.tree("tests") / "guest"       # the self-check program
BARE = paths.tree("benchmarks") / "bare"    # the bare-metal runtime it links with
GUEST_LIB = paths.tree("guestlib")    # ... and the C library every guest links
RUNTIME = ["crt0.S", "libguest.c", "libc.c", "libgcc.c"]
SELFCHECK = ["crt0.S", "selfcheck.c", "libguest.c", "libc.c", "libgcc.c"]


def _home(source: str) -> Path:
    return GUEST if source == "selfcheck.c" else GUEST_LIB if source in ("libc.c", "libgcc.c") else BARE
KSEG0, KSEG1 = 0x80000000, 0xA0000000
LLD_PADDING = 0x04170001  # lld fills gaps between functions with this trap word (docs/references.md#toolchain-findings item 5)


@pytest.fixture(scope="module")
def image_cache(tmp_path_factory):
    """A private image cache, so that these tests really compile and never see stale files."""
    with pytest.MonkeyPatch.context() as mp:
        path = tmp_path_factory.mktemp("images")
        mp.setenv("EXOBENCH_CACHE", str(path))
        yield path


@pytest.fixture(scope="module")
def selfcheck(image_cache) -> Image:
    return build_selfcheck()




@pytest.fixture(scope="module")
def selfcheck_elf(selfcheck) -> elf.ElfImage:
    return elf.load(selfcheck.path)


@pytest.fixture
def guest_copy(tmp_path, image_cache) -> Path:
    """A private copy of the bare runtime plus the self-check program, to edit."""
    copy = Path(shutil.copytree(BARE, tmp_path / "guest"))
    shutil.copy(GUEST / "selfcheck.c", copy)
    for f in ("libc.c", "libc.h", "libgcc.c"):
        shutil.copy(GUEST_LIB / f, copy)
    return copy


def build_copy(guest: Path, name: str = "copy", sources=SELFCHECK, **kw) -> Image:
    return build_image(name, [guest / s for s in sources], guest / "link.ld",
                       include_dirs=[guest], **kw)


# ---- (a) it builds, and the ELF is what a kernel-mode guest needs --------------------------


def test_selfcheck_builds_into_kseg0(selfcheck, selfcheck_elf, image_cache):
    img, e = selfcheck, selfcheck_elf
    assert img.path.is_file() and img.path.parent == image_cache
    assert img.name == "selfcheck" and len(img.hash) == 64
    assert img.symbols() == e.symbols

    syms = e.symbols
    assert e.entry == syms["_start"] == 0x80010000  # crt0 first, at the linker script's base
    for name in ("main", "result", "marker", "memcpy", "memset", "__udivdi3", "__umoddi3",
                 "__divdi3", "__moddi3"):
        assert name in syms, name
    assert not [n for n in syms if n.startswith(("$", ".L"))]  # compiler-private labels
    assert syms["_bss_start"] <= syms["_bss_end"] < syms["_stack_top"]
    assert syms["_stack_top"] % 8 == 0

    # e_flags: o32, MIPS-I (arch field 0), not PIC/CPIC (the -mcpu=mips1 abicalls snag).
    assert e.flags & 0xF0000000 == 0
    assert e.flags & 0x0000F000 == 0x1000
    assert e.flags & 0x6 == 0

    alloc = [s for s in e.sections if s.flags & elf.SHF_ALLOC]
    assert {s.name for s in alloc} >= {".text", ".rodata", ".bss"}
    for sec in alloc:
        assert KSEG0 <= sec.addr and sec.addr + sec.size <= KSEG1, sec
    text = e.section(".text")
    assert text.addr == 0x80010000 and text.addr <= syms["main"] < text.addr + text.size
    names = {s.name for s in e.sections}
    assert not names & {".eh_frame", ".MIPS.abiflags", ".reginfo", ".pdr", ".comment", ".got"}

    # Every byte is loaded at its kseg0 address; paddr is the physical address beneath it.
    for seg in e.segments:
        assert KSEG0 <= seg.vaddr and seg.vaddr + seg.memsz <= KSEG1
        assert seg.paddr == seg.vaddr - KSEG0
        assert len(seg.data) == seg.filesz
    assert any(s.flags & elf.PF_X and s.vaddr == e.entry for s in e.segments)


def test_tree_paths():
    assert (paths.tree("include") / "board.h").is_file()
    assert paths.tree("tests") == GUEST.parent
    with pytest.raises(ValueError):
        paths.tree("nonsense")


def test_toolchain_version():
    version = toolchain.toolchain_version()
    assert version.startswith("zig 0.17.1, clang version 22.")


# ---- (b) the cache ---------------------------------------------------------------------------


def test_cache_hit_starts_no_process(selfcheck, monkeypatch):
    def no_tools(cmd, cwd=None):
        raise AssertionError(f"cache hit ran a tool: {cmd}")

    toolchain.toolchain_version.cache_clear()
    toolchain.toolchain_version()  # make sure this cache dir has the on-disk version memo
    monkeypatch.setattr(toolchain, "_run", no_tools)
    mtime = selfcheck.path.stat().st_mtime_ns
    # As in a fresh process: the toolchain version must come from its on-disk memo.
    toolchain.toolchain_version.cache_clear()
    again = build_selfcheck()
    assert again == selfcheck
    assert again.path.stat().st_mtime_ns == mtime


def test_every_input_is_in_the_hash(guest_copy):
    base = build_copy(guest_copy)
    hashes = {base.hash}

    def changed(**kw) -> Image:
        img = build_copy(guest_copy, **kw)
        assert img.hash not in hashes and img.path != base.path and img.path.is_file()
        hashes.add(img.hash)
        return img

    with open(guest_copy / "selfcheck.c", "a") as f:  # a source, even just a comment
        f.write("/* edited */\n")
    changed()
    with open(guest_copy / "libguest.h", "a") as f:  # a header in an include dir
        f.write("/* edited */\n")
    changed()
    changed(defines={"EXTRA": 1})  # a define
    with open(guest_copy / "link.ld", "a") as f:  # the linker script
        f.write("/* edited */\n")
    changed()
    assert base.path.is_file()  # older images stay usable


def test_boot_image_does_not_depend_on_where_the_tree_is(guest_copy, tmp_path, monkeypatch):
    """The same sources checked out elsewhere hash alike, and what a kernel copies into guest
    memory (elf.loadable) is byte for byte the same: the absolute paths in the full ELF
    (symbol table, the assembler's debug lines) must not move guest memory, hence timings."""
    here = build_copy(guest_copy)
    far = Path(shutil.copytree(guest_copy, tmp_path / ("elsewhere" * 6) / "guest"))
    monkeypatch.setenv("EXOBENCH_CACHE", str(tmp_path / "other-cache"))
    there = build_copy(far)
    assert there.hash == here.hash and there.path != here.path
    assert there.path.read_bytes() != here.path.read_bytes()        # the paths are in there
    assert elf.loadable(there.path) == elf.loadable(here.path)
    assert str(far).encode() not in elf.loadable(there.path)
    full, stripped = elf.load(here.path), elf.load(elf.loadable(here.path))
    assert [(s.paddr, s.memsz, s.data) for s in stripped.segments] == \
           [(s.paddr, s.memsz, s.data) for s in full.segments]
    assert stripped.entry == full.entry and stripped.sections == []


def test_header_outside_the_hash_is_refused(guest_copy):
    """An #include the cache key cannot see would make stale hits possible: refuse it."""
    (guest_copy / "table.c").write_text("static const int table[] = {1, 2, 3};\n")
    (guest_copy / "main.c").write_text(
        '#include "table.c"\nint main(void) { return table[1] - 2; }\n')
    with pytest.raises(ToolchainError, match="cache key does not cover"):
        build_copy(guest_copy, sources=RUNTIME + ["main.c"])


def test_concurrent_builds_share_one_image(guest_copy):
    (guest_copy / "main.c").write_text("int main(void) { return 0; }\n")
    images, errors = [], []

    def build():
        try:
            images.append(build_copy(guest_copy, name="race", sources=RUNTIME + ["main.c"]))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(images)) == 1
    elf.load(images[0].path)
    assert not list(images[0].path.parent.glob(".race-*"))  # no temp dirs left behind


# ---- (c) errors ------------------------------------------------------------------------------


def test_syntax_error_is_a_toolchain_error(guest_copy):
    (guest_copy / "bad.c").write_text("int main(void)\n{\n\treturn 1 + ;\n}\n")
    with pytest.raises(ToolchainError) as info:
        build_copy(guest_copy, sources=RUNTIME + ["bad.c"])
    err = info.value
    assert "bad.c:3:" in err.stderr and "expected expression" in err.stderr
    assert "bad.c" in str(err) and "expected expression" in str(err)
    assert "cc" in err.cmd and str(guest_copy / "bad.c") in err.cmd
    assert "MIPS-I support is experimental" not in str(err)


def test_link_error_is_a_toolchain_error(guest_copy):
    (guest_copy / "main.c").write_text("int missing(void);\nint main(void) { return missing(); }\n")
    with pytest.raises(ToolchainError, match="undefined symbol: missing") as info:
        build_copy(guest_copy, sources=RUNTIME + ["main.c"])
    assert "ld.lld" in info.value.cmd


def test_warnings_are_shown_without_clangs_mips1_noise(guest_copy, caplog):
    (guest_copy / "main.c").write_text('#warning "look here"\nint main(void) { return 0; }\n')
    with caplog.at_level(logging.WARNING, logger="exobench.toolchain"):
        build_copy(guest_copy, sources=RUNTIME + ["main.c"])
    assert "look here" in caplog.text
    assert "experimental" not in caplog.text


def test_bad_arguments():
    with pytest.raises(ValueError):
        build_image("bad name", [GUEST / "selfcheck.c"], BARE / "link.ld")
    with pytest.raises(ValueError):
        build_image("x", [BARE / "link.ld"], BARE / "link.ld")
    with pytest.raises(ValueError):
        build_image("x", [], BARE / "link.ld")


# ---- (d) the ELF reader refuses malformed files ----------------------------------------------


def _patched(data: bytes, offset: int, fmt: str, *values) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, offset, *values)
    return bytes(out)


def _malformations(data: bytes):
    """(what, bytes) pairs, each breaking one rule of the reader."""
    phoff, shoff = struct.unpack_from("<II", data, 28)
    phnum = struct.unpack_from("<H", data, 44)[0]
    shnum = struct.unpack_from("<H", data, 48)[0]
    e = elf.load(data)
    load = phoff + 32 * next(i for i in range(phnum)
                             if struct.unpack_from("<I", data, phoff + 32 * i)[0] == elf.PT_LOAD)
    symtab_index = next(i for i, s in enumerate(e.sections) if s.type == elf.SHT_SYMTAB)
    symtab_hdr = shoff + 40 * symtab_index
    yield "empty", b""
    yield "short magic", data[:3]
    yield "truncated header", data[:51]
    yield "truncated program headers", data[: phoff + 16]
    yield "truncated at the end", data[:-1]
    yield "truncated in half", data[: len(data) // 2]
    yield "bad magic", b"\x7fELG" + data[4:]
    yield "64-bit class", _patched(data, 4, "B", 2)
    yield "big-endian", _patched(data, 5, "B", 2)
    yield "bad version", _patched(data, 6, "B", 9)
    yield "relocatable, not executable", _patched(data, 16, "<H", 1)
    yield "wrong machine (x86)", _patched(data, 18, "<H", 3)
    yield "entry outside the image", _patched(data, 24, "<I", 0x1000)
    yield "phentsize", _patched(data, 42, "<H", 56)
    yield "program headers past EOF", _patched(data, 28, "<I", len(data) - 8)
    yield "segment offset past EOF", _patched(data, load + 4, "<I", len(data))
    yield "segment size past EOF", _patched(data, load + 16, "<II", len(data), len(data))
    yield "filesz > memsz", _patched(data, load + 20, "<I", 0)
    yield "segment wraps 4 GiB", _patched(data, load + 8, "<I", 0xFFFFFFF0)
    yield "segments overlap", _patched(data, load + 32 + 8, "<I", e.segments[0].vaddr + 4)
    yield "no segments", _patched(data, 44, "<H", 0)
    yield "section headers past EOF", _patched(data, 32, "<I", len(data))
    yield "shstrndx out of range", _patched(data, 50, "<H", shnum)
    yield "shstrndx not a string table", _patched(data, 50, "<H", symtab_index)
    yield "section past EOF", _patched(data, symtab_hdr + 16, "<I", len(data))
    yield "symtab size not a multiple", _patched(data, symtab_hdr + 20, "<I",
                                                 e.sections[symtab_index].size - 3)
    yield "symtab link", _patched(data, symtab_hdr + 24, "<I", 0)
    yield "section name offset", _patched(data, shoff + 40 + 0, "<I", 0xFFFFFF)


def test_elf_reader_rejects_malformed_files(selfcheck):
    wrong = []
    for what, bad in _malformations(selfcheck.path.read_bytes()):
        try:
            elf.load(bad)
        except elf.ElfError:
            continue
        except Exception as exc:
            wrong.append(f"{what}: {type(exc).__name__}: {exc}")
        else:
            wrong.append(f"{what}: accepted")
    assert wrong == []


def test_elf_reader_fuzz_raises_only_elferror(selfcheck):
    """Random damage to the headers: either it still parses or it is an ElfError."""
    data = selfcheck.path.read_bytes()
    phoff, shoff = struct.unpack_from("<II", data, 28)
    shnum = struct.unpack_from("<H", data, 48)[0]
    header_bytes = list(range(52)) + list(range(phoff, phoff + 32 * 4)) + \
        list(range(shoff, shoff + 40 * shnum))
    rng = random.Random(1995)
    wrong = []
    for trial in range(400):
        bad = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            bad[rng.choice(header_bytes)] = rng.randrange(256)
        if rng.random() < 0.2:
            bad = bad[: rng.randrange(len(bad))]
        try:
            elf.load(bytes(bad))
        except elf.ElfError:
            pass
        except Exception as exc:
            wrong.append(f"trial {trial}: {type(exc).__name__}: {exc}")
    assert wrong == []


def test_elf_reader_missing_file(tmp_path):
    with pytest.raises(elf.ElfError, match="cannot read"):
        elf.load(tmp_path / "nope.elf")


# ---- (e) MIPS-I only, no load-use hazards ----------------------------------------------------
#
# A decoder of our own: capstone 5 cannot tell MIPS-I from MIPS32 and has no register-access
# information for MIPS (docs/references.md#toolchain-findings item 6).  Anything it does
# not know is not MIPS-I.

_SPECIAL = {0: "sll", 2: "srl", 3: "sra", 4: "sllv", 6: "srlv", 7: "srav", 8: "jr", 9: "jalr",
            12: "syscall", 13: "break", 16: "mfhi", 17: "mthi", 18: "mflo", 19: "mtlo",
            24: "mult", 25: "multu", 26: "div", 27: "divu", 32: "add", 33: "addu", 34: "sub",
            35: "subu", 36: "and", 37: "or", 38: "xor", 39: "nor", 42: "slt", 43: "sltu"}
_REGIMM = {0: "bltz", 1: "bgez", 16: "bltzal", 17: "bgezal"}
_BRANCH = {4: "beq", 5: "bne", 6: "blez", 7: "bgtz"}
_IMM = {8: "addi", 9: "addiu", 10: "slti", 11: "sltiu", 12: "andi", 13: "ori", 14: "xori",
        15: "lui"}
_LOAD = {32: "lb", 33: "lh", 34: "lwl", 35: "lw", 36: "lbu", 37: "lhu", 38: "lwr"}
_STORE = {40: "sb", 41: "sh", 42: "swl", 43: "sw", 46: "swr"}
_COP0_CO = {1: "tlbr", 2: "tlbwi", 6: "tlbwr", 8: "tlbp", 16: "rfe"}
_HILO_WRITERS = {"mult", "multu", "div", "divu", "mthi", "mtlo"}


class NotMipsI(Exception):
    pass


@dataclass(frozen=True)
class Insn:
    addr: int
    name: str
    reads: frozenset  # GPRs read
    delayed: Optional[int] = None  # GPR written with a load delay (loads, mfc0)
    target: Optional[int] = None  # static branch/jump target
    transfer: bool = False  # has a delay slot


def decode(word: int, addr: int) -> Insn:
    op, rs, rt = word >> 26, (word >> 21) & 31, (word >> 16) & 31
    shamt, funct = (word >> 6) & 31, word & 63
    branch_to = addr + 4 + (((word & 0xFFFF) ^ 0x8000) - 0x8000) * 4
    if op == 0:
        name = _SPECIAL.get(funct)
        if name is None:
            raise NotMipsI(f"SPECIAL funct {funct}")
        if name in ("sll", "srl", "sra"):
            if rs:
                raise NotMipsI(f"{name} with rs={rs}")
            return Insn(addr, name, frozenset({rt}))
        if shamt and name not in ("syscall", "break"):
            raise NotMipsI(f"{name} with shamt={shamt}")
        reads = {"jr": {rs}, "jalr": {rs}, "mthi": {rs}, "mtlo": {rs}, "mfhi": set(),
                 "mflo": set(), "syscall": set(), "break": set()}.get(name, {rs, rt})
        return Insn(addr, name, frozenset(reads), transfer=name in ("jr", "jalr"))
    if op == 1:
        if rt not in _REGIMM:
            raise NotMipsI(f"REGIMM rt {rt}")
        return Insn(addr, _REGIMM[rt], frozenset({rs}), target=branch_to, transfer=True)
    if op in (2, 3):
        target = ((addr + 4) & 0xF0000000) | ((word & 0x03FFFFFF) << 2)
        return Insn(addr, "j" if op == 2 else "jal", frozenset(), target=target, transfer=True)
    if op in _BRANCH:
        reads = {rs, rt} if op < 6 else {rs}
        return Insn(addr, _BRANCH[op], frozenset(reads), target=branch_to, transfer=True)
    if op in _IMM:
        return Insn(addr, _IMM[op], frozenset() if op == 15 else frozenset({rs}))
    if op in _LOAD:
        name = _LOAD[op]
        reads = {rs, rt} if name in ("lwl", "lwr") else {rs}  # lwl/lwr merge into rt
        return Insn(addr, name, frozenset(reads), delayed=rt)
    if op in _STORE:
        return Insn(addr, _STORE[op], frozenset({rs, rt}))
    if op == 16:
        if rs == 0:
            return Insn(addr, "mfc0", frozenset(), delayed=rt)
        if rs == 4:
            return Insn(addr, "mtc0", frozenset({rt}))
        if rs == 16 and funct in _COP0_CO:
            return Insn(addr, _COP0_CO[funct], frozenset())
        raise NotMipsI(f"COP0 rs={rs} funct={funct}")
    raise NotMipsI(f"opcode {op}")  # COP1-3, MIPS II+ (ll/sc, branch-likely, ...), junk


def mips1_problems(words: list[tuple[int, int]], hilo: bool = True) -> list[str]:
    """Everything wrong with a run of (address, word): non-MIPS-I words, load-use pairs
    (also across a branch whose delay slot loads), branches in delay slots, and -- with
    ``hilo`` -- mfhi/mflo followed within two instructions by a HI/LO writer, whose result
    the MIPS-I architecture leaves undefined."""
    problems, insns = [], {}
    for addr, word in words:
        if word == LLD_PADDING:
            continue
        try:
            insns[addr] = decode(word, addr)
        except NotMipsI as exc:
            problems.append(f"{addr:#010x}: {word:08x} is not MIPS-I ({exc})")
    for addr, ins in insns.items():
        nxt, prev = insns.get(addr + 4), insns.get(addr - 4)
        if ins.delayed:
            # The next instruction executed is the next word, or the branch target when
            # this load sits in a branch's delay slot.
            followers = [nxt]
            if prev is not None and prev.transfer and prev.target is not None:
                followers.append(insns.get(prev.target))
            for f in followers:
                merge = ins.name in ("lwl", "lwr") and f is not None and f.name in ("lwl", "lwr")
                if f is not None and ins.delayed in f.reads and not merge:
                    problems.append(f"{addr:#010x}: load-use: {ins.name} -> {f.name} "
                                    f"at {f.addr:#010x} reads ${ins.delayed}")
        if hilo and ins.name in ("mfhi", "mflo"):
            for k in (1, 2):
                f = insns.get(addr + 4 * k)
                if f is not None and f.name in _HILO_WRITERS:
                    problems.append(f"{addr:#010x}: {ins.name} followed by {f.name} within 2")
        if ins.transfer and nxt is not None and nxt.transfer:
            problems.append(f"{addr:#010x}: {nxt.name} in the delay slot of {ins.name}")
    return problems


def _text_words(e: elf.ElfImage) -> list[tuple[int, int]]:
    text = e.section(".text")
    return [(text.addr + i, int.from_bytes(text.data[i:i + 4], "little"))
            for i in range(0, len(text.data), 4)]


def _asm(*words: int) -> list[tuple[int, int]]:
    return [(0x80010000 + 4 * i, w) for i, w in enumerate(words)]


def test_mips1_checker_catches_what_it_should():
    lw_t0 = 0x8C880000  # lw $t0, 0($a0)
    addu_v0_t0 = 0x01091021  # addu $v0, $t0, $t1
    nop = 0
    assert mips1_problems(_asm(lw_t0, nop, addu_v0_t0)) == []
    assert "load-use" in mips1_problems(_asm(lw_t0, addu_v0_t0))[0]
    # beq $zero,$zero,+2 with the load in its delay slot, target reads $t0
    assert "load-use" in mips1_problems(_asm(0x10000002, lw_t0, nop, addu_v0_t0))[0]
    assert mips1_problems(_asm(0x88880003, 0x98880000)) == []  # lwl/lwr pair into $t0
    assert "not MIPS-I" in mips1_problems(_asm(0x71095002))[0]  # mul $t2,$t0,$t1 (MIPS32)
    assert "not MIPS-I" in mips1_problems(_asm(0x00A001F4))[0]  # teq $a1,$zero,7 (MIPS II)
    assert "not MIPS-I" in mips1_problems(_asm(0x50000001))[0]  # beql (MIPS II)
    assert "within 2" in mips1_problems(_asm(0x00001012, 0x00850019))[0]  # mflo; multu
    assert mips1_problems(_asm(LLD_PADDING)) == []


def test_selfcheck_is_mips1_without_load_use_hazards(selfcheck_elf):
    words = _text_words(selfcheck_elf)
    assert len(words) > 500
    # hilo=False: known and accepted, clang 22's MIPS-I backend schedules mult/multu right
    # after mflo/mfhi (e.g. "mflo $v0; multu $s6, $s4"; 5 places in selfcheck), which MIPS-I
    # says leaves the mflo result undefined -- gcc keeps two instructions between them.  An
    # R3000 model must let mfhi/mflo read HI/LO before a following mult/div overwrites them,
    # which is what an in-order interpreter does anyway.
    assert mips1_problems(words, hilo=False) == []


# Capstone's mnemonics (with its aliases) for the MIPS-I instruction set, as a second,
# independent opinion on the opcodes.
_CAPSTONE_MIPS1 = (set(_SPECIAL.values()) | set(_REGIMM.values()) | set(_BRANCH.values())
                   | set(_IMM.values()) | set(_LOAD.values()) | set(_STORE.values())
                   | set(_COP0_CO.values())
                   | {"j", "jal", "mfc0", "mtc0", "nop", "move", "b", "bal", "beqz", "bnez",
                      "neg", "negu", "not"})


def test_selfcheck_opcodes_per_capstone(selfcheck_elf):
    capstone = pytest.importorskip("capstone")
    md = capstone.Cs(capstone.CS_ARCH_MIPS, capstone.CS_MODE_MIPS32 | capstone.CS_MODE_LITTLE_ENDIAN)
    seen, bad = set(), []
    for addr, word in _text_words(selfcheck_elf):
        if word == LLD_PADDING:
            continue
        ins = list(md.disasm(word.to_bytes(4, "little"), addr, 1))
        if not ins or ins[0].mnemonic not in _CAPSTONE_MIPS1:
            bad.append(f"{addr:#010x}: {ins[0].mnemonic + ' ' + ins[0].op_str if ins else hex(word)}")
        else:
            seen.add(ins[0].mnemonic)
    assert bad == []
    assert {"lw", "sw", "jal", "jr", "divu", "multu", "mflo"} <= seen


def test_runtime_helpers_do_not_call_themselves(selfcheck_elf):
    """clang turns copy/fill loops into memcpy/memset calls and 64-bit division into
    __udivdi3 calls: inside those very functions that would recurse forever."""
    e = selfcheck_elf
    helpers = {"memcpy", "memmove", "memset", "memcmp", "__udivmoddi4", "__udivdi3",
               "__umoddi3", "__divdi3", "__moddi3"}
    helper_addrs = {e.symbols[n] for n in helpers}
    funcs = {s.name: s for s in e.symtab if s.type == 2 and s.name in helpers}  # STT_FUNC
    assert set(funcs) == helpers
    words = dict(_text_words(e))
    for name, sym in funcs.items():
        assert sym.size > 0
        for addr in range(sym.value, sym.value + sym.size, 4):
            ins = decode(words[addr], addr)
            assert ins.name != "jalr", name
            if ins.name == "jal":
                assert ins.target not in helper_addrs, f"{name} calls {ins.target:#x}"
