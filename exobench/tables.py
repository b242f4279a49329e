"""Rendering results as the published tables: Markdown beside the paper's values, and CSV.

A benchmark's bench.py usually sets ``render = renderer(TITLE, NOTE)``; benchmarks with a
table of their own shape (packet_filter, extensible_vm, stride) build it from the same
`results.Row`s and the helpers here.
"""
from __future__ import annotations

import csv
import io
from typing import Iterable, Sequence

import pyperf

from . import paper
from .results import PAPER_SYSTEM, PUBLISHED, REFERENCE, SYSTEM_LABEL, Entry, Part, Row, rows as suite_rows


def duration(us: float) -> str:
    """A time in µs, written at a scale a reader takes in at once."""
    if us >= 1e6:
        return f"{us / 1e6:.3f} s"
    if us >= 1e4:
        return f"{us / 1e3:.2f} ms"
    return f"{us:.2f} µs"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a and b else "–"


def clock_mhz(rows: Sequence[Row]) -> float | None:
    """The clock of the preset the rows are published on."""
    for r in rows:
        for e in r.ours.values():
            if e.published in e.measurements:
                return e.measurements[e.published].clock_mhz
    return None


def published(rows: Sequence[Row]) -> str:
    """The preset the rows are published on, as a table says it: "`dec5000` preset", or with
    the parameters the run changed, "`dec5000` preset with wb_retire_cycles=8"."""
    for r in rows:
        for e in r.ours.values():
            changes = ", ".join(f"{k}={v:g}" for k, v in sorted(e.overrides.items()))
            return f"`{e.published}` preset" + (f" with {changes}" if changes else "")
    return f"`{PUBLISHED}` preset"


def ours_cell(entry: Entry | None, preset: str | None = None) -> str:
    """µs (cycles, instructions) on the published preset (or `preset`); n/a, or – when it
    did not run."""
    if entry is None:
        return "–"
    m = entry.on(preset)
    if m is None:
        return "n/a" if not entry.supported else "–"
    return f"{duration(m.us)} ({m.cycles:.0f} cyc, {m.insns:.0f} insn)"


def render_breakdown(title: str, parts: Sequence[Part], preset: str = f"`{PUBLISHED}` preset") -> str:
    lines = [f"**{title}** (per operation, {preset})", "",
             "| where | code | instructions | cycles |", "|---|---|---|---|"]
    for p in parts:
        lines.append(f"| {p.where} | {p.name} | {p.insns:.1f} | {p.cycles:.1f} |")
    ti, tc = sum(p.insns for p in parts), sum(p.cycles for p in parts)
    lines.append(f"| | **total** | **{ti:.1f}** | **{tc:.1f}** |")
    return "\n".join(lines) + "\n"


def render_breakdowns(rows: Iterable[Row]) -> list[str]:
    out = []
    for r in rows:
        for system, entry in sorted(r.ours.items()):
            if entry.breakdown:
                out += ["", render_breakdown(f"{r.row} on {SYSTEM_LABEL[system]}: where the cycles go",
                                             entry.breakdown, published([r]))]
    return out


def render_rows(title: str, rows: Iterable[Row], note: str = "") -> str:
    """The standard table: each row's paper values beside ours on both systems."""
    rows = list(rows)
    mhz = clock_mhz(rows)
    clock = f", {mhz:g} MHz" if mhz else ""
    lines = [f"# {title}", "",
             f"Per operation on the {published(rows)} (DECstation 5000/125{clock}). "
             "Ours: µs at the modelled clock (cycles, instructions); host time per operation is in "
             "the pyperf JSON. Ratios are baseline (Ultrix) over Aegis.", "",
             "| row | paper Ultrix | paper Aegis/ExOS | ours baseline | ours Aegis/ExOS | paper ratio | our ratio |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        pu = paper.value(r.table, r.row, "ultrix")
        pa = paper.value(r.table, r.row, "aegis")
        paper_ratio = ratio(pu.us if pu and not pu.na else None, pa.us if pa and not pa.na else None)
        lines.append(f"| {r.row} | {pu.cell() if pu else '–'} | {pa.cell() if pa else '–'} | "
                     f"{ours_cell(r.ours.get('baseline'))} | {ours_cell(r.ours.get('aegis'))} | "
                     f"{paper_ratio} | {ratio(r.cycles('baseline'), r.cycles('aegis'))} |")
    tables = {r.table for r in rows}
    for v in paper.values():
        if v.system == "literature" and v.table in tables:
            lines += ["", f"Reference from the literature: {v.row}: {v.cell()} µs on {v.machine} ({v.source})."]
    lines += ["", paper.LEGEND]
    if note:
        lines += ["", note]
    lines += render_breakdowns(rows)
    return "\n".join(lines) + "\n"


MACHINES = {"dec3100": "DECstation 3100", "dec2100": "DECstation 2100"}   # preset -> the paper's machine


def render_machine(rows: Sequence[Row], preset: str) -> str:
    """One of the paper's other machines: its Ultrix and Aegis columns (paper.toml's machine
    of the same name as the preset) beside ours on that preset, µs at its clock."""
    mhz = None
    for r in rows:
        for e in r.ours.values():
            if preset in e.measurements:
                mhz = e.measurements[preset].clock_mhz
    label = MACHINES.get(preset, preset)
    clock = f", {mhz:g} MHz" if mhz else ""
    lines = [f"## {label} (`{preset}` preset{clock})", "",
             f"The paper's {label} columns beside ours on the `{preset}` preset (its parameters "
             "unchanged; µs at its clock). – : the case did not run on this preset.", "",
             "| row | paper Ultrix | paper Aegis/ExOS | ours baseline | ours Aegis/ExOS | paper ratio | our ratio |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        pu = paper.value(r.table, r.row, "ultrix", preset)
        pa = paper.value(r.table, r.row, "aegis", preset)
        if pu is None and pa is None:       # a row the paper has only on the 5000/125
            continue
        paper_ratio = ratio(pu.us if pu and not pu.na else None, pa.us if pa and not pa.na else None)
        lines.append(f"| {r.row} | {pu.cell() if pu else '–'} | {pa.cell() if pa else '–'} | "
                     f"{ours_cell(r.ours.get('baseline'), preset)} | {ours_cell(r.ours.get('aegis'), preset)} | "
                     f"{paper_ratio} | {ratio(r.cycles('baseline', preset), r.cycles('aegis', preset))} |")
    return "\n".join(lines) + "\n"


def render_csv(rows: Iterable[Row]) -> str:
    """The same rows as render_rows, one line per (row, system), for spreadsheets and plots."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["table", "row", "system", "paper_us", "paper_status", "supported", "preset",
                *(f"{p}_{k}" for p in ("published", REFERENCE) for k in ("cycles", "insns", "kernel_insns")),
                "published_us", "host_median_s"])
    for r in rows:
        for system, entry in sorted(r.ours.items()):
            pv = paper.value(r.table, r.row.split(" (")[0], PAPER_SYSTEM[system])
            vals = []
            for p in (entry.published, REFERENCE):
                m = entry.on(p)
                vals += [m.cycles, m.insns, m.kernel_insns] if m else ["", "", ""]
            pub = entry.on()
            host = entry.host_median_s
            w.writerow([r.table, r.row, system, "n/a" if pv and pv.na else (pv.us if pv else ""),
                        pv.status if pv else "", int(entry.supported), entry.published, *vals,
                        f"{pub.us:.4f}" if pub else "", "" if host is None else host])
    return out.getvalue()


def renderer(title: str, note: str = "", machines: Sequence[str] = ()):
    """A bench.py's ``render(suite, fmt)`` for the standard table, followed by a section per
    preset in `machines` (the paper's other machines: a bench.py's EXTRA_PRESETS)."""
    def render(suite: pyperf.BenchmarkSuite, fmt: str = "md") -> str:
        rows = suite_rows(suite)
        if fmt == "csv":
            return render_csv(rows)
        return "\n".join([render_rows(title, rows, note), *(render_machine(rows, p) for p in machines)])
    return render
