"""The pyperf harness of a paper experiment: the body of every benchmark's bench.py.

    python benchmarks/<name>/bench.py -o results/<name>.json [--quick-ops]
        [--preset NAME] [--set PARAM=VALUE ...] [pyperf options]

The manager process measures every case's emulated cost first, on the published preset
(`--preset`, default dec5000, changed by any `--set`) and on `ideal` beside it
(deterministic; a failed validation stops the run before any timing), and the breakdowns
the benchmark asks for; pyperf's workers then time the host cost between the markers;
finally the manager writes the emulated metrics and the run's provenance (commit, images,
toolchain, cost parameters) into the JSON (results.metadata).  --quick-ops runs a tenth of
the operations (Case.ops).  pyperf passes every exobench option on to its workers.
"""
from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path
from typing import Callable, Mapping, Sequence

import pyperf

from . import breakdown, paths, toolchain
from .experiment import Case, images, measure
from .machine import Machine, default_engine
from .results import PUBLISHED, REFERENCE, Entry, metadata


def parse_setting(text: str) -> tuple[str, float]:
    """"PARAM=VALUE" -> (PARAM, VALUE); argparse.ArgumentTypeError when malformed."""
    name, eq, value = text.partition("=")
    try:
        if not eq or not name:
            raise ValueError
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected PARAM=NUMBER, not {text!r}") from None
    return name.strip(), int(number) if number.is_integer() else number


def add_options(parser: argparse.ArgumentParser) -> None:
    """exobench's options of a run: also used by the command line (exobench run/bench)."""
    parser.add_argument("--preset", default=PUBLISHED, help=f"cost preset the tables show (default {PUBLISHED})")
    parser.add_argument("--set", dest="overrides", action="append", type=parse_setting, default=[],
                        metavar="PARAM=VALUE", help="change one cost parameter of the preset (repeatable)")


def config(args) -> tuple[str, dict[str, float]]:
    """(published preset, overrides) of a parsed command line, checked against the engine:
    ValueError for an unknown preset or parameter."""
    overrides = dict(args.overrides)
    Machine(args.preset, 1 << 20, overrides)
    return args.preset, overrides


def runner() -> tuple[pyperf.Runner, argparse.Namespace]:
    """A pyperf Runner with exobench's settings and options (--quick-ops, --preset, --set),
    and the parsed command line (also for custom harnesses such as emulator_speed's)."""
    def pass_on(cmd: list[str], args) -> None:
        if args.quick_ops:
            cmd.append("--quick-ops")
        for key in args.skip_case:
            cmd += ["--skip-case", key]
        cmd += ["--preset", args.preset]
        for name, value in args.overrides:
            cmd += ["--set", f"{name}={value}"]
    r = pyperf.Runner(values=3, processes=2, warmups=1, loops=1, add_cmdline_args=pass_on)
    r.argparser.add_argument("--quick-ops", action="store_true",
                             help="exobench: a tenth of the operations per case (quick mode)")
    r.argparser.add_argument("--skip-case", action="append", default=[], metavar="KEY",
                             help="exobench (internal): a case the system cannot run, not timed")
    add_options(r.argparser)
    return r, r.parse_args()


def provenance(presets_used: Mapping[str, dict]) -> dict:
    """Where the numbers come from: the tree's commit (and whether it had changes), the guest
    toolchain, the engine (both give the same counters; host times differ) and every cost
    parameter of the presets that ran."""
    meta = {"exobench_toolchain": toolchain.toolchain_version(),
            "exobench_engine": default_engine(),
            "exobench_presets": json.dumps(dict(presets_used), sort_keys=True)}
    root = paths.repo_root()
    if root is not None:
        def git(*argv: str) -> str:
            out = subprocess.run(["git", "-C", str(root), *argv], capture_output=True, text=True)
            return out.stdout.strip() if out.returncode == 0 else ""
        meta["exobench_commit"] = git("rev-parse", "HEAD") or "unknown"
        # results/ itself is rewritten by the run: only changes to the code count
        meta["exobench_dirty"] = int(bool(git("status", "--porcelain", "--untracked-files=no", "--", ".",
                                              ":(exclude)results")))
    return meta


def _entry(case: Case, directory: Path, quick: bool, published: str, overrides: Mapping[str, float],
           phases: Mapping[str, str] | None, extra_presets: Sequence[str] = ()) -> Entry:
    # Extra presets (other machines of the paper) run unchanged: --set changes the published one.
    runs = {published: overrides, REFERENCE: {}, **{p: {} for p in extra_presets if p not in (published, REFERENCE)}}
    e = Entry(case.table, case.row, case.system, case.ops(quick),
              {p: measure(case, directory, p, quick=quick, overrides=o) for p, o in runs.items()},
              published=published, overrides=overrides, images=images(case, directory))
    if phases is not None and e.supported:
        e.breakdown = tuple(breakdown.breakdown(case, directory, phases or None, preset=published,
                                                overrides=overrides))
    return e


def _time_func(case: Case, directory: Path, quick: bool, published: str, overrides: Mapping[str, float]):
    def time_func(loops: int) -> float:
        return sum(measure(case, directory, published, quick=quick, overrides=overrides).host_ns
                   * case.ops(quick) / 1e9 for _ in range(loops))
    return time_func


def _untimed_suite(cases: Sequence[Case], entries: Mapping[str, Entry], published: str, quick: bool,
                   skip: Sequence[str]) -> pyperf.BenchmarkSuite:
    """main()'s suite for host_timing=False: per supported case one run of one value, the host
    seconds per operation of the published preset's guest run (as a timed worker's value)."""
    benches = []
    for c in cases:
        if c.key in skip:
            continue
        value = entries[c.key].measurements[published].host_ns / 1e9
        run = pyperf.Run([value], metadata={"name": c.key, "loops": 1, "inner_loops": c.ops(quick)})
        bench = pyperf.Benchmark([run])
        print(f"{c.key}: {bench.format_value(value)} (one run; no host time is published)")
        benches.append(bench)
    if not benches:
        raise SystemExit("exobench: no case this experiment's systems can run")
    return pyperf.BenchmarkSuite(benches)


def main(cases: Sequence[Case], bench_file: str, breakdowns: Mapping[str, Mapping[str, str]] = {},
         extra_presets: Sequence[str] = (),
         annotate: Callable[[Case, Path, bool], Mapping[str, object]] | None = None,
         host_timing: bool = True) -> None:
    """Run `cases` (the experiment in bench_file's directory) under pyperf.

    `breakdowns` names the cases (by key) whose cost is also broken down by symbol, with an
    optional symbol -> phase map.  `extra_presets` (a bench.py's EXTRA_PRESETS: the paper's
    other machines) are measured beside the published preset and `ideal`, without overrides,
    and stored like them (Entry.measurements is keyed by preset).  `annotate(case, directory,
    quick)`, when given, returns more metadata (exobench_* keys) stored with each case's
    benchmark (the calibration experiment's counters).  `host_timing=False` is for an
    experiment that publishes no host time (attribution: emulated metrics only): no pyperf
    worker runs, and each case's benchmark holds one value, the host time of the guest run
    that measured its emulated metrics (instead of 2 worker processes x (1 warm-up + 3
    values), eight more guest runs and two Python start-ups per case)."""
    directory = Path(bench_file).resolve().parent
    keys = [c.key for c in cases]
    if len(set(keys)) != len(keys):
        raise ValueError(f"duplicate case keys in {bench_file}")
    r, args = runner()
    quick = args.quick_ops
    try:
        published, overrides = config(args)
    except ValueError as exc:
        raise SystemExit(f"exobench: {exc}") from None
    extra = tuple(p for p in dict.fromkeys(extra_presets) if p not in (published, REFERENCE))
    entries = {} if args.worker else {
        c.key: _entry(c, directory, quick, published, overrides, breakdowns.get(c.key), extra) for c in cases}
    if not args.worker:     # rows the system cannot run have no time to take: not timed at all
        args.skip_case = [k for k, e in entries.items() if not e.supported]
    if not host_timing:
        if not args.worker and args.output:
            _untimed_suite(cases, entries, published, quick, args.skip_case).dump(args.output, replace=True)
    else:
        for case in cases:
            if case.key not in args.skip_case:
                r.bench_time_func(case.key, _time_func(case, directory, quick, published, overrides),
                                  inner_loops=case.ops(quick))
    if not args.worker and args.output:
        used = {published: Machine(published, 1 << 20, overrides).cost, REFERENCE: Machine(REFERENCE, 1 << 20).cost,
                **{p: Machine(p, 1 << 20).cost for p in extra}}
        common = provenance(used)
        suite = pyperf.BenchmarkSuite.load(args.output)
        na = json.dumps([metadata(entries[k]) for k in args.skip_case])
        for bench in suite.get_benchmarks():
            case = next(c for c in cases if c.key == bench.get_name())
            more = dict(annotate(case, directory, quick)) if annotate else {}
            bench.update_metadata({**common, **metadata(entries[bench.get_name()]), **more, "exobench_na": na})
        suite.dump(args.output, replace=True)
