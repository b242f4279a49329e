"""PATHFINDER (aegis/pathfinder.c, Table 7's middle row): the filter set merged into a trie of
cells that shares common prefixes, walked by an interpreter, classifies exactly as DPF and the
interpreter do -- on packets that match and miss at every cell, short packets, filters that are
prefixes of others -- and the Table 7 set shares its prefix.

Guest program: tests/guest_aegis/dpf.c (its t=1 compares all three engines with a reference)."""
from __future__ import annotations

from pathlib import Path

import pytest

from exobench import constants as K
from exobench import registry
from exobench.experiment import Case, measure
from exobench.machine import Stop
from exobench.paths import tree
from exobench.systems import aegis

from helpers import AEGIS as SYS, aegis_run as boot_run, neg, results

HERE = Path(__file__).resolve().parent / "guest_aegis"
PF_DIR = tree("benchmarks") / "packet_filter"


@pytest.fixture(scope="module")
def prog():
    return SYS.program("aegis_dpf", [HERE / "dpf.c"], include_dirs=[PF_DIR])


def _ncells(m) -> int:
    sym = SYS.kernel().symbols()
    return m.read_u32(sym["pf_ncells"] - K.KSEG0_BASE)


@pytest.mark.parametrize("seed", [7, 8])
def test_pathfinder_agrees_with_dpf_and_the_reference(prog, seed):
    """Random sets with shared prefixes, filters that are prefixes of others, misses at every
    atom, random lengths: PATHFINDER's answer is DPF's and the reference's every time."""
    m, info = boot_run([("dpf", prog)], {"t": 1, "aegis_timer": 0, "rounds": 12, "seed": seed, "keep": 1},
                       limit=400_000_000, stop_on=("BP",))
    assert (info.reason, info.code) == (Stop.TRAP, K.EXC_BP), m.console()
    r = results(m)
    assert r["bad"] == 0, r
    assert r["checked"] > 500 and r["matched"] > 50
    assert 0 < _ncells(m) <= aegis.DPF_MAXATOMS_SET


def test_table7_filters_share_their_prefix(prog):
    """Ten TCP/IP filters (6 atoms each, 60 in all): four cells shared by all, five addresses
    (pairs share one), ten ports -- 19 cells; the packet for the last filter finds it."""
    m, info = boot_run([("dpf", prog)], {"t": 5, "aegis_timer": 0, "engine": aegis.DPF_ENGINE_PATHFINDER,
                                         "n": 20}, limit=100_000_000, stop_on=("BP",))
    assert (info.reason, info.code) == (Stop.TRAP, K.EXC_BP), m.console()
    assert results(m)["bad"] == 0
    assert _ncells(m) == 4 + 5 + 10


def test_unknown_engine_still_refused(prog):
    m, r = boot_run([("dpf", prog)], {"t": 2, "aegis_timer": 0}, limit=400_000_000)[0], None
    r = results(m)
    assert neg(r["cls_engine"]) == aegis.AE_EINVAL


def test_pathfinder_case_runs_and_validates():
    case = next(c for c in registry.get("packet_filter").module().CASES if c.row == "PATHFINDER")
    ms = measure(Case(case.table, case.row, case.system, case.program, case.params, 50), PF_DIR, "ideal")
    assert ms.supported and ms.results["valid"] == 1
    assert neg(ms.results["id"]) == 9
    assert ms.insns == ms.kernel_insns > 0
