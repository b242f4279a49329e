"""A small LANCE driver for bare-metal test guests (tests/test_nic.py, tests/test_cosim.py):
the init block, rings and buffers a kernel would build, and the guest code that starts the
device and services it."""
from __future__ import annotations

import struct

from exobench import constants as K
from exobench.machine import Machine

from conftest import HALT, load_program

IB, RX_RING, TX_RING = 0x8000, 0x8100, 0x8200       # physical
RX_BUF, TX_BUF, BUF_STRIDE = 0x10000, 0x20000, 0x800
COUNT = 0x9000                                      # a word the interrupt handler counts in
BUF_BYTES = K.ETHER_MAX_LEN + K.ETHER_FCS_LEN
OWN = K.LANCE_OWN << 8


def mac(station: int) -> bytes:
    return bytes([K.ETHER_OUI0, K.ETHER_OUI1, K.ETHER_OUI2, station >> 16 & 0xff, station >> 8 & 0xff,
                  station & 0xff])


def frame(dst: int, n: int, fill: int = 0x5a, src: int = 9) -> bytes:
    return mac(dst) + mac(src) + struct.pack(">H", K.NET_ETHERTYPE_IP) + bytes([fill]) * (n - K.ETHER_HDR_LEN)


def bcnt(size: int) -> int:
    return (-size) & 0xffff | K.LANCE_BCNT_ONES


def put_desc(m: Machine, pa: int, buf: int, flags: int, size: int, word3: int = 0) -> None:
    m.write_phys(pa, struct.pack("<4H", buf & 0xffff, flags << 8 | buf >> 16, bcnt(size), word3))


def desc(m: Machine, pa: int) -> tuple[int, int, int, int]:
    return struct.unpack("<4H", m.read_phys(pa, 8))


def setup(m: Machine, station: int = 1, rlog2: int = 1, tlog2: int = 1, mode: int = 0,
          rx_owned: bool = True) -> None:
    """The init block and rings a driver would build: receive buffers handed to the LANCE."""
    m.set_station(station)
    m.write_phys(IB, struct.pack("<H6s4HHHHH", mode, mac(station), 0, 0, 0, 0,
                                 RX_RING & 0xffff, rlog2 << K.LANCE_LEN_SHIFT | RX_RING >> 16,
                                 TX_RING & 0xffff, tlog2 << K.LANCE_LEN_SHIFT | TX_RING >> 16))
    for i in range(1 << rlog2):
        put_desc(m, RX_RING + 8 * i, RX_BUF + BUF_STRIDE * i, K.LANCE_OWN if rx_owned else 0, BUF_BYTES)
    for i in range(1 << tlog2):
        put_desc(m, TX_RING + 8 * i, TX_BUF + BUF_STRIDE * i, 0, 0)


def start(csr0_extra: int = 0) -> str:
    """Guest code: point CSR1/2 at the init block, INIT, wait for IDON, ack it, STRT.
    Leaves $s0 = the LANCE's kseg1 address and RAP = CSR0."""
    return f"""
        li $s0, {K.LANCE_KSEG1}
        li $t0, {K.LANCE_CSR1}
        sw $t0, {K.LANCE_RAP}($s0)
        li $t0, {IB & 0xffff}
        sw $t0, {K.LANCE_RDP}($s0)
        li $t0, {K.LANCE_CSR2}
        sw $t0, {K.LANCE_RAP}($s0)
        li $t0, {IB >> 16}
        sw $t0, {K.LANCE_RDP}($s0)
        sw $zero, {K.LANCE_RAP}($s0)
        li $t0, {K.LANCE_INIT}
        sw $t0, {K.LANCE_RDP}($s0)
    idon_wait: lw $t0, {K.LANCE_RDP}($s0)
        andi $t0, $t0, {K.LANCE_IDON}
        beq $t0, $zero, idon_wait
        nop
        li $t0, {K.LANCE_IDON | K.LANCE_STRT | csr0_extra}
        sw $t0, {K.LANCE_RDP}($s0)
    """


HANDLER = f"""
        li $k0, {K.LANCE_KSEG1}
        lw $k1, {K.LANCE_RDP}($k0)             # CSR0 (RAP stays 0)
        nop
        andi $k1, $k1, {K.LANCE_RINT | K.LANCE_TINT}
        ori $k1, $k1, {K.LANCE_INEA}
        sw $k1, {K.LANCE_RDP}($k0)             # acknowledge what was set (write one to clear)
        andi $k1, $k1, {K.LANCE_RINT}
        beq $k1, $zero, out
        nop
        li $k0, {K.KSEG0_BASE + COUNT}
        lw $k1, 0($k0)
        addiu $k1, $k1, 1
        sw $k1, 0($k0)
        li $k0, {K.BOARD_KSEG1}
        sw $k1, {K.BOARD_MARKER}($k0)          # marker id: the number of frames received
    out: mfc0 $k0, $14
        nop
        jr $k0
        rfe
"""


def receiver(m: Machine, nframes: int, service: bool = True) -> None:
    """Load an interrupt-driven receiver: the handler at the general vector acknowledges and
    counts; the main loop hands each serviced descriptor back and halts after nframes."""
    load_program(m, HANDLER, K.KSEG0_BASE + 0x80)
    service_code = "" if not service else f"""
        li $t1, {K.KSEG1_BASE + RX_RING}
        sll $t2, $s2, 3
        addu $t1, $t1, $t2
        lhu $t0, {K.LANCE_D_FLAGS}($t1)
        andi $t3, $t0, {OWN}
        bne $t3, $zero, loop
        nop
        ori $t0, $t0, {OWN}
        sh $t0, {K.LANCE_D_FLAGS}($t1)         # give the buffer back
        addiu $s2, $s2, 1
        andi $s2, $s2, 1
        addiu $s3, $s3, 1"""
    load_program(m, f"""
        {irq_start()}
        move $s3, $zero
    loop: lw $t0, 0($s4)
        slti $t0, $t0, {nframes}
        beq $t0, $zero, done
        nop
        {service_code}
        b loop
        nop
    done: {HALT}
    """)




def irq_start() -> str:
    """Guest code: start the LANCE with INEA, open its line (Status.IM, IEc), $s4 = the
    handler's frame count, $s2 = 0 (the next receive slot)."""
    return f"""
        {start(K.LANCE_INEA)}
        li $t0, {K.SR_IEC | 1 << (K.SR_IM_SHIFT + K.LANCE_LINE + 2)}
        mtc0 $t0, $12
        li $s4, {K.KSEG0_BASE + COUNT}
        move $s2, $zero"""


def tdmd_and_halt(delay: int) -> str:
    """Guest code: TDMD, spin `delay` iterations while the LANCE works, halt."""
    return f"""
        li $t0, {K.LANCE_TDMD}
        sw $t0, {K.LANCE_RDP}($s0)
        li $t0, {delay}
    delay: addiu $t0, $t0, -1
        bne $t0, $zero, delay
        nop
        {HALT}"""


def slot(dst: str, base: int, index: str, shift: int) -> str:
    """Guest code: dst = base + (index << shift): a ring slot's descriptor or buffer."""
    return f"""
        li {dst}, {base}
        sll $t2, {index}, {shift}
        addu {dst}, {dst}, $t2"""
