"""setup.py: what pyproject.toml cannot say yet.

cffi builds the emulator extension through ``cffi_modules``, and the guest
source trees (kernels, library OS, benchmarks, shared headers) ship inside the
package as ``exobench/_tree/<name>`` so that a non-editable install can still
build guest images (see exobench/paths.py).
"""
from setuptools import setup

PYTHON_PACKAGES = ["exobench", "exobench.systems"]
GUEST_TREES = ["include", "guestlib", "aegis", "exos", "baseline_monolithic", "benchmarks"]

setup(
    packages=PYTHON_PACKAGES + [f"exobench._tree.{t}" for t in GUEST_TREES],
    package_dir={"exobench": "exobench", **{f"exobench._tree.{t}": t for t in GUEST_TREES}},
    package_data={f"exobench._tree.{t}": ["**/*"] for t in GUEST_TREES},
    cffi_modules=["exobench/_build.py:ffibuilder"],
)
