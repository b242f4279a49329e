"""results/summary.md: each headline claim of the paper checked against our numbers.

Every verdict is computed from the published experiments' JSON (never written by hand):
reproduced, partly reproduced, not reproduced, or not measured when an experiment is
missing.  Thresholds are stated next to each verdict.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import paper
from .results import Row, load_dir
from .tables import published

REPRODUCED, PARTLY, NOT, MISSING = "reproduced", "partly reproduced", "not reproduced", "not measured"


@dataclass
class Verdict:
    claim: paper.Claim
    verdict: str
    figures: str
    rule: str


def _ratio(r: Row | None) -> float | None:
    if r is None:
        return None
    b, a = r.cycles("baseline"), r.cycles("aegis")
    return b / a if a and b else None


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.1f}×"


def evaluate(rows: dict[tuple[str, str], Row]) -> list[Verdict]:
    claims = paper.claims()
    out = []

    # Aegis dispatches exceptions in 18 instructions: kernel instructions per exception.
    c = claims["dispatch-18-insns"]
    r = rows.get(("5", "overflow"))
    m = r.on("aegis") if r else None
    k = m.kernel_insns if m else None
    rule = "reproduced if Aegis's kernel path is within 18 ± 3 instructions, partly if within 2×"
    if k is None:
        out.append(Verdict(c, MISSING, "exceptions experiment not run", rule))
    else:
        v = REPRODUCED if abs(k - 18) <= 3 else PARTLY if k <= 36 else NOT
        out.append(Verdict(c, v, f"{k:.0f} kernel instructions per overflow exception", rule))

    # Exception dispatch ~two orders of magnitude faster than Ultrix.
    c = claims["exception-dispatch-2-orders"]
    rule = "reproduced if baseline/Aegis ≥ 50× on every row Ultrix can run, partly if ≥ 10×"
    ratios = {row: _ratio(rows.get(("5", row))) for row in ("overflow", "prot")}
    got = [x for x in ratios.values() if x]
    if not got:
        out.append(Verdict(c, MISSING, "exceptions experiment not run", rule))
    else:
        v = REPRODUCED if min(got) >= 50 else PARTLY if min(got) >= 10 else NOT
        out.append(Verdict(c, v, ", ".join(f"{k} {_fmt(x)}" for k, x in ratios.items()), rule))

    # PCT ~two orders of magnitude faster than Ultrix's control transfer (IPC).
    c = claims["pct-2-orders"]
    rule = ("Aegis sync PCT (one way) against the baseline's pipe round trip / 2: reproduced if "
            "≥ 50×, partly if ≥ 10×")
    pct, pipe = rows.get(("6", "sync PCT")), rows.get(("8", "pipe"))
    a = pct.cycles("aegis") if pct else None
    b = pipe.cycles("baseline") / 2 if pipe and pipe.cycles("baseline") else None
    if a is None or b is None:
        out.append(Verdict(c, MISSING, "PCT or pipe experiment not run", rule))
    else:
        x = b / a
        out.append(Verdict(c, REPRODUCED if x >= 50 else PARTLY if x >= 10 else NOT,
                           f"{b:.0f} vs {a:.0f} cycles: {_fmt(x)}", rule))

    # VM and IPC primitives 5-40x faster.
    c = claims["vm-ipc-5-40x"]
    rule = "reproduced if every ratio lies in 5-40×, partly if at least half do, else not"
    keys = [("8", r) for r in ("pipe", "shm", "lrpc")] + \
           [("vm", r) for r in ("prot1", "prot100", "unprot100", "trap", "appel1", "appel2")]
    ratios = {k[1]: _ratio(rows.get(k)) for k in keys}
    got = {k: x for k, x in ratios.items() if x}
    if not got:
        out.append(Verdict(c, MISSING, "IPC and VM experiments not run", rule))
    else:
        inside = [k for k, x in got.items() if 5 <= x <= 40]
        v = REPRODUCED if len(inside) == len(got) else PARTLY if 2 * len(inside) >= len(got) else NOT
        out.append(Verdict(c, v, ", ".join(f"{k} {_fmt(x)}" for k, x in got.items()), rule))
    return out


def paper_ratio(r: Row) -> float | None:
    pu, pa = paper.value(r.table, r.row, "ultrix"), paper.value(r.table, r.row, "aegis")
    if pu and pa and pu.us and pa.us and not pu.na and not pa.na:
        return pu.us / pa.us
    return None


def render(results: Path) -> str:
    rows = load_dir(results)
    lines = ["# Summary: the paper's headline claims", "",
             f"Computed from the experiments in this directory ({published(list(rows.values()))}). "
             "Ratios are baseline over Aegis/ExOS in emulated cycles.", "",
             "| claim | paper's status | our figures | verdict | rule |", "|---|---|---|---|---|"]
    for v in evaluate(rows):
        lines.append(f"| {v.claim.text} | {v.claim.status} | {v.figures} | **{v.verdict}** | {v.rule} |")
    diffs = []
    for r in rows.values():
        pr, ours = paper_ratio(r), _ratio(r)
        if pr and ours and (ours / pr > 2 or pr / ours > 2):
            diffs.append(f"| Table {r.table} {r.row} | {_fmt(pr)} | {_fmt(ours)} |")
    if diffs:
        lines += ["", "## Rows whose ratio differs from the paper's by more than 2×", "",
                  "| row | paper ratio | our ratio |", "|---|---|---|", *diffs,
                  "", "Explanations: see the notes under each table and README.md, *Where we differ*."]
    return "\n".join(lines) + "\n"


def write(results: Path) -> Path:
    from . import figures
    text = render(results)
    fig = figures.ratios(list(load_dir(results).values()), results / "figures")
    if fig:
        text += f"\n![Every row's ratio, ours against the paper's](figures/{fig.name})\n"
    out = results / "summary.md"
    out.write_text(text)
    return out
