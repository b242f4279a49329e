"""The guest systems that boot on the machine: Aegis + ExOS, and the monolithic baseline.

Both are a `System` with the same shape, so benchmarks and tests treat them alike:

    name: str                       "aegis" or "baseline"
    kernel() -> toolchain.Image     the kernel ELF, built and cached
    program(name, sources, include_dirs=(), defines=None) -> toolchain.Image
                                    a user program linked with the system's runtime
                                    (crt0 + its implementation of include/osapi.h)
    boot(machine, programs, params=None) -> machine.BootLayout
                                    programs: [(module name, Image)]; the first is started
                                    as the first process (environment)
    hazard_allowed: frozenset[int]  instruction words whose load-delay use the system
                                    documents as intended (see guestrun.run)

``get(name)`` returns an instance by name; ``names()`` lists them.  ``get(name, defines)``
returns one whose kernel is built with those -D macros (the research switches of
benchmarks/attribution; the published kernels are built with none).
"""
from __future__ import annotations

import importlib
from typing import Mapping, Optional, Sequence, Tuple, Union

from .. import elf, toolchain
from ..machine import BootLayout, Machine

_MODULES = {"aegis": "exobench.systems.aegis", "baseline": "exobench.systems.baseline"}

Program = Tuple[str, Union[toolchain.Image, bytes]]     # (boot-module name, image or raw bytes)


class System:
    """What both systems share: booting a kernel with programs as boot modules."""
    name = ""
    hazard_allowed: frozenset[int] = frozenset()
    kernel_defines: Mapping[str, object] = {}     # -D macros for the kernel build (none: published)

    def kernel(self) -> toolchain.Image:
        raise NotImplementedError

    def boot(self, machine: Machine, programs: Sequence[Program],
             params: Optional[Mapping[str, int]] = None) -> BootLayout:
        """Load the kernel with `programs` as boot modules (an Image as elf.loadable makes it:
        without the sections no loader reads, which name the build's absolute paths, so the
        same sources give the same cycles wherever they are checked out; raw bytes, e.g. a
        deliberately malformed image, as they are)."""
        modules = [(name, elf.loadable(img.path) if isinstance(img, toolchain.Image) else img)
                   for name, img in programs]
        return machine.boot(self.kernel().path, modules, params)


def names() -> list[str]:
    return list(_MODULES)


def get(name: str, kernel_defines: Optional[Mapping[str, object]] = None) -> System:
    if name not in _MODULES:
        raise ValueError(f"unknown system {name!r}; expected one of {', '.join(_MODULES)}")
    system = importlib.import_module(_MODULES[name]).System()
    if kernel_defines:
        system.kernel_defines = dict(kernel_defines)
    return system
