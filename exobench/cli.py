"""The exobench command line: list, run, table, compare, bench.

    exobench list                     the experiments and what each measures
    exobench run NAME... [--quick]    run experiments, write results/NAME.json and .md
    exobench bench [--quick]          run every experiment (what `make bench` does)
    exobench table NAME... [--format md|csv]
                                      re-render results/NAME.md from its JSON, or print CSV
    exobench summary                  re-check the paper's claims -> results/summary.md
    exobench compare A.json B.json    pyperf comparison of two runs
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from . import registry, results, summary


def _results_dir(args) -> Path:
    d = Path(args.results)
    d.mkdir(parents=True, exist_ok=True)
    return d


def cmd_list(args) -> int:
    for b in registry.all_benchmarks():
        print(f"{b.name:24} {b.description}")
    return 0


def _run_one(b: registry.Benchmark, outdir: Path, quick: bool, step: str = "") -> None:
    out = outdir / f"{b.name}.json"
    if out.exists():
        out.unlink()            # pyperf refuses to overwrite; a run replaces the last one
    # pyperf starts its workers with a scrubbed environment: the image cache's location is
    # passed on; quick mode travels as an option (exobench.harness.runner).
    cmd = [sys.executable, str(b.script), "-o", str(out), "--quiet", "--inherit-environ=EXOBENCH_CACHE"]
    if quick:
        cmd += ["--fast", "--quick-ops"]
    t0 = time.perf_counter()
    print(f"[{step}{b.name}] running ({'quick' if quick else 'full'}) ...", flush=True)
    proc = subprocess.run(cmd)
    if proc.returncode != 0:
        raise SystemExit(f"[{b.name}] failed (exit {proc.returncode}); nothing was published for it")
    _render(b, out, outdir)
    print(f"[{step}{b.name}] done in {time.perf_counter() - t0:.0f} s -> {outdir / (b.name + '.md')}",
          flush=True)


def _render(b: registry.Benchmark, json_path: Path, outdir: Path) -> None:
    suite = results.load_suite(json_path)
    text = b.module().render(suite)
    (outdir / f"{b.name}.md").write_text(text)


def cmd_run(args) -> int:
    benches = [registry.get(n) for n in args.names]     # unknown names fail before anything runs
    outdir = _results_dir(args)
    for i, b in enumerate(benches, 1):
        _run_one(b, outdir, args.quick, f"{i}/{len(benches)} ")
    return 0


def cmd_bench(args) -> int:
    outdir = _results_dir(args)
    benches = registry.all_benchmarks()
    t0 = time.perf_counter()
    for i, b in enumerate(benches, 1):
        _run_one(b, outdir, args.quick, f"{i}/{len(benches)} ")
    print(f"summary -> {summary.write(outdir)} (all experiments in {time.perf_counter() - t0:.0f} s)")
    return 0


def cmd_summary(args) -> int:
    path = summary.write(_results_dir(args))
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
    r.set_defaults(func=cmd_run)
    b = sub.add_parser("bench", help="run every experiment and publish the tables")
    b.add_argument("--quick", action="store_true")
    b.set_defaults(func=cmd_bench)
    sub.add_parser("summary", help="re-check the paper's claims from saved results").set_defaults(func=cmd_summary)
    t = sub.add_parser("table", help="re-render tables from saved JSON")
    t.add_argument("names", nargs="+")
    t.add_argument("--format", choices=("md", "csv"), default="md",
                   help="Markdown (also rewrites results/NAME.md) or CSV on standard output")
    t.set_defaults(func=cmd_table)
    c = sub.add_parser("compare", help="compare two pyperf JSON files")
    c.add_argument("a")
    c.add_argument("b")
    c.set_defaults(func=cmd_compare)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (registry.UnknownBenchmark, results.ResultsError) as exc:
        print(f"exobench: {exc}", file=sys.stderr)
        return 2
