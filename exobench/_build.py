"""cffi builder for the emulator core (csrc/), API mode.

Used by setup.py (``cffi_modules``) and by ``python -m exobench._build`` for
an in-place rebuild during development.
"""
import os
import pathlib

from cffi import FFI

ROOT = pathlib.Path(__file__).resolve().parent.parent
CSRC = ROOT / "csrc"


def _cdef() -> str:
    text = (CSRC / "machine_api.h").read_text()
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _sources():
    # setuptools wants paths relative to the project root.
    return [os.path.relpath(p, ROOT) if os.getcwd() == str(ROOT) else str(p)
            for p in sorted(CSRC.glob("*.c"))]


ffibuilder = FFI()
ffibuilder.cdef(_cdef())
ffibuilder.set_source(
    "exobench._machine",
    '#include "machine_api.h"',
    sources=_sources(),
    include_dirs=[str(CSRC) if os.getcwd() != str(ROOT) else "csrc"],
    depends=[str(p) for p in sorted(CSRC.glob("*.h"))],
    extra_compile_args=["-O2", "-std=gnu11", "-fno-strict-aliasing", "-Wall", "-Wno-unused-function"],
)

if __name__ == "__main__":
    os.chdir(ROOT)
    ffibuilder.compile(tmpdir=str(ROOT / "build" / "cffi"), target=None, verbose=False)
    # compile() writes the module next to tmpdir's package path; move it in place.
    built = sorted((ROOT / "build" / "cffi" / "exobench").glob("_machine*.so"))
    for so in built:
        so.replace(ROOT / "exobench" / so.name)
