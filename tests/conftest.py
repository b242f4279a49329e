"""Shared fixtures: a machine with a small program loaded and run in kernel mode."""
from __future__ import annotations

import pytest

from exobench import constants as K
from exobench.machine import Machine

from mips_asm import assemble

CODE_PADDR = 0x1000                      # where test programs go in physical memory
CODE_BASE = K.KSEG0_BASE + CODE_PADDR    # ... and where they run, in kseg0
HALT = f"lui $k1, 0xbf00; sw $zero, {K.BOARD_HALT}($k1)"


def load_program(m: Machine, src: str, base: int = CODE_BASE) -> list[int]:
    """Assemble src at base (a kseg0 address), copy it in, point the PC at it."""
    words = assemble(src, base)
    m.write_words(base - K.KSEG0_BASE, words)
    m.pc = base
    return words


@pytest.fixture
def machine():
    return Machine("ideal", 1 << 20)


@pytest.fixture
def run_asm(machine):
    """run_asm(src, max_insns=..., **regs): assemble src + a halt, run in kernel mode, return the machine."""
    def run(src: str, max_insns: int = 10_000, **regs) -> Machine:
        load_program(machine, src + "\n" + HALT)
        for name, value in regs.items():
            machine.set_reg(name, value)
        machine.run(max_insns)
        return machine
    return run
