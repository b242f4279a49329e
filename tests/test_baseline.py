"""The Ultrix-like monolithic baseline (baseline_monolithic/): boot, system calls and
their errors, signals, VM protection, processes, preemption, pipes, and pinned
instruction counts of its hot paths.

The guest programs are in tests/guest_baseline/; each reports what it saw through the
board's result channel and the tests compare.  Images are cached by content hash, so
only the first run compiles.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from exobench import constants as K, guestrun
from exobench.machine import Machine
from exobench.systems import get

GUEST = Path(__file__).resolve().parent / "guest_baseline"
KPTEBASE = 0xFFC00000
UADDR, KSTACKADDR = 0xFFFFC000, 0xFFFFD000


@pytest.fixture(scope="module")
def system():
    return get("baseline")


def build(system, name, *sources):
    return system.program(name, [GUEST / s for s in (sources or (name + ".c",))])


def run(system, programs, params=None, limit=100_000_000):
    """Boot the programs (first one runs), run to halt; return (machine, results dict).
    The hazard checker is on: no kernel or runtime path may read a register in the
    load delay slot of the load that writes it."""
    run = guestrun.run(system, programs, params, limit=limit, check=False)
    assert run.stop.reason == run.stop.reason.HALT, run.stop.describe() + "\n" + run.console()
    return run.machine, run.results(signed=True)


def test_boot_first_module_and_halt_with_exit_code(system):
    m, res = run(system, [("hello", build(system, "hello"))])
    assert m.stop_info().code == 7                     # the last process's exit status
    assert "hello from pid 0x00000001" in m.console()
    assert res == {"pid": 1}
    # Kernel state the design promises: BEV clear, Context.PTEBase = KPTEBASE,
    # wired entries 0/1 map the u page and kernel stack globally.
    assert m.cp0(K.C0_STATUS) & K.SR_BEV == 0
    assert m.cp0(K.C0_CONTEXT) & K.CONTEXT_PTEBASE_MASK == KPTEBASE
    for index, va in ((0, UADDR), (1, KSTACKADDR)):
        hi, lo = m.tlb(index)
        assert hi & K.ENTRYHI_VPN_MASK == va
        assert lo & (K.ENTRYLO_G | K.ENTRYLO_V | K.ENTRYLO_D) == K.ENTRYLO_G | K.ENTRYLO_V | K.ENTRYLO_D


def test_kernel_layout(system):
    syms = system.kernel().symbols()
    assert syms["utlbmiss"] == K.VEC_UTLB
    assert syms["eutlbmiss"] - syms["utlbmiss"] == 10 * 4   # Ultrix's ten instructions
    assert syms["exception"] == K.VEC_GENERAL


def test_panic_without_a_boot_module(system):
    m = Machine("ideal")
    system.boot(m, [])
    info = m.run(10_000_000, check=False)
    assert (info.reason, info.code) == (info.reason.HALT, K.HALT_PANIC)
    assert "baseline: panic: no boot module" in m.console()


def test_panic_on_a_bad_first_module(system):
    from exobench.machine import BootModule
    m = Machine("ideal")
    m.boot(system.kernel().path, [BootModule("junk", b"\x7fELF" + bytes(60))])
    info = m.run(10_000_000, check=False)
    assert (info.reason, info.code) == (info.reason.HALT, K.HALT_PANIC)
    assert "cannot start junk" in m.console()


EXPECTED_SYS = {
    "getpid": 1, "write": 11, "write_badfd": -9, "write_badptr": -14, "write_kptr": -14,
    "badsys_err": 1, "badsys_v0": 78, "sys0_err": 1, "rawgetpid_err": 0,
    "param": 42, "param_dflt": 5, "param_badptr": 9,
    "mmap": 0, "mmap_rw": 0x1234, "mmap_overlap": -17, "mmap_unaligned": -22,
    "mprotect_unaligned": -22, "mprotect_unmapped": -12, "mprotect_kernel": -12,  # not in the data space (Ultrix: EACCES)
    "kill_nopid": -3, "kill_badsig": -22, "kill_zero": 0,
    "sigvec_badsig": -22, "sigvec_kill": -22, "sigvec_badptr": -14,
    "wait_nochild": -10, "read_badfd": -9, "spawn_nosuch": -2, "spawn_badptr": -14,
    "pipe": 0, "pipe_fds": 3 * 16 + 4, "pipe_write": 3, "pipe_read_badptr": -14,
    "pipe_read": 3, "pipe_data": 0x636261, "read_wrongend": -9, "write_wrongend": -9,
    "read_into_ro": -14, "read_into_rw": 2, "read_into_rw_data": 0x6564,
    "read_into_stack": 2, "read_into_stack_data": ord("f"), "read_into_none": -14,
    "read_rest": 3, "mmap_fresh": 0, "read_into_fresh": 2, "read_into_fresh_data": ord("k"),
    "write_from_text": 4, "read_text": 4,
    "close": 0, "close_again": -9, "pipe_eof": 0, "yield": 0,
    "sigblock": 0, "sigsetmask": 1 << 29, "shmat": 0, "shm_rw": 5, "shmat_toobig": -22,
    "shmat_overlap": -17, "mmap_on_text": -17,
}


def test_system_calls_and_their_errors(system):
    """Each call's result, and errors (bad numbers, bad fds, bad user and kernel pointers)
    come back as a3=1 + errno without hurting the kernel."""
    m, res = run(system, [("sys", build(system, "sys"))], params={"answer": 42})
    assert res == EXPECTED_SYS
    assert m.stop_info().code == 3
    assert "console ok\n" in m.console()


def test_every_system_call_survives_bad_arguments(system):
    """All numbers 0..NSYSENT+7 (but exit/sigpause/fork) with bad pointers and absurd sizes:
    each returns; the only successes are the calls that take no pointer (getpid, pipe,
    sigblock, sigsetmask, yield: 5 argument sets each)."""
    m, res = run(system, [("fuzz", build(system, "fuzz"))])
    assert res == {"calls": 700, "errors": 675, "badflag": 0, "alive": 1}   # 135 + 8 numbers, less 3


def test_signals_cause_address_and_full_register_restore(system):
    m, res = run(system, [("sig", build(system, "sig", "sig.c", "regs.S"))])
    ENOTSUP = -95
    expect = {
        # overflow -> SIGFPE at the add; break -> SIGTRAP at the break
        "set_ov": 0, "ov_n": 1, "ov_exc": K.EXC_OV, "ov_pc_ok": 1,
        "set_bp": 0, "bp_n": 1, "bp_pc_ok": 1,
        # a write to a read-only page faults exactly once (Mod), reads never do
        "mmap": 0, "set_mod": 0, "protect_ro": 0, "ro_read": 11, "ro_read_faults": 0,
        "mod_n": 1, "mod_exc": K.EXC_MOD, "mod_badvaddr": 0x20000004, "mod_value": 55,
        "mod_n2": 2,
        # 16 pages protected at once (the new-ASID path): each faults once
        "mmap16": 0, "protect16": 0, "mod16_n": 16,
        # PROT_NONE: a load faults (TLBL through the invalid TLB entry)
        "set_tlbl": 0, "none_n": 1, "none_exc": K.EXC_TLBL, "none_badvaddr": 0x20001000,
        # unmapped (no page table there): SIGSEGV with the exact address
        "set_tlbl2": 0, "unmapped_n": 1, "unmapped_exc": K.EXC_TLBL,
        "unmapped_badvaddr": 0x40000124, "unmapped_pc_ok": 1,
        # every register and HI/LO restored by sigreturn
        "regs_bad": 0, "regs_a0_ok": 1, "regs_hilo_ok": 1, "regs_n": 1, "regs_pc_ok": 1,
        "regs_badvaddr": 0x20002000,
        # a sigcontext straddling a page boundary
        "straddle_n": 1, "straddle_pc_ok": 1,
        # unaligned accesses fixed up in the kernel; no AdEL/AdES/CpU delivery (paper: n/a)
        "set_adel": ENOTSUP, "set_ades": ENOTSUP, "set_cpu": ENOTSUP,
        "coproc_disable": ENOTSUP, "dirty": ENOTSUP,
        "unaligned_lw": 0x55443322, "unaligned_sw": 0xADBEEF55 - (1 << 32),
        "unaligned_lh": 0x5544, "unaligned_faults": 0,
        # user access to kseg0: AdEL -> SIGSEGV; misaligned fetch: AdEL -> SIGBUS
        "kaddr_sig": 11, "kaddr_code": K.EXC_ADEL, "kaddr_exc": K.EXC_ADEL,
        "kaddr_badvaddr": 0x80000010 - (1 << 32), "kaddr_pc_ok": 1,
        "fetch_sig": 10, "fetch_exc": K.EXC_ADEL, "fetch_badvaddr": 0x400002,
        # kill to self, blocking and unblocking
        "sigvec": 0, "kill": 0, "usr1_n": 1, "usr1_sig": 30, "usr1_code": 0,
        "usr1_blocked_n": 1, "usr1_unblocked_n": 2,
    }
    assert res == expect


def test_pipes_across_processes(system):
    progs = [(n, build(system, n)) for n in ("pipes", "pipechild", "pwriter")]
    m, res = run(system, progs, {"report_any": 1})       # every process reports
    assert m.stop_info().code == 0
    assert res == {
        "pipe1": 0, "pipe2": 0, "fds": 0x3456, "spawn": 1,
        "ready_n": 1, "ready_c": ord("R"),           # a blocked reader woke
        "write_bad": 0,                              # 20000 bytes: the writer blocked and woke
        "close_w": 0, "sum_n": 4, "sum_ok": 1,       # every byte arrived in order
        "wait_pid_ok": 1, "child_status": 9,         # the child saw EOF after exactly 20000
        "pipe3": 0, "fds3": 0x34,
        "atomic_eof": 0, "atomic_bytes": 65536, "atomic_bad": 0,
        "atomic_blocks": 8 << 8 | 8,                 # 4096-byte writes never interleave
    }


def test_signal_interrupts_a_sleeping_call(system):
    m, res = run(system, [(n, build(system, n)) for n in ("intr", "intrkid")])
    assert res == {"pipe": 0, "kill": 0, "wait_ok": 1,
                   "kid_status": 111,          # the handler ran once and read() gave EINTR
                   "sigvec_ign": 0, "epipe": -32}


def test_spinning_process_is_preempted(system):
    progs = [(n, build(system, n)) for n in ("preempt", "spinner", "worker", "crash")]
    m, res = run(system, progs, {"report_any": 1})       # every process reports
    assert res == {
        "spawned": 1, "worker_sum": (1999999 * 2000000 // 2) % (1 << 32) - (1 << 32),
        "wait_worker": 1, "worker_status": 5,
        "kill": 0, "wait_spinner": 1, "spinner_status": 128 + 9,
        "wait_crash": 1, "crash_status": 128 + 11,   # an unhandled fault kills with SIGSEGV
        "ticks": 1,
    }
    assert m.counters()["exceptions"]["INT"] > 25    # more than one quantum of clock ticks
    assert "killed by signal 11" in m.console()


def test_shm_ping_pong_with_kill_and_sigpause(system):
    progs = [(n, build(system, n)) for n in ("shmping", "shmpong")]
    m, res = run(system, progs, params={"rounds": 30})
    assert res == {"shm": 0, "counter": 60, "nsig_ok": 1, "wait_ok": 1, "child_status": 4}


def test_fork_copies_memory_and_shares_segments_and_files(system):
    m, res = run(system, [("forktest", build(system, "forktest"))])
    assert res == {"fork_pid_ok": 1, "wait_ok": 1, "child_status": 40,
                   "data": 5, "bss": 0, "local": 11,       # the child's writes were its own
                   "shm": 2, "pipe": 2, "pipe_data": ord("o") | ord("k") << 8,
                   "usr1": 0}


def test_exit_and_wait_recycle_processes(system):
    m, res = run(system, [(n, build(system, n)) for n in ("respawn", "child")])
    assert res == {"ok": 40}


def test_many_page_tables_and_asid_rollover(system):
    """More page-table pages than wired slots, across context switches, while mprotect's
    new-ASID path exhausts the 63 ASIDs several times over."""
    m, res = run(system, [("vmstress", build(system, "vmstress"))])
    assert res == {"wait_ok": 1, "child_status": 6, "bad": 0}
    assert m.counters()["exceptions"]["TLBL"] > 0      # nested page-table misses happened


@pytest.mark.parametrize("period", [701, 2003])
def test_stress_under_a_fast_clock(system, period):
    """With clock ticks every few hundred instructions, preemption lands everywhere in
    user code and system calls: pipes, fork, signals and page-table churn still give
    exactly the same answers."""
    for progs, params, expect in (
        (("pipes", "pipechild", "pwriter"), {}, "atomic_bad"),
        (("vmstress",), {}, "bad"),
        (("shmping", "shmpong"), {"rounds": 20}, "counter"),
        (("forktest",), {}, "data"),
    ):
        m, res = run(system, [(n, build(system, n)) for n in progs],
                     params={**params, "timer_period": period})
        assert m.counters()["exceptions"]["INT"] > 5
        assert res[expect] == {"atomic_bad": 0, "bad": 0, "counter": 40, "data": 5}[expect], res
        if progs[0] == "pipes":
            assert res["sum_ok"] == 1 and res["atomic_blocks"] == 8 << 8 | 8


# ---- pinned instruction counts ------------------------------------------------------

# Exact for this kernel, runtime and toolchain (ideal preset; counts are model-free).
# Ultrix-faithful paths (baseline_monolithic/README.md, "Ledger"): the getpid path has the
# DS5000_100 ipllevel save and IOASIC mask write/read-back in exception_exit and syscall()'s
# accounting; the signal round trip posts with psignal (aston) and so leaves trap() through
# a second SEXC_RESCHED pass, with the spl pairs of psignal/issig/psig.
NULL_SYSCALL_KERNEL = 232       # getpid: general vector .. rfe (3 more since calls with 6 arguments keep syscall()'s copyin path live)
NULL_SYSCALL_TOTAL = 238        # marker to marker around a getpid() call from C
SIGNAL_ROUND_TRIP_KERNEL = 1329  # overflow trap (two trap() passes) + sendsig, and sigreturn
SIGNAL_ROUND_TRIP_TOTAL = 1404  # marker to marker: trap, sigtramp, handler, sigreturn
UTLB_REFILL = 10


def _deltas(markers, start, end):
    out = []
    for a, b in zip(markers, markers[1:]):
        if (a.id, b.id) == (start, end):
            d = {k: b.counters[k] - a.counters[k] for k in ("insns", "user_insns", "utlb_refills")}
            d["exc"] = {k: v - a.counters["exceptions"][k]
                        for k, v in b.counters["exceptions"].items() if v != a.counters["exceptions"][k]}
            out.append(d)
    return out


def test_pinned_instruction_counts(system):
    prog = build(system, "counts")
    m = Machine("ideal")
    m.set_profile(True)
    system.boot(m, [("counts", prog)])
    m.run(50_000_000)
    marks = m.markers()

    sys_calls = _deltas(marks, 1, 2)
    assert len(sys_calls) == 4 and all(d["exc"] == {"SYS": 1} for d in sys_calls)
    assert {d["insns"] - d["user_insns"] for d in sys_calls} == {NULL_SYSCALL_KERNEL}
    assert min(d["insns"] for d in sys_calls) == NULL_SYSCALL_TOTAL

    traps = _deltas(marks, 3, 4)
    assert len(traps) == 4 and all(d["exc"] == {"OV": 1, "SYS": 1} for d in traps)
    assert {d["insns"] - d["user_insns"] for d in traps} == {SIGNAL_ROUND_TRIP_KERNEL}
    assert {d["insns"] for d in traps} == {SIGNAL_ROUND_TRIP_TOTAL}

    # The UTLB refill: each of its instructions ran once per refill, nothing else there.
    syms = system.kernel().symbols()
    lo, hi = syms["utlbmiss"], syms["eutlbmiss"]
    refills = m.counters()["utlb_refills"]
    counts = {pc: n for pc, _asid, n, _cyc in m.profile() if lo <= pc < hi}
    ordered = [counts[pc] for pc in sorted(counts)]
    # Every refill runs the first three instructions; those whose PTE load missed in
    # kseg2 (a page-table page not yet in the TLB) leave there for vm_ptmiss().
    nested = next(n for pc, _a, n, _c in m.profile() if pc == syms["vm_ptmiss"])
    assert len(ordered) == UTLB_REFILL
    assert ordered == [refills] * 3 + [refills - nested] * (UTLB_REFILL - 3)
    assert refills - nested >= 8
    # Eight fresh pages: at least eight refills (tlbwr's random victim may add one).
    touch = _deltas(marks, 5, 6)[0]
    assert touch["utlb_refills"] >= 8
