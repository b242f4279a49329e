"""setup.py: what pyproject.toml cannot say yet.

cffi builds the emulator extension through ``cffi_modules``, and the guest
source trees (kernels, library OS, benchmarks, shared headers) ship inside the
package as ``exobench/_tree/<name>`` so that a non-editable install can still
build guest images (see exobench/paths.py).
"""
import os

from setuptools import setup

PYTHON_PACKAGES = ["exobench", "exobench.systems"]
GUEST_TREES = ["include", "guestlib", "aegis", "exos", "baseline_monolithic", "benchmarks"]


def _data_packages() -> dict[str, str]:
    """Every directory of the guest trees as a data package (setuptools wants each listed)."""
    out = {}
    for tree in GUEST_TREES:
        for root, dirs, _files in os.walk(tree):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
            out["exobench._tree." + ".".join(root.split(os.sep))] = root
    return out


DATA = _data_packages()

setup(
    packages=PYTHON_PACKAGES + list(DATA),
    package_dir={"exobench": "exobench", **DATA},
    package_data={name: ["*"] for name in DATA},
    cffi_modules=["exobench/_build.py:ffibuilder"],
)
