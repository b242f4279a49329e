"""The results schema: what an experiment measured, and the one module that reads and writes it.

An experiment's results file is a pyperf JSON suite with one benchmark per case (a paper row
on one system).  pyperf's value is the host time per operation; everything the emulator
measured -- deterministic, per operation, on each preset -- travels in the benchmark's
metadata under the keys this module defines.  Nothing else decodes those keys: the harness
writes `Entry`s through `metadata()`, tables and the summary read them back as `Row`s.

    Measurement   one case on one preset: per-operation cycles, instructions, kernel
                  instructions, the guest's results, host ns, and the preset's clock
    Part          one line of a per-symbol cycle breakdown
    Entry         one case in a results file: its Measurements by preset, its breakdown,
                  pyperf's median host time
    Row           a paper row: the Entry of each system that ran it
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import pyperf

PUBLISHED = "dec5000"               # the preset the published tables show (the default)
REFERENCE = "ideal"                 # measured beside it: the same run without caches
SYSTEM_LABEL = {"aegis": "Aegis/ExOS", "baseline": "baseline"}
PAPER_SYSTEM = {"aegis": "aegis", "baseline": "ultrix"}   # our system -> its column in the paper

_FIELDS = ("insns", "cycles", "kernel_insns")


class ResultsError(ValueError):
    """A file is not exobench results, or its metadata is malformed."""


@dataclass(frozen=True)
class Measurement:
    """Per-operation emulated cost of one case on one preset (supported=False: the system
    has no such mechanism, and the row is n/a)."""
    preset: str
    clock_mhz: float
    supported: bool
    insns: float = 0.0
    cycles: float = 0.0
    kernel_insns: float = 0.0
    results: Mapping[str, int] = field(default_factory=dict)
    host_ns: float = 0.0                        # host time per operation in this run

    @property
    def us(self) -> float:
        """Microseconds per operation at the clock of the preset that ran."""
        return self.cycles / self.clock_mhz


@dataclass(frozen=True)
class Part:
    """One line of a breakdown: the cost per operation of one symbol (or phase)."""
    where: str          # "kernel", "user" (the measuring program) or "peer"
    name: str
    insns: float
    cycles: float


@dataclass
class Entry:
    """One case (a row on one system) as a results file holds it."""
    table: str
    row: str
    system: str
    ops: int                                            # operations between the markers
    measurements: dict[str, Measurement] = field(default_factory=dict)   # preset -> cost
    breakdown: tuple[Part, ...] = ()
    host_median_s: float | None = None                  # pyperf's median, per operation
    published: str = PUBLISHED                          # the preset the tables show ...
    overrides: Mapping[str, float] = field(default_factory=dict)   # ... with these changes
    images: Mapping[str, str] = field(default_factory=dict)   # guest image -> content hash

    @property
    def key(self) -> str:
        return f"{self.system}/{self.row}"

    def on(self, preset: str | None = None) -> Measurement | None:
        """The measurement on `preset` (default: the published one) when the case ran there
        and is supported, else None."""
        m = self.measurements.get(preset or self.published)
        return m if m is not None and m.supported else None

    @property
    def supported(self) -> bool:
        m = self.measurements.get(self.published)
        return m is None or m.supported


@dataclass
class Row:
    """What a table shows for one paper row, on both systems."""
    table: str
    row: str
    ours: dict[str, Entry] = field(default_factory=dict)    # system -> entry

    def on(self, system: str, preset: str | None = None) -> Measurement | None:
        e = self.ours.get(system)
        return e.on(preset) if e else None

    def cycles(self, system: str, preset: str | None = None) -> float | None:
        m = self.on(system, preset)
        return m.cycles if m else None


# ---- writing -------------------------------------------------------------------------------

def metadata(entry: Entry) -> dict:
    """The pyperf metadata that stores `entry` (its host median is pyperf's own)."""
    meta = {"exobench_table": entry.table, "exobench_row": entry.row,
            "exobench_system": entry.system, "exobench_ops": entry.ops,
            "exobench_published": entry.published,
            "exobench_overrides": json.dumps(dict(entry.overrides), sort_keys=True),
            "exobench_images": json.dumps(dict(entry.images), sort_keys=True)}
    for preset, m in entry.measurements.items():
        meta[f"emu_{preset}_supported"] = int(m.supported)
        meta[f"emu_{preset}_clock_mhz"] = m.clock_mhz
        if m.supported:
            for f in _FIELDS:
                meta[f"emu_{preset}_{f}"] = getattr(m, f)
        meta[f"emu_{preset}_results"] = json.dumps(dict(m.results), sort_keys=True)
    if entry.breakdown:
        meta["exobench_breakdown"] = json.dumps(
            [[p.where, p.name, round(p.insns, 2), round(p.cycles, 2)] for p in entry.breakdown])
    return meta


# ---- reading -------------------------------------------------------------------------------

def is_exobench(bench: pyperf.Benchmark) -> bool:
    return "exobench_table" in bench.get_metadata()


def entry(bench: pyperf.Benchmark | None, meta: Mapping | None = None) -> Entry:
    """Decode one pyperf benchmark written by the harness (or, with bench None, the metadata
    of a row the harness did not time: one the system cannot run, kept in exobench_na)."""
    meta = bench.get_metadata() if bench is not None else meta
    name = bench.get_name() if bench is not None else meta.get("exobench_row")
    try:
        e = Entry(str(meta["exobench_table"]), meta["exobench_row"], meta["exobench_system"],
                  int(meta.get("exobench_ops", 0)), published=meta.get("exobench_published", PUBLISHED),
                  overrides=json.loads(meta.get("exobench_overrides", "{}")),
                  images=json.loads(meta.get("exobench_images", "{}")))
        # Every preset the case ran on: the published one, the reference, and any extra
        # machines the experiment asked for (harness.main's extra_presets).
        ran = [k[len("emu_"):-len("_supported")] for k in meta if k.startswith("emu_") and k.endswith("_supported")]
        for preset in dict.fromkeys([e.published, REFERENCE, *ran]):
            if f"emu_{preset}_supported" not in meta:
                continue
            sup = bool(meta[f"emu_{preset}_supported"])
            vals = {f: float(meta[f"emu_{preset}_{f}"]) for f in _FIELDS} if sup else {}
            e.measurements[preset] = Measurement(
                preset, float(meta[f"emu_{preset}_clock_mhz"]), sup,
                results=json.loads(meta.get(f"emu_{preset}_results", "{}")), **vals)
        if "exobench_breakdown" in meta:
            e.breakdown = tuple(Part(*p) for p in json.loads(meta["exobench_breakdown"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ResultsError(f"benchmark {name!r}: malformed exobench metadata ({exc})") from None
    e.host_median_s = bench.median() if bench is not None and bench.get_nvalue() else None
    return e


def rows(suite: pyperf.BenchmarkSuite) -> list[Row]:
    """The suite's entries grouped by paper row, in the order the cases ran."""
    out: dict[tuple[str, str], Row] = {}
    na: dict[str, Mapping] = {}
    for b in suite.get_benchmarks():
        if not is_exobench(b):
            continue
        e = entry(b)
        out.setdefault((e.table, e.row), Row(e.table, e.row)).ours[e.system] = e
        try:
            for m in json.loads(b.get_metadata().get("exobench_na", "[]")):
                na[f"{m.get('exobench_system')}/{m.get('exobench_row')}"] = m
        except (TypeError, ValueError):
            raise ResultsError(f"benchmark {b.get_name()!r}: malformed exobench_na") from None
    for m in na.values():       # rows a system cannot run (not timed), in their table's rows
        e = entry(None, m)
        out.setdefault((e.table, e.row), Row(e.table, e.row)).ours[e.system] = e
    return list(out.values())


def load_suite(path: Path) -> pyperf.BenchmarkSuite:
    """A pyperf suite from `path`, or ResultsError saying what is wrong with the file."""
    path = Path(path)
    if not path.is_file():
        raise ResultsError(f"no such results file: {path}")
    try:
        return pyperf.BenchmarkSuite.load(str(path))
    except (ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ResultsError(f"{path}: not a pyperf results file ({exc.__class__.__name__}: {exc})") from None


def load_dir(results: Path) -> dict[tuple[str, str], Row]:
    """Every exobench row in a results directory.  Other JSON files, and results files this
    version cannot read, are left out (exobench.freshness reports those as stale)."""
    out = {}
    for path in sorted(Path(results).glob("*.json")):
        try:
            for r in rows(load_suite(path)):
                out[(r.table, r.row)] = r
        except ResultsError:
            continue
    return out

