"""Robustness: arbitrary guest state never crashes or hangs the host.

Seeded random machines - RAM full of random words (raw 32-bit noise mixed
with well-formed instructions of every class), random registers, a random
TLB (pages of RAM, pages past its end, the board page), random Status bits
(BEV on and off, kernel and user mode, interrupt masks, CU bits), random
EntryHi ASID, random pending interrupts, a random PC - run for a bounded
number of instructions with check=False.  Every run must come back with a
StopInfo and a machine that can still be read and run again.

Then the deterministic cases: an infinite loop stops at the limit, check=True
raises GuestLimitExceeded naming the PC and its disassembly, an exception
with no vector code (BEV=1, nothing at 0xbfc00180) is a DoubleFault, and
loops in which nothing ever retires (every instruction faults) still stop.

Everything runs in child processes, so that a host crash (SIGSEGV) or a
hang fails the test - with the seed that caused it - instead of taking
pytest down with it.  The fuzzing child prints each seed before running it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from exobench import constants as K
from exobench.machine import DoubleFault, GuestLimitExceeded, Machine, Stop

from mips_asm import assemble
from randmachine import CODE, RAM, random_machine, ram_noise

ROOT = Path(__file__).resolve().parent.parent
N_PROGRAMS = 3000
CHUNKS = 4
STALL_TIMEOUT = 15          # seconds without output from a child: it hangs


def fuzz(first: int, count: int) -> dict:
    """Run count random machines; prints 'seed N' before each (for the parent)."""
    noise = ram_noise()
    machines = {p: Machine(p, RAM) for p in ("ideal", "dec5000")}
    reasons: dict[str, int] = {}
    user_runs = 0
    for seed in range(first, first + count):
        print(f"seed {seed}", flush=True)
        m = machines["ideal" if seed % 4 < 2 else "dec5000"]
        budget = random_machine(m, seed, noise)
        user_runs += bool(m.cp0(K.C0_STATUS) & K.SR_KUC)
        info = m.run(budget, check=False)
        assert isinstance(info.reason, Stop) and info.reason != Stop.NONE, (seed, info)
        assert m.counters()["insns"] <= budget, (seed, info, m.counters()["insns"])
        info.describe()
        m.regs, m.hi, m.lo, m.pc, m.console(), m.markers(), m.results(), m.hazards(), m.profile()
        if info.reason == Stop.TRAP:                    # the machine can go on after a trap
            m.trap_on([])
            again = m.run(budget, check=False)
            assert again.reason != Stop.NONE, (seed, again)
        reasons[info.reason.name] = reasons.get(info.reason.name, 0) + 1
    return {"reasons": reasons, "user_runs": user_runs}


def _child(code: str, stall: float = STALL_TIMEOUT) -> str:
    """Run Python code in a child process (tests/ on its path, this module imported
    as t); returns its stdout.  A crash, or no new line of output for `stall`
    seconds (a hang), fails the calling test with the last 'seed N' line printed."""
    code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import test_robustness as t; {code}"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONFAULTHANDLER": "1"})
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    seen, last_change = 0, time.monotonic()
    while proc.poll() is None:
        time.sleep(0.05)
        if len(lines) != seen:
            seen, last_change = len(lines), time.monotonic()
        elif time.monotonic() - last_change > stall:
            proc.kill()
            proc.wait()
            last = [ln for ln in lines if ln.startswith("seed ")]
            pytest.fail(f"the host hung: no progress for {stall} s{', at ' + last[-1].strip() if last else ''}")
    reader.join()
    stderr = proc.stderr.read()
    if proc.returncode != 0:
        last = [ln for ln in lines if ln.startswith("seed ")]
        pytest.fail(f"child exited with {proc.returncode}{' at ' + last[-1].strip() if last else ''}:\n"
                    f"{stderr[-3000:]}")
    return "".join(lines)


def _run_child(first: int, count: int) -> dict:
    out = _child(f"import json; print('RESULT', json.dumps(t.fuzz({first}, {count})))")
    return json.loads(next(ln for ln in out.splitlines() if ln.startswith("RESULT "))[7:])


def in_child(body: str, **kwargs) -> None:
    """Run body(machine, **kwargs) on a fresh "ideal" machine in a child process."""
    _child(f"from exobench.machine import Machine; t.{body}(Machine('ideal', 1 << 20), **{kwargs!r})")


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_random_machines_never_crash_or_hang(chunk):
    per = N_PROGRAMS // CHUNKS
    result = _run_child(chunk * per, per)
    reasons = result["reasons"]
    assert sum(reasons.values()) == per
    assert result["user_runs"] == per // 2
    # The mix really exercises the stop paths (not a vacuous pass).
    for reason in ("LIMIT", "DOUBLE_FAULT"):
        assert reasons.get(reason, 0) > per // 50, reasons


# ---- the deterministic cases ----------------------------------------------------------------------

def load(m: Machine, src: str, base: int = CODE) -> None:
    m.write_words(base - K.KSEG0_BASE, assemble(src, base))
    m.pc = base


def test_infinite_loop_stops_at_the_limit():
    in_child("_infinite_loop_stops_at_the_limit")


def _infinite_loop_stops_at_the_limit(m):
    load(m, "loop: b loop; nop")
    info = m.run(1001, check=False)
    assert info.reason == Stop.LIMIT
    assert m.counters()["insns"] == 1001
    assert info.pc in (CODE, CODE + 4)


def test_limit_raises_with_pc_and_disassembly():
    in_child("_limit_raises_with_pc_and_disassembly")


def _limit_raises_with_pc_and_disassembly(m):
    load(m, "nop; loop: addiu $t0, $t0, 1; j loop; nop")
    with pytest.raises(GuestLimitExceeded) as exc:
        m.run(1000)
    text = str(exc.value)
    pc = m.stop_info().pc
    assert f"0x{pc:08x}" in text
    assert pc in (CODE + 4, CODE + 8, CODE + 12)
    want = {CODE + 4: "addiu", CODE + 8: "j", CODE + 12: "nop"}[pc]
    assert want in text


def test_zero_budget_returns_at_once():
    in_child("_zero_budget_returns_at_once")


def _zero_budget_returns_at_once(m):
    load(m, "addiu $t0, $zero, 1")
    info = m.run(0, check=False)
    assert info.reason == Stop.LIMIT and m.counters()["insns"] == 0 and m.reg("t0") == 0


def test_bev_exception_without_rom_is_a_double_fault():
    in_child("_bev_exception_without_rom_is_a_double_fault")


def _bev_exception_without_rom_is_a_double_fault(m):
    """BEV=1 (the reset state) and nothing at 0xbfc00180: the vector fetch fails."""
    load(m, "syscall")
    with pytest.raises(DoubleFault) as exc:
        m.run(100)
    info = m.stop_info()
    assert info.reason == Stop.DOUBLE_FAULT
    assert info.pc == K.VEC_BEV_GENERAL
    assert "0xbfc00180" in str(exc.value)
    assert m.cp0(K.C0_EPC) == CODE                     # the original exception was taken
    assert (m.cp0(K.C0_CAUSE) & K.CAUSE_EXC_MASK) >> K.CAUSE_EXC_SHIFT == K.EXC_SYS


def test_bev_utlb_miss_without_rom_is_a_double_fault():
    in_child("_bev_utlb_miss_without_rom_is_a_double_fault")


def _bev_utlb_miss_without_rom_is_a_double_fault(m):
    load(m, "lw $t0, 0($t1)")
    m.set_reg("t1", 0x00400000)
    info = m.run(100, check=False)
    assert info.reason == Stop.DOUBLE_FAULT and info.pc == K.VEC_BEV_UTLB


@pytest.mark.parametrize("vector_code", ["syscall", "break", "lw $t0, 1($zero)", ".word 0xfc000000",
                                         "mfc1 $t0, $f0"])
def test_fault_loop_without_progress_stops(vector_code):
    in_child("_fault_loop_without_progress_stops", vector_code=vector_code)


def _fault_loop_without_progress_stops(m, vector_code):
    """Every instruction faults (the vector's first one faults again): nothing ever
    retires, yet a bounded run must return."""
    m.set_cp0(K.C0_STATUS, 0)                                   # BEV=0: vectors in kseg0
    m.write_words(K.VEC_GENERAL - K.KSEG0_BASE, assemble(vector_code, K.VEC_GENERAL))
    load(m, vector_code)
    info = m.run(500, check=False)
    assert info.reason == Stop.LIMIT
    assert m.counters()["insns"] == 0
    with pytest.raises(GuestLimitExceeded):
        m.run(500)


def test_utlb_refill_loop_without_progress_stops():
    in_child("_utlb_refill_loop_without_progress_stops")


def _utlb_refill_loop_without_progress_stops(m):
    """A UTLB handler whose first instruction misses in kuseg again."""
    m.set_cp0(K.C0_STATUS, 0)
    m.write_words(K.VEC_UTLB - K.KSEG0_BASE, assemble("lw $t0, 0($t1)", K.VEC_UTLB))
    m.set_reg("t1", 0x00400000)
    m.pc = 0x00400000                                           # unmapped kuseg fetch
    info = m.run(300, check=False)
    assert info.reason == Stop.LIMIT
    assert m.counters()["utlb_refills"] > 0


def test_fault_loop_budget_does_not_shorten_normal_runs():
    in_child("_fault_loop_budget_does_not_shorten_normal_runs")


def _fault_loop_budget_does_not_shorten_normal_runs(m):
    """A guest taking a few exceptions still runs to its full instruction budget."""
    m.set_cp0(K.C0_STATUS, 0)
    handler = assemble("mfc0 $k0, $14; nop; addiu $k0, $k0, 4; jr $k0; rfe", K.VEC_GENERAL)
    m.write_words(K.VEC_GENERAL - K.KSEG0_BASE, handler)
    load(m, "loop: syscall; addiu $t0, $t0, 1; b loop; nop")
    info = m.run(7000, check=False)
    assert info.reason == Stop.LIMIT
    assert m.counters()["insns"] == 7000
    assert m.counters()["exceptions"]["SYS"] > 500


def test_interrupt_storm_stops_at_the_limit():
    in_child("_interrupt_storm_stops_at_the_limit")


def _interrupt_storm_stops_at_the_limit(m):
    """A pending interrupt that the handler never clears: re-entered forever, bounded anyway."""
    m.set_cp0(K.C0_STATUS, K.SR_IEC | (1 << K.SR_IM_SHIFT))
    m.set_cp0(K.C0_CAUSE, 1 << K.CAUSE_IP_SHIFT)                # software interrupt 0 pending
    m.write_words(K.VEC_GENERAL - K.KSEG0_BASE,
                  assemble("mfc0 $k0, $14; nop; jr $k0; rfe", K.VEC_GENERAL))
    load(m, "loop: b loop; nop")
    info = m.run(1000, check=False)
    assert info.reason == Stop.LIMIT
    assert m.counters()["exceptions"]["INT"] > 100


if __name__ == "__main__":
    print(json.dumps(fuzz(int(sys.argv[1]), int(sys.argv[2]))))
