"""Paper experiments: run one guest benchmark on one system, take its per-operation cost from
the markers around n operations, refuse it unless the guest validated what it measured, and
publish rows beside the paper's.

A benchmark directory's bench.py lists its Cases and calls ``main(CASES, __file__)``; its
``render`` is ``renderer(TITLE, CASES)``.  The emulated metrics (deterministic) go into the
pyperf JSON as metadata; the host time per operation is what pyperf measures, taken between
the two markers with the host clock the board stamps on each.
"""
from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pyperf

from . import paper, systems, toolchain
from .constants import parse_header
from .machine import Machine, presets
from .paths import tree

PRESETS = ("dec5000", "ideal")      # published, sensitivity check
PUBLISHED = "dec5000"
INSN_LIMIT = 2_000_000_000
SYSTEM_LABEL = {"aegis": "Aegis/ExOS", "baseline": "baseline"}
PAPER_SYSTEM = {"aegis": "aegis", "baseline": "ultrix"}


@lru_cache(maxsize=None)
def protocol() -> dict[str, int]:
    return parse_header(tree("include") / "osapi.h")


def quick() -> bool:
    return os.environ.get("EXOBENCH_QUICK") == "1"


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

    @property
    def key(self) -> str:
        return f"{self.system}/{self.row}"

    def ops(self) -> int:
        if not quick() or self.n < 100:
            return self.n
        return self.n // 10


@dataclass(frozen=True)
class Measurement:
    """Per-operation emulated cost of a Case on one preset."""
    case: Case
    preset: str
    supported: bool
    insns: float = 0.0
    cycles: float = 0.0
    kernel_insns: float = 0.0
    results: Mapping[str, int] = field(default_factory=dict)
    host_ns: float = 0.0                        # host time per operation in this run

    def us(self, mhz: float) -> float:
        return self.cycles / mhz


def _image(directory: Path, program: str, system, extra: Sequence[str] = ()) -> toolchain.Image:
    """Build a benchmark program for one system.  EXOBENCH_SYSTEM_<NAME> lets a source use a
    mechanism only one system has (protected control transfer) and report n/a elsewhere."""
    name = "_".join([directory.name, Path(program).stem, *(Path(e).stem for e in extra), system.name])
    return system.program(name, [directory / program, *(directory / e for e in extra)],
                          include_dirs=[tree("benchmarks") / "include"],
                          defines={f"EXOBENCH_SYSTEM_{system.name.upper()}": 1})


def programs(case: Case, directory: Path, system) -> list[tuple[str, toolchain.Image]]:
    """The boot modules of a case: its program (first, started by the kernel) and peers."""
    return [(Path(case.program).stem, _image(directory, case.program, system, case.extra_sources)),
            *((Path(p).stem, _image(directory, p, system)) for p in case.peers)]


def measure(case: Case, directory: Path, preset: str = PUBLISHED, hazard_check: bool = False) -> Measurement:
    """Boot the case's program on its system, run it, and return the cost per operation.
    With hazard_check, any load-delay hazard in the code that ran (kernel or user) is an
    error: the R3000 does not interlock loads, so such code would not run on the real chip."""
    system = systems.get(case.system)
    m = Machine(preset, 32 << 20)
    n = case.ops()
    system.boot(m, programs(case, directory, system), params={**case.params, "n": n})
    m.set_hazard_check(hazard_check)
    m.run(INSN_LIMIT)
    total, hazards = m.hazards()
    if total:
        raise ValidationError(f"{case.key}: {total} load-delay hazards, e.g. " + "; ".join(map(str, hazards[:3])))
    results = dict(m.results())
    what = f"{case.key} ({directory.name}, {preset})"
    if results.get("supported", 1) == 0:
        return Measurement(case, preset, supported=False, results=results)
    if results.get("valid") != 1:
        raise ValidationError(f"{what}: the guest's validation failed: results {results}\n"
                              f"console:\n{m.console()[-1500:]}")
    d = _timed(m.markers(), what)
    return Measurement(case, preset, True, d["insns"] / n, d["cycles"] / n,
                       (d["insns"] - d["user_insns"]) / n, results, d["host_ns"] / n)


def _timed(markers, what: str) -> dict[str, int]:
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


# ---- pyperf ---------------------------------------------------------------------------------

def _metadata(case: Case, directory: Path) -> dict:
    meta = {"exobench_toolchain": toolchain.toolchain_version(),
            "exobench_presets": json.dumps({p: presets()[p] for p in PRESETS}, sort_keys=True),
            "exobench_table": case.table,
            "exobench_row": case.row, "exobench_system": case.system, "exobench_ops": case.ops()}
    for preset in PRESETS:
        ms = measure(case, directory, preset)
        meta[f"emu_{preset}_supported"] = int(ms.supported)
        if ms.supported:
            meta[f"emu_{preset}_insns"] = ms.insns
            meta[f"emu_{preset}_cycles"] = ms.cycles
            meta[f"emu_{preset}_kernel_insns"] = ms.kernel_insns
        meta[f"emu_{preset}_results"] = json.dumps(ms.results, sort_keys=True)
    return meta


def _time_func(case: Case, directory: Path):
    def time_func(loops: int) -> float:
        total = 0.0
        for _ in range(loops):
            ms = measure(case, directory, PUBLISHED)
            # n/a rows have no operations; their "time" is just how long the refusal took.
            total += ms.host_ns * case.ops() / 1e9 if ms.supported else 1e-9
        return total
    return time_func


def main(cases: Sequence[Case], bench_file: str, breakdowns: Mapping[str, Mapping[str, str]] = {}) -> None:
    """The body of a benchmark's bench.py.

    The manager process measures every case's emulated cost first (deterministic; a failed
    validation stops the run before any timing), pyperf workers time the host cost between
    the markers, and the manager finally writes the emulated metrics into the JSON.
    `breakdowns` names the cases (by key) whose cost is also broken down by symbol, with
    an optional symbol -> phase map; the breakdown goes into the JSON too."""
    directory = Path(bench_file).resolve().parent
    keys = [c.key for c in cases]
    if len(set(keys)) != len(keys):
        raise ValueError(f"duplicate case keys in {bench_file}")
    runner = pyperf.Runner(values=3, processes=2, warmups=1, loops=1)
    args = runner.parse_args()
    meta = {} if args.worker else {c.key: _metadata(c, directory) for c in cases}
    if not args.worker:
        from .breakdown import breakdown
        for case in cases:
            if case.key in breakdowns:
                parts = breakdown(case, directory, breakdowns[case.key] or None)
                meta[case.key]["exobench_breakdown"] = json.dumps(
                    [[p.where, p.name, round(p.insns, 2), round(p.cycles, 2)] for p in parts])
    for case in cases:
        runner.bench_time_func(case.key, _time_func(case, directory), inner_loops=case.ops())
    if not args.worker and args.output:
        suite = pyperf.BenchmarkSuite.load(args.output)
        for bench in suite.get_benchmarks():
            bench.update_metadata(meta[bench.get_name()])
        suite.dump(args.output, replace=True)


# ---- tables ---------------------------------------------------------------------------------

@dataclass
class Row:
    """What a table shows for one paper row, on both systems."""
    table: str
    row: str
    ours: dict[str, dict] = field(default_factory=dict)      # system -> metadata subset

    def cycles(self, system: str, preset: str = PUBLISHED) -> float | None:
        m = self.ours.get(system)
        return m.get(f"emu_{preset}_cycles") if m else None


def collect(suite: pyperf.BenchmarkSuite) -> list[Row]:
    rows: dict[tuple[str, str], Row] = {}
    for b in suite.get_benchmarks():
        meta = b.get_metadata()
        key = (meta["exobench_table"], meta["exobench_row"])
        row = rows.setdefault(key, Row(*key))
        entry = dict(meta)
        entry["host_median_s"] = b.median()
        row.ours[meta["exobench_system"]] = entry
    return list(rows.values())


def _ours_cell(entry: dict | None, mhz: float) -> str:
    if entry is None:
        return "–"
    if not entry.get(f"emu_{PUBLISHED}_supported", 1):
        return "n/a"
    cyc, ins = entry[f"emu_{PUBLISHED}_cycles"], entry[f"emu_{PUBLISHED}_insns"]
    return f"{_duration(cyc / mhz)} ({cyc:.0f} cyc, {ins:.0f} insn)"


def _duration(us: float) -> str:
    if us >= 1e6:
        return f"{us / 1e6:.3f} s"
    if us >= 1e4:
        return f"{us / 1e3:.2f} ms"
    return f"{us:.2f} µs"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a and b else "–"


def render_breakdowns(rows: Iterable[Row]) -> list[str]:
    from .breakdown import Part, render
    out = []
    for r in rows:
        for system, entry in sorted(r.ours.items()):
            if "exobench_breakdown" in entry:
                parts = [Part(*p) for p in json.loads(entry["exobench_breakdown"])]
                out += ["", render(f"{r.row} on {SYSTEM_LABEL[system]}: where the cycles go", parts)]
    return out


def render_rows(title: str, rows: Iterable[Row], note: str = "") -> str:
    rows = list(rows)
    mhz = paper.machines()["dec5000"]
    lines = [f"# {title}", "",
             f"Per operation on the `{PUBLISHED}` preset (DECstation 5000/125, {mhz:g} MHz). "
             "Ours: µs at the modelled clock (cycles, instructions); host time per operation is in "
             "the pyperf JSON. Ratios are baseline (Ultrix) over Aegis.", "",
             "| row | paper Ultrix | paper Aegis/ExOS | ours baseline | ours Aegis/ExOS | paper ratio | our ratio |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        pu = paper.value(r.table, r.row, "ultrix")
        pa = paper.value(r.table, r.row, "aegis")
        paper_ratio = _ratio(pu.us if pu and not pu.na else None, pa.us if pa and not pa.na else None)
        ours_ratio = _ratio(r.cycles("baseline"), r.cycles("aegis"))
        lines.append(f"| {r.row} | {pu.cell() if pu else '–'} | {pa.cell() if pa else '–'} | "
                     f"{_ours_cell(r.ours.get('baseline'), mhz)} | {_ours_cell(r.ours.get('aegis'), mhz)} | "
                     f"{paper_ratio} | {ours_ratio} |")
    tables = {r.table for r in rows}
    for v in paper.values():
        if v.system == "literature" and v.table in tables:
            lines += ["", f"Reference from the literature: {v.row}: {v.cell()} µs on {v.machine} ({v.source})."]
    lines += ["", paper.LEGEND]
    if note:
        lines += ["", note]
    lines += render_breakdowns(rows)
    return "\n".join(lines) + "\n"


def render_csv(rows: Iterable[Row]) -> str:
    """The same rows as render_rows, one line per (row, system), for spreadsheets and plots."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["table", "row", "system", "paper_us", "paper_status", "supported",
                *(f"{p}_{k}" for p in PRESETS for k in ("cycles", "insns", "kernel_insns")),
                f"{PUBLISHED}_us", "host_median_s"])
    mhz = paper.machines()["dec5000"]
    for r in rows:
        for system, entry in sorted(r.ours.items()):
            pv = paper.value(r.table, r.row.split(" (")[0], PAPER_SYSTEM[system])
            sup = entry.get(f"emu_{PUBLISHED}_supported", 1)
            vals = [entry.get(f"emu_{p}_{k}", "") if sup else ""
                    for p in PRESETS for k in ("cycles", "insns", "kernel_insns")]
            cyc = entry.get(f"emu_{PUBLISHED}_cycles") if sup else None
            w.writerow([r.table, r.row, system, "n/a" if pv and pv.na else (pv.us if pv else ""),
                        pv.status if pv else "", sup, *vals,
                        f"{cyc / mhz:.4f}" if cyc else "", entry.get("host_median_s", "")])
    return out.getvalue()


def renderer(title: str, note: str = ""):
    def render(suite: pyperf.BenchmarkSuite, fmt: str = "md") -> str:
        rows = collect(suite)
        return render_csv(rows) if fmt == "csv" else render_rows(title, rows, note)
    return render
