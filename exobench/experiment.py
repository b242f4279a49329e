"""A paper experiment's case, and running it: one guest benchmark on one system and preset,
its cost per operation taken from the markers around n operations, refused unless the guest
validated what it measured.

A benchmark directory's bench.py lists its Cases and hands them to `exobench.harness.main`;
tables are rendered by `exobench.tables`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

from . import guestrun, systems, toolchain
from .constants import parse_header
from .machine import Marker
from .paths import tree
from .results import PUBLISHED, Measurement


@lru_cache(maxsize=None)
def protocol() -> dict[str, int]:
    """The benchmark protocol's numbers (marker ids, ...) from include/osapi.h."""
    return parse_header(tree("include") / "osapi.h")


class ValidationError(RuntimeError):
    """The guest did not validate what it measured: the number is refused."""


@dataclass(frozen=True)
class Case:
    """One row of a paper table on one system."""
    table: str                                  # paper table, as in benchmarks/paper.toml
    row: str                                    # row label, as in paper.toml
    system: str                                 # "aegis" or "baseline"
    program: str                                # guest source in the experiment directory
    params: Mapping[str, int] = field(default_factory=dict)
    n: int = 1000                               # operations between the markers
    peers: tuple[str, ...] = ()                 # further programs booted as modules
    extra_sources: tuple[str, ...] = ()         # more sources linked into `program`
    # A second machine joined by a link (guestrun.run_cluster): its programs, the first
    # started by its kernel, each "program[+extra source...]"; the same params.  The
    # measured program is machine 0's.
    remote: tuple[str, ...] = ()
    # -D macros of a research variant (benchmarks/attribution): for the kernel build, and
    # for the programs and the system's user runtime.  Published cases have none.
    kernel_defines: Mapping[str, int] = field(default_factory=dict)
    defines: Mapping[str, int] = field(default_factory=dict)
    # Another experiment's directory (under benchmarks/) whose programs the case boots, so
    # that it builds exactly that experiment's images (benchmarks/attribution).
    home: str = ""

    @property
    def key(self) -> str:
        return f"{self.system}/{self.row}"

    def ops(self, quick: bool = False) -> int:
        """Operations to time: n, or a tenth of it in quick mode (never fewer than 10)."""
        if not quick or self.n < 100:
            return self.n
        return self.n // 10


def _image(directory: Path, program: str, system: systems.System, extra: Sequence[str] = (),
           defines: Mapping[str, int] | None = None) -> toolchain.Image:
    """Build a benchmark program for one system.  EXOBENCH_SYSTEM_<NAME> lets a source use a
    mechanism only one system has (protected control transfer) and report n/a elsewhere."""
    name = "_".join([directory.name, Path(program).stem, *(Path(e).stem for e in extra), system.name])
    return system.program(name, [directory / program, *(directory / e for e in extra)],
                          include_dirs=[tree("benchmarks") / "include"],
                          defines={f"EXOBENCH_SYSTEM_{system.name.upper()}": 1, **(defines or {})})


def system_of(case: Case) -> systems.System:
    """The case's system, its kernel built with the case's kernel_defines."""
    return systems.get(case.system, case.kernel_defines)


def programs(case: Case, directory: Path) -> list[tuple[str, toolchain.Image]]:
    """The boot modules of a case: its program (first, started by the kernel) and peers."""
    system = system_of(case)
    if case.home:
        directory = tree("benchmarks") / case.home
    return [(Path(case.program).stem, _image(directory, case.program, system, case.extra_sources, case.defines)),
            *((Path(p).stem, _image(directory, p, system, (), case.defines)) for p in case.peers)]


def remote_programs(case: Case, directory: Path) -> list[tuple[str, toolchain.Image]]:
    """The boot modules of the case's second machine (none: a single machine)."""
    system = system_of(case)
    if case.home:
        directory = tree("benchmarks") / case.home
    out = []
    for spec in case.remote:
        program, *extra = spec.split("+")
        out.append((Path(program).stem, _image(directory, program, system, extra, case.defines)))
    return out


def images(case: Case, directory: Path) -> dict[str, str]:
    """Content hash of every guest image the case boots: the kernel and its programs."""
    system = system_of(case)
    return {f"{system.name}-kernel": system.kernel().hash,
            **{name: img.hash for name, img in programs(case, directory)},
            **{f"remote-{name}": img.hash for name, img in remote_programs(case, directory)}}


def boot_run(case: Case, directory: Path, n: int, preset: str = PUBLISHED, *,
             hazard_check: bool = False, profile: bool = False,
             overrides: Mapping[str, float] | None = None) -> guestrun.GuestRun:
    """Run the case's programs with n operations (its params plus "n"); with a remote machine,
    both (machine 0's run is returned)."""
    if case.remote:
        return guestrun.run_cluster(system_of(case),
                                    [programs(case, directory), remote_programs(case, directory)],
                                    {**case.params, "n": n}, preset=preset, hazard_check=hazard_check,
                                    overrides=overrides)[0]
    return guestrun.run(system_of(case), programs(case, directory), {**case.params, "n": n},
                        preset=preset, hazard_check=hazard_check, profile=profile, overrides=overrides)


def measure(case: Case, directory: Path, preset: str = PUBLISHED, *, quick: bool = False,
            hazard_check: bool = False, overrides: Mapping[str, float] | None = None) -> Measurement:
    """Boot the case's program on its system, run it, and return the cost per operation.

    Raises ValidationError when the guest's own validation failed or its markers do not
    pair up, guestrun.HazardError on a load-delay hazard (with hazard_check), and
    machine.MachineError when the guest did not halt cleanly."""
    n = case.ops(quick)
    try:
        run = boot_run(case, directory, n, preset, hazard_check=hazard_check, overrides=overrides)
    except (guestrun.HazardError, guestrun.ForeignReportError) as exc:
        raise ValidationError(f"{case.key}: {exc}") from None
    results = run.results()
    clock = run.machine.cost["clock_mhz"]
    what = f"{case.key} ({directory.name}, {preset})"
    if results.get("supported", 1) == 0:
        return Measurement(preset, clock, supported=False, results=results)
    if results.get("valid") != 1:
        raise ValidationError(f"{what}: the guest's validation failed: results {results}\n"
                              f"console:\n{run.console()[-1500:]}")
    d = timed(run.machine.markers(), what)
    return Measurement(preset, clock, True, d["insns"] / n, d["cycles"] / n,
                       (d["insns"] - d["user_insns"]) / n, results, d["host_ns"] / n)


def timed(markers: Sequence[Marker], what: str) -> dict[str, int]:
    """Sum the counters over every START..END interval (a program may time only part of
    each iteration, e.g. the unprotect of a protect/unprotect pair)."""
    p = protocol()
    total = {"insns": 0, "cycles": 0, "user_insns": 0, "host_ns": 0}
    start, pairs = None, 0
    for mk in markers:
        if mk.id == p["BENCH_MARK_START"]:
            if start is not None:
                raise ValidationError(f"{what}: two start markers in a row")
            start = mk
        elif mk.id == p["BENCH_MARK_END"]:
            if start is None:
                raise ValidationError(f"{what}: an end marker without a start")
            for k in ("insns", "cycles", "user_insns"):
                total[k] += mk.counters[k] - start.counters[k]
            total["host_ns"] += mk.host_ns - start.host_ns
            start, pairs = None, pairs + 1
    if not pairs or start is not None:
        raise ValidationError(f"{what}: the guest's start/end markers do not pair up")
    return total
