"""The pyperf harness of a paper experiment: the body of every benchmark's bench.py.

    python benchmarks/<name>/bench.py -o results/<name>.json [--quick-ops] [pyperf options]

The manager process measures every case's emulated cost first, on every preset in
results.PRESETS (deterministic; a failed validation stops the run before any timing), and
the breakdowns the benchmark asks for; pyperf's workers then time the host cost between the
markers; finally the manager writes the emulated metrics into the JSON (results.metadata).
--quick-ops runs a tenth of the operations (Case.ops); pyperf passes it on to its workers.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping, Sequence

import pyperf

from . import breakdown, toolchain
from .experiment import Case, measure
from .machine import presets
from .results import PRESETS, PUBLISHED, Entry, metadata


def runner() -> tuple[pyperf.Runner, object]:
    """A pyperf Runner with exobench's settings and its --quick-ops option, and the parsed
    command line (for custom harnesses such as emulator_speed's)."""
    def pass_on(cmd: list[str], args) -> None:
        if args.quick_ops:
            cmd.append("--quick-ops")
    r = pyperf.Runner(values=3, processes=2, warmups=1, loops=1, add_cmdline_args=pass_on)
    r.argparser.add_argument("--quick-ops", action="store_true",
                             help="exobench: a tenth of the operations per case (quick mode)")
    return r, r.parse_args()


def _entry(case: Case, directory: Path, quick: bool, phases: Mapping[str, str] | None) -> Entry:
    e = Entry(case.table, case.row, case.system, case.ops(quick),
              {p: measure(case, directory, p, quick=quick) for p in PRESETS})
    if phases is not None and e.supported:
        e.breakdown = tuple(breakdown.breakdown(case, directory, phases or None))
    return e


def _time_func(case: Case, directory: Path, quick: bool):
    def time_func(loops: int) -> float:
        total = 0.0
        for _ in range(loops):
            ms = measure(case, directory, PUBLISHED, quick=quick)
            # n/a rows have no operations; their "time" is just how long the refusal took.
            total += ms.host_ns * case.ops(quick) / 1e9 if ms.supported else 1e-9
        return total
    return time_func


def main(cases: Sequence[Case], bench_file: str, breakdowns: Mapping[str, Mapping[str, str]] = {}) -> None:
    """Run `cases` (the experiment in bench_file's directory) under pyperf.

    `breakdowns` names the cases (by key) whose cost is also broken down by symbol, with an
    optional symbol -> phase map."""
    directory = Path(bench_file).resolve().parent
    keys = [c.key for c in cases]
    if len(set(keys)) != len(keys):
        raise ValueError(f"duplicate case keys in {bench_file}")
    r, args = runner()
    quick = args.quick_ops
    entries = {} if args.worker else {c.key: _entry(c, directory, quick, breakdowns.get(c.key)) for c in cases}
    for case in cases:
        r.bench_time_func(case.key, _time_func(case, directory, quick), inner_loops=case.ops(quick))
    if not args.worker and args.output:
        common = {"exobench_toolchain": toolchain.toolchain_version(),
                  "exobench_presets": json.dumps({p: presets()[p] for p in PRESETS}, sort_keys=True)}
        suite = pyperf.BenchmarkSuite.load(args.output)
        for bench in suite.get_benchmarks():
            bench.update_metadata({**common, **metadata(entries[bench.get_name()])})
        suite.dump(args.output, replace=True)
