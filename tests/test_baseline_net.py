"""The baseline's network path (baseline_monolithic/kernel/if_ln.c, netinet.c, socket.c):
two baseline machines on one link exchange numbered messages through osapi's net calls
(sockets, UDP, IP, the LANCE); the receiver's compute-bound processes do not delay the
echo by a time slice, because the process woken from its socket sleep has a kernel sleep
priority and preempts them at the return from the interrupt (Ultrix's rules); and the
calls refuse bad arguments."""
from __future__ import annotations

from pathlib import Path

import pytest

from exobench import guestrun
from exobench.machine import Cluster, Machine, Stop
from exobench.systems import get

GUEST = Path(__file__).resolve().parent / "guest_net"
SPINNER = Path(__file__).resolve().parent / "guest_baseline" / "spinner.c"
SLICE = 97656 * 25                       # the baseline's time slice: HZ/10 ticks of 97,656 cycles


@pytest.fixture(scope="module")
def system():
    return get("baseline")


@pytest.fixture(scope="module")
def images(system):
    return {name: system.program(name, [src]) for name, src in
            (("netping", GUEST / "netping.c"), ("netecho", GUEST / "netecho.c"), ("spinner", SPINNER))}


def round_trips(system, images, spinners: int, n: int = 4, preset: str = "dec5000") -> tuple[list[int], Machine]:
    client, server = Machine(preset, 32 << 20), Machine(preset, 32 << 20)
    for m in (client, server):
        m.set_hazard_check(True)        # no kernel path may read a register in a load's delay slot
    system.boot(client, [("netping", images["netping"])], {"n": n, "peer": 2})
    system.boot(server, [("netecho", images["netecho"]), ("spinner", images["spinner"])],
                {"spinners": spinners})
    infos = Cluster([client, server]).run(until=[0], max_insns=10**9)
    assert infos[0].reason == Stop.HALT and infos[0].code == 0, client.console()
    res = dict(client.results())
    assert res == {"rounds": n, "valid": 1}
    marks = client.markers()
    rtts = [e.counters["cycles"] - s.counters["cycles"] for s, e in zip(marks[::2], marks[1::2])]
    assert len(rtts) == n
    assert client.hazards()[0] == 0 and server.hazards()[0] == 0
    return rtts, server


def test_two_baseline_machines_exchange_messages(system, images):
    rtts, server = round_trips(system, images, spinners=0)
    st = server.nic_stats()
    assert st["rx_frames"] == 4 and st["tx_frames"] == 4 and st["rx_missed"] == 0
    # a round trip is two minimum frames on the wire and both kernels' paths: more than the
    # wire time, far less than a time slice
    wire = 2 * (8 + 60 + 4) * 8 * 25 // 10
    assert all(wire < r < SLICE // 10 for r in rtts)


def test_a_woken_receiver_preempts_compute_bound_processes(system, images):
    """With 3 spinners on the server the echo still comes at the return from the
    interrupt: no round trip waits for a time slice (the first round, cold and racing the
    server's start, is left out)."""
    quiet, _ = round_trips(system, images, spinners=0)
    busy, server = round_trips(system, images, spinners=3)
    assert max(busy[1:]) < min(quiet[1:]) + SLICE // 20
    assert server.nic_stats()["rx_frames"] == 4


def test_the_net_calls_refuse_bad_arguments(system):
    src = Path(__file__).resolve().parent / "guest_net" / "netbad.c"
    img = system.program("netbad", [src])
    run = guestrun.run(system, [("netbad", img)], {}, limit=10_000_000, check=False)
    assert run.stop.reason == Stop.HALT, run.console()
    res = run.results(signed=True)
    assert res == {"port0": -22, "rebind": -1, "badh": -22, "toobig": -22, "badbuf": -22,
                   "ash": -95, "ok": 1}
