"""Do the verdicts survive what we cannot know about 1995 hardware?

`exobench sensitivity` sweeps every cost parameter the sources leave open (machine.ranges:
each with the plausible range csrc/cost.c argues) one at a time to its low and high end,
and all of them together to the all-low and all-high corners, and measures each headline
ratio (baseline ÷ Aegis: the system call, the exception rows, each IPC and VM row, PCT
against half a pipe round trip) at every point.  It writes results/sensitivity.json and
results/sensitivity.md with a tornado figure; the summary reads the JSON to give each
verdict its range and the parameter that dominates it.

Cases run with a tenth of their operations (Case.ops(quick=True)); cycles per operation are
deterministic, so the sweep needs no repetitions.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import registry
from .experiment import Case, measure
from .machine import presets, ranges
from .results import PUBLISHED

# headline ratio -> (experiment, row): baseline ÷ Aegis cycles of that row
HEADLINES: dict[str, tuple[str, str]] = {
    "system call": ("base_costs", "system call"),
    "overflow": ("exceptions", "overflow"),
    "prot (exception)": ("exceptions", "prot"),
    **{row: ("ipc", row) for row in ("pipe", "shm", "lrpc")},
    **{row: ("vm", row) for row in ("prot1", "prot100", "unprot100", "trap", "prot1+trap+unprot", "protN+trap+unprot")},
}
PCT = "PCT vs Ultrix transfer"   # Aegis's one-way sync PCT against half the baseline's cheaper
                                 # round trip (kill + sigpause over shm, or a pipe)
PCT_ROW = ("pct", "sync PCT")


@dataclass
class Point:
    label: str
    overrides: dict[str, float]
    ratios: dict[str, float]


def _cases() -> dict[tuple[str, str], tuple[Case, Path]]:
    """(system, row) -> (case, directory) for every case a headline needs."""
    needed = set(HEADLINES.values()) | {PCT_ROW}
    out = {}
    for exp in {e for e, _ in needed}:
        b = registry.get(exp)
        for c in b.module().CASES:
            if (exp, c.row) in needed:
                out[(c.system, c.row)] = (c, b.directory)
    return out


def measure_point(overrides: dict[str, float], preset: str = PUBLISHED) -> dict[str, float]:
    """Every headline ratio with the preset changed by `overrides`."""
    cycles = {}
    for key, (case, directory) in _cases().items():
        m = measure(case, directory, preset, quick=True, overrides=overrides)
        if m.supported:
            cycles[key] = m.cycles
    out = {}
    for name, (_, row) in HEADLINES.items():
        if ("baseline", row) in cycles and ("aegis", row) in cycles:
            out[name] = cycles[("baseline", row)] / cycles[("aegis", row)]
    trips = [cycles[("baseline", r)] for r in ("pipe", "shm") if ("baseline", r) in cycles]
    if ("aegis", PCT_ROW[1]) in cycles and trips:
        out[PCT] = min(trips) / 2 / cycles[("aegis", PCT_ROW[1])]
    return out


def sweep(preset: str = PUBLISHED, progress: Callable[[str], None] = print) -> dict:
    """Nominal, each open parameter at each end, and the two corners."""
    span = ranges(preset)
    nominal = presets()[preset]
    plan = [("nominal", {})]
    for p, (lo, hi) in span.items():
        plan += [(f"{p} low", {p: lo}), (f"{p} high", {p: hi})]
    plan += [("all low", {p: lo for p, (lo, _) in span.items()}),
             ("all high", {p: hi for p, (_, hi) in span.items()})]
    points = []
    for i, (label, ov) in enumerate(plan, 1):
        t0 = time.perf_counter()
        points.append(Point(label, ov, measure_point(ov, preset)))
        progress(f"[sensitivity {i}/{len(plan)}] {label}: {time.perf_counter() - t0:.0f} s")
    return {"preset": preset,
            "params": {p: {"low": lo, "nominal": nominal[p], "high": hi} for p, (lo, hi) in span.items()},
            "points": [{"label": p.label, "overrides": p.overrides, "ratios": p.ratios} for p in points]}


def spread(data: dict) -> dict[str, dict]:
    """Per ratio: nominal, min and max over every point, and the parameter whose own
    low-to-high swing moves it most (with that swing)."""
    pts = {p["label"]: p for p in data["points"]}
    nominal = pts["nominal"]["ratios"]
    out = {}
    for name, nom in nominal.items():
        vals = [p["ratios"][name] for p in data["points"] if name in p["ratios"]]
        swings = {}
        for param in data["params"]:
            lo, hi = pts.get(f"{param} low"), pts.get(f"{param} high")
            if lo and hi and name in lo["ratios"] and name in hi["ratios"]:
                swings[param] = (lo["ratios"][name], hi["ratios"][name])
        dom = max(swings, key=lambda k: abs(swings[k][1] - swings[k][0]), default=None)
        out[name] = {"nominal": nom, "min": min(vals), "max": max(vals), "dominant": dom,
                     "swings": swings}
    return out


def render(data: dict) -> str:
    s = spread(data)
    params = data["params"]
    lines = ["# Sensitivity: the headline ratios over the plausible DECstation", "",
             f"Preset `{data['preset']}`; every parameter the sources leave open swept to each end of its "
             "plausible range (csrc/cost.c argues each bound; docs/references.md), one at a time, then all "
             "together. Ratios are baseline ÷ Aegis/ExOS in emulated cycles; cases run a tenth of their "
             "operations (deterministic).", "",
             "| parameter | low | nominal | high |", "|---|---|---|---|",
             *(f"| {p} | {v['low']:g} | {v['nominal']:g} | {v['high']:g} |" for p, v in params.items()), "",
             "| ratio | nominal | all low | all high | min | max | dominant parameter (its low → high) |",
             "|---|---|---|---|---|---|---|"]
    pts = {p["label"]: p["ratios"] for p in data["points"]}
    for name, v in s.items():
        dom = v["dominant"]
        swing = f"{dom} ({v['swings'][dom][0]:.1f}× → {v['swings'][dom][1]:.1f}×)" if dom else "–"
        lines.append(f"| {name} | {v['nominal']:.1f}× | {pts['all low'].get(name, 0):.1f}× | "
                     f"{pts['all high'].get(name, 0):.1f}× | {v['min']:.1f}× | {v['max']:.1f}× | {swing} |")
    lines += ["", "One parameter at a time (ratio at the parameter's low / high end):", "",
              "| ratio | " + " | ".join(params) + " |", "|---|" + "---|" * len(params)]
    for name, v in s.items():
        cells = [f"{v['swings'][p][0]:.1f} / {v['swings'][p][1]:.1f}" if p in v["swings"] else "–" for p in params]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write(outdir: Path, data: dict) -> Path:
    from . import figures
    (outdir / "sensitivity.json").write_text(json.dumps(data, indent=1) + "\n")    # keeps the headline order
    text = render(data)
    fig = figures.tornado(spread(data), outdir / "figures")
    if fig:
        text += f"\n![Each headline ratio's range, by parameter](figures/{fig.name})\n"
    out = outdir / "sensitivity.md"
    out.write_text(text)
    return out


def load(outdir: Path) -> dict | None:
    path = Path(outdir) / "sensitivity.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None
