"""The paper's reference values (benchmarks/paper.toml), each with its provenance.

A value is keyed by (table, row, system, machine) and carries microseconds (or n/a, or
unknown) plus a status: "confirmed" (read in a named source), "recalled" (not verified
against the PDF), "unknown" (the cell exists, the value was not recovered) or "approximate"
(read off an image of one of the paper's figures: its shape confirmed, its values +-30 us).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from .paths import tree

STATUSES = ("confirmed", "recalled", "unknown", "approximate")
MARK = {"confirmed": "", "recalled": "†", "unknown": "?", "approximate": "≈"}
LEGEND = ("Paper values: unmarked = confirmed in a source; † = recalled from the paper, not yet "
          "verified against the PDF; ? = not recovered; ≈ = read from a figure of the paper, ±30 µs "
          "(see benchmarks/paper.toml for sources).")


class PaperDataError(ValueError):
    pass


@dataclass(frozen=True)
class PaperValue:
    table: str
    row: str
    system: str
    machine: str
    us: float | None
    na: bool
    status: str
    source: str

    def cell(self) -> str:
        if self.na:
            return "n/a"
        if self.us is None:
            return "?"
        return f"{self.us:g}{MARK[self.status]}"


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    status: str
    source: str


@lru_cache(maxsize=None)
def _load() -> tuple[dict, tuple[PaperValue, ...], tuple[Claim, ...]]:
    path = tree("benchmarks") / "paper.toml"
    data = tomllib.loads(path.read_text())
    values = []
    for i, v in enumerate(data.get("value", [])):
        try:
            pv = PaperValue(str(v["table"]), v["row"], v["system"], v["machine"], v.get("us"),
                            bool(v.get("na", False)), v["status"], v["source"])
        except KeyError as exc:
            raise PaperDataError(f"{path}: value #{i} lacks {exc}") from None
        if pv.status not in STATUSES:
            raise PaperDataError(f"{path}: value #{i} has status {pv.status!r}")
        if pv.status != "unknown" and pv.us is None and not pv.na:
            raise PaperDataError(f"{path}: value #{i} ({pv.row}) is {pv.status} but has no number")
        values.append(pv)
    claims = tuple(Claim(c["id"], c["text"], c["status"], c["source"]) for c in data.get("claim", []))
    return data.get("machines", {}), tuple(values), claims


def values() -> tuple[PaperValue, ...]:
    return _load()[1]


def claims() -> dict[str, Claim]:
    return {c.id: c for c in _load()[2]}


def value(table: str, row: str, system: str, machine: str = "dec5000") -> PaperValue | None:
    for v in values():
        if (v.table, v.row, v.system, v.machine) == (table, row, system, machine):
            return v
    return None
