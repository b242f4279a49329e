"""Run guest programs on one system: the one boot -> run -> hazard check sequence that the
harness, the breakdown profiler and the tests all use.

    run(system, programs, params, preset=..., ...) -> GuestRun

boots `programs` on a fresh Machine with the system's kernel, runs it to its halt and, with
the hazard checker on (the default), refuses the run if any code that ran read a register
in the delay slot of the load that wrote it -- the R3000 does not interlock loads, so that
code would not run on the real chip -- except for the instructions the system documents as
intended (`System.hazard_allowed`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

from .machine import Machine, StopInfo
from .systems import Program, System

INSN_LIMIT = 2_000_000_000      # a guest still running after this many instructions is hung
RAM_BYTES = 32 << 20            # the DECstation 5000/125 configuration both kernels boot on


class HazardError(RuntimeError):
    """Code that ran relies on the emulator's load interlock."""


class ForeignReportError(RuntimeError):
    """An address space other than the benchmark's owner tried to write markers or results."""


@dataclass
class GuestRun:
    """A finished run: the machine (for counters, markers, console, profile) and its stop."""
    machine: Machine
    stop: StopInfo

    def results(self, signed: bool = False) -> dict[str, int]:
        """The result channel as a dict; signed=True reads the values as int32."""
        return {k: (v - (1 << 32) if signed and v & 0x80000000 else v) for k, v in self.machine.results()}

    def console(self) -> str:
        return self.machine.console()


def _boot(system: System, programs: Sequence[Program], params: Optional[Mapping[str, int]], preset: str,
          ram_bytes: int, overrides, entropy_seed, hazard_check: bool, profile: bool) -> Machine:
    m = Machine(preset, ram_bytes, overrides)
    if entropy_seed is not None:
        m.set_entropy_seed(entropy_seed)
    system.boot(m, programs, params or {})
    m.set_hazard_check(hazard_check)
    m.set_profile(profile)
    return m


def _check(system: System, m: Machine, stop: StopInfo, check: bool, hazard_check: bool) -> GuestRun:
    foreign = m.foreign_writes()
    if foreign.count and check:
        raise ForeignReportError(
            f"{foreign.count} marker/result write(s) from an address space that does not own the "
            f"benchmark refused by the board, the first at pc 0x{foreign.pc:08x} (ASID {foreign.asid}, "
            f"register 0x{foreign.reg:x}, value 0x{foreign.value:x})")
    if hazard_check:
        _total, hazards = m.hazards()
        bad = [str(h) for h in hazards if h.prev_insn not in system.hazard_allowed]
        if bad:
            raise HazardError(f"{len(bad)} load-delay hazard(s) on {system.name}, e.g. " + "; ".join(bad[:3]))
    return GuestRun(m, stop)


def run(system: System, programs: Sequence[Program], params: Optional[Mapping[str, int]] = None, *,
        preset: str = "ideal", limit: int = INSN_LIMIT, hazard_check: bool = True,
        profile: bool = False, check: bool = True, ram_bytes: int = RAM_BYTES,
        stop_on: Sequence[str] = (), overrides: Optional[Mapping[str, float]] = None,
        entropy_seed: Optional[int] = None) -> GuestRun:
    """Boot `programs` on `system` and run until the machine halts.

    check=True raises (machine.MachineError) on a non-zero exit code, the instruction limit
    or a double fault, and ForeignReportError when the board refused marker or result writes
    from an address space other than the benchmark owner's (its first program's);
    check=False returns the stop for the caller to inspect.  stop_on
    names exceptions (e.g. "BP") at which the machine stops before the kernel sees them,
    for a test to read the state there.  `overrides` changes parameters of the cost preset
    (Machine); `entropy_seed` seeds the board's entropy register (default: the fixed seed).
    Raises
    HazardError when the hazard checker found a load-delay hazard the system does not
    allow (hazard_check=False skips the check, e.g. for profiling)."""
    m = _boot(system, programs, params, preset, ram_bytes, overrides, entropy_seed, hazard_check, profile)
    if stop_on:
        m.trap_on(stop_on)
    stop = m.run(limit, check=check)
    return _check(system, m, stop, check, hazard_check)


def run_cluster(system: System, machines: Sequence[Sequence[Program]], params: Optional[Mapping[str, int]] = None,
                *, preset: str = "ideal", limit: int = INSN_LIMIT, hazard_check: bool = True,
                check: bool = True, ram_bytes: int = RAM_BYTES,
                overrides: Optional[Mapping[str, float]] = None,
                link: Optional[Mapping[str, float]] = None) -> list[GuestRun]:
    """Boot each machine's programs on `system` (same preset, same params), join the machines
    by a link (machine.Cluster; machine i is station i + 1) and run them together until
    machine 0 halts.  The checks are run()'s, on every machine (Cluster.run raises for a
    machine that stops otherwise: a limit, a fault, a non-zero exit)."""
    from .machine import Cluster
    ms = [_boot(system, progs, params, preset, ram_bytes, overrides, None, hazard_check, False)
          for progs in machines]
    stops = Cluster(ms, **(link or {})).run(until=(0,), max_insns=limit, check=check)
    return [_check(system, m, st, check, hazard_check) for m, st in zip(ms, stops)]
