"""The network experiment (Figure 2, benchmarks/network/): its ASH passes the verifier and
answers like the echo server; with two machines on a link (exobench.machine.Cluster), the
ASH path and the queued path both deliver every message and the pinger validates every reply.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from exobench.paths import tree
from exobench.systems import aegis as A

from helpers import AEGIS as SYS, aegis_run as boot_run, results

HERE = Path(__file__).resolve().parent / "guest_aegis"
NET_DIR = tree("benchmarks") / "network"
PF_DIR = tree("benchmarks") / "packet_filter"


def test_echo_ash_is_verified_and_answers():
    prog = SYS.program("aegis_ash_netecho", [HERE / "ash.c", HERE / "ash_handlers.S", NET_DIR / "echo_ash.S"],
                       include_dirs=[PF_DIR], defines={"NETECHO": 1})
    m, info = boot_run([("ash", prog)], {"t": 4, "aegis_timer": 0}, limit=20_000_000)
    assert info.code == 0, m.console()
    r = results(m)
    assert r["dl"] == 0
    assert r["act"] == A.ASH_REPLY and r["len"] == 60
    assert r["count"] == 1 and r["bad"] == 0
