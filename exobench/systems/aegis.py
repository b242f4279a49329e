"""Aegis (the exokernel) with ExOS (its library OS) as a guest system.

kernel() builds aegis/ into a kseg0 ELF; program() links a user program with
ExOS (exos/: crt0, the Aegis syscall stubs, the osapi.h layer); boot() loads
the kernel with the programs as boot modules -- the first is started as the
first environment, the others can be started with os_spawn().
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence

from .. import constants, paths, toolchain
from . import System as _System

# aegis/aegis.h: the kernel <-> library OS contract (syscall numbers, save area, layout).
_H = constants.parse_header(paths.tree("aegis") / "aegis.h", constants.C)
globals().update({k: v for k, v in _H.items() if k not in constants.C})


def _sources(tree: str) -> list[Path]:
    """Every C and assembly file of a tree, plus the C library every guest links."""
    d = paths.tree(tree)
    return sorted(d.glob("*.c")) + sorted(d.glob("*.S")) + [paths.tree("guestlib") / "libc.c"]


def _kernel_sources() -> list[Path]:
    return _sources("aegis") + [paths.tree("guestlib") / "kconsole.c"]


class System(_System):
    name = "aegis"
    # ExOS returns from an exception or an upcall with "jr t0; lw t0, ...": the resumed
    # instruction may read t0 in the load's delay slot.  The emulator interlocks loads, so
    # it sees the right value; a real R3000 would not (exos/README.md).  Any other
    # load-delay hazard is a bug.
    hazard_allowed = frozenset({0x8C080000 | (_H["UAREA_VADDR"] + _H["SA_T0"]),            # exc.S
                                0x8C080000 | (_H["UAREA_VADDR"] + _H["SA_ISAVE"] + 4 * 8)})  # slice.S, revoke.S

    def include_dirs(self) -> list[Path]:
        return [paths.tree("exos"), paths.tree("aegis")]

    def kernel(self) -> toolchain.Image:
        aegis = paths.tree("aegis")
        return toolchain.build_image("aegis", _kernel_sources(), aegis / "kernel.ld", include_dirs=[aegis],
                                   defines=self.kernel_defines)

    def program(self, name: str, sources: Sequence, include_dirs: Iterable = (),
                defines: Optional[Mapping] = None) -> toolchain.Image:
        exos = paths.tree("exos")
        return toolchain.build_image(name, [Path(s) for s in sources] + _sources("exos"), exos / "user.ld",
                                     include_dirs=[*include_dirs, *self.include_dirs()], defines=defines)
