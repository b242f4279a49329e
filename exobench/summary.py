"""results/summary.md: each headline claim of the paper checked against our numbers.

Every verdict is computed from the published experiments' JSON (never written by hand):
reproduced, partly reproduced, not reproduced, or not measured when an experiment is
missing.  Thresholds are stated next to each verdict.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import discussion, paper
from .results import Row, load_dir
from .sensitivity import PCT, load as load_sensitivity
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


# The rules, as functions of the headline ratios (names as in exobench.sensitivity), so the
# same rule judges the published run and every point of the sensitivity sweep.
EXC_ROWS = {"overflow": "overflow", "prot": "prot (exception)"}     # Table 5 row -> ratio name
VMIPC_ROWS = ("pipe", "shm", "lrpc", "prot1", "prot100", "unprot100", "trap", "prot1+trap+unprot", "protN+trap+unprot")


def rule_exceptions(r: dict[str, float]) -> str | None:
    got = [r[k] for k in EXC_ROWS.values() if k in r]
    return None if not got else REPRODUCED if min(got) >= 50 else PARTLY if min(got) >= 10 else NOT


def rule_pct(r: dict[str, float]) -> str | None:
    x = r.get(PCT)
    return None if x is None else REPRODUCED if x >= 50 else PARTLY if x >= 10 else NOT


def rule_vm_ipc(r: dict[str, float]) -> str | None:
    got = [r[k] for k in VMIPC_ROWS if k in r]
    if not got:
        return None
    inside = sum(5 <= x <= 40 for x in got)
    return REPRODUCED if inside == len(got) else PARTLY if 2 * inside >= len(got) else NOT


RULES = {"exception-dispatch-2-orders": rule_exceptions, "pct-2-orders": rule_pct, "vm-ipc-5-40x": rule_vm_ipc}


def headline_ratios(rows: dict[tuple[str, str], Row]) -> dict[str, float]:
    """The published run's headline ratios, named as the sensitivity sweep names them."""
    out = {}
    for row, name in EXC_ROWS.items():          # table row -> the sweep's name for it
        if (x := _ratio(rows.get(("5", row)))) is not None:
            out[name] = x
    for row in ("pipe", "shm", "lrpc"):
        if (x := _ratio(rows.get(("8", row)))) is not None:
            out[row] = x
    for row in ("prot1", "prot100", "unprot100", "trap", "prot1+trap+unprot", "protN+trap+unprot"):
        if (x := _ratio(rows.get(("vm", row)))) is not None:
            out[row] = x
    # PCT against the fastest transfer Ultrix offers between address spaces: half a round trip
    # of kill + sigpause over shared memory, or of a pipe, whichever is cheaper
    pct = rows.get(("6", "sync PCT"))
    a = pct.cycles("aegis") if pct else None
    trips = [c for row in ("pipe", "shm") if (r := rows.get(("8", row))) and (c := r.cycles("baseline"))]
    if a and trips:
        out[PCT] = min(trips) / 2 / a
    return out


def robustness(claim_id: str, sens: dict | None) -> str:
    """How the claim's verdict fares over the sensitivity sweep: its verdict at every point,
    the range of the ratios it rests on, and the parameter that moves them most."""
    rule = RULES.get(claim_id)
    if rule is None:
        return "independent of the cost model (instruction counts)"
    if not sens:
        return "sweep not run (`exobench sensitivity`)"
    from .sensitivity import spread
    verdicts = [(p["label"], rule(p["ratios"])) for p in sens["points"]]
    counts: dict[str, list[str]] = {}
    for label, v in verdicts:
        counts.setdefault(v or MISSING, []).append(label)
    names = {"exception-dispatch-2-orders": list(EXC_ROWS.values()), "pct-2-orders": [PCT],
             "vm-ipc-5-40x": list(VMIPC_ROWS)}[claim_id]
    sp = spread(sens)
    ranges = [f"{n} {sp[n]['min']:.1f}–{sp[n]['max']:.1f}×" for n in names if n in sp]
    doms = sorted({sp[n]["dominant"] for n in names if n in sp and sp[n]["dominant"]})
    if len(counts) == 1:
        head = f"**{next(iter(counts))}** at all {len(verdicts)} points"
    else:
        head = "; ".join(f"**{v}** at {len(ls)} ({', '.join(ls[:4])}{'…' if len(ls) > 4 else ''})"
                         for v, ls in counts.items())
    return f"{head}. Range: {', '.join(ranges)}. Dominant: {', '.join(doms) or '–'}"


def evaluate(rows: dict[tuple[str, str], Row]) -> list[Verdict]:
    claims = paper.claims()
    out = []
    ratios = headline_ratios(rows)

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

    c = claims["exception-dispatch-2-orders"]
    rule = "reproduced if baseline/Aegis ≥ 50× on every row Ultrix can run, partly if ≥ 10×"
    v = rule_exceptions(ratios)
    out.append(Verdict(c, v or MISSING, ", ".join(f"{k} {_fmt(ratios.get(n))}" for k, n in EXC_ROWS.items())
                       if v else "exceptions experiment not run", rule))

    c = claims["pct-2-orders"]
    rule = ("Aegis sync PCT (one way) against the fastest Ultrix transfer, half the baseline's cheaper "
            "round trip (kill + sigpause over shm, or a pipe): reproduced if ≥ 50×, partly if ≥ 10×")
    v = rule_pct(ratios)
    out.append(Verdict(c, v or MISSING, _fmt(ratios.get(PCT)) if v else "PCT or IPC experiment not run", rule))

    c = claims["vm-ipc-5-40x"]
    rule = "reproduced if every ratio lies in 5-40×, partly if at least half do, else not"
    v = rule_vm_ipc(ratios)
    out.append(Verdict(c, v or MISSING, ", ".join(f"{k} {_fmt(ratios[k])}" for k in VMIPC_ROWS if k in ratios)
                       if v else "IPC and VM experiments not run", rule))
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
             "| claim | paper's status | our figures | verdict | rule | over the plausible cost models |",
             "|---|---|---|---|---|---|"]
    sens = load_sensitivity(results)
    for v in evaluate(rows):
        lines.append(f"| {v.claim.text} | {v.claim.status} | {v.figures} | **{v.verdict}** | {v.rule} | "
                     f"{robustness(v.claim.id, sens)} |")
    diffs = []
    for r in rows.values():
        pr, ours = paper_ratio(r), _ratio(r)
        if pr and ours and (ours / pr > 2 or pr / ours > 2):
            diffs.append(f"| Table {r.table} {r.row} | {_fmt(pr)} | {_fmt(ours)} |")
    if diffs:
        lines += ["", "## Rows whose ratio differs from the paper's by more than 2×", "",
                  "| row | paper ratio | our ratio |", "|---|---|---|", *diffs,
                  "", "Explanations: see the notes under each table and README.md, *Where we differ*."]
    lines += ["", *_attribution(results), discussion.render()]
    return "\n".join(lines) + "\n"


def _attribution(results: Path) -> list[str]:
    """The "where the speedup comes from" paragraph, when the attribution experiment ran."""
    from . import attribution
    from .results import ResultsError, load_suite
    try:
        text = attribution.paragraph(attribution.from_suite(load_suite(results / "attribution.json")))
    except ResultsError:
        return []
    return [text] if text else []


def write(results: Path) -> Path:
    from . import figures
    text = render(results)
    fig = figures.ratios(list(load_dir(results).values()), results / "figures")
    if fig:
        text += f"\n![Every row's ratio, ours against the paper's](figures/{fig.name})\n"
    out = results / "summary.md"
    out.write_text(text)
    return out
