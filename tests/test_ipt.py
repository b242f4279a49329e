"""ExOS's inverted page table (exos/optional/ipt.c, paper section 7.2): an application links
it instead of the default two-level table and gets the same VM behaviour.

The inverted table passes the same mechanism checks as the default (tests/test_aegis.py's
t_prot, t_range and t_mapv on mech.c, linked with ipt.c), runs the VM experiment's
guest (every Appel & Li operation) with the same outcome, and handles what only it has:
hash chains and a full table.  Guest programs: tests/guest_aegis/mech.c, ipt_vm.c.
"""
from __future__ import annotations


import pytest

from exobench import constants as K, registry
from exobench.experiment import Case, measure

from exobench.paths import tree

from helpers import AEGIS as SYS, AEGIS_GUESTS as HERE, aegis_run, neg, results
IPT = tree("exos") / "optional" / "ipt.c"   # a program's own source when it wants the table
ENTRY_BYTES = 16 + 4            # an entry {pte, cap, vpn, next} and its bucket's anchor
OS_ENOMEM, OS_EINVAL = -12, -22


def ipt_hash(vpn: int, size: int) -> int:
    log2 = size.bit_length() - 1
    return (vpn ^ (vpn >> log2)) & (size - 1)


@pytest.fixture(scope="module")
def ipt_mech():
    return SYS.program("aegis_ipt_mech", [HERE / "mech.c", IPT], defines={"EXOS_IPT_ENTRIES": 128})


@pytest.fixture(scope="module")
def ipt_vm():
    # A small table, so that hash chains and a full table are easy to reach (the namespace
    # page takes one entry).
    return SYS.program("aegis_ipt_vm", [HERE / "ipt_vm.c", IPT], defines={"EXOS_IPT_ENTRIES": 64})


@pytest.fixture(scope="module")
def default_vm():
    return SYS.program("aegis_ipt_vm_default", [HERE / "ipt_vm.c"])


def run(img, t, **params):
    m, info = aegis_run([("ipt_vm", img)], {"t": t, "aegis_timer": 0, **params})
    assert info.code == 0, m.console()
    return {k: neg(v) for k, v in results(m).items()}


# The same VM mechanism tests as the default: tests/test_aegis.py runs them on both tables
# (its vm_mech fixture).


def test_only_a_program_that_links_it_gets_the_inverted_table(ipt_mech, default_vm, ipt_vm):
    assert "exos_ipt_entry" not in SYS.program("aegis_mech", [HERE / "mech.c"]).symbols()
    assert "exos_ipt_entry" not in default_vm.symbols()
    assert "exos_ipt_entry" in ipt_mech.symbols() and "exos_ipt_entry" in ipt_vm.symbols()


VM_OPS = (("dirty", 0, 100), ("prot1", 1, 100), ("prot100", 2, 10), ("unprot100", 3, 10),
          ("trap", 4, 100), ("appel1", 5, 100), ("appel2", 6, 300))


@pytest.mark.parametrize("row, op, n", VM_OPS, ids=[r for r, _, _ in VM_OPS])
def test_vm_experiment_guest_on_the_inverted_table(row, op, n):
    """benchmarks/vm/vm.c (100 pages) validates on both structures with the same trap counts."""
    vm = registry.get("vm").directory
    got = {}
    for name, extra in (("default", ()), ("ipt", (str(IPT),))):   # 256 entries, ipt.c's default
        case = Case("vm", row, "aegis", "vm.c", {"op": op}, n=n, extra_sources=extra)
        got[name] = measure(case, vm, "ideal", hazard_check=True).results
    assert got["default"]["valid"] == got["ipt"]["valid"] == 1
    assert got["default"] == got["ipt"]


# ---- what only the inverted table has ---------------------------------------------------------

def test_hash_collisions_chain(ipt_vm, default_vm):
    chain_va, chain = 0x20001000, 8
    buckets = {ipt_hash((chain_va + (i << 24)) >> 12, 64) for i in range(chain + 1)}
    assert len(buckets) == 1 and ipt_hash(0x10000000 >> 12, 64) not in buckets   # the namespace page
    r = run(ipt_vm, 1)
    assert r["ipt"] == 1 and r["pt_bytes"] == 64 * ENTRY_BYTES
    assert r["ipt_longest"] == chain and r["ipt_used"] == chain + 1
    assert r["bad"] == 0 and r["chain_misses"] == chain
    assert r["prot_faults"] == 1 and r["prot_code"] == K.EXC_MOD
    assert r["prot_badv"] == chain_va + ((chain // 2) << 24)
    assert r["absent_faults"] == 1 and r["absent_dirty"] == OS_EINVAL
    assert r["dirty_written"] == 1
    d = run(default_vm, 1)
    assert d["ipt"] == 0
    assert {k: d[k] for k in r if not k.startswith(("ipt", "pt_"))} == \
           {k: r[k] for k in r if not k.startswith(("ipt", "pt_"))}


def test_full_table_refuses_cleanly(ipt_vm):
    r = run(ipt_vm, 2)
    assert r["mapped"] == 63                        # 64 entries, one is the namespace page's
    assert r["err"] == OS_ENOMEM and r["again"] == OS_ENOMEM
    assert r["prot_refused"] == OS_EINVAL and r["dirty_refused"] == OS_EINVAL
    assert r["refused_faults"] == 1                 # the refused page is not mapped
    assert r["remap"] == 0                          # an existing mapping is replaced in place
    assert r["bad"] == 0 and r["ipt_used"] == 64


def test_sparse_space_beyond_the_default_pool(ipt_vm, default_vm):
    """40 pages in 40 different 4 MiB slots: the default's 16 second-level tables (one is the
    namespace page's) run out at the 16th slot; the inverted table maps them all.  Where both
    map, they read the same words with one miss per page."""
    i = run(ipt_vm, 3, pages=40)
    d = run(default_vm, 3, pages=40)
    assert i["mapped"] == 40 and i["err"] == 0 and i["misses"] == 40 and i["bad"] == 0
    assert i["pt_bytes"] == 64 * ENTRY_BYTES
    assert d["mapped"] == 15 and d["err"] == OS_ENOMEM and d["misses"] == 15 and d["bad"] == 0
    assert d["pt_bytes"] == 4096 + 16 * 8192
    i15 = run(ipt_vm, 3, pages=15)
    d15 = run(default_vm, 3, pages=15)
    assert i15["sum"] == d15["sum"] and i15["misses"] == d15["misses"] == 15


@pytest.mark.parametrize("warm", [0, 1])
def test_extensible_vm_rows_agree(warm):
    bench = registry.get("extensible_vm")
    res = {}
    for case in bench.module().CASES:
        small = Case(case.table, case.row, case.system, case.program, {**case.params, "warm": warm},
                     120, case.peers, case.extra_sources)
        ms = measure(small, bench.directory, "ideal", hazard_check=True)
        res[case.row] = ms.results
    d, i = res["default page table"], res["inverted page table"]
    assert d["valid"] == i["valid"] == 1
    assert d["sum"] == i["sum"] and d["misses"] == i["misses"] == 120
    pages = bench.module().PAGES
    assert d["pt_bytes"] == 4096 + (pages + 1) * 8192 and d["region_bytes"] == pages * 8192
    assert i["pt_bytes"] == 256 * ENTRY_BYTES and i["region_bytes"] == 0
