"""System-level semantics of CP0 and the TLB: vectors, fault registers, the
KU/IE stack, rfe, BEV, interrupts, the board timer and the mtc0 write masks.

Facts: docs/references.md#r3000.  Programs run from kseg0 physical
0x1000 (conftest); handlers go at the vectors, physical 0x0 (UTLB) and 0x80
(general); user code runs from a TLB-mapped kuseg page.
"""
from __future__ import annotations

import re

import pytest

from exobench import constants as K
from exobench.machine import Machine, Stop

from conftest import CODE_BASE, HALT, load_program
from mips_asm import assemble

USER_CODE_VA = 0x00400000
USER_CODE_PA = 0x00002000
USER_DATA_VA = 0x00500000
USER_DATA_PA = 0x00003000
KSEG2_VA = 0xC0123000
USER_HALT = f"li $t9, {K.BOARD_USER_VADDR}; sw $zero, {K.BOARD_HALT}($t9)"
TIMER_IP = K.BOARD_TIMER_LINE + 2                # IRQ_HW(BOARD_TIMER_LINE): Int3 is Cause.IP5
IP = lambda n: 1 << (K.CAUSE_IP_SHIFT + n)     # noqa: E731  Cause.IP<n> / Status.IM<n>


def hi(va: int, asid: int = 0) -> int:
    return (va & K.ENTRYHI_VPN_MASK) | (asid << K.ENTRYHI_ASID_SHIFT)


def lo(pa: int, *, v: bool = True, d: bool = True, g: bool = False, n: bool = False) -> int:
    return ((pa & K.ENTRYLO_PFN_MASK) | (K.ENTRYLO_V if v else 0) | (K.ENTRYLO_D if d else 0)
            | (K.ENTRYLO_G if g else 0) | (K.ENTRYLO_N if n else 0))


def place(m: Machine, src: str, va: int, pa: int | None = None) -> None:
    """Assemble src for address va and store it at pa (default: va's kseg0 physical address)."""
    m.write_words(va - K.KSEG0_BASE if pa is None else pa, assemble(src, va))


def label(src: str, name: str, base: int = CODE_BASE) -> int:
    """Address of `name:` in src assembled at base (counts statements as mips_asm does:
    li/la are two words, everything else one)."""
    n = 0
    for raw in src.split(name + ":")[0].splitlines():
        for stmt in raw.split("#", 1)[0].split(";"):
            stmt = re.sub(r"^\s*(?:[A-Za-z_.][\w.]*:\s*)*", "", stmt).strip()
            if stmt:
                n += 2 if stmt.split()[0] in ("li", "la") else 1
    return base + 4 * n


def trap(m: Machine, src: str, codes=range(16), max_insns: int = 10_000):
    """Run src (kernel mode, BEV clear) until the first exception in codes; return the StopInfo."""
    load_program(m, src + "\n" + HALT)
    m.set_cp0(K.C0_STATUS, 0)
    m.trap_on(codes)
    return m.run(max_insns, check=False)


def map_user(m: Machine, asid: int = 0) -> None:
    """TLB entries 0-2: user code page and both board pages (uncached) at BOARD_USER_VADDR, so
    these tests' user code can halt the machine (a kernel never maps the board's kernel page)."""
    m.set_tlb(0, hi(USER_CODE_VA, asid), lo(USER_CODE_PA, d=False))
    m.set_tlb(1, hi(K.BOARD_USER_VADDR, asid), lo(K.BOARD_PADDR, n=True))
    m.set_tlb(2, hi(K.BOARD_USER_VADDR + K.BOARD_KPAGE, asid), lo(K.BOARD_PADDR + K.BOARD_KPAGE, n=True))


def run_user(m: Machine, user_src: str, *, status: int = 0, codes=(), kernel_pre: str = "",
             max_insns: int = 10_000):
    """Enter user mode at USER_CODE_VA with `jr k1; rfe` from a kernel whose Status is
    `status | KUp` (so the rfe makes KUc=1, IEc=IEp), run until halt or a trap in codes."""
    map_user(m)
    place(m, user_src, USER_CODE_VA, USER_CODE_PA)
    load_program(m, f"""
        {kernel_pre}
        li $t0, {status | K.SR_KUP}
        mtc0 $t0, $12
        li $k1, {USER_CODE_VA}
        jr $k1
        rfe
    """)
    m.set_cp0(K.C0_STATUS, 0)
    m.trap_on(codes)
    return m.run(max_insns, check=False)


# ---- which vector each TLB fault takes ------------------------------------------------------

@pytest.mark.parametrize("kind, code", [("load", K.EXC_TLBL), ("store", K.EXC_TLBS), ("fetch", K.EXC_TLBL)])
def test_kuseg_miss_takes_utlb_vector(machine, kind, code):
    body = {"load": "lw $t1, 0($t0)", "store": "sw $t1, 0($t0)", "fetch": "jr $t0; nop"}[kind]
    info = trap(machine, f"li $t0, {USER_DATA_VA + 0x24}\nfault: {body}")
    assert info.reason == Stop.TRAP and info.code == code
    assert machine.pc == K.VEC_UTLB
    assert machine.counters()["utlb_refills"] == 1
    assert machine.counters()["exceptions"][K.EXC_NAMES[code]] == 1
    assert machine.cp0(K.C0_BADVADDR) == USER_DATA_VA + 0x24
    epc = USER_DATA_VA + 0x24 if kind == "fetch" else CODE_BASE + 8
    assert machine.cp0(K.C0_EPC) == epc and info.pc == epc
    assert not machine.cp0(K.C0_CAUSE) & K.CAUSE_BD


@pytest.mark.parametrize("branch", ["beq $zero, $zero, away", "jr $t2", "jal away", "bltzal $zero, away"])
def test_fault_in_delay_slot_reports_the_branch(machine, branch):
    info = trap(machine, src := f"""
        li $t0, {USER_DATA_VA}
        la $t2, away
    br: {branch}
        lw $t1, 4($t0)              # delay slot: misses
        nop
    away:
        nop
    """)
    assert info.reason == Stop.TRAP and info.code == K.EXC_TLBL and machine.pc == K.VEC_UTLB
    assert machine.cp0(K.C0_EPC) == label(src, "br")
    assert machine.cp0(K.C0_CAUSE) & K.CAUSE_BD
    assert machine.cp0(K.C0_BADVADDR) == USER_DATA_VA + 4


@pytest.mark.parametrize("kind, code", [("load", K.EXC_TLBL), ("store", K.EXC_TLBS), ("fetch", K.EXC_TLBL)])
def test_kseg2_miss_takes_general_vector(machine, kind, code):
    body = {"load": "lw $t1, 0($t0)", "store": "sw $t1, 0($t0)", "fetch": "jr $t0; nop"}[kind]
    info = trap(machine, f"li $t0, {KSEG2_VA + 0x10}\n{body}")
    assert info.reason == Stop.TRAP and info.code == code
    assert machine.pc == K.VEC_GENERAL
    assert machine.counters()["utlb_refills"] == 0
    assert machine.cp0(K.C0_BADVADDR) == KSEG2_VA + 0x10


@pytest.mark.parametrize("va", [USER_DATA_VA, KSEG2_VA])
@pytest.mark.parametrize("store", [False, True])
def test_matched_invalid_entry_takes_general_vector(machine, va, store):
    machine.set_tlb(20, hi(va), lo(USER_DATA_PA, v=False))
    op = "sw" if store else "lw"
    info = trap(machine, f"li $t0, {va + 8}\n{op} $t1, 0($t0)")
    assert info.code == (K.EXC_TLBS if store else K.EXC_TLBL)
    assert machine.pc == K.VEC_GENERAL
    assert machine.counters()["utlb_refills"] == 0
    assert machine.cp0(K.C0_BADVADDR) == va + 8


def test_store_to_clean_page_raises_mod(machine):
    machine.set_tlb(5, hi(USER_DATA_VA), lo(USER_DATA_PA, d=False))
    machine.write_u32(USER_DATA_PA + 4, 0xCAFEF00D)
    info = trap(machine, f"""
        li $t0, {USER_DATA_VA}
        lw $t2, 4($t0)              # loads are fine with D=0
        li $t1, 0x1234
        sw $t1, 4($t0)
    """)
    assert info.reason == Stop.TRAP and info.code == K.EXC_MOD == 1
    assert machine.pc == K.VEC_GENERAL
    assert machine.reg("t2") == 0xCAFEF00D
    assert machine.read_u32(USER_DATA_PA + 4) == 0xCAFEF00D     # the store did not happen
    assert machine.cp0(K.C0_BADVADDR) == USER_DATA_VA + 4
    assert machine.counters()["utlb_refills"] == 0


def test_store_allowed_after_dirty_bit_set(machine):
    # The same page made writable by tlbwi: the host maps must not keep the read-only mapping.
    machine.set_tlb(5, hi(USER_DATA_VA), lo(USER_DATA_PA, d=False))
    machine.set_cp0(K.C0_STATUS, 0)
    load_program(machine, f"""
        li $t0, {USER_DATA_VA}
        lw $t2, 0($t0)              # enters the page into the read map
        li $t3, {5 << K.INDEX_SHIFT}
        mtc0 $t3, $0
        li $t3, {hi(USER_DATA_VA)}
        mtc0 $t3, $10
        li $t3, {lo(USER_DATA_PA)}
        mtc0 $t3, $2
        tlbwi
        li $t1, 0x5678
        sw $t1, 0($t0)
    """ + HALT)
    machine.trap_on(range(16))
    assert machine.run(check=False).reason == Stop.HALT
    assert machine.read_u32(USER_DATA_PA) == 0x5678


# ---- matching and translation ---------------------------------------------------------------

def test_matching_entry_translates_to_its_physical_page(run_asm, machine):
    machine.set_tlb(9, hi(USER_DATA_VA), lo(USER_DATA_PA))
    m = run_asm(f"""
        li $t0, {USER_DATA_VA}
        li $t1, 0x11223344
        sw $t1, 0x7fc($t0)          # through kuseg and the TLB
        li $t2, {K.KSEG0_BASE + USER_DATA_PA}
        lw $t3, 0x7fc($t2)          # back through kseg0
        li $t2, {K.KSEG1_BASE + USER_DATA_PA}
        lw $t4, 0x7fc($t2)          # and kseg1
        sb $t1, 0xfff($t0)
    """)
    assert m.reg("t3") == m.reg("t4") == 0x11223344
    assert m.read_u32(USER_DATA_PA + 0x7FC) == 0x11223344
    assert m.read_phys(USER_DATA_PA + 0xFFF, 1) == b"\x44"
    assert m.virt_to_phys(USER_DATA_VA + 0x123) == USER_DATA_PA + 0x123


def test_kseg2_entry_translates_in_kernel_mode(run_asm, machine):
    machine.set_tlb(33, hi(KSEG2_VA, 5), lo(USER_DATA_PA, g=True))
    machine.write_u32(USER_DATA_PA + 0x10, 0xC0FFEE)
    m = run_asm(f"li $t0, {KSEG2_VA}; lw $t1, 0x10($t0); sw $t1, 0x14($t0)")
    assert m.reg("t1") == 0xC0FFEE and m.read_u32(USER_DATA_PA + 0x14) == 0xC0FFEE


def test_remapping_a_page_takes_effect_at_once(machine):
    """Pages used through the host maps (load, store, fetch), then remapped or invalidated
    by tlbwi: the next access must see the new entry."""
    data1, data2, code1, code2 = 0x4000, 0x5000, 0x6000, 0x7000
    machine.write_u32(data1, 0x1111)
    machine.write_u32(data2, 0x2222)
    machine.write_words(code1, assemble("jr $ra; addiu $v0, $zero, 1", USER_CODE_VA))
    machine.write_words(code2, assemble("jr $ra; addiu $v0, $zero, 2", USER_CODE_VA))
    machine.set_tlb(40, hi(USER_DATA_VA), lo(data1))
    machine.set_tlb(41, hi(USER_CODE_VA), lo(code1))

    def tlbwi(index, entry_hi, entry_lo):
        return f"""
        li $t1, {index << K.INDEX_SHIFT}
        mtc0 $t1, $0
        li $t1, {entry_hi}
        mtc0 $t1, $10
        li $t1, {entry_lo}
        mtc0 $t1, $2
        tlbwi"""
    info = trap(machine, f"""
        li $t0, {USER_DATA_VA}
        li $t9, {USER_CODE_VA}
        lw $s0, 0($t0)
        sw $s0, 4($t0)
        jalr $t9
        nop
        move $s1, $v0
        {tlbwi(40, hi(USER_DATA_VA), lo(data2))}
        lw $s2, 0($t0)              # the new page
        sw $s2, 8($t0)
        {tlbwi(41, hi(USER_CODE_VA), lo(code2))}
        jalr $t9
        nop
        move $s3, $v0               # the new code page
        {tlbwi(40, hi(USER_DATA_VA), lo(data2, d=False))}
        lw $s4, 8($t0)              # still readable
        {tlbwi(40, hi(USER_DATA_VA), lo(data2, v=False))}
        lw $s5, 0($t0)              # invalid now: TLBL at the general vector
    """)
    assert (machine.reg("s0"), machine.reg("s1"), machine.reg("s2"), machine.reg("s3"), machine.reg("s4")) == \
        (0x1111, 1, 0x2222, 2, 0x2222)
    assert machine.read_u32(data1 + 4) == 0x1111 and machine.read_u32(data2 + 8) == 0x2222
    assert info.reason == Stop.TRAP and info.code == K.EXC_TLBL and machine.pc == K.VEC_GENERAL


def test_clearing_dirty_bit_makes_page_read_only_at_once(machine):
    machine.set_tlb(40, hi(USER_DATA_VA), lo(USER_DATA_PA))
    info = trap(machine, f"""
        li $t0, {USER_DATA_VA}
        sw $t0, 0($t0)              # enters the page into the write map
        li $t1, {40 << K.INDEX_SHIFT}
        mtc0 $t1, $0
        li $t1, {hi(USER_DATA_VA)}
        mtc0 $t1, $10
        li $t1, {lo(USER_DATA_PA, d=False)}
        mtc0 $t1, $2
        tlbwi
        sw $zero, 0($t0)
    """)
    assert info.reason == Stop.TRAP and info.code == K.EXC_MOD
    assert machine.read_u32(USER_DATA_PA) == USER_DATA_VA


def test_global_bit_ignores_asid(machine):
    machine.set_tlb(3, hi(USER_DATA_VA, asid=7), lo(USER_DATA_PA, g=True))
    machine.write_u32(USER_DATA_PA, 77)
    machine.set_cp0(K.C0_ENTRYHI, hi(0, asid=3))
    info = trap(machine, f"li $t0, {USER_DATA_VA}; lw $t1, 0($t0)")
    assert info.reason == Stop.HALT and machine.reg("t1") == 77


def test_asid_mismatch_misses(machine):
    machine.set_tlb(3, hi(USER_DATA_VA, asid=7), lo(USER_DATA_PA))
    machine.set_cp0(K.C0_ENTRYHI, hi(0, asid=3))
    info = trap(machine, f"li $t0, {USER_DATA_VA}; lw $t1, 0($t0)")
    assert info.reason == Stop.TRAP and info.code == K.EXC_TLBL
    assert machine.pc == K.VEC_UTLB      # a non-matching entry is no entry at all


def test_kernel_kuseg_access_uses_current_asid(machine):
    """Kernel-mode kuseg access goes through the TLB with EntryHi.ASID; changing the ASID
    by mtc0 switches address spaces (and the host maps with it)."""
    machine.set_tlb(10, hi(USER_DATA_VA, asid=9), lo(USER_DATA_PA))
    machine.set_tlb(11, hi(USER_DATA_VA, asid=10), lo(USER_DATA_PA + 0x1000))
    machine.write_u32(USER_DATA_PA, 0x99)
    machine.write_u32(USER_DATA_PA + 0x1000, 0xAA)
    info = trap(machine, f"""
        li $t0, {USER_DATA_VA}
        li $t5, {hi(0, asid=9)}
        mtc0 $t5, $10
        lw $t1, 0($t0)
        li $t5, {hi(0, asid=10)}
        mtc0 $t5, $10
        lw $t2, 0($t0)
        li $t5, {hi(0, asid=9)}
        mtc0 $t5, $10
        lw $t3, 0($t0)
        li $t5, {hi(0, asid=11)}
        mtc0 $t5, $10
        lw $t4, 0($t0)              # no entry for ASID 11
    """)
    assert (machine.reg("t1"), machine.reg("t2"), machine.reg("t3")) == (0x99, 0xAA, 0x99)
    assert info.reason == Stop.TRAP and info.code == K.EXC_TLBL and machine.pc == K.VEC_UTLB
    assert machine.cp0(K.C0_ENTRYHI) == hi(USER_DATA_VA, asid=11)


# ---- what a TLB fault loads -------------------------------------------------------------------

@pytest.mark.parametrize("va, setup, code", [
    (0x7FFFE123, None, K.EXC_TLBS),                                  # kuseg miss (UTLB)
    (0xC0ABC777, None, K.EXC_TLBS),                                  # kseg2 miss
    (USER_DATA_VA + 0x345, lo(USER_DATA_PA, d=False), K.EXC_MOD),    # Mod
    (0x4ABCD000, lo(USER_DATA_PA, v=False), K.EXC_TLBS),             # invalid
])
def test_tlb_fault_loads_badvaddr_context_entryhi(machine, va, setup, code):
    asid = 0x2A
    if setup is not None:
        machine.set_tlb(12, hi(va, asid), setup)
    machine.set_cp0(K.C0_CONTEXT, 0xABC00000 | 0x1234)    # PTEBase, and stale BadVPN bits
    machine.set_cp0(K.C0_ENTRYHI, hi(0x12345000, asid))
    info = trap(machine, f"li $t0, {va}; sb $t0, 0($t0)", codes=[code])
    assert info.reason == Stop.TRAP and info.code == code
    assert machine.cp0(K.C0_BADVADDR) == va
    badvpn = ((va >> 12) & 0x7FFFF) << 2                 # VA 30:12 -> Context 20:2
    assert machine.cp0(K.C0_CONTEXT) == (0xABC00000 & K.CONTEXT_PTEBASE_MASK) | badvpn
    assert machine.cp0(K.C0_ENTRYHI) == hi(va, asid)


def test_address_error_loads_only_badvaddr(machine):
    machine.set_cp0(K.C0_CONTEXT, 0xABC00000)
    machine.set_cp0(K.C0_ENTRYHI, hi(0x12345000, 5))
    info = trap(machine, f"li $t0, {K.KSEG0_BASE + 0x2002}; lw $t1, 0($t0)")
    assert info.code == K.EXC_ADEL and machine.pc == K.VEC_GENERAL
    assert machine.cp0(K.C0_BADVADDR) == K.KSEG0_BASE + 0x2002
    assert machine.cp0(K.C0_CONTEXT) == 0xABC00000
    assert machine.cp0(K.C0_ENTRYHI) == hi(0x12345000, 5)


# ---- user mode ------------------------------------------------------------------------------

@pytest.mark.parametrize("va", [K.KSEG0_BASE + 0x2000, K.KSEG1_BASE + 0x2000, KSEG2_VA, K.BOARD_KSEG1,
                                CODE_BASE])       # the kernel's own page, already in the host maps
@pytest.mark.parametrize("kind", ["load", "store", "fetch"])
def test_user_access_to_kernel_segments_is_address_error(machine, va, kind):
    machine.set_tlb(30, hi(KSEG2_VA), lo(USER_DATA_PA, g=True))      # even a mapped kseg2 page
    body = {"load": "lw $t1, 0($t0)", "store": "sw $t1, 0($t0)", "fetch": "jr $t0; nop"}[kind]
    info = run_user(machine, f"li $t0, {va}\n{body}\n{USER_HALT}", codes=range(16))
    code = K.EXC_ADES if kind == "store" else K.EXC_ADEL
    assert info.reason == Stop.TRAP and info.code == code
    assert machine.pc == K.VEC_GENERAL
    assert machine.cp0(K.C0_BADVADDR) == va
    assert machine.cp0(K.C0_EPC) == (va if kind == "fetch" else USER_CODE_VA + 8)
    # the exception put the CPU in kernel mode and pushed user mode to "previous"
    assert machine.cp0(K.C0_STATUS) & K.SR_KUIE_MASK == K.SR_KUP


def test_user_mode_kuseg_access_and_board_mapping(machine):
    machine.set_tlb(7, hi(USER_DATA_VA), lo(USER_DATA_PA))
    info = run_user(machine, f"""
        li $t0, {USER_DATA_VA}
        li $t1, 4242
        sw $t1, 8($t0)
        lw $t2, 8($t0)
        li $t9, {K.BOARD_USER_VADDR}
        addiu $t3, $zero, 0x41
        sw $t3, {K.BOARD_CONSOLE}($t9)
        sw $zero, {K.BOARD_HALT}($t9)
    """, codes=range(16))
    assert info.reason == Stop.HALT
    assert machine.reg("t2") == 4242 and machine.read_u32(USER_DATA_PA + 8) == 4242
    assert machine.console() == "A"
    assert machine.cp0(K.C0_STATUS) & K.SR_KUC


@pytest.mark.parametrize("insn", ["mfc0 $t0, $12", "mtc0 $zero, $10", "tlbwi", "tlbp", "tlbr", "tlbwr", "rfe"])
def test_cop0_in_user_mode_raises_cpu(machine, insn):
    before = machine.tlb(40)
    info = run_user(machine, f"nop\n{insn}\n{USER_HALT}", codes=range(16))
    assert info.reason == Stop.TRAP and info.code == K.EXC_CPU
    assert machine.pc == K.VEC_GENERAL
    assert machine.cp0(K.C0_EPC) == USER_CODE_VA + 4
    assert (machine.cp0(K.C0_CAUSE) & K.CAUSE_CE_MASK) >> K.CAUSE_CE_SHIFT == 0
    assert machine.tlb(40) == before


def test_cop1_unusable_reports_unit_in_ce(machine):
    info = trap(machine, "mfc1 $t0, $f0")
    assert info.code == K.EXC_CPU
    assert (machine.cp0(K.C0_CAUSE) & K.CAUSE_CE_MASK) >> K.CAUSE_CE_SHIFT == 1


# The coprocessor instructions nothing models: COPz (z 1-3), LWCz and SWCz (z 0-3), as raw
# words (opcode << 26, rs = $v0, rt = 1, offset 4).
UNMODELLED_COP = [(f"{name}{z}", (op + z) << 26 | 2 << 21 | 1 << 16 | 4, z)
                  for name, op, zs in (("cop", 0x10, (1, 2, 3)), ("lwc", 0x30, (0, 1, 2, 3)),
                                       ("swc", 0x38, (0, 1, 2, 3))) for z in zs]


@pytest.mark.parametrize("engine", ["fast", "reference"])
@pytest.mark.parametrize("name, word, z", UNMODELLED_COP, ids=[c[0] for c in UNMODELLED_COP])
def test_unmodelled_coprocessor_instructions(engine, name, word, z):
    """In user mode without CUz: Coprocessor Unusable with CE = z.  With CUz (or, for z = 0,
    in kernel mode): Reserved Instruction - the unit or the opcode does not exist here."""
    m = Machine("ideal", 1 << 20, engine=engine)
    info = run_user(m, f"nop\n.word {word:#x}\n{USER_HALT}", codes=range(16))
    assert info.reason == Stop.TRAP and info.code == K.EXC_CPU, name
    assert (m.cp0(K.C0_CAUSE) & K.CAUSE_CE_MASK) >> K.CAUSE_CE_SHIFT == z
    assert m.cp0(K.C0_EPC) == USER_CODE_VA + 4
    m = Machine("ideal", 1 << 20, engine=engine)
    info = run_user(m, f"nop\n.word {word:#x}\n{USER_HALT}", status=K.SR_CU0 << z, codes=range(16))
    assert info.reason == Stop.TRAP and info.code == K.EXC_RI, name
    if z == 0:
        m = Machine("ideal", 1 << 20, engine=engine)
        info = trap(m, f"nop\n.word {word:#x}")
        assert info.reason == Stop.TRAP and info.code == K.EXC_RI, name


def test_cop0_in_user_mode_with_cu0(machine):
    info = run_user(machine, f"""
        mfc0 $s0, $12
        li $t0, {lo(0x12345000, g=True)}
        mtc0 $t0, $2
        mfc0 $s1, $2
        {USER_HALT}
    """, status=K.SR_CU0, codes=range(16))
    assert info.reason == Stop.HALT
    assert machine.reg("s0") == K.SR_CU0 | K.SR_KUC            # pop(CU0 | KUp)
    assert machine.reg("s1") == lo(0x12345000, g=True)


# ---- TLB instructions ---------------------------------------------------------------------------

def test_tlbp_hit_and_miss(run_asm, machine):
    machine.set_tlb(37, hi(USER_DATA_VA, 4), lo(USER_DATA_PA))
    machine.set_tlb(38, hi(USER_CODE_VA, 9), lo(USER_CODE_PA, g=True))
    m = run_asm(f"""
        li $t0, {hi(USER_DATA_VA, 4)}
        mtc0 $t0, $10
        tlbp
        mfc0 $s0, $0                # hit: 37 << 8
        li $t0, {hi(USER_DATA_VA, 5)}
        mtc0 $t0, $10
        tlbp
        mfc0 $s1, $0                # other ASID: miss, P set
        li $t0, {hi(USER_CODE_VA, 1)}
        mtc0 $t0, $10
        tlbp
        mfc0 $s2, $0                # global entry: hit whatever the ASID
        li $t0, {hi(0x7777000, 0)}
        mtc0 $t0, $10
        tlbp
        mfc0 $s3, $0
        bltz $s3, missed            # the OS idiom
        nop
        addiu $s4, $zero, 1
    missed:
        nop
    """)
    assert m.reg("s0") == 37 << K.INDEX_SHIFT
    assert m.reg("s1") & K.INDEX_P
    assert m.reg("s2") == 38 << K.INDEX_SHIFT
    assert m.reg("s3") & K.INDEX_P and m.reg("s4") == 0


def test_tlbr_overwrites_entryhi_including_asid(machine):
    machine.set_tlb(44, hi(USER_DATA_VA, 12), lo(USER_DATA_PA, d=False))
    machine.write_u32(USER_DATA_PA, 0x1212)
    info = trap(machine, f"""
        li $t0, {hi(0, 3)}
        mtc0 $t0, $10
        li $t0, {44 << K.INDEX_SHIFT}
        mtc0 $t0, $0
        tlbr
        mfc0 $s0, $10
        mfc0 $s1, $2
        li $t1, {USER_DATA_VA}
        lw $s2, 0($t1)              # the current ASID is now 12: the entry matches
    """)
    assert info.reason == Stop.HALT
    assert machine.reg("s0") == hi(USER_DATA_VA, 12)
    assert machine.reg("s1") == lo(USER_DATA_PA, d=False)
    assert machine.reg("s2") == 0x1212


def test_tlbwi_writes_index_entry(run_asm, machine):
    m = run_asm(f"""
        li $t0, {50 << K.INDEX_SHIFT}
        mtc0 $t0, $0
        li $t0, {hi(USER_DATA_VA, 6) | 0x3f}    # low bits of EntryHi are not kept
        mtc0 $t0, $10
        li $t0, {lo(USER_DATA_PA, g=True) | 0xff}
        mtc0 $t0, $2
        tlbwi
    """)
    assert m.tlb(50) == (hi(USER_DATA_VA, 6), lo(USER_DATA_PA, g=True))
    assert m.counters()["tlb_writes"] == 1
    assert all(m.tlb(i)[1] == 0 for i in range(64) if i != 50)


def test_random_register(run_asm, machine):
    assert machine.cp0(K.C0_RANDOM) == 63 << K.RANDOM_SHIFT        # reset value
    m = run_asm("""
        mfc0 $s0, $1
        mfc0 $s1, $1
        nop
        nop
        mfc0 $s2, $1
    """)
    r0, r1, r2 = (m.reg(r) >> K.RANDOM_SHIFT for r in ("s0", "s1", "s2"))
    span = K.TLB_NENTRIES - K.TLB_NWIRED
    # one cycle per instruction in `ideal`: Random = 63 - cycles % 56
    assert r0 == 63 - 1 % span and r1 == r0 - 1 and r2 == r1 - 3


def test_random_stays_in_8_to_63_and_wraps():
    m = Machine("ideal", 1 << 20)
    load_program(m, """
        li $t0, 0x2000
        li $t1, 300
    loop:
        mfc0 $t2, $1
        sw $t2, 0($t0)
        addiu $t0, $t0, 4
        addiu $t1, $t1, -1
        nop
        nop
        nop
        bne $t1, $zero, loop
        nop
    """.replace("li $t0, 0x2000", f"li $t0, {K.KSEG0_BASE + 0x2000}") + HALT)
    m.run()
    vals = [m.read_u32(0x2000 + 4 * i) for i in range(300)]
    assert all(v & ~K.INDEX_MASK == 0 for v in vals)
    idx = [v >> K.RANDOM_SHIFT for v in vals]
    assert min(idx) == K.TLB_NWIRED and max(idx) == K.TLB_NENTRIES - 1
    span = K.TLB_NENTRIES - K.TLB_NWIRED
    # the loop is 9 instructions (coprime with 56, so every value shows up): Random drops
    # by 9 each time, modulo the 56-entry span
    assert all((a - 8 - 9) % span == (b - 8) % span for a, b in zip(idx, idx[1:]))
    assert set(idx) == set(range(K.TLB_NWIRED, K.TLB_NENTRIES))


def test_tlbwr_writes_random_entry_never_wired():
    m = Machine("ideal", 1 << 20)
    for i in range(K.TLB_NWIRED):
        m.set_tlb(i, hi(0x10000000 + (i << 12)), lo(0x5000))
    wired = [m.tlb(i) for i in range(K.TLB_NWIRED)]
    load_program(m, f"""
        li $t1, 500
        li $t3, {hi(0x20000000)}
        li $t4, {lo(USER_DATA_PA)}
        mtc0 $t4, $2
    loop:
        mtc0 $t3, $10
        tlbwr
        li $t5, {1 << K.PAGE_SHIFT}
        addu $t3, $t3, $t5
        addiu $t1, $t1, -1
        nop                         # 9 cycles a loop, coprime with 56
        bne $t1, $zero, loop
        nop
        mfc0 $s0, $1
        li $t3, {hi(0x30000000)}
        mtc0 $t3, $10
        tlbwr
    """ + HALT)
    m.run()
    assert [m.tlb(i) for i in range(K.TLB_NWIRED)] == wired
    written = {i for i in range(K.TLB_NWIRED, 64) if m.tlb(i)[1] == lo(USER_DATA_PA)}
    assert written == set(range(K.TLB_NWIRED, 64))          # every random entry was hit
    assert m.counters()["tlb_writes"] == 501
    # the last tlbwr executes 4 cycles after the mfc0 read Random (li is two instructions)
    span = K.TLB_NENTRIES - K.TLB_NWIRED
    r = m.reg("s0") >> K.RANDOM_SHIFT
    expect = K.TLB_NWIRED + (r - K.TLB_NWIRED - 4) % span
    assert m.tlb(expect)[0] == hi(0x30000000)


# ---- the KU/IE stack and rfe ----------------------------------------------------------------------

def push(sr: int) -> int:
    return (sr & ~K.SR_KUIE_MASK) | ((sr << 2) & 0x3C)


def pop(sr: int) -> int:
    return (sr & ~0xF) | ((sr >> 2) & 0xF)


def test_exception_pushes_and_rfe_pops(machine):
    place(machine, "mfc0 $s0, $12; mfc0 $k0, $14; addiu $k0, $k0, 4; jr $k0; rfe", K.VEC_GENERAL)
    machine.set_cp0(K.C0_STATUS, 0)
    load_program(machine, """
        li $t0, 0x2d                # KUo=1 IEo=0 KUp=1 IEp=1 KUc=0 IEc=1 (IM=0)
        mtc0 $t0, $12
        syscall
        mfc0 $s1, $12
    """ + HALT)
    machine.run()
    assert machine.reg("s0") == push(0x2D) == 0x34
    assert machine.reg("s1") == pop(push(0x2D)) == 0x3D     # current/previous back; old unchanged


def test_nested_exception_three_levels(machine):
    """User load misses -> UTLB handler, whose kseg2 load misses -> general handler (third
    level); the general handler's rfe returns into the UTLB handler in kernel mode, whose rfe
    returns to user mode."""
    place(machine, f"""
        mfc0 $k1, $14               # the user EPC, before the nested fault overwrites it
        mfc0 $s0, $12
        li $k0, {KSEG2_VA}
    nested:
        lw $k0, 0($k0)
        nop
        mfc0 $s2, $12
        li $k0, {hi(USER_DATA_VA)}
        mtc0 $k0, $10
        li $k0, {lo(USER_DATA_PA)}
        mtc0 $k0, $2
        tlbwr
        jr $k1
        rfe
    """, K.VEC_UTLB)
    nested = K.VEC_UTLB + 4 * 4
    place(machine, """
        mfc0 $s1, $12
        mfc0 $s3, $14
        mfc0 $s4, $13
        mfc0 $k0, $14
        addiu $k0, $k0, 4
        jr $k0
        rfe
    """, K.VEC_GENERAL)
    machine.write_u32(USER_DATA_PA + 0x40, 0xFEEDBEEF)
    user_sr = pop(0x2C | K.SR_KUP)                           # 0x2b: KUo=1 IEo=0 KUp=1 IEp=0 KUc=1 IEc=1
    info = run_user(machine, f"""
        li $t1, {USER_DATA_VA}
        lw $t0, 0x40($t1)
        nop
        {USER_HALT}
    """, status=0x24)
    assert info.reason == Stop.HALT
    assert user_sr == 0x2B
    assert machine.reg("t0") == 0xFEEDBEEF
    assert machine.reg("s0") == push(user_sr) == 0x2C            # in the UTLB handler
    assert machine.reg("s1") == push(push(user_sr)) == 0x30      # third level, user mode in "old"
    assert machine.reg("s3") == nested                          # EPC inside the UTLB handler
    assert (machine.reg("s4") & K.CAUSE_EXC_MASK) >> K.CAUSE_EXC_SHIFT == K.EXC_TLBL
    assert machine.reg("s2") == pop(push(push(user_sr))) == 0x3C  # back in the UTLB handler
    final = machine.cp0(K.C0_STATUS)
    assert final == pop(pop(push(push(user_sr)))) == 0x3F
    assert final & 3 == user_sr & 3                             # user mode, interrupts on again
    c = machine.counters()
    assert c["utlb_refills"] == 1 and c["exceptions"]["TLBL"] == 2


def test_rfe_in_jr_delay_slot_switches_mode_before_target_fetch(machine):
    # The user's first instruction is a COP0 instruction: it must already run in user mode.
    info = run_user(machine, f"mfc0 $t0, $12\n{USER_HALT}", codes=range(16))
    assert info.reason == Stop.TRAP and info.code == K.EXC_CPU
    assert machine.cp0(K.C0_EPC) == USER_CODE_VA
    assert not machine.cp0(K.C0_CAUSE) & K.CAUSE_BD
    # ... and a jump to kseg0 with rfe in its delay slot faults fetching the target.
    machine.reset()
    machine.set_cp0(K.C0_STATUS, 0)
    load_program(machine, f"""
        li $t0, {K.SR_KUP}
        mtc0 $t0, $12
        li $k1, {CODE_BASE + 0x100}
        jr $k1
        rfe
    """)
    machine.trap_on(range(16))
    info = machine.run(check=False)
    assert info.code == K.EXC_ADEL and machine.cp0(K.C0_BADVADDR) == CODE_BASE + 0x100
    assert machine.cp0(K.C0_EPC) == CODE_BASE + 0x100


def test_round_trip_to_user_and_back(machine):
    """A syscall from user mode and `jr k0; rfe` back: user code carries on in user mode."""
    place(machine, """
        mfc0 $s0, $12
        addiu $s1, $s1, 1
        mfc0 $k0, $14
        addiu $k0, $k0, 4
        jr $k0
        rfe
    """, K.VEC_GENERAL)
    info = run_user(machine, f"""
        addiu $a0, $zero, 1
        syscall
        addiu $a0, $a0, 1
        syscall
        addiu $a0, $a0, 1
        {USER_HALT}
    """, status=K.SR_IEP)
    assert info.reason == Stop.HALT
    assert machine.reg("a0") == 3 and machine.reg("s1") == 2
    assert machine.reg("s0") & K.SR_KUIE_MASK == K.SR_KUP | K.SR_IEP
    assert machine.cp0(K.C0_STATUS) & 3 == K.SR_KUC | K.SR_IEC


# ---- BEV ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("src, vec", [
    (f"li $t0, {USER_DATA_VA}; lw $t1, 0($t0)", K.VEC_BEV_UTLB),
    (f"li $t0, {KSEG2_VA}; lw $t1, 0($t0)", K.VEC_BEV_GENERAL),
    ("syscall", K.VEC_BEV_GENERAL),
])
def test_bev_vectors(machine, src, vec):
    assert machine.cp0(K.C0_STATUS) == K.SR_BEV        # reset state
    load_program(machine, src + "\n" + HALT)
    machine.trap_on(range(16))
    info = machine.run(check=False)
    assert info.reason == Stop.TRAP and machine.pc == vec
    assert machine.cp0(K.C0_STATUS) & K.SR_BEV


def test_bev_vector_outside_ram_is_double_fault(machine):
    load_program(machine, "syscall\n" + HALT)
    info = machine.run(check=False)
    assert info.reason == Stop.DOUBLE_FAULT and info.pc == K.VEC_BEV_GENERAL


# ---- interrupts -----------------------------------------------------------------------------------

@pytest.mark.parametrize("ip, im, iec, taken", [
    (0, 0, 1, True), (1, 1, 1, True),
    (0, 0, 0, False),       # IEc off
    (0, 1, 1, False),       # IP0 pending, only IM1 set
    (1, 0, 1, False),
    (0, None, 1, False),    # no IM bits at all
])
def test_software_interrupts(machine, ip, im, iec, taken):
    status = (IP(im) if im is not None else 0) | (K.SR_IEC if iec else 0)
    info = trap(machine, src := f"""
        li $t0, {status}
        mtc0 $t0, $12
        li $t1, {IP(ip)}
    set:
        mtc0 $t1, $13
    next:
        addiu $s0, $zero, 1
        mfc0 $s1, $13
    """, codes=[K.EXC_INT])
    if taken:
        assert info.reason == Stop.TRAP and info.code == K.EXC_INT
        assert machine.pc == K.VEC_GENERAL
        assert machine.cp0(K.C0_EPC) == label(src, "next")     # the next instruction to run
        assert machine.reg("s0") == 0
        cause = machine.cp0(K.C0_CAUSE)
        assert cause & K.CAUSE_EXC_MASK == 0 and cause & IP(ip) and not cause & K.CAUSE_BD
        assert machine.counters()["exceptions"]["INT"] == 1
        # everything before `next` retired; an interrupt arrives between instructions
        assert machine.counters()["insns"] == (label(src, "next") - CODE_BASE) // 4
    else:
        assert info.reason == Stop.HALT
        assert machine.reg("s0") == 1 and machine.reg("s1") & K.CAUSE_IP_MASK == IP(ip)


def test_pending_interrupt_taken_when_iec_set(machine):
    info = trap(machine, src := f"""
        li $t1, {IP(1)}
        mtc0 $t1, $13               # pending, IEc=0
        li $t0, {IP(1) | K.SR_IEC}
        mtc0 $t0, $12
    next:
        addiu $s0, $zero, 1
    """, codes=[K.EXC_INT])
    assert info.reason == Stop.TRAP and machine.cp0(K.C0_EPC) == label(src, "next")
    assert machine.reg("s0") == 0
    assert machine.cp0(K.C0_STATUS) & K.SR_KUIE_MASK == K.SR_IEP


def test_interrupt_pending_at_return_is_taken_at_the_return_target(machine):
    """rfe in the delay slot of `jr` re-enables interrupts with one pending: the interrupt is
    taken before the first instruction at the target (EPC = target, BD clear), in user mode."""
    info = run_user(machine, f"nop\n{USER_HALT}", status=K.SR_IEP | IP(1), codes=[K.EXC_INT],
                    kernel_pre=f"li $t1, {IP(1)}; mtc0 $t1, $13")
    assert info.reason == Stop.TRAP and info.code == K.EXC_INT
    assert machine.cp0(K.C0_EPC) == USER_CODE_VA
    assert not machine.cp0(K.C0_CAUSE) & K.CAUSE_BD
    assert machine.cp0(K.C0_STATUS) & K.SR_KUIE_MASK == K.SR_KUP | K.SR_IEP
    assert machine.counters()["user_insns"] == 0


def test_software_interrupt_handler_clears_and_returns(machine):
    place(machine, f"""
        addiu $s2, $s2, 1
        mfc0 $k0, $13
        li $k1, {~K.CAUSE_SW_MASK & 0xFFFFFFFF}
        and $k0, $k0, $k1
        mtc0 $k0, $13
        mfc0 $k0, $14
        jr $k0
        rfe
    """, K.VEC_GENERAL)
    info = trap(machine, f"""
        li $t0, {IP(0) | K.SR_IEC}
        mtc0 $t0, $12
        li $t1, {IP(0)}
        mtc0 $t1, $13
        addiu $s0, $zero, 7
        mfc0 $s1, $12
    """, codes=[])
    assert info.reason == Stop.HALT
    assert machine.reg("s0") == 7 and machine.reg("s2") == 1
    assert machine.reg("s1") & K.SR_KUIE_MASK == K.SR_IEC


def timer_kernel(period: int, branch_after: int) -> str:
    """Start the timer with `period` and put a taken branch `branch_after` instructions after
    the store that starts it."""
    nops = "\n".join(["nop"] * (branch_after - 1))
    return f"""
        li $t0, {IP(TIMER_IP) | K.SR_IEC}
        mtc0 $t0, $12
        li $k1, {K.BOARD_KSEG1}
        li $t1, {period}
        sw $t1, {K.BOARD_TIMER_PERIOD}($k1)
        {nops}
    branch:
        beq $zero, $zero, target
        addiu $s0, $s0, 1           # delay slot
        addiu $s2, $s2, 1           # skipped
    target:
        addiu $s1, $s1, 1
    """


def test_timer_interrupt_before_delay_slot_sets_bd(machine):
    """In `ideal` every instruction costs one cycle, so a timer started with period P fires
    before the (P+1)th instruction after the store: put the branch P-th, the interrupt lands
    between the branch and its delay slot; EPC is the branch, BD is set."""
    period = 12
    info = trap(machine, timer_kernel(period, period), codes=[K.EXC_INT])
    assert info.reason == Stop.TRAP and info.code == K.EXC_INT
    branch = CODE_BASE + 4 * (2 + 1 + 2 + 2 + 1 + period - 1)
    assert machine.cp0(K.C0_EPC) == branch
    cause = machine.cp0(K.C0_CAUSE)
    assert cause & K.CAUSE_BD
    assert cause & IP(TIMER_IP)
    assert machine.reg("s0") == 0 and machine.reg("s1") == 0


def test_timer_interrupt_in_delay_slot_returns_correctly(machine):
    """The handler acks the timer and returns to EPC (the branch): the branch, its delay slot
    and the target each run once."""
    place(machine, f"""
        addiu $s3, $s3, 1
        mfc0 $s4, $13
        li $k0, {K.BOARD_KSEG1}
        sw $zero, {K.BOARD_TIMER_PERIOD}($k0)
        sw $zero, {K.BOARD_TIMER_ACK}($k0)
        mfc0 $s5, $13
        mfc0 $k0, $14
        jr $k0
        rfe
    """, K.VEC_GENERAL)
    period = 12
    info = trap(machine, timer_kernel(period, period), codes=[])
    assert info.reason == Stop.HALT
    assert machine.reg("s3") == 1                         # one interrupt
    assert machine.reg("s4") & K.CAUSE_BD
    assert machine.reg("s4") & IP(TIMER_IP)
    assert not machine.reg("s5") & IP(TIMER_IP)   # the ack lowered the line
    assert (machine.reg("s0"), machine.reg("s1"), machine.reg("s2")) == (1, 1, 0)


def test_timer_is_periodic_and_ack_lowers_line(machine):
    period, n = 50, 100
    m = machine
    load_program(m, f"""
        li $k1, {K.BOARD_KSEG1}
        li $t1, {period}
        sw $t1, {K.BOARD_TIMER_PERIOD}($k1)
        li $t2, {n}
    spin:
        addiu $t2, $t2, -1
        bne $t2, $zero, spin
        nop
        lw $s0, {K.BOARD_TIMER_COUNT}($k1)
        mfc0 $s1, $13
        mtc0 $zero, $13             # IP7..2 are hardware lines: mtc0 cannot clear them
        mfc0 $s4, $13
        sw $zero, {K.BOARD_TIMER_ACK}($k1)
        mfc0 $s2, $13
        lw $s3, {K.BOARD_TIMER_PERIOD}($k1)
        sw $zero, {K.BOARD_TIMER_PERIOD}($k1)
    """ + HALT)
    m.set_cp0(K.C0_STATUS, IP(TIMER_IP))   # unmasked but IEc=0: no interrupt
    m.run()
    # cycles between the store and the count read: li (2) + the spin loop (3 per iteration)
    assert m.reg("s0") == (2 + 3 * n) // period == 6
    assert m.reg("s1") & IP(TIMER_IP)
    assert m.reg("s1") & K.CAUSE_IP_MASK == IP(TIMER_IP)    # IP5 only
    assert m.reg("s4") & K.CAUSE_IP_MASK == IP(TIMER_IP)
    assert not m.reg("s2") & K.CAUSE_IP_MASK
    assert m.reg("s3") == period
    assert m.counters()["exceptions"]["INT"] == 0


# ---- mtc0 write masks ---------------------------------------------------------------------------

def test_mtc0_write_masks(machine):
    m = machine
    m.set_cp0(K.C0_BADVADDR, 0x12345678)
    m.set_cp0(K.C0_CONTEXT, 0x00000ABC)
    info = trap(m, f"""
        li $t0, 0xffffffff
        mtc0 $t0, $8
        mfc0 $s0, $8                # BadVAddr: read-only
        mtc0 $t0, $15
        mfc0 $s1, $15               # PRId: read-only
        mtc0 $t0, $1
        mfc0 $s2, $1                # Random: read-only (still the cycle-driven value)
        mtc0 $t0, $0
        mfc0 $s3, $0                # Index: only 13:8 (P is not writable)
        mtc0 $t0, $2
        mfc0 $s4, $2                # EntryLo: 31:8
        mtc0 $t0, $4
        mfc0 $s5, $4                # Context: PTEBase only, BadVPN kept
        mtc0 $t0, $10
        mfc0 $s6, $10               # EntryHi: VPN and ASID
        mtc0 $t0, $13
        mfc0 $s7, $13               # Cause: IP1..0 only (IEc=0, so no interrupt)
        li $t1, {0xFFFFFFFF & ~(K.SR_KUC | K.SR_IEC)}
        mtc0 $t1, $12
        mfc0 $t8, $12               # Status: SR_WRITE_MASK
        mtc0 $zero, $12
        mtc0 $zero, $13
    """, codes=range(16))
    assert info.reason == Stop.HALT
    assert m.reg("s0") == 0x12345678
    assert m.reg("s1") == K.PRID_R3000A
    span = K.TLB_NENTRIES - K.TLB_NWIRED
    assert m.reg("s2") == (63 - 8 % span) << K.RANDOM_SHIFT       # the 8th instruction (li is two)
    assert m.reg("s3") == K.INDEX_MASK
    assert m.reg("s4") == K.ENTRYLO_MASK
    assert m.reg("s5") == K.CONTEXT_PTEBASE_MASK | 0xABC
    assert m.reg("s6") == K.ENTRYHI_VPN_MASK | K.ENTRYHI_ASID_MASK
    assert m.reg("s7") == K.CAUSE_SW_MASK
    assert m.reg("t8") == 0xFFFFFFFF & ~(K.SR_KUC | K.SR_IEC) & K.SR_WRITE_MASK
    assert m.reg("t8") & K.SR_BEV and m.reg("t8") & K.SR_CU0


def test_duplicate_matches_resolve_to_the_lowest_index_through_the_lookup_index():
    """translate() looks only at the entries in the VPN's hash bucket; entries sharing a
    bucket (VPNs 64 pages apart), rewritten entries and duplicates must not change the
    answer of the full scan: the lowest matching index wins."""
    m = Machine("ideal", 1 << 20)
    va = 0x0040_0000
    m.set_tlb(40, hi(va), lo(0x3000))
    m.set_tlb(20, hi(va + (64 << 12)), lo(0x5000))      # same bucket, other VPN
    assert m.virt_to_phys(va + 4) == 0x3004
    m.set_tlb(9, hi(va), lo(0x7000))                      # a duplicate below: it wins
    assert m.virt_to_phys(va + 4) == 0x7004
    m.set_tlb(9, hi(va + (1 << 12)), lo(0x8000))          # moved away: 40 matches again
    assert m.virt_to_phys(va + 4) == 0x3004
    assert m.virt_to_phys(va + (1 << 12)) == 0x8000
    assert m.virt_to_phys(va + (64 << 12)) == 0x5000
    m.set_tlb(40, hi(va, asid=3), lo(0x3000))             # other ASID: no match at all
    assert m.virt_to_phys(va) is None
