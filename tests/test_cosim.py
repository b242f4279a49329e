"""Several machines on one link (csrc/cosim.c, exobench.machine.Cluster): two bare-metal
guests ping-pong frames through their LANCEs; every frame arrives at exactly its modelled
cycle; two runs, and runs with shorter quanta, give identical counters; bad clusters are
refused."""
from __future__ import annotations

import struct

import pytest

from exobench import constants as K
from exobench.machine import Cluster, GuestHalted, Machine, Stop

from conftest import CODE_BASE, HALT, load_program
from lance_guest import (BUF_STRIDE, HANDLER, OWN, RX_BUF, RX_RING, TX_BUF, TX_RING, bcnt, frame, irq_start,
                         setup, slot)
from mips_asm import assemble

SEQ = 16                    # payload word: the sequence number
ROUNDS = 5
SEND_MARK, RECV_MARK = 0x2000, 0     # the handler's marker ids count the frames from 1


def send() -> str:
    """Send the frame in transmit buffer (s5) with sequence number $a0: marker, TDMD."""
    return f"""
        {slot("$t1", K.KSEG0_BASE + TX_BUF, "$s5", 11)}
        sw $a0, {SEQ}($t1)
        {slot("$t1", K.KSEG1_BASE + TX_RING, "$s5", 3)}
        li $t0, {(K.LANCE_OWN | K.LANCE_STP | K.LANCE_ENP) << 8 | TX_BUF >> 16}
        sh $t0, {K.LANCE_D_FLAGS}($t1)
        xori $s5, $s5, 1
        li $t2, {K.BOARD_KSEG1}
        addiu $t0, $a0, {SEND_MARK}
        li $t3, {K.LANCE_TDMD | K.LANCE_INEA}
        sw $t0, {K.BOARD_MARKER}($t2)
        sw $t3, {K.LANCE_RDP}($s0)
    """


def pingpong(station: int, peer: int, initiator: bool, engine: str = "fast") -> Machine:
    """A guest that sends ROUNDS numbered frames to peer and waits for each echo
    (initiator), or echoes every frame it gets (the other)."""
    m = Machine("ideal", 1 << 20, engine=engine)
    setup(m, station=station)
    for i in range(2):
        m.write_phys(TX_BUF + BUF_STRIDE * i, frame(peer, 60, src=station))
        m.write_phys(TX_RING + 8 * i + K.LANCE_D_BCNT, struct.pack("<H", bcnt(60)))
    load_program(m, HANDLER, K.KSEG0_BASE + 0x80)
    first = f"move $a0, $zero\n{send()}" if initiator else ""
    after = f"""
        addiu $s6, $s6, 1
        slti $t0, $s6, {ROUNDS}
        beq $t0, $zero, done
        nop
        move $a0, $s6
        {send()}""" if initiator else send()
    load_program(m, f"""
        {irq_start()}
        move $s5, $zero
        move $s6, $zero
        move $s7, $zero
        {first}
    wait: lw $t0, 0($s4)
        beq $t0, $s7, wait
        nop
        move $s7, $t0
        {slot("$t1", K.KSEG0_BASE + RX_BUF, "$s2", 11)}
        lw $a0, {SEQ}($t1)
        {slot("$t1", K.KSEG1_BASE + RX_RING, "$s2", 3)}
        lhu $t0, {K.LANCE_D_FLAGS}($t1)
        ori $t0, $t0, {OWN}
        sh $t0, {K.LANCE_D_FLAGS}($t1)
        xori $s2, $s2, 1
        {after}
        b wait
        nop
    done: {HALT}
    """)
    return m


def cluster(engine: str = "fast", **link) -> tuple[Cluster, Machine, Machine]:
    a, b = pingpong(1, 2, True, engine), pingpong(2, 1, False, engine)
    return Cluster([a, b], **link), a, b


def marks(m: Machine, base: int) -> dict[int, int]:
    return {mk.id - base: mk.counters["cycles"] for mk in m.markers() if base <= mk.id < base + 0x1000}


def test_ping_pong_frames_arrive_at_their_exact_cycles():
    c, a, b = cluster()
    infos = c.run(until=[0], max_insns=10**7)
    assert infos[0].reason == Stop.HALT and infos[0].code == 0
    mhz, p = a.cost["clock_mhz"], a.nic_params()
    tx_start, rx_dma = round(p["tx_start_us"] * mhz), round(p["rx_dma_us"] * mhz)
    wire, fixed = (8 + 60 + 4) * 8 * mhz / p["mbit_s"], round(1.0 * mhz)
    # the interrupt is taken at the arrival's boundary (the receiver spins on one-cycle
    # instructions); the handler's marker store is its k-th instruction, after one uncached load
    mark = f"sw $k1, {K.BOARD_MARKER}($k0)"
    k = len(assemble(HANDLER.split(mark)[0].replace("beq $k1, $zero, out", "nop") + mark, 0))
    h = a.cost["exc_entry_cycles"] + k + a.cost["uncached_read_cycles"]

    def check(sender: Machine, receiver: Machine, seqs: list[int]) -> None:
        sent, got = marks(sender, SEND_MARK), marks(receiver, RECV_MARK)
        for n, seq in enumerate(seqs):
            first_bit = sent[seq] + 1 + tx_start                    # TDMD right after the marker
            arrival = first_bit + wire + fixed                      # last bit at the receiver
            assert got[n + 1] == arrival + rx_dma + h, (n, seq)

    check(a, b, list(range(ROUNDS)))                    # a's frames at b
    check(b, a, list(range(ROUNDS)))                    # the echoes at a
    assert a.nic_stats()["rx_frames"] == b.nic_stats()["rx_frames"] == ROUNDS
    assert c.stats()["delivered"] == 2 * ROUNDS and c.stats()["undeliverable"] == 0


def snapshot(a: Machine, b: Machine) -> tuple:
    return tuple((m.counters(), [(mk.id, mk.counters["cycles"]) for mk in m.markers()], m.nic_stats())
                 for m in (a, b))


def test_two_runs_give_identical_counters():
    runs = []
    for _ in range(2):
        c, a, b = cluster()
        c.run(until=[0], max_insns=10**7)
        runs.append(snapshot(a, b))
    assert runs[0] == runs[1]


def test_both_engines_give_identical_counters():
    runs = []
    for engine in ("fast", "reference"):
        c, a, b = cluster(engine)
        c.run(until=[0], max_insns=10**7)
        runs.append(snapshot(a, b))
    assert runs[0] == runs[1]


@pytest.mark.parametrize("quantum", [1, 7, 700])
def test_a_shorter_quantum_changes_nothing(quantum):
    c, a, b = cluster()
    c.run(until=[0], max_insns=10**7)
    ref = snapshot(a, b)
    c, a, b = cluster()
    c.set_quantum(quantum)
    c.run(until=[0], max_insns=10**7)
    got = snapshot(a, b)
    # all of the machine that halted; of the other, which runs on to the end of the quantum
    # in which the first halted (so its final counters depend on the quantum), everything it
    # did: every marker (sends, arrivals) and NIC statistic
    assert got[0] == ref[0] and got[1][1:] == ref[1][1:]


def test_the_fixed_latency_adds_to_every_one_way_trip():
    c, a, _ = cluster(fixed_us=1.0)
    c.run(until=[0], max_insns=10**7)
    c2, a2, _ = cluster(fixed_us=3.0)
    c2.run(until=[0], max_insns=10**7)
    t1 = marks(a, SEND_MARK)[ROUNDS - 1] - marks(a, SEND_MARK)[0]
    t2 = marks(a2, SEND_MARK)[ROUNDS - 1] - marks(a2, SEND_MARK)[0]
    assert t2 - t1 == (ROUNDS - 1) * 2 * round(2.0 * a.cost["clock_mhz"])


def test_bad_clusters_are_refused():
    a, b = Machine("ideal", 1 << 20), Machine("dec5000", 1 << 20)
    with pytest.raises(ValueError, match="cost model"):
        Cluster([a, b])
    with pytest.raises(ValueError, match="same machine"):
        Cluster([a, a])
    with pytest.raises(ValueError, match="1..16"):
        Cluster([])
    with pytest.raises(ValueError, match="link"):
        Cluster([a, Machine("ideal", 1 << 20)], mbit_s=0)
    c = Cluster([a, Machine("ideal", 1 << 20)])
    with pytest.raises(ValueError, match="quantum"):
        c.set_quantum(c.quantum + 1)
    with pytest.raises(ValueError, match="no machine"):
        c.run(until=[2])


def test_a_frame_to_nobody_is_counted_and_a_failing_machine_stops_the_run():
    a, b = pingpong(1, 3, True), pingpong(2, 1, False)     # a sends to station 3: nobody
    c = Cluster([a, b])
    infos = c.run(until=[0], max_insns=200_000, check=False)
    assert Stop.LIMIT in [i.reason for i in infos] and c.stats()["undeliverable"] == 1
    a = pingpong(1, 2, True)
    a.write_words(CODE_BASE - K.KSEG0_BASE, assemble(f"lui $k1, 0xbf00\nli $t0, 2\nsw $t0, {K.BOARD_HALT}($k1)"))
    c = Cluster([a, pingpong(2, 1, False)])
    with pytest.raises(GuestHalted, match="machine 0"):
        c.run(until=[1], max_insns=10**6)
