"""The 3MIN IOASIC interrupt-mask register on the board's kernel page (include/board.h,
BOARD_IOASIC_IMSK): it holds what was written, resets to 0, costs an uncached access each
way, and gates nothing (the CPU's Status.IM alone decides whether the timer line gets in)."""
from __future__ import annotations

from exobench import constants as K
from exobench.machine import Machine, Stop

from conftest import load_program

KHALT = f"lui $k1, 0xbf00; sw $zero, {K.BOARD_HALT}($k1)"


def test_ioasic_imsk_offset_is_the_next_kernel_register():
    assert K.BOARD_IOASIC_IMSK == K.BOARD_KPAGE + 0x14 == K.BOARD_ENTROPY + 4


def test_ioasic_imsk_stores_and_reads_back():
    m = Machine("ideal", 1 << 20)
    load_program(m, f"""
        lui $k1, 0xbf00
        lw $s0, {K.BOARD_IOASIC_IMSK}($k1)
        li $t0, 0xdeadbeef
        sw $t0, {K.BOARD_IOASIC_IMSK}($k1)
        lw $s1, {K.BOARD_IOASIC_IMSK}($k1)
        sw $zero, {K.BOARD_IOASIC_IMSK}($k1)
        lw $s2, {K.BOARD_IOASIC_IMSK}($k1)
        li $t0, 0x00ff00ff
        sw $t0, {K.BOARD_IOASIC_IMSK}($k1)
        {KHALT}
    """)
    assert m.run(1000).reason == Stop.HALT
    assert (m.reg("s0"), m.reg("s1"), m.reg("s2")) == (0, 0xDEADBEEF, 0)
    m.reset()                                           # reset clears it
    load_program(m, f"""
        lui $k1, 0xbf00
        lw $s0, {K.BOARD_IOASIC_IMSK}($k1)
        {KHALT}
    """)
    m.run(1000)
    assert m.reg("s0") == 0


def _cycles(body: str) -> tuple[int, int]:
    m = Machine("dec5000", 1 << 20)
    load_program(m, f"""
        lui $k1, 0xbf00
        {body}
        {KHALT}
    """)
    m.run(1000)
    c = m.counters()
    return c["cycles"], c["insns"]


def test_ioasic_imsk_costs_what_any_uncached_access_costs():
    """A write plus its read-back costs the same as the same pair on another board register:
    the model's one uncached cost (csrc/cost.c), nothing special for this device."""
    def pair(off: int) -> str:
        return f"li $t2, 0x80003000; li $t0, 5; sw $t0, {off}($k1); lw $t1, {off}($k1); nop"
    imsk = _cycles(pair(K.BOARD_IOASIC_IMSK))
    other = _cycles(pair(K.BOARD_TIMER_PERIOD).replace("li $t0, 5", "li $t0, 0"))
    assert imsk == other
    cached = _cycles("li $t2, 0x80003000; li $t0, 5; sw $t0, 0($t2); lw $t1, 0($t2); nop")
    assert imsk[0] > cached[0]                          # the read-back is uncached: it costs


def test_ioasic_imsk_does_not_gate_the_timer():
    """Every mask bit clear in the IOASIC register, Status.IM(Int3) and IEc set: the timer
    interrupt is still taken (the model gates lines by Status.IM only)."""
    m = Machine("ideal", 1 << 20)
    load_program(m, f"""
        lui $k1, 0xbf00
        sw $zero, {K.BOARD_IOASIC_IMSK}($k1)
        li $t0, {K.SR_IEC | 1 << (K.CAUSE_IP_SHIFT + K.BOARD_TIMER_LINE + 2)}
        mtc0 $t0, $12
        li $t0, 20
        sw $t0, {K.BOARD_TIMER_PERIOD}($k1)
    1:  b 1b
        nop
    """)
    m.trap_on([K.EXC_INT])
    info = m.run(1000, check=False)
    assert info.reason == Stop.TRAP and info.code == K.EXC_INT
