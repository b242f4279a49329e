"""The exobench command line: listing, errors for unknown names and missing files, tables."""
import subprocess
import sys

import pyperf
import pytest

from exobench import cli, registry

from helpers import suite_of


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "exobench", *args], capture_output=True, text=True, cwd=cwd)


def test_list_names_every_benchmark_directory():
    out = run_cli("list")
    assert out.returncode == 0
    for b in registry.all_benchmarks():
        assert b.name in out.stdout
    assert "emulator_speed" in out.stdout


def test_unknown_benchmark_is_a_clear_error(tmp_path):
    out = run_cli("--results", str(tmp_path), "run", "emulator_speed", "no_such_bench")
    assert out.returncode == 2
    assert "unknown benchmark 'no_such_bench'" in out.stderr
    assert not list(tmp_path.iterdir()), "nothing may run when a name is unknown"


def test_table_without_results_is_a_clear_error(tmp_path):
    out = run_cli("--results", str(tmp_path), "table", "emulator_speed")
    assert out.returncode != 0
    assert "run `exobench run emulator_speed` first" in out.stderr


def test_compare_missing_file(tmp_path):
    out = run_cli("compare", str(tmp_path / "a.json"), str(tmp_path / "b.json"))
    assert out.returncode != 0 and "no such results file" in out.stderr


def test_bad_arguments_exit_with_usage():
    out = run_cli("run")
    assert out.returncode == 2 and "usage" in out.stderr


def _suite(times: dict[str, float], insns: int) -> pyperf.BenchmarkSuite:
    benches = []
    for name, seconds in times.items():
        meta = {"name": name, "loops": 1, "guest_insns_crc32": insns, "guest_insns_bubble": insns,
                "guest_insns_calls": insns}
        run = pyperf.Run([seconds, seconds * 1.1, seconds * 0.9], metadata=meta, collect_metadata=False)
        benches.append(pyperf.Benchmark([run]))
    return pyperf.BenchmarkSuite(benches)


@pytest.mark.parametrize("gx_seconds, verdict", [(1.0, "`dec5000` >= 2.5× GXemul on mixed: met (4.00×)"),
                                                  (0.5, "`dec5000` >= 2.5× GXemul on mixed: NOT met (2.00×)")])
def test_speed_table_judges_the_goals_from_the_numbers(gx_seconds, verdict):
    """The emulator_speed table computes its ratios and goals from the measured times."""
    import json as _json
    mod = registry.get("emulator_speed").module()
    n = 100_000_000
    cell = lambda s: {"insns": n, "seconds": [s, s * 1.1, s * 0.9]}   # noqa: E731
    speed = {"mixed": {"ideal": cell(0.2), "dec5000": cell(0.25), "ideal reference": cell(0.5),
                       "dec5000 reference": cell(0.6), "gxemul": cell(gx_seconds)},
             "syscall/aegis": {"ideal": cell(0.1), "dec5000": cell(0.1), "ideal reference": cell(0.3),
                               "dec5000 reference": cell(0.25)}}
    suite = _suite({"dec5000/mixed": 0.25}, n)
    for b in suite.get_benchmarks():
        b.update_metadata({"exobench_speed": _json.dumps(speed), "exobench_rounds": 3})
    text = mod.render(suite)
    assert "| dec5000 | " in text and "| gxemul | " in text
    assert verdict in text
    assert "kernel-heavy >= 2.0× the reference engine: met (slowest 2.50×)" in text


def test_parser_knows_every_command():
    p = cli.build_parser()
    for argv in (["list"], ["run", "x", "--quick"], ["bench"], ["table", "x"], ["compare", "a", "b"]):
        assert p.parse_args(argv).cmd == argv[0]


def test_experiment_tables_render_as_csv(tmp_path):
    from exobench import tables
    from exobench.results import Entry, Measurement
    suite = suite_of(Entry("5", "overflow", "aegis", 1000,
                           {"dec5000": Measurement("dec5000", 25.0, True, 35.0, 40.0, 17.0)}))
    text = tables.renderer("T")(suite, fmt="csv")
    header, row = text.splitlines()[:2]
    assert header.startswith("table,row,system,paper_us,paper_status")
    assert row.startswith("5,overflow,aegis,1.5,confirmed,1,dec5000,40.0,35.0,17.0")
    assert ",1.6000," in row           # 40 cycles at 25 MHz


def test_unknown_format_is_refused():
    out = run_cli("table", "emulator_speed", "--format", "xml")
    assert out.returncode == 2 and "invalid choice" in out.stderr


# ---- provenance and freshness ---------------------------------------------------------------

def test_published_results_come_from_the_tree():
    """Every committed table was produced by the guest images the tree builds now."""
    from exobench import freshness
    from exobench.paths import repo_root
    stale = freshness.stale(repo_root() / "results")
    assert not stale, "stale results:\n" + "\n".join(map(str, stale))


def test_host_timing_off_takes_one_value_per_case():
    """The attribution experiment publishes emulated metrics only, so each case holds one
    host value, from the run that measured it, and no pyperf worker ran (harness.main's
    host_timing=False); a timed experiment keeps its 2 processes x 3 values."""
    import pyperf

    from exobench.paths import repo_root
    res = repo_root() / "results"
    attr = pyperf.BenchmarkSuite.load(str(res / "attribution.json")).get_benchmarks()
    assert attr and all(b.get_nvalue() == 1 for b in attr)
    timed = pyperf.BenchmarkSuite.load(str(res / "base_costs.json")).get_benchmarks()
    assert timed and all(b.get_nvalue() == 6 for b in timed)


def test_a_stale_table_is_named(tmp_path):
    import json as _json

    from exobench import freshness, registry as reg
    from exobench.experiment import images
    from exobench.results import Entry, Measurement
    bench = reg.get("base_costs")
    case = bench.module().CASES[0]
    good = images(case, bench.directory)
    entry = Entry(case.table, case.row, case.system, 10, {"dec5000": Measurement("dec5000", 25.0, True, 1, 1, 0)},
                  images=good)
    suite_of(entry).dump(str(tmp_path / "base_costs.json"))
    assert freshness.stale(tmp_path) == []
    entry.images = {**good, f"{case.system}-kernel": "0" * 64}
    (tmp_path / "base_costs.json").unlink()
    suite_of(entry).dump(str(tmp_path / "base_costs.json"))
    [s] = freshness.stale(tmp_path)
    assert "base_costs.md" in str(s) and f"{case.system}-kernel" in str(s) and "exobench run base_costs" in str(s)
    (tmp_path / "base_costs.json").write_text(_json.dumps({"not": "pyperf"}))
    [s] = freshness.stale(tmp_path)
    assert "not a pyperf results file" in str(s)


def test_cli_errors_are_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    for args in (["compare", str(bad), str(bad)], ["diff", str(tmp_path / "none"), str(bad)],
                 ["run", "base_costs", "--set", "nope=1"], ["run", "base_costs", "--preset", "nope"]):
        out = run_cli(*args)
        assert out.returncode == 2 and out.stderr.startswith("exobench: ") and "Traceback" not in out.stderr, out
    out = run_cli("run", "base_costs", "--set", "wb_depth")
    assert out.returncode == 2 and "PARAM=NUMBER" in out.stderr


def test_diff_shows_what_changed(tmp_path):
    from exobench.results import Entry, Measurement, Part
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    def entry(cyc, part_cycles, **kw):
        return Entry("5", "overflow", "aegis", 100, {"dec5000": Measurement("dec5000", 25.0, True, 35, cyc, 17)},
                     breakdown=(Part("kernel", "gen_vec", 17, part_cycles),), **kw)
    suite_of(entry(40.0, 20.0)).dump(str(a / "exceptions.json"))
    suite_of(entry(44.0, 24.0, overrides={"wb_depth": 8})).dump(str(b / "exceptions.json"))
    out = run_cli("diff", str(a), str(b))
    assert out.returncode == 0, out.stderr
    assert "| 5 | overflow | aegis | 40.0 | 44.0 | +4.0 (+10.0%) |" in out.stdout
    assert "| kernel | gen_vec | 20.0 | 24.0 | +4.0 | +0.0 |" in out.stdout
    assert "wb_depth=8" in out.stdout


def test_figures_are_drawn_from_the_rows_and_repeat(tmp_path):
    from exobench import figures
    from exobench.results import Entry, Measurement, Part
    def entry(system, cyc):
        return Entry("5", "overflow", system, 100, {"dec5000": Measurement("dec5000", 25.0, True, cyc / 2, cyc, 17)},
                     breakdown=(Part("kernel", "gen_vec", 17, cyc / 2), Part("user", "handler", 9, cyc / 2)))
    suite = suite_of(entry("aegis", 40.0), entry("baseline", 1700.0))
    files = figures.draw("exceptions", "T5", suite, tmp_path / "a")
    assert [f.name for f in files] == ["exceptions.svg", "exceptions-breakdown.svg"]
    assert all(f.with_suffix(".png").is_file() for f in files)
    again = figures.draw("exceptions", "T5", suite, tmp_path / "b")
    assert [f.read_bytes() for f in files] == [f.read_bytes() for f in again]     # no timestamps, same bytes
    assert b"overflow" in files[0].read_bytes()


def test_rows_a_system_cannot_run_are_not_timed_but_shown_as_na():
    """The harness times only supported rows; an n/a row travels in the others' metadata."""
    import json as _json

    from exobench import tables
    from exobench.results import Entry, Measurement, metadata, rows
    ok = Entry("5", "unalign", "aegis", 100, {"dec5000": Measurement("dec5000", 25.0, True, 35, 40, 17)})
    na = Entry("5", "unalign", "baseline", 100, {"dec5000": Measurement("dec5000", 25.0, False)})
    suite = suite_of(ok)
    for b in suite.get_benchmarks():
        b.update_metadata({"exobench_na": _json.dumps([metadata(na)])})
    [row] = rows(suite)
    assert set(row.ours) == {"aegis", "baseline"} and not row.ours["baseline"].supported
    assert row.ours["baseline"].host_median_s is None
    assert "| unalign | n/a | 1.5† | n/a | 1.60 µs (40 cyc, 35 insn) |" in tables.render_rows("T5", [row])


def test_set_changes_the_model_and_the_table_says_so(tmp_path):
    """`--set` runs the experiment on the changed preset; the table names the change and the
    cycles move, while the instructions of a path that does not wait on the clock do not."""
    out = run_cli("--results", str(tmp_path), "run", "base_costs", "--quick", "--set", "imiss_cycles=30")
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "base_costs.md").read_text()
    assert "`dec5000` preset with imiss_cycles=30" in text
    from exobench.results import load_dir
    row = load_dir(tmp_path)[("4", "system call")]
    assert row.ours["aegis"].overrides == {"imiss_cycles": 30}
    assert row.on("aegis").insns == row.on("aegis", "ideal").insns
