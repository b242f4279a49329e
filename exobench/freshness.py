"""Are the published results from the code in the tree?

Every results file records the content hash of each guest image its cases booted (the
image cache's key: sources, headers, flags, toolchain).  A table is stale when the tree now
builds a different image for one of its cases, or when it records no images at all (made
before provenance was recorded).  `make test` runs `stale()` over results/ and names each
stale table with the command that regenerates it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import experiment, registry
from .results import ResultsError, load_suite


@dataclass(frozen=True)
class Stale:
    table: Path                 # the results file
    reason: str

    def __str__(self) -> str:
        name = self.table.stem
        return f"{self.table.with_suffix('.md')}: {self.reason}; regenerate it with `exobench run {name}`"


def current_images(bench: registry.Benchmark) -> dict[str, dict[str, str]]:
    """benchmark key -> {image name: hash} as the tree builds them now."""
    mod = bench.module()
    if hasattr(mod, "CASES"):
        return {c.key: experiment.images(c, bench.directory) for c in mod.CASES}
    if hasattr(mod, "images"):          # a custom harness (emulator_speed) names its own
        return {"*": mod.images()}
    return {}


def stale(results: Path) -> list[Stale]:
    out = []
    for bench in registry.all_benchmarks():
        path = Path(results) / f"{bench.name}.json"
        if not path.is_file():
            continue
        try:
            suite = load_suite(path)
        except ResultsError as exc:
            out.append(Stale(path, str(exc)))
            continue
        now = current_images(bench)
        for b in suite.get_benchmarks():
            meta = b.get_metadata()
            if "exobench_images" not in meta:
                out.append(Stale(path, f"{b.get_name()} records no guest images (made before provenance)"))
                break
            recorded = json.loads(meta["exobench_images"])
            expected = now.get(b.get_name(), now.get("*"))
            if expected is None:
                out.append(Stale(path, f"{b.get_name()} is no longer a case of the experiment"))
                break
            changed = sorted(k for k in set(recorded) | set(expected) if recorded.get(k) != expected.get(k))
            if changed:
                out.append(Stale(path, f"{b.get_name()} ran images that differ from the tree's: "
                                       + ", ".join(changed)))
                break
    return out
