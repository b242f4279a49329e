"""cffi builder for the emulator core (csrc/), API mode.

Used by setup.py (``cffi_modules``, which wants source paths relative to the project
root) and by ``python -m exobench._build`` for an in-place rebuild during development
(``make build`` runs it whenever a file in csrc/ changes).
"""
import os
import pathlib

from cffi import FFI

ROOT = pathlib.Path(__file__).resolve().parent.parent
CSRC = ROOT / "csrc"
INCLUDE = ROOT / "include"          # the contracts the emulator shares with the guests
CFLAGS = ["-O2", "-std=gnu11", "-fno-strict-aliasing", "-Wall", "-Wno-unused-function"]


def _cdef() -> str:
    text = (CSRC / "machine_api.h").read_text()
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def make_builder(relative: bool) -> FFI:
    def path(p: pathlib.Path) -> str:
        return os.path.relpath(p, ROOT) if relative else str(p)

    builder = FFI()
    builder.cdef(_cdef())
    builder.set_source(
        "exobench._machine",
        '#include "machine_api.h"',
        sources=[path(p) for p in sorted(CSRC.glob("*.c"))],
        include_dirs=[path(CSRC), path(INCLUDE)],
        depends=[path(p) for p in sorted(CSRC.glob("*.h")) + sorted(INCLUDE.glob("*.h"))],
        extra_compile_args=CFLAGS,
    )
    return builder


ffibuilder = make_builder(relative=True)

if __name__ == "__main__":
    tmp = ROOT / "build" / "cffi"
    so = pathlib.Path(make_builder(relative=False).compile(tmpdir=str(tmp)))
    target = ROOT / "exobench" / so.name
    for stale in (ROOT / "exobench").glob("_machine*.so"):
        if stale != target:
            stale.unlink()      # e.g. an abi3 build left by `pip install -e`
    so.replace(target)
