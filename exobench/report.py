"""results/README.md: the report a reader opens first, made from the results beside it.

The paper's headline claims with our verdicts and how they fare over the plausible cost
models, the key figures, the rows where we differ from the paper, today's kernel beside
1995's, the provenance of the run, and an index of every table.  Like the tables, nothing in
it is typed in: `make bench` (and `exobench report`) rewrite it from the JSON.
"""
from __future__ import annotations

import json
from pathlib import Path

from . import registry, summary
from .results import ResultsError, load_dir, load_suite
from .sensitivity import load as load_sensitivity

KEY_FIGURES = (("ratios", "How much faster the exokernel is, row by row, ours against the paper's"),
               ("sensitivity", "Each headline ratio over the plausible range of every open cost parameter"),
               ("exceptions", "Table 5: exception dispatch on both systems"),
               ("exceptions-breakdown", "Where an exception's cycles go"),
               ("ipc-breakdown", "Where a pipe round trip's cycles go"))


def _provenance(results: Path) -> str:
    for path in sorted(results.glob("*.json")):
        try:
            suite = load_suite(path)
        except ResultsError:
            continue
        for b in suite.get_benchmarks():
            meta = b.get_metadata()
            if "exobench_commit" in meta:
                dirty = " (with uncommitted changes)" if meta.get("exobench_dirty") else ""
                presets = json.loads(meta.get("exobench_presets", "{}"))
                clock = ", ".join(f"`{k}` {v.get('clock_mhz', '?'):g} MHz" for k, v in presets.items())
                return (f"Made from commit `{meta['exobench_commit'][:12]}`{dirty} with "
                        f"{meta.get('exobench_toolchain', '?')} on the {meta.get('exobench_engine', 'fast')} "
                        f"engine; presets {clock} (every parameter is in each "
                        "JSON's `exobench_presets`).")
    return "No provenance recorded."


def render(results: Path) -> str:
    results = Path(results)
    rows = load_dir(results)
    sens = load_sensitivity(results)
    lines = ["# exobench results: the Exokernel paper (SOSP 1995), reproduced on an emulated DECstation", "",
             "Aegis/ExOS (the exokernel and its library OS) and an Ultrix-4.2-like monolithic baseline boot on "
             "the same cycle-accounted MIPS R3000 DECstation 5000/125 and run the same benchmark programs. "
             "Every figure here was measured by `make bench` from the code in this tree; the paper's values are "
             "shown with their provenance (unmarked: confirmed in a source; †: recalled, not verified against the "
             "PDF).", "", _provenance(results), "",
             "## The paper's claims", "",
             "| claim | verdict | our figures | over the plausible cost models |", "|---|---|---|---|"]
    for v in summary.evaluate(rows):
        lines.append(f"| {v.claim.text} | **{v.verdict}** | {v.figures} | {summary.robustness(v.claim.id, sens)} |")
    lines += ["", "Rules and thresholds: [summary.md](summary.md). The sweep: [sensitivity.md](sensitivity.md)."]
    figs = [(stem, cap) for stem, cap in KEY_FIGURES if (results / "figures" / f"{stem}.svg").is_file()]
    if figs:
        lines += ["", "## Key figures", ""]
        for stem, cap in figs:
            lines += [f"**{cap}**", "", f"![{cap}](figures/{stem}.svg)", ""]
    diffs = [(r, summary.paper_ratio(r), summary._ratio(r)) for r in rows.values()]
    diffs = [(r, p, o) for r, p, o in diffs if p and o and (o / p > 2 or p / o > 2)]
    lines += ["## Where we differ from the paper", ""]
    if diffs:
        lines += ["Rows whose ratio (baseline ÷ Aegis) differs from the paper's by more than 2×; the notes under "
                  "each table and the project README's *Where we differ* say why.", "",
                  "| table | row | paper ratio | our ratio |", "|---|---|---|---|",
                  *(f"| {r.table} | {r.row} | {p:.1f}× | {o:.1f}× |" for r, p, o in diffs)]
    else:
        lines.append("No row's ratio differs from the paper's by more than 2×.")
    host = results / "host.md"
    if host.is_file():
        verdict = next((l for l in host.read_text().splitlines() if l.startswith("**Does the argument")), "")
        lines += ["", "## Today's kernel beside 1995's", "", verdict, "", "The numbers: [host.md](host.md)."]
    lines += ["", "## Every table", "", "| results | what |", "|---|---|"]
    for b in registry.all_benchmarks():
        if (results / f"{b.name}.md").is_file():
            lines.append(f"| [{b.name}.md]({b.name}.md) | {b.description} |")
    for name, what in (("summary", "the claims, their rules and the rows that differ"),
                       ("sensitivity", "the headline ratios over the plausible cost models")):
        if (results / f"{name}.md").is_file():
            lines.append(f"| [{name}.md]({name}.md) | {what} |")
    lines += ["", "Each `NAME.json` is the pyperf file behind `NAME.md`: host time per operation as pyperf's "
              "values, the emulated metrics and the provenance in its metadata (`exobench diff A B` compares two "
              "runs; `exobench table NAME --format csv` prints one as CSV)."]
    return "\n".join(lines) + "\n"


def write(results: Path) -> Path:
    out = Path(results) / "README.md"
    out.write_text(render(results))
    return out
