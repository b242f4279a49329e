"""The exobench command line: list, run, bench, table, summary, diff, compare.

    exobench list                     the experiments and what each measures
    exobench run NAME... [--quick]    run experiments, write results/NAME.json and .md
    exobench bench [--quick]          run every experiment (what `make bench` does)
        both take --preset NAME and --set PARAM=VALUE (repeatable): "what if the write
        buffer were 8 deep?" is `exobench --results wb8 run ipc --set wb_depth=8`
    exobench table NAME... [--format md|csv]
                                      re-render results/NAME.md from its JSON, or print CSV
    exobench summary                  re-check the paper's claims -> results/summary.md, README.md
    exobench sensitivity              every headline ratio over the open cost parameters' ranges
    exobench diff A B                 emulated metrics of two result directories, row by row
    exobench compare A.json B.json    pyperf comparison of two runs (host time)

--results DIR (before the command) chooses the results directory (default results/).
"""
from __future__ import annotations

import argparse
import inspect
import subprocess
import sys
import time
from pathlib import Path

from . import diff, figures, harness, registry, report, results, summary


class UsageError(Exception):
    """A bad option value: reported in one line, exit status 2."""


def _results_dir(args) -> Path:
    d = Path(args.results)
    d.mkdir(parents=True, exist_ok=True)
    return d


def cmd_list(args) -> int:
    for b in registry.all_benchmarks():
        print(f"{b.name:24} {b.description}")
    return 0


def _run_one(b: registry.Benchmark, outdir: Path, quick: bool, step: str = "", config: list[str] = ()) -> None:
    out = outdir / f"{b.name}.json"
    if out.exists():
        out.unlink()            # pyperf refuses to overwrite; a run replaces the last one
    # pyperf starts its workers with a scrubbed environment: the image cache's location and
    # the engine choice (machine.Machine) are passed on; quick mode travels as an option
    # (exobench.harness.runner).
    cmd = [sys.executable, str(b.script), "-o", str(out), "--quiet",
           "--inherit-environ=EXOBENCH_CACHE,EXOBENCH_ENGINE"]
    if quick:
        cmd += ["--fast", "--quick-ops"]
    cmd += config
    t0 = time.perf_counter()
    print(f"[{step}{b.name}] running ({'quick' if quick else 'full'}: {b.description}) ...", flush=True)
    proc = subprocess.run(cmd)
    if proc.returncode != 0:
        raise SystemExit(f"[{b.name}] failed (exit {proc.returncode}); nothing was published for it")
    _render(b, out, outdir)
    print(f"[{step}{b.name}] done in {time.perf_counter() - t0:.0f} s -> {outdir / (b.name + '.md')}",
          flush=True)


def _render(b: registry.Benchmark, json_path: Path, outdir: Path) -> None:
    suite = results.load_suite(json_path)
    render = b.module().render
    # A table that sets its numbers beside the other experiments' (host) reads them too.
    extra = {"results_dir": outdir} if "results_dir" in inspect.signature(render).parameters else {}
    text = render(suite, **extra)
    mod = b.module()
    title = getattr(mod, "TITLE", b.name)
    own = getattr(mod, "figures", None)         # a table of its own shape draws its own
    extra = {"results_dir": outdir} if own and "results_dir" in inspect.signature(own).parameters else {}
    for fig in (own(suite, outdir / "figures", **extra) if own else figures.draw(b.name, title, suite, outdir / "figures")):
        text += f"\n![{title}: {fig.stem}](figures/{fig.name})\n"
    (outdir / f"{b.name}.md").write_text(text)


def _config(args) -> list[str]:
    """The --preset/--set options for the benchmark scripts, checked here first (a clear
    error for an unknown preset or parameter before anything runs)."""
    try:
        preset, overrides = harness.config(args)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return ["--preset", preset, *(a for k, v in overrides.items() for a in ("--set", f"{k}={v}"))]


def cmd_run(args) -> int:
    benches = [registry.get(n) for n in args.names]     # unknown names fail before anything runs
    config = _config(args)
    outdir = _results_dir(args)
    for i, b in enumerate(benches, 1):
        _run_one(b, outdir, args.quick, f"{i}/{len(benches)} ", config)
    return 0


def cmd_bench(args) -> int:
    config = _config(args)
    outdir = _results_dir(args)
    benches = registry.all_benchmarks()
    t0 = time.perf_counter()
    for i, b in enumerate(benches, 1):
        _run_one(b, outdir, args.quick, f"{i}/{len(benches)} ", config)
    for b in benches:       # tables that read the others' results, now that all are there
        if "results_dir" in inspect.signature(b.module().render).parameters:
            _render(b, outdir / f"{b.name}.json", outdir)
    from . import machine, sensitivity
    if machine.ranges(args.preset) and not args.overrides:     # the verdicts' ranges (~1 minute)
        sensitivity.write(outdir, sensitivity.sweep(args.preset, progress=lambda s: print(s, flush=True)))
    print(f"summary -> {summary.write(outdir)}, report -> {report.write(outdir)} "
          f"(all experiments in {time.perf_counter() - t0:.0f} s)")
    return 0


def cmd_summary(args) -> int:
    outdir = _results_dir(args)
    path = summary.write(outdir)
    report.write(outdir)
    sys.stdout.write(path.read_text())
    return 0


def cmd_table(args) -> int:
    outdir = _results_dir(args)
    for name in args.names:
        b = registry.get(name)
        path = outdir / f"{name}.json"
        if not path.exists():
            raise SystemExit(f"no results for {name!r}: run `exobench run {name}` first ({path} is missing)")
        if args.format == "csv":
            sys.stdout.write(b.module().render(results.load_suite(path), fmt="csv"))
        else:
            _render(b, path, outdir)
            sys.stdout.write((outdir / f"{name}.md").read_text())
    return 0


def cmd_sensitivity(args) -> int:
    from . import sensitivity
    outdir = _results_dir(args)
    t0 = time.perf_counter()
    data = sensitivity.sweep(args.preset, progress=lambda s: print(s, flush=True))
    path = sensitivity.write(outdir, data)
    print(f"sensitivity -> {path} ({time.perf_counter() - t0:.0f} s); summary -> {summary.write(outdir)}, "
          f"report -> {report.write(outdir)}")
    return 0


def cmd_diff(args) -> int:
    sys.stdout.write(diff.render(Path(args.a), Path(args.b), breakdowns=not args.no_breakdown))
    return 0


def cmd_compare(args) -> int:
    for p in (args.a, args.b):
        results.load_suite(Path(p))         # a clear error for a missing or foreign file
    return subprocess.run([sys.executable, "-m", "pyperf", "compare_to", args.a, args.b, "--table"]).returncode


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="exobench", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--results", default="results", help="where results go (default: results/)")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list", help="list the experiments").set_defaults(func=cmd_list)
    r = sub.add_parser("run", help="run experiments by name")
    r.add_argument("names", nargs="+")
    r.add_argument("--quick", action="store_true", help="fewer iterations and pyperf --fast")
    harness.add_options(r)
    r.set_defaults(func=cmd_run)
    b = sub.add_parser("bench", help="run every experiment and publish the tables")
    b.add_argument("--quick", action="store_true")
    harness.add_options(b)
    b.set_defaults(func=cmd_bench)
    sub.add_parser("summary", help="re-check the paper's claims from saved results").set_defaults(func=cmd_summary)
    t = sub.add_parser("table", help="re-render tables from saved JSON")
    t.add_argument("names", nargs="+")
    t.add_argument("--format", choices=("md", "csv"), default="md",
                   help="Markdown (also rewrites results/NAME.md) or CSV on standard output")
    t.set_defaults(func=cmd_table)
    s = sub.add_parser("sensitivity", help="sweep the open cost parameters: each headline ratio's range")
    s.add_argument("--preset", default="dec5000")
    s.set_defaults(func=cmd_sensitivity)
    d = sub.add_parser("diff", help="emulated metrics of two result directories (or files), row by row")
    d.add_argument("a")
    d.add_argument("b")
    d.add_argument("--no-breakdown", action="store_true", help="rows only, no per-symbol deltas")
    d.set_defaults(func=cmd_diff)
    c = sub.add_parser("compare", help="compare two pyperf JSON files")
    c.add_argument("a")
    c.add_argument("b")
    c.set_defaults(func=cmd_compare)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (registry.UnknownBenchmark, results.ResultsError, UsageError) as exc:
        print(f"exobench: {exc}", file=sys.stderr)
        return 2
