"""`exobench diff A B`: what changed between two result sets, row by row, in emulated metrics.

For a kernel developer's question "what did my change do?": run the experiments before and
after the change into two directories (`exobench --results before run ...`), then compare.
Cycles and instructions are deterministic, so every difference is the change's (or the
configuration's: the header says when the two runs used different presets or images).
"""
from __future__ import annotations

from pathlib import Path

from .results import Entry, ResultsError, Row, load_dir, load_suite, rows as suite_rows


def _rows(path: Path) -> dict[tuple[str, str], Row]:
    path = Path(path)
    if path.is_dir():
        rows = load_dir(path)
        if not rows:
            raise ResultsError(f"{path}: no exobench results in this directory")
        return rows
    if path.is_file():
        return {(r.table, r.row): r for r in suite_rows(load_suite(path))}
    raise ResultsError(f"no such results directory or file: {path}")


def _delta(a: float, b: float) -> str:
    d = b - a
    pct = f" ({d / a * 100:+.1f}%)" if a else ""
    return f"{d:+.1f}{pct}" if abs(d) > 1e-9 else "0"


def _config(e: Entry) -> str:
    changes = ", ".join(f"{k}={v:g}" for k, v in sorted(e.overrides.items()))
    return e.published + (f" [{changes}]" if changes else "")


def render(a_path: Path, b_path: Path, *, breakdowns: bool = True) -> str:
    a, b = _rows(a_path), _rows(b_path)
    lines = [f"# exobench diff: {a_path} → {b_path}", "",
             "Per operation on each run's published preset. Only rows both runs measured.", "",
             "| table | row | system | cycles A | cycles B | Δ cycles | insns A | insns B | Δ insns |",
             "|---|---|---|---|---|---|---|---|---|"]
    notes: dict[str, list[str]] = {}
    parts = []
    for key in [k for k in a if k in b]:
        for system in sorted(set(a[key].ours) & set(b[key].ours)):
            ea, eb = a[key].ours[system], b[key].ours[system]
            where = f"{key[1]} on {system}"
            if _config(ea) != _config(eb):
                notes.setdefault(f"preset {_config(ea)} vs {_config(eb)}", []).append(where)
            changed = sorted(n for n in set(ea.images) | set(eb.images) if ea.images.get(n) != eb.images.get(n))
            if changed:
                notes.setdefault(f"different guest images ({', '.join(changed)})", []).append(where)
            ma, mb = ea.on(), eb.on()
            if ma is None or mb is None:
                state = lambda m: "n/a" if m is None else f"{m.cycles:.1f}"   # noqa: E731
                lines.append(f"| {key[0]} | {key[1]} | {system} | {state(ma)} | {state(mb)} | – | | | |")
                continue
            lines.append(f"| {key[0]} | {key[1]} | {system} | {ma.cycles:.1f} | {mb.cycles:.1f} | "
                         f"{_delta(ma.cycles, mb.cycles)} | {ma.insns:.1f} | {mb.insns:.1f} | "
                         f"{_delta(ma.insns, mb.insns)} |")
            if breakdowns and ea.breakdown and eb.breakdown:
                parts.append(_breakdown_delta(f"{key[1]} on {system}", ea, eb))
    only = [f"{k[1]} (table {k[0]})" for k in a if k not in b] + [f"{k[1]} (table {k[0]})" for k in b if k not in a]
    if only:
        lines += ["", "In one run only: " + ", ".join(only) + "."]
    if notes:
        lines += ["", "Configuration differences:", *(f"- {n}: {', '.join(w)}" for n, w in notes.items())]
    for p in parts:
        lines += ["", p]
    return "\n".join(lines) + "\n"


def _breakdown_delta(title: str, a: Entry, b: Entry) -> str:
    pa = {(p.where, p.name): p for p in a.breakdown}
    pb = {(p.where, p.name): p for p in b.breakdown}
    lines = [f"**{title}: where the cycles moved**", "",
             "| where | code | cycles A | cycles B | Δ cycles | Δ insns |", "|---|---|---|---|---|---|"]
    for k in list(dict.fromkeys([*pa, *pb])):
        x, y = pa.get(k), pb.get(k)
        ca, cb = (x.cycles if x else 0.0), (y.cycles if y else 0.0)
        ia, ib = (x.insns if x else 0.0), (y.insns if y else 0.0)
        if abs(cb - ca) < 0.05 and abs(ib - ia) < 0.05:
            continue
        lines.append(f"| {k[0]} | {k[1]} | {ca:.1f} | {cb:.1f} | {cb - ca:+.1f} | {ib - ia:+.1f} |")
    if len(lines) == 4:
        lines.append("| | (no symbol moved) | | | | |")
    return "\n".join(lines)
