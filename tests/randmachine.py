"""Random machine states for fuzzing the engine: random instruction words, registers, TLB
entries, CP0 state and RAM noise.  Shared by tests/test_robustness.py (no input crashes or
hangs the host) and tests/test_engine_identity.py (both engines agree on every one)."""
from __future__ import annotations

import random

from exobench import constants as K
from exobench.machine import Machine

from mips_asm import assemble

CODE = K.KSEG0_BASE + 0x1000
RAM = 256 << 10

# ---- the random machines -----------------------------------------------------------------------

OPS_WITH_FIELDS = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C,
                   0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25,
                   0x26, 0x28, 0x29, 0x2A, 0x2B, 0x2E, 0x30, 0x31, 0x38, 0x39]
FUNCTS = [0x00, 0x02, 0x03, 0x04, 0x06, 0x07, 0x08, 0x09, 0x0C, 0x0D, 0x10, 0x11, 0x12, 0x13,
          0x18, 0x19, 0x1A, 0x1B, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B]
COP0_WORDS = [0x42000001, 0x42000002, 0x42000006, 0x42000008, 0x42000010]
SKIP_HANDLER = assemble("mfc0 $k0, $14; nop; addiu $k0, $k0, 4; jr $k0; rfe")
PFNS = [0x00000, 0x01000, 0x02000, 0x3F000, RAM - 0x1000, RAM, 0x100000, K.BOARD_PADDR, 0xFFFFF000]


def rand_word(rng: random.Random) -> int:
    k = rng.random()
    if k < 0.15:
        return rng.getrandbits(32)
    if k < 0.22:
        return 0
    if k < 0.25:
        return rng.choice(COP0_WORDS)
    if k < 0.3:                    # mtc0 / mfc0 of a random register
        return (0x10 << 26) | (rng.choice([0, 4]) << 21) | (rng.getrandbits(5) << 16) | (rng.getrandbits(5) << 11)
    op = rng.choice(OPS_WITH_FIELDS)
    w = (op << 26) | rng.getrandbits(26)
    if op == 0:
        w = (w & ~0x3F) | rng.choice(FUNCTS)
    if 0x20 <= op < 0x30 and rng.random() < 0.7:
        w = (w & ~0xFFFF) | rng.randrange(-64, 64) & 0xFFFF          # small offsets: hit the pointers
    if op in (0x04, 0x05, 0x06, 0x07, 0x01) and rng.random() < 0.7:
        w = (w & ~0xFFFF) | rng.randrange(-8, 64) & 0xFFFF           # short branches, some loops
    return w


def rand_reg_value(rng: random.Random) -> int:
    k = rng.random()
    if k < 0.3:
        return K.KSEG0_BASE + rng.randrange(0, RAM, 4)
    if k < 0.4:
        return K.KSEG1_BASE + rng.choice([rng.randrange(0, RAM, 4), K.BOARD_PADDR + rng.randrange(0, 64, 4)])
    if k < 0.55:
        return rng.randrange(0, 0x400000, 4)
    if k < 0.65:
        return K.KSEG2_BASE + rng.randrange(0, 0x40000, 4)
    if k < 0.75:
        return rng.choice([0, 1, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000])
    return rng.getrandbits(32)


def random_machine(m: Machine, seed: int, ram_noise: bytes) -> int:
    """Put m in a random state for seed; returns the instruction budget."""
    rng = random.Random(seed)
    m.reset()
    # Vectors, the code page and a few more get fresh words; the rest is shared noise.
    m.write_phys(0, ram_noise)
    for start in (0, 0x1000, rng.randrange(0, RAM, 4096), 0x3F000):
        m.write_words(start, [rand_word(rng) for _ in range(1024)])
    for i in range(1, 32):
        m.set_reg(i, rand_reg_value(rng))
    m.set_hilo(rng.getrandbits(32), rng.getrandbits(32))
    for i in range(K.TLB_NENTRIES):
        if rng.random() < 0.6:
            vpn = rng.choice([rng.randrange(0, 0x400) << 12, K.KSEG2_BASE + (rng.randrange(0, 0x40) << 12),
                              rng.getrandbits(20) << 12])
            hi = vpn | (rng.randrange(0, 4) << K.ENTRYHI_ASID_SHIFT)
            lo = (rng.choice(PFNS) + (rng.randrange(0, 4) << 12)) & K.ENTRYLO_PFN_MASK
            lo |= rng.getrandbits(4) << 8                                  # N D V G
            m.set_tlb(i, hi, lo)
    user = seed % 2 == 1                                                   # both modes, always
    status = rng.getrandbits(32) & K.SR_WRITE_MASK & ~K.SR_KUC
    if rng.random() < 0.5:
        status &= ~K.SR_BEV
    else:
        status |= K.SR_BEV
    m.set_cp0(K.C0_STATUS, status | (K.SR_KUC if user else 0))
    if rng.random() < 0.4:          # a handler that skips the faulting instruction: deeper runs
        for vec in (K.VEC_UTLB, K.VEC_GENERAL):
            m.write_words(vec - K.KSEG0_BASE, SKIP_HANDLER)
    m.set_cp0(K.C0_ENTRYHI, rng.randrange(0, 4) << K.ENTRYHI_ASID_SHIFT)
    m.set_cp0(K.C0_CAUSE, rng.getrandbits(2) << K.CAUSE_IP_SHIFT if rng.random() < 0.3 else 0)
    m.set_cp0(K.C0_CONTEXT, rng.getrandbits(32))
    m.set_cp0(K.C0_INDEX, rng.getrandbits(32))
    k = rng.random()
    if user:
        m.pc = rng.choice([rng.randrange(0, 0x400000, 4), K.KSEG0_BASE + 0x1000, rng.getrandbits(32)])
    elif k < 0.6:
        m.pc = K.KSEG0_BASE + rng.randrange(0, RAM, 4)
    elif k < 0.7:
        m.pc = K.KSEG1_BASE + rng.randrange(0, RAM, 4)
    else:
        m.pc = rng.getrandbits(32)
    if rng.random() < 0.2:
        m.trap_on(rng.sample(sorted(K.EXC_NAMES), rng.randrange(1, 5)))
    else:
        m.trap_on([])
    m.set_hazard_check(rng.random() < 0.2)
    m.set_profile(rng.random() < 0.1)
    return rng.choice([0, 1, 2, 10, 100, 500, 2000])


def ram_noise() -> bytes:
    rng = random.Random(12345)
    return b"".join(rand_word(rng).to_bytes(4, "little") for _ in range(RAM // 4))
