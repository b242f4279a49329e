"""benchmarks/host: the paper's operations on the host kernel, each validated, and the table."""
import pytest

from exobench import registry

HOST = registry.get("host").module()

@pytest.mark.parametrize("op", list(HOST.OPS))
def test_every_operation_runs_and_is_validated(op):
    n = 2 if op == "matrix" else 200
    assert HOST.run(op, n) > 0

def test_a_wrong_check_is_refused(monkeypatch):
    monkeypatch.setattr(HOST, "expected", lambda op, n: -1)
    with pytest.raises(RuntimeError, match="did not do its work"):
        HOST.run("syscall", 10)

def test_matrix_check_is_benchmarks_matrix_product():
    assert HOST.expected("matrix", 1) == HOST.matrix_sum() == 48007548126532

def test_table_and_verdict_from_numbers():
    import pyperf
    benches = []
    for op, us in {"call": 0.002, "syscall": 0.2, "exception": 8.0}.items():
        run = pyperf.Run([us / 1e6, us / 1e6], metadata={"name": op, "loops": 1}, collect_metadata=False)
        benches.append(pyperf.Benchmark([run]))
    text = HOST.render(pyperf.BenchmarkSuite(benches))
    assert "| syscall | 0.2 | 100× | 76× | 6× |" in text
    assert "further from the metal than Ultrix was on both counts" in text
