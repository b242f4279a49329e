"""The benchmark registry: one directory per experiment under benchmarks/, pyperformance style.

A benchmark is a directory ``benchmarks/<name>/`` holding ``bench.py``: a pyperf script
(run as ``python bench.py -o results/<name>.json``) that also defines
``DESCRIPTION`` (one line) and ``render(suite) -> str`` turning its pyperf results
into the Markdown published in ``results/<name>.md``.
"""
from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from .paths import tree


class UnknownBenchmark(ValueError):
    pass


@dataclass(frozen=True)
class Benchmark:
    name: str
    directory: Path

    @property
    def script(self) -> Path:
        return self.directory / "bench.py"

    def module(self) -> ModuleType:
        """Import bench.py (its pyperf Runner only runs under __main__)."""
        modname = f"exobench_bench_{self.name}"
        if modname in sys.modules:
            return sys.modules[modname]
        spec = importlib.util.spec_from_file_location(modname, self.script)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[modname] = mod
        spec.loader.exec_module(mod)
        return mod

    @property
    def description(self) -> str:
        return getattr(self.module(), "DESCRIPTION", "")


def all_benchmarks() -> list[Benchmark]:
    root = tree("benchmarks")
    return [Benchmark(d.name, d) for d in sorted(root.iterdir()) if (d / "bench.py").is_file()]


def get(name: str) -> Benchmark:
    known = {b.name: b for b in all_benchmarks()}
    if name not in known:
        raise UnknownBenchmark(f"unknown benchmark {name!r}; known: {', '.join(known) or '(none)'}")
    return known[name]
