"""lwl/lwr touch the aligned word that holds their address, but a fault reports the
address they were given (BadVAddr), as the R3000 does."""
import pytest

from exobench import constants as K
from exobench.machine import Stop


@pytest.mark.parametrize("op", ["lwl", "lwr"])
@pytest.mark.parametrize("offset", [0, 1, 2, 3])
def test_partial_load_fault_reports_the_given_address(machine, run_asm, op, offset):
    machine.trap_on(["TLBL"])
    from conftest import load_program
    load_program(machine, f"li $t0, 0x00400000; {op} $t1, {offset}($t0); nop")
    info = machine.run(100, check=False)
    assert info.reason == Stop.TRAP and info.code == K.EXC_TLBL
    assert machine.cp0(K.C0_BADVADDR) == 0x00400000 + offset
    assert machine.cp0(K.C0_ENTRYHI) & K.ENTRYHI_VPN_MASK == 0x00400000
