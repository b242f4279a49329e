"""Issue 11: attribution ladders -- each headline operation from the published baseline row to
the published Aegis/ExOS row, one technique at a time, every rung a real build that ran and
validated; each technique's Shapley share of the speedup over every order of its switches.
See benchmarks/attribution/README.md and exobench/attribution.py."""
from __future__ import annotations

import math
from pathlib import Path

import pyperf

from exobench import attribution as A
from exobench.harness import main
from exobench.results import PUBLISHED

DESCRIPTION = "Attribution ladders: each technique's share of the baseline/Aegis gap (issue 11)"
TITLE = "Attribution: where the speedup comes from"

CASES = [c for lad in A.LADDERS for c in A.cases(lad)]


def analyses(suite: pyperf.BenchmarkSuite) -> list[A.Analysis]:
    return A.from_suite(suite)


def _pct(x: float, total: float) -> str:
    return f"{100 * x / total:.0f} %" if total else "–"


def _orders(lad: A.Ladder) -> str:
    n, k = len(A.orders(lad.switches)), len(lad.switches)
    if k == 0:
        return "No switch: the one rung is the technique the two published rows differ by"
    if k == 1:
        return f"One switch ({len(lad.subsets())} builds)"
    if k <= A.ALL_ORDERS_MAX_K:
        return f"Shares over all {n} orders ({len(lad.subsets())} builds)"
    return f"Shares over the stated sample of {n} of the {math.factorial(k)} orders ({len(lad.subsets())} of the {2 ** k} builds)"


def render(suite: pyperf.BenchmarkSuite) -> str:
    out = [f"# {TITLE}", "",
           f"Per operation, on the `{PUBLISHED}` preset: a ladder from the published baseline row to the "
           "published Aegis/ExOS row. Each rung below the first is the baseline kernel (and, where "
           "marked, its user runtime) built with one more research switch (`ATTR_*`, an `#ifdef`'d "
           "alternative on the path, off in the published build), run and validated like every other "
           "case. The last rung, *the rest of the kernel*, is what the fully switched baseline still "
           "spends beyond Aegis/ExOS: measured, not apportioned (the switched baseline is not "
           "Aegis). Shares: each technique's saving averaged over the orders of switching them on "
           f"(Shapley value): every order, all 2^k builds run, where a ladder has at most "
           f"{A.ALL_ORDERS_MAX_K} switches; past that a stated sample of 2k orders, the k rotations of the "
           "ladder's order and of its reverse (each technique once at every position in each), whose "
           "k(k−1)+2 builds were run; with its minimum and maximum over those orders; "
           "the means and the residual add up to the whole gap exactly. Shares are given in cycles and in "
           "instructions: a switch moves the code after it, so its cycles also carry a change of cache "
           "placement (a switch that removes instructions may cost cycles); instructions do not.", ""]
    for a in analyses(suite):
        lad = a.ladder
        out += [f"## {lad.op}", "",
                f"From `{lad.baseline.home}/{lad.baseline.program}` {dict(lad.baseline.params)} on "
                f"{lad.baseline.system} to `{lad.exo.home}/{lad.exo.program}` {dict(lad.exo.params)} on "
                f"{lad.exo.system}: {a.chain[0][1]:.0f} → {a.chain[-1][1]:.0f} cycles "
                f"({a.chain[0][1] / a.chain[-1][1]:.1f}×). {_orders(lad)}.", "",
                "| rung | cycles | instructions | step (cycles) |", "|---|---|---|---|"]
        prev = None
        for label, cyc, ins in a.chain:
            step = "" if prev is None else f"{cyc - prev:+.0f}"
            out.append(f"| {label} | {cyc:.1f} | {ins:.1f} | {step} |")
            prev = cyc
        out += ["", "| technique (switch) | family | mean share (cycles) | of the gap | min–max over orders | "
                "share in instructions | of the gap |", "|---|---|---|---|---|---|---|"]
        for name in lad.switches:
            s, i = a.shares[name], a.ishares[name]
            out.append(f"| {A.SWITCHES[name].technique} (`{A.SWITCHES[name].macro}`) | {A.SWITCHES[name].kind} | "
                       f"{s.mean:.1f} | "
                       f"{_pct(s.mean, a.total)} | {s.lo:.1f} – {s.hi:.1f} | {i.mean:.1f} | "
                       f"{_pct(i.mean, a.itotal)} |")
        out += [f"| {lad.residual_name}: {lad.residual} | | {a.residual:.1f} | {_pct(a.residual, a.total)} | "
                f"(one rung) | {a.iresidual:.1f} | {_pct(a.iresidual, a.itotal)} |",
                f"| **total gap** | | **{a.total:.1f}** | 100 % | | **{a.itotal:.1f}** | 100 % |", ""]
    return "\n".join(out) + "\n"


def figures(suite: pyperf.BenchmarkSuite, outdir: Path) -> list[Path]:
    from exobench import figures as fig
    made = fig.shares([(a.ladder.op, [(A.SWITCHES[n].name, a.shares[n].mean) for n in a.ladder.switches]
                        + [(a.ladder.residual_name, a.residual)], a.total) for a in analyses(suite)],
                      outdir, "attribution")
    return [made] if made else []


if __name__ == "__main__":
    main(CASES, __file__, host_timing=False)     # the ladders are emulated metrics only
