"""The self-checking guest program (CRC, sort, 64-bit arithmetic via compiler-rt helpers)
runs to completion on every preset and reports every check through the result channel."""
import pytest

from exobench.machine import Machine, Stop

from helpers import build_selfcheck


@pytest.mark.parametrize("preset", ["ideal", "dec5000"])
def test_selfcheck_passes(preset):
    m = Machine(preset, 4 << 20)
    m.boot(build_selfcheck().path)
    m.set_hazard_check(True)
    stop = m.run(10**7)
    assert stop.reason == Stop.HALT and stop.code == 0, m.console()
    results = dict(m.results())
    assert results["failures"] == 0
    assert len(results) >= 10
    total, hazards = m.hazards()
    assert total == 0, [str(h) for h in hazards]


def test_instruction_count_is_deterministic():
    counts = set()
    for _ in range(2):
        m = Machine("ideal", 4 << 20)
        m.boot(build_selfcheck().path)
        m.run(10**7)
        counts.add(m.counters()["insns"])
    assert len(counts) == 1
