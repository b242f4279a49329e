"""ASHs (aegis/ash.c, ash_call.S) and the receive queue (aegis/net.c): the download-time verifier
refuses every class of unsafe handler, naming the instruction; a verified handler runs on
delivery from the kernel's copy, replies at once, writes only its regions; without one the frame
waits in its owner's queue; a hostile handler disturbs neither another environment nor the kernel.

Guest program: tests/guest_aegis/ash.c with ash_handlers.S (one test per boot parameter "t")."""
from __future__ import annotations

from pathlib import Path

import pytest

from exobench.paths import tree
from exobench.systems import aegis as A

from helpers import AEGIS as SYS, aegis_run as boot_run, neg, results

HERE = Path(__file__).resolve().parent / "guest_aegis"
PF_DIR = tree("benchmarks") / "packet_filter"


@pytest.fixture(scope="module")
def prog():
    return SYS.program("aegis_ash", [HERE / "ash.c", HERE / "ash_handlers.S"], include_dirs=[PF_DIR])


def run(prog, t, modules=(), **params):
    m, info = boot_run([("ash", prog), *modules], {"t": t, "aegis_timer": 0, **params}, limit=50_000_000)
    assert info.code == 0, m.console()
    return results(m)


# name in the guest -> (reason, index of the refused instruction)
REFUSALS = {
    "mtc0": (A.ASH_R_PRIV, 1), "rfe": (A.ASH_R_PRIV, 1), "syscall": (A.ASH_R_PRIV, 1),
    "brk": (A.ASH_R_PRIV, 1), "tlbwi": (A.ASH_R_PRIV, 1), "lwc1": (A.ASH_R_PRIV, 1),
    "add": (A.ASH_R_INSN, 1),
    "back": (A.ASH_R_BACKWARD, 1),
    "jr": (A.ASH_R_OUTSIDE, 1), "jalr": (A.ASH_R_OUTSIDE, 1), "j": (A.ASH_R_OUTSIDE, 1),
    "out": (A.ASH_R_OUTSIDE, 1),
    "ra": (A.ASH_R_REG, 1), "a0": (A.ASH_R_REG, 1), "a2": (A.ASH_R_REG, 1),
    "store_oob": (A.ASH_R_MEM, 1), "store_msg_oob": (A.ASH_R_MEM, 1), "store_neg": (A.ASH_R_MEM, 1),
    "store_base": (A.ASH_R_MEM, 1), "load_base": (A.ASH_R_MEM, 1), "unaligned": (A.ASH_R_MEM, 1),
    "mask": (A.ASH_R_MEM, 2), "mask_odd": (A.ASH_R_MEM, 2), "no_mask": (A.ASH_R_MEM, 2),
    "into_pair": (A.ASH_R_MEM, 3),
    "hazard": (A.ASH_R_HAZARD, 0),
    "slot": (A.ASH_R_SLOT, 1), "last": (A.ASH_R_SLOT, 1),
    "over": (A.ASH_R_SIZE, 0),
}


def test_every_unsafe_handler_is_refused(prog):
    r = run(prog, 1)
    assert r["bad"] == 0
    got = {k: (r[k] >> 16, r[k] & 0xffff) for k in REFUSALS}
    assert got == REFUSALS


def test_bad_descriptors_and_filters_are_refused(prog):
    r = run(prog, 1)
    assert r["max"] == 0                                  # ASH_MAXINSNS instructions: accepted
    assert r["empty_removes"] == 0
    for k in ("dsize_big", "dsize_odd", "dsize_0", "data_kernel", "data_unmapped", "code_kernel",
              "desc_kernel", "no_filter", "filter_range"):
        assert neg(r[k]) == A.AE_EINVAL, k
    assert r["after"] == A.ASH_QUEUE                      # nothing refused stayed bound


def test_a_verified_handler_runs_from_the_kernels_copy(prog):
    r = run(prog, 2)
    assert r["bad"] == 0                  # including: the loopback wrote our station as the source
    assert r["echo_act"] == A.ASH_REPLY and r["echo_len"] == 60     # message initiation
    assert r["count"] == 2 and r["indexed"] == 2                    # its data region, also sandboxed
    assert r["queued_act"] == A.ASH_QUEUE
    assert r["recv1"] == 60 and r["recv2"] == 60                    # oldest first; length, even if cut
    assert neg(r["recv_none"]) == A.AE_EAGAIN and neg(r["recv_kernel"]) == A.AE_EINVAL
    assert neg(r["nofilter_act"]) == -1
    assert r["copyq_act"] == A.ASH_COPY | A.ASH_QUEUE and r["copyq_recv"] == 60
    assert neg(r["other_filter"]) == A.AE_EAGAIN                    # queues are per filter
    assert r["reused_act"] == A.ASH_QUEUE and r["reused_recv"] == 60   # went with its filter


def test_a_hostile_handler_disturbs_no_one(prog):
    r = run(prog, 3, modules=[("ash2", prog)], report_any=1)
    assert r["bad"] == 0                                  # the victim's s0/s7 survived too
    assert r["a_download"] == 0                           # valid, though hostile
    assert neg(r["a_foreign"]) == A.AE_EPERM              # not its filter
    assert r["a_act"] == 0                                # impossible reply and copy dropped
    assert r["a_secret_last"] == 0xffffffff               # it wrote (only) its own region
    assert r["a_peek_dl"] == 0 and r["a_peek0"] == 0 and r["a_peek1"] == 0   # no leftovers
    assert r["a_victim_act"] == A.ASH_REPLY
    assert r["v_touched"] == 0 and r["v_count"] == 1
    assert r["v_act"] == A.ASH_REPLY
    assert neg(r["gone_act"]) == -1


def test_kernel_work_is_bounded(prog):
    """The largest download (ASH_MAXINSNS instructions verified) and the heaviest delivery (the
    largest frame to the largest handler, with a copy and a reply) keep the kernel (interrupts
    off) for less than a time slice (AE_KERNEL_BOUND is two) on the published preset."""
    from exobench import guestrun
    run = guestrun.run(SYS, [("ash", prog)], {"t": 5, "aegis_timer": 0}, preset="dec5000", limit=50_000_000)
    r = run.results()
    assert r["bad"] == 0 and r["act"] == A.ASH_REPLY | A.ASH_COPY and r["len"] == A.DPF_MAXPKT
    mk = {x.id: x.counters["cycles"] for x in run.machine.markers()}
    download, deliver = mk[11] - mk[10], mk[13] - mk[12]
    # measured: about 43,000 and 50,000 cycles (five copies of the frame, bytewise)
    assert 0 < download < A.AE_TIMER_PERIOD and 0 < deliver < A.AE_TIMER_PERIOD, (download, deliver)
