"""A small, strict reader for the ELF32 little-endian MIPS executables our toolchain links.

Why our own: the emulator's loader and the toolchain need only the program headers (what to
copy where) and the symbol table (where things are), and a reader that checks every offset
turns a corrupt or foreign file into one clear ``ElfError`` instead of an IndexError deep in
the loader or silently wrong guest memory.  No third-party dependency (pyelftools) is needed.

Public API::

    load(path_or_bytes) -> ElfImage       # .entry, .segments, .symbols, .sections, .symtab
    loadable(path_or_bytes) -> bytes      # the same executable without what no loader reads
    ElfError(ValueError)                  # every malformation, with a message saying what
"""
from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

__all__ = ["ElfError", "ElfImage", "Section", "Segment", "Symbol", "load", "loadable"]

# Constants from the System V ABI and its MIPS supplement.
ELFCLASS32 = 1
ELFDATA2LSB = 1
EV_CURRENT = 1
ET_EXEC = 2
EM_MIPS = 8
PT_LOAD = 1
SHT_NULL = 0
SHT_SYMTAB = 2
SHT_STRTAB = 3
SHT_NOBITS = 8
SHN_UNDEF = 0
SHN_LORESERVE = 0xFF00
SHN_ABS = 0xFFF1
SHN_XINDEX = 0xFFFF
STT_SECTION = 3
STT_FILE = 4
STB_LOCAL = 0
PF_X, PF_W, PF_R = 1, 2, 4
SHF_ALLOC = 0x2

_EHDR = struct.Struct("<16sHHIIIIIHHHHHH")  # 52 bytes
_PHDR = struct.Struct("<IIIIIIII")  # 32 bytes
_SHDR = struct.Struct("<IIIIIIIIII")  # 40 bytes
_SYM = struct.Struct("<IIIBBH")  # 16 bytes
_U32 = 1 << 32
_PRIVATE_PREFIXES = ("$", ".L")


class ElfError(ValueError):
    """The file is not a well-formed ELF32 little-endian MIPS executable."""


@dataclass(frozen=True)
class Segment:
    """A PT_LOAD program header and the ``filesz`` bytes it carries (the rest up to
    ``memsz`` is zero-filled by the loader)."""

    vaddr: int
    paddr: int
    filesz: int
    memsz: int
    flags: int  # PF_R | PF_W | PF_X
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Section:
    """A section header; ``data`` is empty for SHT_NOBITS (.bss)."""

    name: str
    type: int
    flags: int
    addr: int
    offset: int
    size: int
    link: int  # sh_link: for .symtab, the index of its string table
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Symbol:
    """One .symtab entry (the ``symbols`` dict of ElfImage is the usual way in)."""

    name: str
    value: int
    size: int
    type: int  # STT_*
    bind: int  # STB_*
    shndx: int


@dataclass(frozen=True)
class ElfImage:
    """What a loader or a test needs from one executable."""

    entry: int
    flags: int  # e_flags: ISA level, ABI, noreorder/pic bits
    segments: list[Segment]  # PT_LOAD only, in file order
    sections: list[Section]  # index = section number (0 is the null section), as Symbol.shndx
    symtab: list[Symbol]  # every entry but the null one
    symbols: dict[str, int]  # defined, named code/data/absolute symbols; globals win over locals

    def section(self, name: str) -> Section:
        """The first section called ``name``; ElfError if there is none."""
        for sec in self.sections:
            if sec.name == name:
                return sec
        raise ElfError(f"no section named {name!r}")


def load(source: Union[str, os.PathLike, bytes, bytearray, memoryview]) -> ElfImage:
    """Parse an executable from a path or from its bytes, checking every header and offset."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise ElfError(f"cannot read ELF file {source}: {exc.strerror or exc}") from exc
    return _Parser(data).image()


def loadable(source: Union[str, os.PathLike, bytes, bytearray, memoryview]) -> bytes:
    """The executable as a guest kernel's loader needs it: the file up to the end of its last
    PT_LOAD bytes, with no section headers (e_shoff, e_shnum, e_shstrndx zeroed).

    Why: a boot module is copied whole into guest memory, so its size moves everything the
    kernel allocates after it -- and with physically indexed caches, every timing.  What lies
    past the segments (the symbol table, the assembler's debug lines) names the files it was
    built from by absolute path, so the same sources checked out elsewhere would give other
    cycle counts.  The loaders (guestlib/elf32.c) read only the ELF and program headers.
    Raises ElfError for whatever load() refuses.
    """
    data = source if isinstance(source, (bytes, bytearray, memoryview)) else None
    if data is None:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise ElfError(f"cannot read ELF file {source}: {exc.strerror or exc}") from exc
    data = bytes(data)
    _Parser(data).image()                           # refuse what the loaders would refuse
    hdr = list(_EHDR.unpack_from(data))
    phoff, phentsize, phnum = hdr[5], hdr[9], hdr[10]
    end = phoff + phentsize * phnum
    for i in range(phnum):
        ptype, offset, _v, _p, filesz, *_ = _PHDR.unpack_from(data, phoff + i * phentsize)
        if ptype == PT_LOAD:
            end = max(end, offset + filesz)
    hdr[6] = 0                                      # e_shoff
    hdr[11], hdr[12], hdr[13] = 0, 0, 0             # e_shentsize, e_shnum, e_shstrndx
    return _EHDR.pack(*hdr) + data[_EHDR.size:end]


class _Parser:
    """Parses one file; each step validates before it slices."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def image(self) -> ElfImage:
        hdr = self._header()
        segments = self._segments(hdr)
        sections = self._sections(hdr)
        symtab = self._symtab(sections)
        entry = hdr["entry"]
        if not segments:
            raise ElfError("no PT_LOAD segments: nothing to load")
        if not any(s.flags & PF_X and s.vaddr <= entry < s.vaddr + s.memsz for s in segments):
            raise ElfError(f"entry point {entry:#010x} is not inside an executable PT_LOAD segment")
        return ElfImage(
            entry=entry,
            flags=hdr["flags"],
            segments=segments,
            sections=sections,
            symtab=symtab,
            symbols=_symbol_map(symtab),
        )

    # -- pieces ---------------------------------------------------------------------------

    def _range(self, offset: int, size: int, what: str) -> bytes:
        if offset < 0 or size < 0 or offset + size > len(self.data):
            raise ElfError(
                f"{what} (offset {offset:#x}, size {size:#x}) lies outside the file "
                f"({len(self.data):#x} bytes)"
            )
        return self.data[offset : offset + size]

    def _header(self) -> dict[str, int]:
        if len(self.data) < 4 or self.data[:4] != b"\x7fELF":
            raise ElfError("bad magic: not an ELF file")
        if len(self.data) < _EHDR.size:
            raise ElfError(f"truncated ELF header: {len(self.data)} bytes, need {_EHDR.size}")
        (ident, e_type, machine, version, entry, phoff, shoff, flags, ehsize, phentsize,
         phnum, shentsize, shnum, shstrndx) = _EHDR.unpack_from(self.data)
        if ident[4] != ELFCLASS32:
            raise ElfError(f"wrong ELF class {ident[4]} (need 1 = ELF32)")
        if ident[5] != ELFDATA2LSB:
            raise ElfError(f"wrong data encoding {ident[5]} (need 1 = little-endian)")
        if ident[6] != EV_CURRENT or version != EV_CURRENT:
            raise ElfError(f"unknown ELF version {ident[6]}/{version}")
        if machine != EM_MIPS:
            raise ElfError(f"wrong machine {machine} (need {EM_MIPS} = MIPS)")
        if e_type != ET_EXEC:
            raise ElfError(f"wrong ELF type {e_type} (need {ET_EXEC} = executable)")
        if ehsize < _EHDR.size:
            raise ElfError(f"ELF header size {ehsize} is smaller than {_EHDR.size}")
        if phnum and phentsize != _PHDR.size:
            raise ElfError(f"program header entry size {phentsize}, expected {_PHDR.size}")
        if shoff and shentsize != _SHDR.size:
            raise ElfError(f"section header entry size {shentsize}, expected {_SHDR.size}")
        if shoff and shnum == 0:
            raise ElfError("extended section numbering (e_shnum == 0) is not supported")
        return dict(entry=entry, phoff=phoff, phnum=phnum, shoff=shoff, shnum=shnum,
                    shstrndx=shstrndx, flags=flags)

    def _segments(self, hdr: dict[str, int]) -> list[Segment]:
        table = self._range(hdr["phoff"], hdr["phnum"] * _PHDR.size, "program header table")
        segments: list[Segment] = []
        for i in range(hdr["phnum"]):
            (p_type, offset, vaddr, paddr, filesz, memsz, flags, _align) = _PHDR.unpack_from(
                table, i * _PHDR.size)
            if p_type != PT_LOAD:
                continue
            what = f"PT_LOAD segment {i}"
            if filesz > memsz:
                raise ElfError(f"{what}: filesz {filesz:#x} exceeds memsz {memsz:#x}")
            if vaddr + memsz > _U32 or paddr + memsz > _U32:
                raise ElfError(f"{what}: wraps around the 32-bit address space")
            data = self._range(offset, filesz, what)
            for prev in segments:
                if memsz and prev.memsz and vaddr < prev.vaddr + prev.memsz and prev.vaddr < vaddr + memsz:
                    raise ElfError(f"{what} at {vaddr:#010x} overlaps the one at {prev.vaddr:#010x}")
            segments.append(Segment(vaddr, paddr, filesz, memsz, flags, data))
        return segments

    def _sections(self, hdr: dict[str, int]) -> list[Section]:
        if not hdr["shoff"]:
            return []
        shnum = hdr["shnum"]
        table = self._range(hdr["shoff"], shnum * _SHDR.size, "section header table")
        raw = [_SHDR.unpack_from(table, i * _SHDR.size) for i in range(shnum)]
        if not hdr["shstrndx"] < shnum:
            raise ElfError(f"section name table index {hdr['shstrndx']} out of range ({shnum} sections)")
        names = raw[hdr["shstrndx"]]
        if names[1] != SHT_STRTAB:
            raise ElfError("section name table is not a string table")
        strtab = self._range(names[4], names[5], "section name table")
        sections = []
        for i, (name, s_type, flags, addr, offset, size, link, *_rest) in enumerate(raw):
            if s_type in (SHT_NULL, SHT_NOBITS):
                data = b""
            else:
                data = self._range(offset, size, f"section {i}")
            sections.append(Section(_cstr(strtab, name, f"section {i} name"), s_type, flags,
                                    addr, offset, size, link, data))
        return sections

    def _symtab(self, sections: list[Section]) -> list[Symbol]:
        for sec in sections:
            if sec.type == SHT_SYMTAB:
                break
        else:
            return []  # stripped: no symbols, not an error
        if sec.size % _SYM.size:
            raise ElfError(f".symtab size {sec.size:#x} is not a multiple of {_SYM.size}")
        link = sec.link
        if not 0 < link < len(sections) or sections[link].type != SHT_STRTAB:
            raise ElfError(f".symtab links to section {link}, which is not a string table")
        strtab = sections[link].data
        symbols = []
        for j in range(1, sec.size // _SYM.size):
            name, value, size, info, _other, shndx = _SYM.unpack_from(sec.data, j * _SYM.size)
            if shndx < SHN_LORESERVE and shndx >= len(sections):
                raise ElfError(f"symbol {j} refers to section {shndx}, which does not exist")
            if shndx == SHN_XINDEX:
                raise ElfError("extended symbol section indices are not supported")
            symbols.append(Symbol(_cstr(strtab, name, f"symbol {j} name"), value, size,
                                  info & 0xF, info >> 4, shndx))
        return symbols


def _cstr(table: bytes, offset: int, what: str) -> str:
    end = table.find(b"\0", offset)
    if offset >= len(table) or end < 0:
        raise ElfError(f"{what}: string offset {offset:#x} outside its string table")
    try:
        return table[offset:end].decode("ascii")
    except UnicodeDecodeError as exc:
        raise ElfError(f"{what}: not ASCII") from exc


def _symbol_map(symtab: list[Symbol]) -> dict[str, int]:
    """Name -> address for defined code/data/absolute symbols.

    Compiler-private labels (``$.str.3`` -- MIPS clang's private prefix is ``$`` -- and
    ``.L...``) are left out: they name nothing a caller can ask for.  A static symbol named
    like a global one (two files' ``static int n``) must not shadow it, so globals go in last."""
    keep = [s for s in symtab
            if s.name and not s.name.startswith(_PRIVATE_PREFIXES)
            and s.shndx != SHN_UNDEF and s.type not in (STT_SECTION, STT_FILE)]
    out = {s.name: s.value for s in keep if s.bind == STB_LOCAL}
    out.update({s.name: s.value for s in keep if s.bind != STB_LOCAL})
    return out
