"""The paper experiments on a small run: every case of every experiment runs on its system,
validates, and yields a per-operation cost; the harness refuses unvalidated numbers; tables
and the summary are computed from the numbers."""
import pytest

from exobench import paper, registry, summary, tables
from exobench.experiment import Case, ValidationError, measure
from exobench.paths import tree
from exobench.results import Entry, Measurement, Row

from helpers import small

LIBRARY_ONLY = {("8", "pipe'")}     # ExOS's pipe with read/write inlined into the program
EXPERIMENTS = [b for b in registry.all_benchmarks() if hasattr(b.module(), "CASES")]
ALL_CASES = [(b, c) for b in EXPERIMENTS for c in b.module().CASES]


@pytest.mark.parametrize("bench, case", ALL_CASES, ids=[f"{b.name}:{c.key}" for b, c in ALL_CASES])
def test_every_case_runs_and_validates(bench, case):
    ms = measure(small(case), bench.directory, "ideal", hazard_check=True)
    if not ms.supported:
        # Only the baseline may lack a mechanism: where the paper marks Ultrix n/a, or for
        # ExOS's own library mechanisms that have no kernel counterpart.
        pv = paper.value(case.table, case.row.split(" (")[0], "ultrix")   # "prot (C handler)" too
        assert case.system == "baseline", ms.results
        assert (pv is not None and pv.na) or (case.table, case.row) in LIBRARY_ONLY, case.key
        return
    assert ms.results["valid"] == 1
    assert ms.insns > 0 and ms.cycles >= ms.insns
    assert ms.host_ns > 0


@pytest.mark.parametrize("mode, error", [(0, "validation failed"), (1, "do not pair up")])
def test_harness_refuses_unvalidated_numbers(mode, error):
    case = Case("4", "liar", "baseline", "liar.c", {"mode": mode}, n=10)
    with pytest.raises(ValidationError, match=error):
        measure(case, tree("tests") / "guest_bench")


def test_unsupported_rows_are_not_numbers():
    ms = measure(Case("4", "liar", "aegis", "liar.c", {"mode": 2}, n=10), tree("tests") / "guest_bench")
    assert not ms.supported and ms.cycles == 0


def test_paper_values_carry_provenance():
    vals = paper.values()
    assert vals and all(v.status in paper.STATUSES and v.source for v in vals)
    assert paper.value("5", "overflow", "aegis").status == "confirmed"
    assert paper.value("5", "unalign", "ultrix").cell() == "n/a"
    assert paper.value("4", "system call", "ultrix").cell() == "21.3†"
    assert set(paper.claims()) >= {"dispatch-18-insns", "exception-dispatch-2-orders",
                                   "pct-2-orders", "vm-ipc-5-40x"}


def _row(table, row, base_cycles, aegis_cycles, kernel_insns=18.0):
    r = Row(table, row)
    for system, cyc in (("baseline", base_cycles), ("aegis", aegis_cycles)):
        r.ours[system] = Entry(table, row, system, 100,
                               {"dec5000": Measurement("dec5000", 25.0, True, cyc / 2, cyc, kernel_insns)})
    return r


def test_claims_are_judged_from_the_numbers():
    rows = {("5", "overflow"): _row("5", "overflow", 3000, 30), ("5", "prot"): _row("5", "prot", 3000, 40)}
    v = {x.claim.id: x for x in summary.evaluate(rows)}
    assert v["exception-dispatch-2-orders"].verdict == summary.REPRODUCED
    assert v["dispatch-18-insns"].verdict == summary.REPRODUCED
    assert v["vm-ipc-5-40x"].verdict == summary.MISSING
    rows = {("5", "overflow"): _row("5", "overflow", 300, 30, kernel_insns=60)}
    v = {x.claim.id: x for x in summary.evaluate(rows)}
    assert v["exception-dispatch-2-orders"].verdict == summary.PARTLY
    assert v["dispatch-18-insns"].verdict == summary.NOT


def test_table_shows_paper_and_ours_side_by_side():
    text = tables.render_rows("T5", [_row("5", "overflow", 2500, 25)])
    assert "| overflow | 130† | 1.5 | 100.00 µs (2500 cyc, 1250 insn) | 1.00 µs (25 cyc, 12 insn) | 86.7× | 100.0× |" in text
    assert paper.LEGEND in text


def test_breakdown_adds_up_to_the_measured_cost():
    from exobench.breakdown import breakdown
    bench = registry.get("exceptions")
    case = small(next(c for c in bench.module().CASES if c.key == "aegis/overflow (C handler)"))
    parts = breakdown(case, bench.directory)
    ms = measure(case, bench.directory)
    total_i = sum(p.insns for p in parts)
    total_c = sum(p.cycles for p in parts)
    # The marker interval also holds the END marker's own store: one instruction per n.
    assert abs(total_i - ms.insns) <= 1.0 and abs(total_c - ms.cycles) <= 2.0
    kernel = [p for p in parts if p.where == "kernel"]
    assert kernel and all(p.insns > 0 for p in kernel)
    assert any(p.name == "handler" and p.where == "user" for p in parts)
    assert [p.name for p in kernel] == ["gen_vec"]     # the dispatcher, by its own name


def test_symbolizer_names_the_vectors_by_their_code():
    """An absolute symbol equal to a code address (aegis/entry.S's vec_general_addr, the
    baseline's KSEG0) does not name that code in a breakdown."""
    from exobench import constants as K, elf, systems
    from exobench.breakdown import Symbolizer
    aegis = Symbolizer(elf.load(systems.get("aegis").kernel().path))
    assert aegis(K.VEC_UTLB) == "utlb_refill" and aegis(K.VEC_GENERAL) == "gen_vec"
    assert aegis(K.VEC_GENERAL + 8) == "gen_vec"
    baseline = Symbolizer(elf.load(systems.get("baseline").kernel().path))
    assert baseline(K.VEC_UTLB) == "utlbmiss" and baseline(K.VEC_GENERAL) == "exception"


def test_aegis_minimal_dispatch_round_trip_is_pinned():
    """The paper's figure: kernel dispatch (18 instructions, one of them clearing k0) + a
    9-instruction handler + the loop's own instructions, per exception, on the published preset."""
    bench = registry.get("exceptions")
    case = next(c for c in bench.module().CASES if c.key == "aegis/overflow")
    ms = measure(small(case), bench.directory)
    assert ms.kernel_insns == 18
    assert ms.insns == pytest.approx(36.15)


def test_extra_machines_render_their_own_sections():
    """An Entry measured on dec5000, dec3100 and dec2100 survives the results file (every
    emu_<preset>_supported key is decoded) and renders the main table plus one section per
    extra machine, with the paper's values for that machine and ours at its clock."""
    from exobench.results import rows as suite_rows
    from helpers import suite_of
    clocks = {"dec5000": 25.0, "dec3100": 16.67, "dec2100": 12.5, "ideal": 25.0}
    entries = []
    for system, cyc in (("baseline", 500), ("aegis", 50)):
        entries.append(Entry("4", "system call", system, 100,
                             {p: Measurement(p, mhz, True, cyc / 2, cyc, 10) for p, mhz in clocks.items()}))
    rows = suite_rows(suite_of(*entries))
    assert set(rows[0].ours["aegis"].measurements) == set(clocks)
    text = tables.renderer("T4", machines=("dec3100", "dec2100"))(suite_of(*entries))
    assert text.startswith("# T4") and "| system call | 21.3† | 1.6† | 20.00 µs (500 cyc, 250 insn) |" in text
    assert "## DECstation 3100 (`dec3100` preset, 16.67 MHz)" in text
    assert "| system call | 33.7† | 2.9† | 29.99 µs (500 cyc, 250 insn) | 3.00 µs (50 cyc, 25 insn) |" in text
    assert "## DECstation 2100 (`dec2100` preset, 12.5 MHz)" in text
    assert "| system call | 32.2† | 3.2† | 40.00 µs (500 cyc, 250 insn) | 4.00 µs (50 cyc, 25 insn) |" in text


def test_calibration_renders_stalls_beside_chen_and_bershad():
    import json
    from exobench import calibration
    from helpers import suite_of
    c = {k: 0.0 for k in calibration._SUMMED}
    c.update(cycles=1300, insns=1000, user_cycles=100, user_insns=100, icache_misses=9, dcache_misses=3,
             wb_stall_cycles=90)
    base = Entry("calibration", "getpid", "baseline", 10, {"dec5000_200": Measurement("dec5000_200", 25.0, True, 1000, 1300, 900)})
    aegis = Entry("calibration", "dispatch (overflow)", "aegis", 10, {"dec5000": Measurement("dec5000", 25.0, True, 36, 41, 18)})
    suite = suite_of(base, aegis)
    [b, _] = suite.get_benchmarks()
    no_page = {**c, "wb_stall_cycles": 180}
    b.update_metadata({calibration.KEY: json.dumps({"dec5000_200": c, **{k: c for k in calibration.ABLATIONS},
                                                    "no page mode (every write 5 cycles)": no_page})})
    text = calibration.render(suite)
    # the ablation rows: the preset's figures, then one row per mechanism taken out
    assert "| `dec5000_200` (all of them) | 0.150 | 0.050 | 0.100 | 0.333 |" in text
    assert "| no page mode (every write 5 cycles) | 0.150 | 0.050 | 0.200 | 0.333 |" in text
    # 9 I-misses x 15 / 900 kernel insns = 0.150; 3 x 15 / 900 = 0.050; 90 / 900 = 0.100
    assert "| getpid | 900 | 100 | 0.150 | 0.050 | 0.100 | 0.333 | 0.000 |" in text
    assert "| Chen & Bershad, Ultrix system | | | 0.43 | 0.23 | 0.05 | | |" in text
    assert "| kernel instructions per dispatch | 18 | 18 |" in text and "| round trip, µs | 1.5 | 1.64" in text
