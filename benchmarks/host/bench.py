"""Today's Linux beside 1995's Ultrix: the paper's operations measured live on the host.

host.c (built for the host by the project's pinned clang) performs N operations of one kind
and reports the nanoseconds they took and a check value, validated here against what the
operation must have produced.  pyperf times each operation over several processes; the
table sets each one, as a multiple of the host's own procedure call, beside the same
multiples for the paper's Ultrix and Aegis (DECstation 5000/125) and for our two emulated
kernels (from the other experiments' results in the same directory).
"""
from __future__ import annotations

import functools
import json
import os
import platform
import subprocess

import pyperf

from exobench import harness, paper, toolchain
from exobench.paths import tree

DESCRIPTION = "today's host kernel (Linux) on the paper's operations, beside Ultrix and Aegis"
TITLE = "Today's kernel beside 1995's: the paper's operations on the host"
QUICK = False       # --quick-ops: a tenth of the operations (set by main())
NPROT = 100         # host.c's pages for prot100/unprot100/appel2
# op -> (operations per run, the paper row it mirrors (table, row), what it does)
OPS = {
    "call": (1_000_000, ("4", "procedure call"), "a procedure call (not inlined)"),
    "syscall": (200_000, ("4", "system call"), "getppid via syscall(2)"),
    "exception": (20_000, ("5", "overflow"), "illegal instruction → SIGILL handler → back"),
    "prot1": (20_000, ("vm", "prot1"), "mprotect 1 page read-only"),
    "prot100": (5_000, ("vm", "prot100"), "mprotect 100 pages read-only"),
    "unprot100": (5_000, ("vm", "unprot100"), "mprotect 100 pages read-write"),
    "trap": (20_000, ("vm", "trap"), "store to a read-only page → SIGSEGV handler unprotects"),
    "appel1": (20_000, ("vm", "prot1+trap+unprot"), "prot1+trap+unprot"),
    "appel2": (20_000, ("vm", "protN+trap+unprot"), "protN+trap+unprot (N = 100), per page"),
    "pipe": (20_000, ("8", "pipe"), "4-byte round trip through two pipes to a child"),
    "matrix": (5, ("9", "matrix 150x150"), "150×150 integer matrix multiply"),
}


def ops(op: str) -> int:
    n = OPS[op][0]
    return max(1, n // 10) if QUICK else n


@functools.lru_cache(maxsize=None)
def program() -> str:
    return str(toolchain.build_host_program("host", [tree("benchmarks") / "host" / "host.c"]))


@functools.lru_cache(maxsize=None)
def matrix_sum() -> int:
    """benchmarks/matrix's product, its words summed as uint32 (host.c's check)."""
    import numpy as np
    x, vals = 1, []
    for _ in range(2 * 150 * 150):
        x = (x * 1664525 + 1013904223) & 0xFFFFFFFF
        vals.append((x >> 20) - 2048)
    ab = np.array(vals, dtype=np.int64).reshape(150, 150, 2)
    c = ab[:, :, 0] @ ab[:, :, 1]
    return int((c & 0xFFFFFFFF).sum())


def expected(op: str, n: int) -> int:
    if op in ("prot1", "prot100", "unprot100"):
        return 2 * n                            # the protect and the unprotect both succeeded
    if op == "appel2":
        return -(-n // NPROT) * NPROT           # every page of every round faulted once
    if op == "matrix":
        return matrix_sum()
    return n                                    # one success per operation


def run(op: str, n: int) -> float:
    """Seconds for n operations, measured inside host.c; the check value is validated."""
    proc = subprocess.run([program(), op, str(n)], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"host {op} {n}: exit {proc.returncode}: {proc.stderr.strip()}")
    fields = dict(f.split("=", 1) for f in proc.stdout.split()[1:])
    check, want = int(fields["check"]), expected(op, n)
    if check != want:
        raise RuntimeError(f"host {op} {n}: check {check}, expected {want}: the operation did not do its work")
    return int(fields["ns_total"]) / 1e9


def images() -> dict[str, str]:
    """The guest images this experiment runs: none (exobench.freshness)."""
    return {}


def _timer(op: str):
    def time_func(loops: int) -> float:
        n = ops(op)
        return sum(run(op, n) for _ in range(loops))
    return time_func


def main() -> None:
    global QUICK
    runner, args = harness.runner()
    QUICK = args.quick_ops
    runner.metadata["exobench_host"] = json.dumps(host_info(), sort_keys=True)
    runner.metadata["exobench_images"] = json.dumps(images())
    for op in OPS:
        per = ops(op) if op != "appel2" else expected(op, ops(op))
        runner.bench_time_func(op, _timer(op), inner_loops=per)


def host_info() -> dict:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    except OSError:
        pass
    return {"system": platform.system(), "kernel": platform.release(), "machine": platform.machine(),
            "cpu": cpu, "cpus": os.cpu_count(), "toolchain": toolchain.toolchain_version()}


# ---- the table ----------------------------------------------------------------------------

def _ours(results_dir) -> dict:
    """Our kernels' published cycles per (table, row), from the other experiments' JSON."""
    out = {}
    if results_dir is None:
        return out
    from exobench.results import load_dir
    for key, r in load_dir(results_dir).items():
        out[key] = {s: r.cycles(s) for s in ("baseline", "aegis")}
    return out


def _mult(x, base) -> str:
    return f"{x / base:,.0f}×" if x and base else "–"


def render(suite: pyperf.BenchmarkSuite, fmt: str = "md", results_dir=None) -> str:
    benches = {b.get_name(): b for b in suite.get_benchmarks()}
    host_us = {op: b.median() * 1e6 for op, b in benches.items()}
    if fmt == "csv":
        lines = ["op,host_us,host_multiple"]
        call = host_us.get("call")
        lines += [f"{op},{us:.6f},{us / call if call else ''}" for op, us in host_us.items()]
        return "\n".join(lines) + "\n"
    meta = next(iter(benches.values())).get_metadata() if benches else {}
    info = json.loads(meta.get("exobench_host", "{}"))
    ours = _ours(results_dir)
    call = host_us.get("call")
    pu_call, pa_call = (paper.value("4", "procedure call", s) for s in ("ultrix", "aegis"))
    oc = ours.get(("4", "procedure call"), {})
    lines = [f"# {TITLE}", "",
             f"Host: {info.get('system', '?')} {info.get('kernel', '?')} on {info.get('machine', '?')} "
             f"({info.get('cpu', '?')}, {info.get('cpus', '?')} CPUs), measured by `exobench run host` "
             f"with host.c built by {info.get('toolchain', '?')}. Medians of pyperf's values.", "",
             "Each operation as a multiple of the same system's procedure call: the paper's measure of "
             "how far an OS abstraction is from the hardware. Paper: DECstation 5000/125 µs "
             "(procedure call 0.28 µs†); ours: emulated cycles on the published preset.", "",
             "| operation | host µs | host × call | paper Ultrix × call | paper Aegis × call | "
             "our baseline × call | our Aegis × call | what the host does (paper row) |",
             "|---|---|---|---|---|---|---|---|"]
    for op, (_, (table, row), what) in OPS.items():
        what = f"{what} (Table {table}: {row})" if table != "vm" else f"{what} (VM table: {row})"
        us = host_us.get(op)
        pu, pa = paper.value(table, row, "ultrix"), paper.value(table, row, "aegis")
        o = ours.get((table, row), {})
        lines.append(
            f"| {row if table == 'vm' else op} | {us:.3g} | {_mult(us, call)} | "
            f"{_mult(pu.us if pu and not pu.na else None, pu_call.us if pu_call else None)} | "
            f"{_mult(pa.us if pa and not pa.na else None, pa_call.us if pa_call else None)} | "
            f"{_mult(o.get('baseline'), oc.get('baseline'))} | {_mult(o.get('aegis'), oc.get('aegis'))} | {what} |"
            if us is not None else f"| {op} | – | | | | | | {what} |")
    lines += ["", paper.LEGEND, "", verdict(host_us, ours)]
    return "\n".join(lines) + "\n"


def figures(suite: pyperf.BenchmarkSuite, outdir, results_dir=None) -> list:
    """Each operation as a multiple of its system's procedure call: the host's, the paper's
    Ultrix and Aegis, our two kernels (log axis)."""
    from exobench import figures as fig
    host_us = {b.get_name(): b.median() * 1e6 for b in suite.get_benchmarks()}
    call, ours = host_us.get("call"), _ours(results_dir)
    pu_call, oc = paper.value("4", "procedure call", "ultrix"), ours.get(("4", "procedure call"), {})
    ops = [op for op in OPS if op not in ("call", "matrix") and op in host_us]   # matrix: not an OS path

    def paper_mult(table, row, system):
        v = paper.value(table, row, system)
        return v.us / pu_call.us if v and v.us and not v.na and pu_call and pu_call.us else None

    def ours_mult(table, row, system):
        x, c = ours.get((table, row), {}).get(system), oc.get(system)
        return x / c if x and c else None
    keys = [OPS[op][1] for op in ops]
    series = {"host (today's Linux)": [host_us[op] / call if call else None for op in ops],
              "paper Ultrix": [paper_mult(t, r, "ultrix") for t, r in keys],
              "paper Aegis": [paper_mult(t, r, "aegis") for t, r in keys],
              "our baseline": [ours_mult(t, r, "baseline") for t, r in keys],
              "our Aegis": [ours_mult(t, r, "aegis") for t, r in keys]}
    labels = [r if t == "vm" else op for op, (t, r) in zip(ops, keys)]
    p = fig.grouped("Each operation in procedure calls of its own system", labels, series,
                    "multiples of the system's procedure call (log scale)", outdir, "host")
    return [p] if p else []


def verdict(host_us: dict, ours: dict) -> str:
    """Does the exokernel's argument -- kernel abstractions cost orders of magnitude more
    than the hardware's own operations, and exposing the hardware recovers most of it --
    still hold on the host?  Judged from the numbers: the host's system call and exception
    as multiples of its procedure call, against the paper's Ultrix and Aegis."""
    call, sc, exc = (host_us.get(k) for k in ("call", "syscall", "exception"))
    pu_sc, pa_sc = (paper.value("4", "system call", s) for s in ("ultrix", "aegis"))
    pu_call = paper.value("4", "procedure call", "ultrix")
    pa_exc, pu_exc = paper.value("5", "overflow", "aegis"), paper.value("5", "overflow", "ultrix")
    if not (call and sc and exc and pu_sc and pa_sc and pu_call and pa_exc and pu_exc):
        return "Verdict: not enough numbers to judge."
    h_sc, h_exc = sc / call, exc / call
    u_sc, a_sc = pu_sc.us / pu_call.us, pa_sc.us / pu_call.us
    u_exc, a_exc = pu_exc.us / pu_call.us, pa_exc.us / pu_call.us
    return (f"**Does the argument still hold?** On this host a system call costs {h_sc:,.0f} procedure "
            f"calls and an exception delivered to a user handler {h_exc:,.0f}; on the paper's machine "
            f"Ultrix took {u_sc:,.0f} and {u_exc:,.0f}, Aegis {a_sc:,.0f} and {a_exc:,.0f}. "
            + ("Today's kernel is, relative to the hardware's own procedure call, further from the metal "
               "than Ultrix was on both counts: the gap the exokernel set out to close has grown, so the "
               "argument holds (absolute times are far smaller; what grew is the ratio)."
               if h_sc > u_sc and h_exc > u_exc else
               "Today's kernel is relatively closer to the hardware than Ultrix on at least one count; "
               "see the rows above for which."))


if __name__ == "__main__":
    main()
