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


@pytest.mark.parametrize("seconds, verdict", [(0.5, "met (slowest 200)"), (1.0, "NOT met (slowest 100)")])
def test_speed_table_judges_the_goal_from_the_numbers(seconds, verdict):
    mod = registry.get("emulator_speed").module()
    names = [f"{e}/{k}" for e in ("ideal", "dec5000") for k in mod.KERNELS]
    text = mod.render(_suite({n: seconds for n in names}, 100_000_000))
    assert "| ideal | " in text and "| dec5000 | " in text
    assert verdict in text


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
    assert row.startswith("5,overflow,aegis,1.5,confirmed,1,40.0,35.0,17.0")
    assert ",1.6000," in row           # 40 cycles at 25 MHz


def test_unknown_format_is_refused():
    out = run_cli("table", "emulator_speed", "--format", "xml")
    assert out.returncode == 2 and "invalid choice" in out.stderr
