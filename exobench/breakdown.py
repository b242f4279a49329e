"""Where the cycles of one operation go: the exact per-PC profile, per operation, by symbol.

Two runs of the same case with n1 and n2 operations differ only by n2 - n1 operations
(everything else is deterministic), so (profile(n2) - profile(n1)) / (n2 - n1) is the
exact cost of one operation, instruction by instruction.  Each PC is then named by the
symbol it falls in: kernel addresses by the kernel's symbols, user addresses by the
program that owns the ASID (the measuring program, found from the marker's PC, or its
peer).  A benchmark may group symbols into phases (entry / dispatch / handler / return).
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from . import constants as K
from . import elf, systems
from .experiment import Case, PUBLISHED, programs, protocol
from .machine import Machine


@dataclass(frozen=True)
class Part:
    where: str          # "kernel", "user" (the measuring program) or "peer"
    name: str           # symbol, or phase when a phase map names it
    insns: float        # per operation
    cycles: float


class Symbolizer:
    """A PC -> the code label or function it falls in.  Absolute symbols are no such label
    even when their value is a code address (aegis/entry.S's vec_general_addr, a `.set` of
    VEC_GENERAL for kernel.ld's checks, equals gen_vec; the baseline's KSEG0 its utlbmiss)."""

    def __init__(self, image: elf.ElfImage):
        syms = sorted((s.value, s.name) for s in image.symtab
                      if s.value and s.name and not s.name.startswith(("$", ".", "__"))
                      and s.type in (0, 2)        # NOTYPE (assembly labels) or FUNC
                      and s.shndx != elf.SHN_ABS)
        self._addrs = [a for a, _ in syms]
        self._names = [n for _, n in syms]

    def __call__(self, pc: int) -> str:
        i = bisect.bisect_right(self._addrs, pc) - 1
        return self._names[i] if i >= 0 else f"0x{pc:08x}"


def _profile(case: Case, directory: Path, n: int, preset: str):
    system = systems.get(case.system)
    mods = programs(case, directory, system)
    m = Machine(preset, 32 << 20)
    system.boot(m, mods, params={**case.params, "n": n})
    m.set_profile(True)
    m.run(2_000_000_000)
    start = next(mk for mk in m.markers() if mk.id == protocol()["BENCH_MARK_START"])
    prof = {(pc, asid): (cnt, cyc) for pc, asid, cnt, cyc in m.profile()}
    return prof, start.asid, system, mods


def breakdown(case: Case, directory: Path, phases: Mapping[str, str] | None = None,
              n1: int = 20, n2: int = 120, preset: str = PUBLISHED) -> list[Part]:
    p1, _, _, _ = _profile(case, directory, n1, preset)
    p2, client, system, programs = _profile(case, directory, n2, preset)
    kernel = Symbolizer(elf.load(system.kernel().path))
    user = Symbolizer(elf.load(programs[0][1].path))
    peer = Symbolizer(elf.load(programs[1][1].path)) if len(programs) > 1 else user
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, float("inf")])
    per = n2 - n1
    for key, (cnt2, cyc2) in p2.items():
        cnt1, cyc1 = p1.get(key, (0, 0))
        if cnt2 == cnt1 and cyc2 == cyc1:
            continue
        pc, asid = key
        if K.KSEG0_BASE <= pc < K.KSEG2_BASE:
            where, name = "kernel", kernel(pc)
        elif asid == client or len(programs) == 1:
            # One program: every user PC is its own, whatever ASID it ran under (ExOS may
            # take a fresh ASID to drop its bindings).  With a peer, the ASID tells them apart.
            where, name = "user", user(pc)
        else:
            where, name = "peer", peer(pc)
        if phases:
            name = phases.get(name, name)
        s = sums[(where, name)]
        s[0] += (cnt2 - cnt1) / per
        s[1] += (cyc2 - cyc1) / per
        s[2] = min(s[2], pc)
    order = sorted(sums.items(), key=lambda kv: (kv[0][0] != "user", kv[1][2]))
    return [Part(w, n, s[0], s[1]) for (w, n), s in order if abs(s[0]) > 1e-9 or abs(s[1]) > 1e-9]


def render(title: str, parts: list[Part]) -> str:
    lines = [f"**{title}** (per operation, `{PUBLISHED}`)", "",
             "| where | code | instructions | cycles |", "|---|---|---|---|"]
    for p in parts:
        lines.append(f"| {p.where} | {p.name} | {p.insns:.1f} | {p.cycles:.1f} |")
    ti, tc = sum(p.insns for p in parts), sum(p.cycles for p in parts)
    lines.append(f"| | **total** | **{ti:.1f}** | **{tc:.1f}** |")
    return "\n".join(lines) + "\n"
