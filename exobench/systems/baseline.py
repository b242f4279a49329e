"""The Ultrix-like monolithic baseline kernel (baseline_monolithic/) as a System.

``kernel()`` builds the kernel image; ``program()`` links a user program with the
baseline's user runtime (crt0, system-call stubs, sigtramp and the osapi.h layer);
``boot()`` loads the kernel with the programs as boot modules, the first of which
the kernel starts as its first process.  Everything is built with the one
toolchain.CFLAGS, like every other guest.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Optional, Sequence, Union

from .. import paths, toolchain
from . import System as _System

__all__ = ["System", "KERNEL_SOURCES", "RUNTIME_SOURCES"]

KERNEL_SOURCES = ("locore.S", "process.S", "tlb.S", "copy.S", "trap.c", "syscall.c", "proc.c", "sched.c",
                  "vm.c", "signal.c", "pipe.c", "elf.c", "console.c", "if_ln.c", "netinet.c", "socket.c")
RUNTIME_SOURCES = ("crt0.S", "syscalls.S", "osapi.c")


GUEST_LIBC = paths.tree("guestlib") / "libc.c"     # the C library every guest links
GUEST_KCONSOLE = paths.tree("guestlib") / "kconsole.c"   # kernel console, panic, halt


def _root() -> Path:
    return paths.tree("baseline_monolithic")


class System(_System):
    name = "baseline"
    # The sigtramp of the ATTR_EXC_USER_RETURN research switch returns with "jr t0; lw t0,
    # -4(sp)", like ExOS (exobench/systems/aegis.py); built without it, no image has it.
    hazard_allowed = frozenset({0x8FA8FFFC})

    def kernel(self) -> toolchain.Image:
        root = _root()
        return toolchain.build_image(
            "baseline-kernel", [root / "kernel" / s for s in KERNEL_SOURCES] + [GUEST_LIBC, GUEST_KCONSOLE],
            root / "kernel" / "kernel.ld",
            include_dirs=[root / "include", root / "kernel"], defines=self.kernel_defines)

    def program(self, name: str, sources: Sequence[Union[str, Path]],
                include_dirs: Sequence[Union[str, Path]] = (),
                defines: Optional[Mapping[str, object]] = None) -> toolchain.Image:
        root = _root()
        runtime = [root / "user" / s for s in RUNTIME_SOURCES] + [GUEST_LIBC]
        incs = [*include_dirs, root / "include", root / "user"]
        return toolchain.build_image(f"baseline-{name}", [*runtime, *sources],
                                     root / "user" / "user.ld", include_dirs=incs,
                                     defines=defines)
