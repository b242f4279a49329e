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
from pathlib import Path
from typing import Mapping

from . import constants as K
from . import elf, systems
from .experiment import Case, boot_run, programs, protocol, system_of
from .results import PUBLISHED, Part


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


def _profile(case: Case, directory: Path, n: int, preset: str, overrides: Mapping[str, float] | None):
    run = boot_run(case, directory, n, preset, profile=True, overrides=overrides)
    start = next(mk for mk in run.machine.markers() if mk.id == protocol()["BENCH_MARK_START"])
    return {(pc, asid): (cnt, cyc) for pc, asid, cnt, cyc in run.machine.profile()}, start.asid


def breakdown(case: Case, directory: Path, phases: Mapping[str, str] | None = None,
              n1: int = 20, n2: int = 120, preset: str = PUBLISHED,
              overrides: Mapping[str, float] | None = None) -> list[Part]:
    """The cost of one operation of `case` by symbol (or by phase, where `phases` maps a
    symbol to one), from the exact profiles of two runs with n1 and n2 operations."""
    p1, _ = _profile(case, directory, n1, preset, overrides)
    p2, client = _profile(case, directory, n2, preset, overrides)
    mods = programs(case, directory)
    kernel = Symbolizer(elf.load(system_of(case).kernel().path))
    user = Symbolizer(elf.load(mods[0][1].path))
    peer = Symbolizer(elf.load(mods[1][1].path)) if len(mods) > 1 else user
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, float("inf")])
    per = n2 - n1
    for key, (cnt2, cyc2) in p2.items():
        cnt1, cyc1 = p1.get(key, (0, 0))
        if cnt2 == cnt1 and cyc2 == cyc1:
            continue
        pc, asid = key
        if K.KSEG0_BASE <= pc < K.KSEG2_BASE:
            where, name = "kernel", kernel(pc)
        elif asid == client or len(mods) == 1:
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

