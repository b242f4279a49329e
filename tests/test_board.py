"""The board split by privilege (include/board.h): the report-owner filter on markers and
results, the writer's ASID and mode on every record, and the entropy register."""
from __future__ import annotations

import pytest

from exobench import constants as K
from exobench.machine import Machine, Stop

from conftest import load_program
from mips_asm import assemble

USER_VA, USER_PA = 0x00400000, 0x00004000
OWNER_WORD = 0x3000                 # physical: where the "kernel" keeps the owner's ASID
KHALT = f"lui $k1, 0xbf00; sw $zero, {K.BOARD_HALT}($k1)"


def report(asid: int, owner_word: int | None, raw: bool = False) -> Machine:
    """Kernel code names the owner (unless owner_word is None), drops a marker and a result
    itself, then user code under `asid` drops a marker and reports one result."""
    m = Machine("ideal", 1 << 20)
    m.set_cp0(K.C0_STATUS, 0)
    page = K.BOARD_USER_VADDR
    m.set_tlb(0, USER_VA | asid << K.ENTRYHI_ASID_SHIFT, USER_PA | K.ENTRYLO_V)
    m.set_tlb(1, page | asid << K.ENTRYHI_ASID_SHIFT, K.BOARD_PADDR | K.ENTRYLO_N | K.ENTRYLO_D | K.ENTRYLO_V)
    m.set_tlb(2, (page + K.BOARD_KPAGE) | asid << K.ENTRYHI_ASID_SHIFT,      # this test's user halt
              (K.BOARD_PADDR + K.BOARD_KPAGE) | K.ENTRYLO_N | K.ENTRYLO_D | K.ENTRYLO_V)
    m.write_words(USER_PA, assemble(f"""
        li $t9, {page}
        li $t0, 7
        sw $t0, {K.BOARD_MARKER}($t9)
        li $t0, 0x75
        sw $t0, {K.BOARD_RESULT_NAME}($t9)
        li $t0, 42
        sw $t0, {K.BOARD_RESULT_VALUE}($t9)
        sw $zero, {K.BOARD_HALT}($t9)
    """, USER_VA))
    if owner_word is not None:
        m.write_u32(OWNER_WORD, owner_word)
    name_owner = "" if owner_word is None else f"""
        li $t0, {OWNER_WORD | (K.BOARD_OWNER_RAW if raw else 0)}
        sw $t0, {K.BOARD_OWNER_ASID_ADDR}($k1)"""
    load_program(m, f"""
        lui $k1, 0xbf00
        {name_owner}
        li $t0, 1
        sw $t0, {K.BOARD_MARKER}($k1)
        li $t0, 0x6b
        sw $t0, {K.BOARD_RESULT_NAME}($k1)
        sw $t0, {K.BOARD_RESULT_VALUE}($k1)
        li $t0, {asid << K.ENTRYHI_ASID_SHIFT}
        mtc0 $t0, $10
        li $t0, {K.SR_KUP}
        mtc0 $t0, $12
        li $k0, {USER_VA}
        jr $k0
        rfe
    """)
    stop = m.run(10_000)
    assert stop.reason == Stop.HALT
    return m


def test_without_an_owner_every_writer_reports_with_its_asid_and_mode():
    m = report(asid=3, owner_word=None)
    assert [(r.name, r.value, r.asid, r.user) for r in m.result_records()] == [("k", 0x6b, 0, False),
                                                                              ("u", 42, 3, True)]
    assert [(mk.id, mk.asid, mk.user) for mk in m.markers()] == [(1, 0, False), (7, 3, True)]
    assert m.foreign_writes().count == 0


@pytest.mark.parametrize("word, raw", [(5 << K.ENTRYHI_ASID_SHIFT, False), (5, True)])
def test_the_owner_reports(word, raw):
    m = report(asid=5, owner_word=word, raw=raw)
    assert m.results() == [("k", 0x6b), ("u", 42)]
    assert [mk.id for mk in m.markers()] == [1, 7]
    assert m.foreign_writes().count == 0


@pytest.mark.parametrize("word, raw", [(5 << K.ENTRYHI_ASID_SHIFT, False), (5, True), (0xFFFFFFFF, True),
                                       (0, False)])
def test_another_address_space_is_refused_and_counted(word, raw):
    """User code under ASID 3 cannot drop a marker, name or record a result when the owner is
    ASID 5 (or nobody: -1 as a plain number, 0 as EntryHi); the kernel's own records stay."""
    m = report(asid=3, owner_word=word, raw=raw)
    assert m.results() == [("k", 0x6b)]
    assert [mk.id for mk in m.markers()] == [1]
    f = m.foreign_writes()
    assert f.count == 3 and f.asid == 3 and f.reg == K.BOARD_MARKER and f.value == 7
    assert f.pc == USER_VA + 16                         # the marker store (each li is two words)


def _splitmix(seed: int, n: int) -> list[int]:
    out, s = [], seed
    for _ in range(n):
        s = (s + 0x9E3779B97F4A7C15) & (2**64 - 1)
        z = s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & (2**64 - 1)
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & (2**64 - 1)
        out.append((z ^ (z >> 31)) >> 32)
    return out


def _entropy(seed: int | None) -> tuple[list[int], int]:
    m = Machine("dec5000", 1 << 20)
    if seed is not None:
        m.set_entropy_seed(seed)
    m.reset()
    load_program(m, f"""
        lui $k1, 0xbf00
        lw $s0, {K.BOARD_ENTROPY}($k1)
        lw $s1, {K.BOARD_ENTROPY}($k1)
        lw $s2, {K.BOARD_ENTROPY}($k1)
        {KHALT}
    """)
    m.run(1000)
    return [m.reg(r) for r in ("s0", "s1", "s2")], m.counters()["cycles"]


def test_entropy_is_seeded_by_the_host_and_costs_the_same_whatever_the_seed():
    default, cyc = _entropy(None)
    assert default == _entropy(None)[0]                 # a fixed default: runs repeat
    assert len(set(default)) == 3
    for seed in (1, 2**64 - 1, 0xDEADBEEF):
        vals, c = _entropy(seed)
        assert vals == _splitmix(seed, 3)
        assert c == cyc                                 # timing never depends on the secret


def test_entropy_seed_is_checked():
    with pytest.raises(ValueError):
        Machine("ideal", 1 << 20).set_entropy_seed(-1)
