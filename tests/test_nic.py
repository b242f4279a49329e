"""The LANCE (csrc/nic.c, include/lance.h) driven by small bare-metal guests in kernel mode:
registers and the station ROM, transmit from the ring with wrap-around and exact timing,
receive by DMA into the ring with wrap-around, interrupts raised at the arrival's cycle and
acknowledged, MISS when the ring is full, the MTU, refused descriptors, and user mode kept
away from the registers."""
from __future__ import annotations

import struct

import pytest

from exobench import constants as K
from exobench.machine import Machine, Stop

from conftest import HALT, load_program
from lance_guest import (BUF_BYTES, BUF_STRIDE, COUNT, IB, OWN, RX_BUF, RX_RING, TX_BUF, TX_RING, bcnt, desc,
                         frame, put_desc, receiver, setup, start, tdmd_and_halt)

def csr0(m: Machine) -> int:
    """CSR0 as a kernel reads it (a one-instruction guest on a copy of the state)."""
    return run_snippet(m, f"li $s0, {K.LANCE_KSEG1}; sw $zero, {K.LANCE_RAP}($s0); lw $v0, {K.LANCE_RDP}($s0)")


def run_snippet(m: Machine, src: str, at: int = 0x80006000) -> int:
    load_program(m, src + "\n" + HALT, at)
    m.run(1000)
    return m.reg("v0")


def test_registers_and_station_rom():
    m = Machine("ideal", 1 << 20)
    m.set_station(0x123456)
    load_program(m, f"""
        li $s0, {K.LANCE_KSEG1}
        lw $s1, {K.LANCE_RDP}($s0)              # CSR0 after reset: STOP
        li $t0, {K.LANCE_CSR1}
        sw $t0, {K.LANCE_RAP}($s0)
        li $t0, 0xbeef
        sw $t0, {K.LANCE_RDP}($s0)
        lw $s2, {K.LANCE_RDP}($s0)              # CSR1 keeps bits 15:1
        lw $s3, {K.LANCE_RAP}($s0)
        lw $s4, {K.LANCE_ESAR}($s0)
        lw $s5, {K.LANCE_ESAR + 12}($s0)
        lw $s6, {K.LANCE_ESAR + 20}($s0)
        {HALT}
    """)
    m.run(1000)
    assert m.reg("s1") == K.LANCE_STOP
    assert (m.reg("s2"), m.reg("s3")) == (0xbeee, K.LANCE_CSR1)
    assert (m.reg("s4"), m.reg("s5"), m.reg("s6")) == (K.ETHER_OUI0, 0x12, 0x56)


def test_init_outside_ram_is_refused_with_merr():
    m = Machine("ideal", 1 << 20)
    setup(m)
    m.write_phys(IB + K.LANCE_IB_RDRA, struct.pack("<HH", 0xfff8, 7 << K.LANCE_LEN_SHIFT | 0xff))
    load_program(m, f"""
        li $s0, {K.LANCE_KSEG1}
        li $t0, {K.LANCE_CSR1}
        sw $t0, {K.LANCE_RAP}($s0)
        li $t0, {IB}
        sw $t0, {K.LANCE_RDP}($s0)
        sw $zero, {K.LANCE_RAP}($s0)
        li $t0, {K.LANCE_INIT | K.LANCE_STRT}
        sw $t0, {K.LANCE_RDP}($s0)
        lw $v0, {K.LANCE_RDP}($s0)
        {HALT}
    """)
    m.run(1000)
    v = m.reg("v0")
    assert v & K.LANCE_MERR and v & K.LANCE_ERR and v & K.LANCE_STOP
    assert not v & (K.LANCE_IDON | K.LANCE_RXON | K.LANCE_TXON)


def send_program(nframes: int, lens: list[int]) -> str:
    """Send nframes frames through a 2-descriptor ring (so it wraps), each: fill the
    descriptor, hand it over (OWN), drop marker 100+i, TDMD, poll until OWN clears."""
    code = [start()]
    for i in range(nframes):
        d = K.KSEG1_BASE + TX_RING + 8 * (i % 2)
        buf = TX_BUF + BUF_STRIDE * (i % 2)
        code.append(f"""
        li $t1, {d}
        li $t0, {bcnt(lens[i])}
        sh $t0, {K.LANCE_D_BCNT}($t1)
        li $t0, {(K.LANCE_OWN | K.LANCE_STP | K.LANCE_ENP) << 8 | buf >> 16}
        sh $t0, {K.LANCE_D_FLAGS}($t1)
        li $t2, {K.BOARD_KSEG1}
        li $t0, {100 + i}
        li $t3, {K.LANCE_TDMD}
        sw $t0, {K.BOARD_MARKER}($t2)
        sw $t3, {K.LANCE_RDP}($s0)
    txwait{i}: lhu $t0, {K.LANCE_D_FLAGS}($t1)
        andi $t0, $t0, {OWN}
        bne $t0, $zero, txwait{i}
        nop""")
    code.append(HALT)
    return "\n".join(code)


def test_transmit_wraps_the_ring_with_exact_wire_timing():
    m = Machine("ideal", 1 << 20)
    setup(m, tlog2=1)
    lens = [60, 100, 1514]
    for i in range(2):
        m.write_phys(TX_BUF + BUF_STRIDE * i, frame(2, 1514, fill=0x10 + i))
    m.write_phys(TX_BUF, frame(2, 60, fill=0x10))
    load_program(m, send_program(3, lens))
    m.run(1_000_000)
    sent = m.nic_sent()
    assert [len(f.data) for f in sent] == lens
    assert sent[0].data == frame(2, 60, fill=0x10)
    assert sent[2].data[K.ETHER_HDR_LEN] == 0x10                 # the third frame reused buffer 0
    mhz, p = m.cost["clock_mhz"], m.nic_params()
    tx_start, ifg = round(p["tx_start_us"] * mhz), 96 * mhz / p["mbit_s"]
    marks = {mk.id: mk.counters["cycles"] for mk in m.markers()}
    for i, f in enumerate(sent):
        wire = (8 + len(f.data) + 4) * 8 * mhz / p["mbit_s"]
        assert f.end - f.start == wire
        # TDMD is the store right after the marker's (one cycle later on `ideal`); the first
        # bit leaves tx_start after it, or after the inter-frame gap behind the last frame
        after_gap = sent[i - 1].end + ifg if i else 0
        assert f.start == max(marks[100 + i] + 1 + tx_start, after_gap)
    assert sent[1].start == sent[0].end + ifg               # the driver re-armed within the gap
    st = m.nic_stats()
    assert (st["tx_frames"], st["tx_refused"], st["tx_bytes"]) == (3, 0, sum(lens))
    d = desc(m, TX_RING)
    assert not d[1] & OWN and d[3] == 0


def test_short_frames_are_padded_to_the_minimum():
    m = Machine("ideal", 1 << 20)
    setup(m)
    m.write_phys(TX_BUF, frame(2, 60)[:20])
    load_program(m, send_program(1, [20]))
    m.run(100_000)
    (f,) = m.nic_sent()
    assert f.data == frame(2, 60)[:20] + bytes(40)


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_receive_wraps_the_ring_and_interrupts_at_the_arrival_cycle(engine):
    m = Machine("ideal", 1 << 20, engine=engine)
    setup(m, rlog2=1)
    receiver(m, 3)
    arrivals = [5000, 9000, 13000]
    frames = [frame(1, 60 + 100 * i, fill=0x20 + i) for i in range(3)]
    for t, f in zip(arrivals, frames):
        m.nic_inject(t, f)
    m.trap_on([K.EXC_INT])
    info = m.run(100_000, check=False)
    assert info.reason == Stop.TRAP and info.code == K.EXC_INT
    rx_dma = round(m.nic_params()["rx_dma_us"] * m.cost["clock_mhz"])
    # every instruction of the idle loop is one cycle on `ideal`: a boundary at every cycle
    assert m.counters()["cycles"] == arrivals[0] + rx_dma + m.cost["exc_entry_cycles"]
    m.trap_on([])
    m.run(100_000)
    assert m.read_u32(COUNT) == 3
    # the handler's marker: the same path after each arrival, plus at most the rest of the
    # instruction under way when the line rose (an uncached load is the longest)
    delays = [mk.counters["cycles"] - a for mk, a in zip(m.markers(), arrivals)]
    assert all(delays[0] <= d <= delays[0] + m.cost["uncached_read_cycles"] for d in delays)
    # frames 0 and 2 went to buffer 0 (the ring wrapped), frame 1 to buffer 1
    assert m.read_phys(RX_BUF, len(frames[2])) == frames[2]
    assert m.read_phys(RX_BUF + BUF_STRIDE, len(frames[1])) == frames[1]
    assert desc(m, RX_RING + 8)[3] == len(frames[1]) + K.ETHER_FCS_LEN
    st = m.nic_stats()
    assert (st["rx_frames"], st["rx_missed"], st["interrupts"]) == (3, 0, 3)
    assert not csr0(m) & K.LANCE_INTR                          # acknowledged


def test_full_ring_drops_with_the_miss_counter():
    m = Machine("ideal", 1 << 20)
    setup(m, rlog2=0)                       # one descriptor, never handed back
    load_program(m, start() + "\nspin: b spin\nnop")
    for i in range(3):
        m.nic_inject(1000 + 2000 * i, frame(1, 60, fill=i))
    m.run(20_000, check=False)
    st = m.nic_stats()
    assert (st["rx_frames"], st["rx_missed"]) == (1, 2)
    assert m.read_phys(RX_BUF + K.ETHER_HDR_LEN, 1) == b"\x00"        # the first frame kept
    v = csr0(m)
    assert v & K.LANCE_MISS and v & K.LANCE_ERR and v & K.LANCE_RINT and v & K.LANCE_INTR
    assert run_snippet(m, f"li $s0, {K.LANCE_KSEG1}; lw $v0, {K.LANCE_MISSED}($s0)") == 2
    after = run_snippet(m, f"""li $s0, {K.LANCE_KSEG1}; li $t0, {K.LANCE_MISS}; sw $t0, {K.LANCE_RDP}($s0)
                                lw $v0, {K.LANCE_RDP}($s0)""")
    assert not after & (K.LANCE_MISS | K.LANCE_ERR) and after & K.LANCE_RINT


def test_line_follows_inea_and_ack():
    m = Machine("ideal", 1 << 20)
    setup(m, rlog2=0)
    load_program(m, start() + "\nspin: b spin\nnop")
    m.nic_inject(500, frame(1, 60))
    m.run(2000, check=False)
    line = 1 << (K.CAUSE_IP_SHIFT + K.LANCE_LINE + 2)
    assert not m.cp0(K.C0_CAUSE) & line                     # RINT, but INEA off
    run_snippet(m, f"li $s0, {K.LANCE_KSEG1}; li $t0, {K.LANCE_INEA}; sw $t0, {K.LANCE_RDP}($s0)")
    assert m.cp0(K.C0_CAUSE) & line
    run_snippet(m, f"li $s0, {K.LANCE_KSEG1}; li $t0, {K.LANCE_INEA | K.LANCE_RINT}; sw $t0, {K.LANCE_RDP}($s0)")
    assert not m.cp0(K.C0_CAUSE) & line
    assert m.nic_stats()["interrupts"] == 1


def test_frames_not_for_this_station_or_with_the_receiver_off_are_dropped():
    m = Machine("ideal", 1 << 20)
    setup(m, station=1)
    load_program(m, start() + "\nspin: b spin\nnop")
    m.nic_inject(500, frame(7, 60))                        # another station
    m.nic_inject(600, b"\xff" * 6 + frame(1, 60)[6:])      # broadcast: accepted
    m.run(5000, check=False)
    assert (m.nic_stats()["rx_dropped"], m.nic_stats()["rx_frames"]) == (1, 1)
    run_snippet(m, f"li $s0, {K.LANCE_KSEG1}; li $t0, {K.LANCE_STOP}; sw $t0, {K.LANCE_RDP}($s0)")
    m.nic_inject(m.counters()["cycles"] + 10, frame(1, 60))
    run_snippet(m, "li $t0, 200\ndelay: addiu $t0, $t0, -1\nbne $t0, $zero, delay\nnop", at=0x80006100)
    assert m.nic_stats()["rx_dropped"] == 2


def test_mtu():
    m = Machine("ideal", 1 << 20)
    with pytest.raises(ValueError, match="1514"):
        m.nic_inject(10, frame(1, 1515))
    setup(m)
    # a transmit chain over ETHER_MAX_LEN is refused
    put_desc(m, TX_RING, TX_BUF, K.LANCE_OWN | K.LANCE_STP, 1000)
    put_desc(m, TX_RING + 8, TX_BUF + BUF_STRIDE, K.LANCE_OWN | K.LANCE_ENP, 515)
    load_program(m, start() + tdmd_and_halt(1000))
    m.run(100_000)
    assert m.nic_sent() == [] and m.nic_stats()["tx_refused"] == 1
    d0, d1 = desc(m, TX_RING), desc(m, TX_RING + 8)
    assert not d0[1] & OWN and d0[1] & K.LANCE_DERR << 8
    assert d1[1] & K.LANCE_DERR << 8 and d1[3] == K.LANCE_TMD3_UFLO
    assert csr0(m) & K.LANCE_TINT


def test_a_received_frame_larger_than_the_buffer_is_refused():
    m = Machine("ideal", 1 << 20)
    setup(m, rlog2=0)
    put_desc(m, RX_RING, RX_BUF, K.LANCE_OWN, 100)
    load_program(m, start() + "\nspin: b spin\nnop")
    m.nic_inject(500, frame(1, 200, fill=0x77))
    m.run(5000, check=False)
    d = desc(m, RX_RING)
    assert not d[1] & OWN and d[1] & (K.LANCE_DERR | K.LANCE_RBUFF) << 8
    assert m.read_phys(RX_BUF + 100, 1) != b"\x77"
    assert (m.nic_stats()["rx_refused"], m.nic_stats()["rx_frames"]) == (1, 0)


@pytest.mark.parametrize("bad, tmd3", [
    ("no ones in the byte count", K.LANCE_TMD3_UFLO),
    ("zero byte count", K.LANCE_TMD3_UFLO),
    ("buffer outside RAM", K.LANCE_TMD3_UFLO),
    ("no STP", K.LANCE_TMD3_UFLO),
    ("chain ends without ENP", K.LANCE_TMD3_BUFF),
])
def test_bad_transmit_descriptors_are_refused_and_the_next_frame_still_goes(bad, tmd3):
    m = Machine("ideal", 1 << 20)
    setup(m, tlog2=2)
    m.write_phys(TX_BUF, frame(2, 60))
    flags, buf, size = K.LANCE_OWN | K.LANCE_STP | K.LANCE_ENP, TX_BUF, 60
    if bad == "no STP":
        flags &= ~K.LANCE_STP
    if bad == "chain ends without ENP":
        flags &= ~K.LANCE_ENP
    if bad == "buffer outside RAM":
        buf = 0xfffff0
    put_desc(m, TX_RING, buf, flags, size)
    if bad == "no ones in the byte count":
        m.write_phys(TX_RING + K.LANCE_D_BCNT, struct.pack("<H", 60))
    if bad == "zero byte count":
        m.write_phys(TX_RING + K.LANCE_D_BCNT, struct.pack("<H", K.LANCE_BCNT_ONES))
    # the next good frame, after the refused one
    m.write_phys(TX_BUF + BUF_STRIDE, frame(2, 64, fill=0x33))
    put_desc(m, TX_RING + 8, TX_BUF + BUF_STRIDE, 0, 64)
    load_program(m, start() + f"""
        li $t1, {K.KSEG1_BASE + TX_RING + 8}
        li $t0, {(K.LANCE_OWN | K.LANCE_STP | K.LANCE_ENP) << 8 | (TX_BUF + BUF_STRIDE) >> 16}
        {"" if bad == "chain ends without ENP" else f"sh $t0, {K.LANCE_D_FLAGS}($t1)"}
        {tdmd_and_halt(3000)}""")
    m.run(100_000)
    d = desc(m, TX_RING)     # without ENP: descriptor 1 is not handed over, the chain ends at 0
    assert not d[1] & OWN and d[1] & K.LANCE_DERR << 8 and d[3] == tmd3
    assert m.nic_stats()["tx_refused"] == 1
    if bad != "chain ends without ENP":
        (f,) = m.nic_sent()
        assert f.data == frame(2, 64, fill=0x33)


@pytest.mark.parametrize("bad", ["no ones in the byte count", "buffer outside RAM"])
def test_bad_receive_descriptors_are_refused(bad):
    m = Machine("ideal", 1 << 20)
    setup(m, rlog2=0)
    if bad == "buffer outside RAM":
        put_desc(m, RX_RING, 0xfff000, K.LANCE_OWN, BUF_BYTES)
    else:
        m.write_phys(RX_RING + K.LANCE_D_BCNT, struct.pack("<H", 100))
    load_program(m, start() + "\nspin: b spin\nnop")
    m.nic_inject(500, frame(1, 60))
    m.run(5000, check=False)
    d = desc(m, RX_RING)
    assert not d[1] & OWN and d[1] & (K.LANCE_DERR | K.LANCE_RBUFF) << 8
    assert m.nic_stats()["rx_refused"] == 1


@pytest.mark.parametrize("how, exc", [("kseg1", K.EXC_ADEL), ("kuseg", K.EXC_TLBL)])
def test_user_mode_cannot_reach_the_registers(how, exc):
    """kseg1 from user mode is an address error; through kuseg the TLB decides, and no
    entry maps the LANCE (kernels never make one)."""
    m = Machine("ideal", 1 << 20)
    user_va, user_pa = 0x00400000, 0x4000
    m.set_tlb(0, user_va, user_pa | K.ENTRYLO_V)
    addr = K.LANCE_KSEG1 if how == "kseg1" else K.LANCE_PADDR
    from mips_asm import assemble
    m.write_words(user_pa, assemble(f"li $t0, {addr}\nlw $t1, {K.LANCE_RDP}($t0)\nnop", user_va))
    load_program(m, f"""
        li $t0, {K.SR_KUP}
        mtc0 $t0, $12
        li $k0, {user_va}
        jr $k0
        rfe
    """)
    m.trap_on([exc])
    info = m.run(1000, check=False)
    assert info.reason == Stop.TRAP and info.code == exc
    assert m.cp0(K.C0_BADVADDR) == addr


def test_ram_may_not_reach_the_lance():
    with pytest.raises(ValueError, match="RAM size"):
        Machine("ideal", K.LANCE_PADDR + 4096)


def test_inject_refuses_the_past():
    m = Machine("ideal", 1 << 20)
    load_program(m, "li $t0, 100\ndelay: addiu $t0, $t0, -1\nbne $t0, $zero, delay\nnop\n" + HALT)
    m.run(1000)
    with pytest.raises(ValueError, match="past"):
        m.nic_inject(5, frame(1, 60))
