"""The guest systems that boot on the machine: Aegis + ExOS, and the monolithic baseline.

Each system module provides a class with the same shape, so benchmarks and tests can
treat them alike:

    class System:
        name: str                                   # "aegis" or "baseline"
        def kernel(self) -> toolchain.Image         # the kernel ELF, built and cached
        def program(self, name, sources, include_dirs=(), defines=None) -> toolchain.Image
                                                    # a user program linked with the system's
                                                    # runtime (crt0 + the osapi.h layer)
        def boot(self, machine, programs, params=None) -> machine.BootLayout
                                                    # programs: [(module name, Image)]; the
                                                    # first is started as the first process

``get(name)`` returns an instance by name; ``names()`` lists them.
"""
from __future__ import annotations

import importlib

_MODULES = {"aegis": "exobench.systems.aegis", "baseline": "exobench.systems.baseline"}


def names() -> list[str]:
    return list(_MODULES)


def get(name: str):
    if name not in _MODULES:
        raise ValueError(f"unknown system {name!r}; expected one of {', '.join(_MODULES)}")
    return importlib.import_module(_MODULES[name]).System()
