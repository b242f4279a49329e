"""What several test files share (pytest puts tests/ on sys.path; test files never import
each other).  Guests run through exobench.guestrun, like the harness's."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pyperf

from exobench import guestrun, paths, toolchain
from exobench.experiment import Case
from exobench.machine import Machine, StopInfo
from exobench.results import Entry, metadata
from exobench.systems import aegis

AEGIS = aegis.System()
AEGIS_GUESTS = Path(__file__).resolve().parent / "guest_aegis"


def neg(v: int) -> int:
    """A result-channel word read as int32."""
    return v - (1 << 32) if v & 0x80000000 else v


def results(m: Machine) -> dict[str, int]:
    return dict(m.results())


def aegis_run(programs, params=None, limit=20_000_000, check=True, stop_on=()) -> tuple[Machine, StopInfo]:
    """Boot programs on Aegis (`ideal`, hazard checker on) and run to the halt."""
    run = guestrun.run(AEGIS, programs, params or {}, limit=limit, check=check, stop_on=stop_on)
    return run.machine, run.stop


def small(case: Case, n: int = 100) -> Case:
    """The case with at most n operations (everything else as it is)."""
    return dataclasses.replace(case, n=min(case.n, n))


def suite_of(*entries: Entry, seconds: float = 1e-6) -> pyperf.BenchmarkSuite:
    """A pyperf suite holding `entries` as the harness would write them."""
    benches = []
    for e in entries:
        meta = {"name": e.key, "loops": 1, **metadata(e)}
        benches.append(pyperf.Benchmark([pyperf.Run([seconds, seconds * 1.1], metadata=meta,
                                                    collect_metadata=False)]))
    return pyperf.BenchmarkSuite(benches)


def build_selfcheck() -> toolchain.Image:
    """The self-checking bare-metal program (tests/guest/selfcheck.c) with its runtime."""
    bare, lib = paths.tree("benchmarks") / "bare", paths.tree("guestlib")
    return toolchain.build_image(
        "selfcheck", [bare / "crt0.S", paths.tree("tests") / "guest" / "selfcheck.c", bare / "libguest.c",
                      lib / "libc.c", lib / "libgcc.c"], bare / "link.ld", include_dirs=[bare])
