"""The report's figures, in one style: matplotlib, SVG for the pages and PNG for a quick look,
under results/figures/.

    draw(name, suite, outdir) -> [Path]     the figures of one experiment's results
    ratios(rows, outdir) -> Path            every row's baseline/Aegis ratio, paper vs ours

Per standard table: each row on both systems in µs on a log axis, the paper's values as
markers (filled: confirmed in a source, hollow: recalled, as the tables' † says); and for
rows with a cycle breakdown, stacked bars of where the cycles go.  Figures are drawn from
the same `results.Row`s as the tables, never from numbers typed in.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")                   # no display: files only
import matplotlib.pyplot as plt         # noqa: E402

from . import paper                     # noqa: E402
from .results import Row, SYSTEM_LABEL, rows as suite_rows   # noqa: E402

COLORS = {"baseline": "#b5523b", "aegis": "#2f6f9f", "ultrix": "#b5523b"}
STYLE = {"font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
         "svg.hashsalt": "exobench", "svg.fonttype": "none"}


def _save(fig, outdir: Path, stem: str) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    svg = outdir / f"{stem}.svg"
    fig.savefig(svg, metadata={"Date": None})         # no timestamp: the file changes only with the data
    fig.savefig(outdir / f"{stem}.png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    return svg


def _log_x(ax, unit: str = "") -> None:
    """A log x axis labelled in plain numbers (1, 2, 5, 10...; decades only over a wide
    range), no crowded minor labels."""
    import math
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter
    ax.set_xscale("log")
    lo, hi = ax.get_xlim()
    wide = lo > 0 and math.log10(hi / lo) > 3
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0,) if wide else (1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}{unit}"))
    ax.xaxis.set_minor_formatter(NullFormatter())


def _legend(ax, outside: bool = True) -> None:
    """One legend entry per label (bars drawn per row repeat theirs), beside the axes or inside."""
    handles, names = ax.get_legend_handles_labels()
    seen = dict(zip(names, handles))
    where = {"loc": "upper left", "bbox_to_anchor": (1.0, 1.0)} if outside else {"loc": "lower right"}
    ax.legend(seen.values(), seen.keys(), fontsize=7, frameon=False, **where)


def _paper_marker(v) -> dict:
    filled = v.status == "confirmed"
    return {"marker": "D", "s": 30, "zorder": 3,
            "facecolors": "black" if filled else "none", "edgecolors": "black"}


def table(title: str, rows: Sequence[Row], outdir: Path, stem: str) -> Path | None:
    """Both systems per row, µs on a log axis, with the paper's values as markers."""
    rows = [r for r in rows if any(e.on() for e in r.ours.values())]
    if not rows:
        return None
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7, 0.42 * len(rows) + 1.2))
        labels = [r.row for r in rows]
        for i, r in enumerate(rows):
            for k, system in enumerate(("baseline", "aegis")):
                m = r.on(system)
                y = i + (k - 0.5) * 0.36
                if m:
                    ax.barh(y, m.us, height=0.34, color=COLORS[system], label=f"ours, {SYSTEM_LABEL[system]}")
                elif system in r.ours:
                    ax.text(0.01, y, f"{SYSTEM_LABEL[system]}: n/a", transform=ax.get_yaxis_transform(),
                            va="center", fontsize=6, color="grey")
                pv = paper.value(r.table, r.row, "ultrix" if system == "baseline" else "aegis")
                if pv and pv.us and not pv.na:
                    ax.scatter([pv.us], [y], **_paper_marker(pv))
        ax.scatter([], [], marker="D", facecolors="black", edgecolors="black", label="paper (confirmed)")
        ax.scatter([], [], marker="D", facecolors="none", edgecolors="black", label="paper (recalled †)")
        ax.set_yticks(range(len(rows)), labels)
        ax.invert_yaxis()
        _log_x(ax)
        ax.set_xlabel("µs per operation (log scale)")
        ax.set_title(title, loc="left", fontsize=10)
        _legend(ax)
        fig.tight_layout()
        return _save(fig, outdir, stem)


def breakdowns(rows: Sequence[Row], outdir: Path, stem: str) -> Path | None:
    """Stacked bars: the cycles of each broken-down row by where they go (kernel / user / peer),
    the biggest symbols named."""
    bars = [(f"{r.row}\n{SYSTEM_LABEL[s]}", e.breakdown) for r in rows for s, e in sorted(r.ours.items())
            if e.breakdown]
    if not bars:
        return None
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7, 0.6 * len(bars) + 1.2))
        shades = {"kernel": ["#6b4c9a", "#8e72b8", "#b19cd6", "#d2c5ea"],
                  "user": ["#3b8b5a", "#6fb58a", "#a5d6b5"], "peer": ["#c08a2e", "#e0b565"]}
        widest = max(sum(q.cycles for q in parts) for _, parts in bars)
        for i, (label, parts) in enumerate(bars):
            left, seen = 0.0, {}
            for p in sorted(parts, key=lambda p: (p.where != "user", -p.cycles)):
                k = seen.setdefault(p.where, 0)
                seen[p.where] = k + 1
                pal = shades.get(p.where, ["#999999"])
                ax.barh(i, p.cycles, left=left, height=0.6, color=pal[min(k, len(pal) - 1)],
                        edgecolor="white", linewidth=0.4)
                if p.cycles > 0.07 * widest:         # name the segments wide enough to hold it
                    ax.text(left + p.cycles / 2, i, p.name, ha="center", va="center", fontsize=6, color="white")
                left += p.cycles
        ax.set_yticks(range(len(bars)), [b[0] for b in bars])
        ax.invert_yaxis()
        ax.set_xlabel("cycles per operation")
        ax.set_title("Where the cycles go (kernel: purple, user: green, peer: ochre)", loc="left", fontsize=10)
        fig.tight_layout()
        return _save(fig, outdir, stem)


def ratios(rows: Sequence[Row], outdir: Path, stem: str = "ratios") -> Path | None:
    """Every row with both systems: baseline over Aegis, ours against the paper's (log axis)."""
    pts = []
    for r in rows:
        b, a = r.cycles("baseline"), r.cycles("aegis")
        if not (a and b):
            continue
        pu, pa = paper.value(r.table, r.row, "ultrix"), paper.value(r.table, r.row, "aegis")
        pr = pu.us / pa.us if pu and pa and pu.us and pa.us and not pu.na and not pa.na else None
        status = "confirmed" if pu and pa and pu.status == pa.status == "confirmed" else "recalled"
        pts.append((f"{r.row} (T{r.table})", b / a, pr, status))
    if not pts:
        return None
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7, 0.32 * len(pts) + 1.2))
        for i, (label, ours, pr, status) in enumerate(pts):
            ax.barh(i, ours, height=0.55, color="#2f6f9f", label="ours" if i == 0 else None)
            if pr:
                ax.scatter([pr], [i], marker="D", s=30, zorder=3, edgecolors="black",
                           facecolors="black" if status == "confirmed" else "none", label="paper")
        ax.axvline(1, color="grey", linewidth=0.6)
        ax.set_yticks(range(len(pts)), [p[0] for p in pts])
        ax.invert_yaxis()
        _log_x(ax, "×")
        ax.set_xlabel("baseline (Ultrix) ÷ Aegis/ExOS, emulated cycles (log scale)")
        ax.set_title("How much faster the exokernel is, row by row", loc="left", fontsize=10)
        _legend(ax, outside=False)
        fig.tight_layout()
        return _save(fig, outdir, stem)


def tornado(spread: dict, outdir: Path, stem: str = "sensitivity") -> Path | None:
    """Each headline ratio: its nominal value and, per open parameter, the range its low and
    high end give (log axis); the widest swing on top of each group is the dominant one."""
    names = list(spread)
    if not names:
        return None
    params = sorted({p for v in spread.values() for p in v["swings"]})
    cmap = plt.get_cmap("tab10")
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7.5, 0.55 * len(names) + 1.4))
        for i, name in enumerate(names):
            v = spread[name]
            ax.plot([v["min"], v["max"]], [i, i], color="#cccccc", linewidth=6, solid_capstyle="butt", zorder=1)
            for k, p in enumerate(params):
                if p in v["swings"]:
                    lo, hi = v["swings"][p]
                    y = i + (k - (len(params) - 1) / 2) * 0.09
                    ax.plot([lo, hi], [y, y], color=cmap(k % 10), linewidth=2, label=p, zorder=2)
            ax.scatter([v["nominal"]], [i], color="black", marker="|", s=200, zorder=3, label="nominal")
        ax.set_yticks(range(len(names)), names)
        ax.invert_yaxis()
        _log_x(ax, "×")
        ax.set_xlabel("baseline ÷ Aegis/ExOS (log scale); grey: all points including the corners")
        ax.set_title("Headline ratios over the plausible range of each open parameter", loc="left", fontsize=10)
        handles, labels = ax.get_legend_handles_labels()
        seen = dict(zip(labels, handles))
        ax.legend(seen.values(), seen.keys(), fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0),
                  frameon=False)
        fig.tight_layout()
        return _save(fig, outdir, stem)


def grouped(title: str, groups: Sequence[str], series: dict[str, Sequence[float | None]], xlabel: str,
            outdir: Path, stem: str, log: bool = True) -> Path | None:
    """Horizontal bars: one group per label, one bar per series (None: no bar).  For the
    tables of their own shape (host, emulator_speed)."""
    if not groups or not series:
        return None
    cmap = plt.get_cmap("tab10")
    k = len(series)
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7, (0.18 * k + 0.2) * len(groups) + 1.2))
        for s, (name, vals) in enumerate(series.items()):
            for i, v in enumerate(vals):
                if v:
                    ax.barh(i + (s - (k - 1) / 2) * 0.8 / k, v, height=0.8 / k, color=cmap(s % 10), label=name)
        ax.set_yticks(range(len(groups)), groups)
        ax.invert_yaxis()
        if log:
            _log_x(ax)
        ax.set_xlabel(xlabel)
        ax.set_title(title, loc="left", fontsize=10)
        _legend(ax)
        fig.tight_layout()
        return _save(fig, outdir, stem)


def draw(name: str, title: str, suite, outdir: Path) -> list[Path]:
    """The figures of one experiment (standard tables; custom tables draw their own)."""
    rows = suite_rows(suite)
    out = [table(title, rows, outdir, name), breakdowns(rows, outdir, f"{name}-breakdown")]
    return [p for p in out if p]


def shares(ladders: Sequence[tuple[str, Sequence[tuple[str, float]], float]], outdir: Path,
           stem: str = "attribution") -> Path | None:
    """Stacked bars, one per operation: each technique's share of the baseline/Aegis gap (a
    fraction of it; a negative share, a technique that costs on that path, is drawn left of
    zero), the residual last (benchmarks/attribution)."""
    if not ladders:
        return None
    names = list(dict.fromkeys(n for _, parts, _ in ladders for n, _ in parts))
    pal = ["#2f6f9f", "#3b8b5a", "#c08a2e", "#8e72b8", "#b5523b", "#5aa7b0", "#999999", "#d4739b",
           "#6b4c2a", "#a3b83b", "#e0c24f", "#1f3f5f", "#7a2e3f"]   # one each for up to 13 names
    color = {n: pal[i % len(pal)] for i, n in enumerate(names)}
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7.5, 0.55 * len(ladders) + 1.4))
        for i, (op, parts, total) in enumerate(ladders):
            pos, neg = 0.0, 0.0
            for name, v in parts:
                f = v / total if total else 0.0
                left = pos if f >= 0 else neg + f
                ax.barh(i, f, left=pos if f >= 0 else neg, height=0.6, color=color[name], label=name,
                        edgecolor="white", linewidth=0.4)
                if abs(f) > 0.08:
                    ax.text(left + abs(f) / 2, i, f"{100 * f:.0f}%", ha="center", va="center",
                            fontsize=6, color="white")
                if f >= 0:
                    pos += f
                else:
                    neg += f
        ax.set_yticks(range(len(ladders)), [op for op, _, _ in ladders])
        ax.invert_yaxis()
        ax.set_xlabel("share of the baseline − Aegis/ExOS cycles (mean over switch orders)")
        ax.set_title("Where the speedup comes from", loc="left", fontsize=10)
        _legend(ax)
        fig.tight_layout()
        return _save(fig, outdir, stem)
