"""Attribution ladders (benchmarks/attribution, exobench/attribution.py): every rung builds, runs
and validates; the research switches leave the published builds unchanged; the ladders' ends
are the published cases; the shares add up."""
from __future__ import annotations

import itertools
from dataclasses import replace
import re
import shutil
from pathlib import Path

import pytest

from exobench import attribution as A
from exobench import elf, registry, systems, toolchain
from exobench.experiment import Case, images, measure
from exobench.paths import tree

HERE = tree("benchmarks") / "attribution"


def _unifdef_off(text: str) -> str:
    """The source as the compiler sees it with every ATTR_* macro undefined (only the
    #ifdef/#ifndef ATTR_* blocks are resolved; other conditionals are kept)."""
    out, stack = [], []         # stack: (is_attr, keeping)
    for line in text.splitlines(keepends=True):
        m = re.match(r"\s*#\s*(ifdef|ifndef|if|else|endif)\b\s*(\w*)", line)
        keeping = all(k for _, k in stack)
        if m and m.group(1) in ("ifdef", "ifndef") and m.group(2).startswith("ATTR_"):
            stack.append((True, m.group(1) == "ifndef"))
            continue
        if m and m.group(1) in ("ifdef", "ifndef", "if"):
            stack.append((False, True))
        elif m and m.group(1) == "else" and stack and stack[-1][0]:
            stack[-1] = (True, not stack[-1][1])
            continue
        elif m and m.group(1) == "endif" and stack:
            if stack.pop()[0]:
                continue
        if keeping:
            out.append(line)
    assert not stack, "unbalanced conditionals"
    return "".join(out)


def _loaded(img: toolchain.Image) -> list[tuple[int, bytes]]:
    return [(s.vaddr, s.data) for s in elf.load(img.path).segments]


def test_unifdef_helper_resolves_only_the_switches():
    src = "a\n#ifdef ATTR_X\nb\n#else\nc\n#endif\n#ifndef ATTR_Y\nd\n#endif\n#ifdef OTHER\ne\n#endif\n"
    assert _unifdef_off(src) == "a\nc\nd\n#ifdef OTHER\ne\n#endif\n"


def test_switches_off_are_the_published_build(tmp_path, monkeypatch):
    """The default kernel and runtime are, byte for byte in every loaded segment, what the
    sources build with the ATTR_* blocks deleted: the switches change nothing when off."""
    root = tree("baseline_monolithic")
    copy = tmp_path / "baseline_monolithic"
    shutil.copytree(root, copy)
    changed = 0
    for f in itertools.chain(copy.rglob("*.c"), copy.rglob("*.S"), copy.rglob("*.h")):
        text = f.read_text()
        stripped = _unifdef_off(text)
        changed += stripped != text
        f.write_text(stripped)
    assert changed >= 5            # locore.S, syscall.c, trap.c, signal.c, syscalls.S
    default = systems.get("baseline")
    base = tree("benchmarks") / "exceptions"
    srcs = [base / "exc.c", base / "fast_handler.S"]
    want_k, want_p = default.kernel(), default.program("attr_check", srcs, [tree("benchmarks") / "include"])
    from exobench.systems import baseline as B
    monkeypatch.setattr(B, "_root", lambda: copy)
    got_k, got_p = default.kernel(), default.program("attr_check", srcs, [tree("benchmarks") / "include"])
    assert got_k.hash != want_k.hash                     # really the other sources ...
    assert _loaded(got_k) == _loaded(want_k)             # ... and the same machine code
    assert _loaded(got_p) == _loaded(want_p)


def test_ladder_ends_are_the_published_cases():
    """Each ladder starts and ends at a case its home experiment publishes (same program,
    parameters, operations, peers), and its top rung boots exactly that case's images and
    measures the same."""
    for lad in A.LADDERS:
        for pub in (lad.baseline, lad.exo):
            home = registry.get(pub.home).module().CASES
            assert any((c.table, c.row, c.system, c.program, dict(c.params), c.n, c.peers, c.extra_sources)
                       == (pub.table, pub.row, pub.system, pub.program, dict(pub.params), pub.n, pub.peers,
                           pub.extra_sources) for c in home), f"{lad.op}: {pub.key} is not published"
        top, bottom = lad.variant(()), lad.bottom()
        assert images(top, HERE) == images(lad.baseline, tree("benchmarks") / lad.baseline.home)
        assert images(bottom, HERE) == images(lad.exo, tree("benchmarks") / lad.exo.home)
    lad = A.ladder("null system call")
    a = measure(lad.variant(()), HERE, quick=True)
    b = measure(lad.baseline, tree("benchmarks") / "base_costs", quick=True)
    assert (a.cycles, a.insns) == (b.cycles, b.insns)


def test_every_rung_builds_runs_and_validates_and_the_shares_add_up():
    """Every case of every ladder (2^k variants and the Aegis end) runs and passes its guest's
    validation (measure raises otherwise); the Shapley means and the residual add up to the
    whole gap, and every switched variant is a different kernel."""
    for lad in A.LADDERS:
        got = {}
        kernels = set()
        for c in A.cases(lad):
            m = measure(c, HERE, quick=True, hazard_check=True)
            assert m.supported and m.results.get("valid") == 1
            got[(c.system, c.row)] = (m.cycles, m.insns)
            if c.row != lad.bottom().row:
                kernels.add(systems.get(c.system, c.kernel_defines).kernel().hash)
        assert len(kernels) == len(lad.subsets())
        a = A.analyse(lad, lambda c: got.get((c.system, c.row)))
        assert a is not None
        assert sum(s.mean for s in a.shares.values()) + a.residual == pytest.approx(a.total, abs=1e-6)
        assert sum(s.mean for s in a.ishares.values()) + a.iresidual == pytest.approx(a.itotal, abs=1e-6)
        assert a.chain[0][1] == got[(lad.baseline.system, lad.variant(()).row)][0]
        assert a.chain[-1][1] == got[(lad.exo.system, lad.bottom().row)][0]
        for s in a.shares.values():
            assert s.lo <= s.mean <= s.hi


def test_shapley_shares_on_known_costs():
    # two switches that interact: x alone saves 10, y alone 20, both 40
    costs = {frozenset(): 100.0, frozenset("x"): 90.0, frozenset("y"): 80.0, frozenset("xy"): 60.0}
    sh = A.shares(costs, ("x", "y"))
    assert sh["x"].mean == 15 and (sh["x"].lo, sh["x"].hi) == (10, 20)
    assert sh["y"].mean == 25 and (sh["y"].lo, sh["y"].hi) == (20, 30)
    # a switch that does nothing gets nothing, whatever the order
    costs = {frozenset(): 50.0, frozenset("a"): 50.0, frozenset("b"): 30.0, frozenset("ab"): 30.0}
    assert A.shares(costs, ("a", "b"))["a"] == A.Share(0.0, 0.0, 0.0)


def test_orders_all_or_the_stated_sample():
    """Up to ALL_ORDERS_MAX_K switches every order (all 2^k builds); past it the 2k rotations
    of the ladder's order and of its reverse: each switch once at every position in each
    direction, and the builds are exactly those orders' prefixes, k(k-1) + 2 of them."""
    few = tuple("abcdefgh"[:A.ALL_ORDERS_MAX_K])
    assert len(A.orders(few)) == len(list(itertools.permutations(few)))
    for k in (A.ALL_ORDERS_MAX_K + 1, 6, 7):
        sw = tuple("abcdefg"[:k])
        ords = A.orders(sw)
        assert len(ords) == 2 * k == len(set(ords)) and ords[0] == sw
        for pos in range(k):
            assert sorted(o[pos] for o in ords) == sorted(sw * 2)
        lad = A.Ladder("x", "exceptions", ("5", "overflow", "baseline"), ("5", "overflow", "aegis"), sw, "")
        assert len(lad.subsets()) == k * (k - 1) + 2
        assert {frozenset(o[:i]) for o in ords for i in range(k + 1)} == {frozenset(s) for s in lad.subsets()}
    # the sampled means still add up to the whole saving, whatever the costs
    sw = tuple("abcdef")
    costs = {frozenset(c): 1000.0 - 7 * len(c) ** 2 - 13 * ("a" in c) * ("d" in c)
             for k in range(7) for c in itertools.combinations(sw, k)}
    sh = A.shares(costs, sw)
    assert sum(s.mean for s in sh.values()) == pytest.approx(costs[frozenset()] - costs[frozenset(sw)])


def test_analysis_needs_every_rung():
    lad = A.LADDERS[0]
    assert A.analyse(lad, lambda c: None if c.row.endswith("[noqsave]") else (1.0, 1.0)) is None


def test_a_bad_macro_name_is_refused():
    with pytest.raises(ValueError, match="bad macro name"):
        systems.get("baseline", {"ATTR X": 1}).kernel()
    with pytest.raises(KeyError, match="no ladder"):
        A.ladder("teleport")


def test_every_switch_is_used_and_documented():
    used = {n for lad in A.LADDERS for n in lad.switches}
    assert used == set(A.SWITCHES)
    readme = (HERE / "README.md").read_text()
    srcs = "".join(p.read_text() for p in tree("baseline_monolithic").rglob("*") if p.suffix in (".c", ".S"))
    for s in A.SWITCHES.values():
        assert s.macro in readme and s.macro in srcs


def test_discussion_is_counted_from_the_tree(tmp_path):
    from exobench import discussion as D
    f = tmp_path / "x.c"
    f.write_text("/* a\n comment */\nint a;\n\n// note\nint b; /* tail */\n")
    assert D.sloc(f) == 2
    c = D.compatibility()
    assert c["functions"] == len(D.osapi_functions()) >= 16
    # ExOS implements all of osapi.h; os_net_bind/os_net_send say OS_ENOTSUP where the
    # machine has no network interface, which the count calls "partly"
    assert c["aegis"][2] == 0 and c["aegis"][1] <= 2 and sum(c["aegis"]) == c["functions"]
    full, partly, none = c["baseline"]
    assert none >= 2 and partly >= 1                     # os_dirty, os_coproc_disable; os_set_handler
    assert full + partly + none == c["functions"]
    un, tot = c["programs"]
    assert 0 < un < tot
    text = D.render()
    for part in ("Portability", "Programmer effort", "Compatibility", "stride scheduler"):
        assert part in text


def test_summary_paragraph_from_analyses():
    lad = A.ladder("null system call")
    saves = {"noqsave": 40.0, "flagged": 10.0, "samelevel": 20.0, "sysasm": 5.0, "sysvec": 5.0}
    assert set(saves) == set(lad.switches)
    cost = {k: 300.0 - sum(saves[n] for n in k) for k in lad.subsets()}
    by_row = {lad.variant(k).row: v for k, v in cost.items()}
    a = A.analyse(lad, lambda c: (20.0, 10.0) if c.system == "aegis" else (by_row[c.row], by_row[c.row]))
    assert a.total == 280 and a.residual == 200
    text = A.paragraph([a])
    assert "null system call" in text and "the rest of the kernel 71 %" in text
    assert A.paragraph([]) == ""


@pytest.mark.parametrize("runtime", [False, True], ids=["kernel switches", "every switch"])
def test_switched_kernel_still_sleeps_signals_and_preempts(runtime):
    """The kernel with every kernel switch on (and then every switch, the runtime's too) is
    still a sound kernel beyond the paths the ladders measure: a signal interrupts a sleeping
    read (EINTR and the handler: the qsave still taken for calls that sleep, the signal the
    sleep took delivered through the flagged exit), kill + sigpause ping-pong and pipes work, a
    spinning process is preempted and killed (reschedules and signals through the flagged exit)."""
    from exobench import guestrun
    kd = {s.macro: 1 for s in A.SWITCHES.values() if runtime or not s.runtime}
    rd = {s.macro: 1 for s in A.SWITCHES.values() if s.runtime and runtime}
    system = systems.get("baseline", kd)
    assert system.kernel().hash != systems.get("baseline").kernel().hash
    guest = tree("tests") / "guest_baseline"

    def run(names, params=None):
        progs = [(n, system.program(n, [guest / f"{n}.c"], defines=rd)) for n in names]
        r = guestrun.run(system, progs, params, limit=100_000_000, check=False)
        assert r.stop.reason == r.stop.reason.HALT, r.stop.describe() + "\n" + r.console()
        return r.results(signed=True)

    assert run(("intr", "intrkid"))["kid_status"] == 111
    res = run(("shmping", "shmpong"), {"rounds": 30})
    assert (res["counter"], res["child_status"]) == (60, 4)
    res = run(("pipes", "pipechild", "pwriter"), {"report_any": 1})
    assert (res["sum_ok"], res["child_status"], res["atomic_bad"]) == (1, 9, 0)
    res = run(("preempt", "spinner", "worker", "crash"), {"report_any": 1})
    assert (res["worker_status"], res["spinner_status"], res["crash_status"]) == (5, 128 + 9, 128 + 11)


def _vm_case(row: str, system: str) -> Case:
    return next(c for c in registry.get("vm").module().CASES if (c.row, c.system) == (row, system))


@pytest.mark.parametrize("system", ["baseline", "aegis"])
def test_tlb_refill_row_takes_a_kernel_refill_per_load(system):
    """The TLB-refill ladder's ends: vm.c op 7 misses the TLB on (nearly) every load, the
    kernel refills it without a fault reaching the application, and every word read is right."""
    from exobench.experiment import boot_run
    case = _vm_case("tlb refill", system)
    n = case.ops(quick=True)
    run = boot_run(case, tree("benchmarks") / "vm", n)
    r = run.results()
    assert r["valid"] == 1 and r["traps"] == 0
    assert r["sum"] == sum(0x5000 + i % 1024 for i in range(n))
    mk = [x.counters for x in run.machine.markers()]
    assert mk[-1]["utlb_refills"] - mk[-2]["utlb_refills"] >= n


def test_stlb_switch_refills_from_the_software_tlb():
    """With ATTR_TLB_STLB the baseline's utlbmiss refills from its software TLB: once every page
    has been entered (the first of four rounds), each later load's refill is a hit (the
    hit path's tlbwr runs) and the words read stay right."""
    from exobench.experiment import boot_run
    lad = A.ladder("TLB refill")
    case = replace(lad.variant(("stlb",)), n=4096)
    run = boot_run(case, tree("benchmarks") / "vm", case.n, profile=True)
    assert run.results()["valid"] == 1
    utlb = systems.get("baseline", {"ATTR_TLB_STLB": 1}).kernel().symbols()["utlbmiss"]
    prof = {}
    for pc, _asid, count, _cyc in run.machine.profile():
        prof[pc] = prof.get(pc, 0) + count
    hit_tlbwr = utlb + 15 * 4                  # the 16th instruction: only hits reach it
    assert prof.get(hit_tlbwr, 0) >= 4096 - 1024


@pytest.mark.parametrize("row,n", [("trap", 100), ("prot1+trap+unprot", 200), ("protN+trap+unprot", 7000)])
def test_stlb_switch_keeps_protection_changes_visible(row, n):
    """The software TLB is kept coherent where the TLB is: a protected page traps, an
    unprotected one takes the store, across mprotect's per-page unmaps and its new ASIDs
    (7000 traps of protN+trap+unprot are 70 new ASIDs: one rollover, which empties it)."""
    from exobench.experiment import boot_run
    case = replace(_vm_case(row, "baseline"), kernel_defines={"ATTR_TLB_STLB": 1})
    run = boot_run(case, tree("benchmarks") / "vm", n, profile=True)
    r = run.results()
    assert r["valid"] == 1 and r["traps"] == n and r["wrong"] == 0
    if n >= 7000:                               # the rollover did run (and emptied the STLB)
        flush = systems.get("baseline", {"ATTR_TLB_STLB": 1}).kernel().symbols()["tlb_flush_nonwired"]
        assert any(pc == flush and count for pc, _a, count, _c in run.machine.profile())


# The exception ladders' switches, one at a time and all together (kernel and runtime).
_EXC_SWITCHES = [(n,) for n in A.ladder("exception (overflow)").switches] + [A.ladder("exception (overflow)").switches]


def _switched(names):
    kd = {A.SWITCHES[n].macro: 1 for n in names}
    rd = {A.SWITCHES[n].macro: 1 for n in names if A.SWITCHES[n].runtime}
    return systems.get("baseline", kd), rd


@pytest.mark.parametrize("names", _EXC_SWITCHES, ids=lambda n: "+".join(n))
def test_exception_switches_keep_what_a_handler_sees(names):
    """tests/guest_baseline/sig.c (overflow, break, Mod, TLBL, unmapped, every register and
    HI/LO back after the handler, a context straddling a page, kseg0 and misaligned-fetch
    faults, kill to self while blocked and unblocked) reports exactly what it reports on the
    published kernel: a switch changes the cost of the path, not what the program sees."""
    from exobench import guestrun
    guest = tree("tests") / "guest_baseline"

    def run(system, defines):
        prog = system.program("sig", [guest / "sig.c", guest / "regs.S"], defines=defines)
        r = guestrun.run(system, [("sig", prog)], None, limit=100_000_000, check=False)
        assert r.stop.reason == r.stop.reason.HALT, r.stop.describe() + "\n" + r.console()
        return r.results(signed=True)

    want = run(systems.get("baseline"), {})
    assert want["regs_bad"] == 0 and want["ov_n"] == 1
    assert run(*_switched(names)) == want


@pytest.mark.parametrize("sp", [0x80000100, 0x10000000, 0x00400100], ids=["kseg0", "unmapped", "text"])
@pytest.mark.parametrize("names", [(), ("inplace",), ("inplace", "asm"), A.ladder("exception (overflow)").switches],
                         ids=lambda n: "+".join(n) or "published")
def test_a_fault_with_a_hostile_sp_is_refused(names, sp):
    """A caught fault taken with sp in kseg0, unmapped, or read-only: neither the sigcontext
    (published) nor the save area (ATTR_EXC_REGS_IN_PLACE) can be written, so the process is
    killed with SIGILL as Ultrix's sendsig does, and the kernel stays up (no panic)."""
    from exobench import guestrun
    system, rd = _switched(names)
    prog = system.program("badsp", [tree("tests") / "guest_baseline" / "badsp.c"], defines=rd)
    r = guestrun.run(system, [("badsp", prog)], {"sp": sp}, limit=10_000_000, check=False)
    assert r.stop.reason == r.stop.reason.HALT, r.stop.describe() + "\n" + r.console()
    assert r.machine.stop_info().code == 128 + 4               # SIGILL
    assert "cannot deliver signal 8" in r.console() and "panic" not in r.console()
    assert r.results(signed=True) == {"set": 0}


def test_asm_dispatch_and_registers_in_place_skip_the_c_paths():
    """Per overflow (the difference of two runs, 20 and 60 overflows), with
    ATTR_EXC_ASM_DISPATCH the fault goes through exc_dispatch and never through trap(),
    psig() or the spl calls; with ATTR_EXC_REGS_IN_PLACE too, sendsig() copies out the save
    area and calls neither grow() nor useracc() (sigreturn still does).  On the published
    kernel each of them runs."""
    from exobench.experiment import boot_run
    lad = A.ladder("exception (overflow)")

    def entries(subset):
        case = lad.variant(subset)
        syms = systems.get("baseline", case.kernel_defines).kernel().symbols()
        got = []
        for n in (20, 60):
            run = boot_run(case, tree("benchmarks") / "exceptions", n, profile=True)
            assert run.results()["valid"] == 1 and run.results()["handled"] == n
            got.append({pc: count for pc, _a, count, _c in run.machine.profile()})
        return {name: got[1].get(pc, 0) - got[0].get(pc, 0) for name, pc in syms.items()
                if name in ("trap", "psig", "spl0", "splhigh", "useracc", "grow", "exc_dispatch", "sendsig",
                            "copyout")}

    before, after = entries(()), entries(("asm", "inplace"))
    # published: two trap() passes, psig, sendsig (inlined) with grow and useracc, sigreturn's useracc
    assert (before["trap"], before["psig"], before["grow"], before["useracc"]) == (80, 40, 40, 80)
    assert before["spl0"] >= 40 and before["splhigh"] >= 40 and "exc_dispatch" not in before
    assert after["exc_dispatch"] == after["sendsig"] == after["copyout"] == 40
    assert after["useracc"] == 40                       # sigreturn's only (userret is off)
    assert all(after[n] <= 2 for n in ("trap", "psig", "spl0", "splhigh", "grow"))   # (a clock tick's)


@pytest.mark.parametrize("name", ["nouio", "nognode", "handoff"])
def test_pipe_switch_keeps_the_pipe_semantics(name):
    """Each pipe switch alone keeps what a pipe promises: data intact across switches, a
    blocked reader and a blocked writer wake, EOF, atomic writes of PIPE_BUF (pipes.c; its
    5000- and 7803-byte writes take rwuio's path under ATTR_PIPE_NO_UIO), a signal to a
    reader asleep on an empty pipe ends its read with EINTR after the handler ran (intr.c),
    and every refusal of sys.c stays what it was: the wrong end of a pipe is EBADF, a bad
    or read-only user buffer EFAULT, and the kernel survives them."""
    from exobench import guestrun
    from test_baseline import EXPECTED_SYS
    system = systems.get("baseline", {A.SWITCHES[name].macro: 1})
    guest = tree("tests") / "guest_baseline"

    def run(names, params=None):
        progs = [(n, system.program(n, [guest / f"{n}.c"])) for n in names]
        r = guestrun.run(system, progs, params, limit=100_000_000, check=False)
        assert r.stop.reason == r.stop.reason.HALT, r.stop.describe() + "\n" + r.console()
        return r.results(signed=True)

    assert run(("intr", "intrkid"))["kid_status"] == 111
    res = run(("pipes", "pipechild", "pwriter"), {"report_any": 1})
    assert (res["sum_ok"], res["child_status"], res["atomic_bad"]) == (1, 9, 0)
    assert run(("sys",), {"answer": 42}) == EXPECTED_SYS


@pytest.mark.parametrize("name,gone,taken", [
    ("nouio", {"rwuio"}, set()),
    ("nognode", {"gno_rw", "rwgp", "fifo_gupdat"}, {"fifo_rwgp"}),
    ("handoff", {"wakeup", "setrq"}, {"wakeup_handoff"}),
])
def test_pipe_switch_takes_its_path(name, gone, taken):
    """In the measured round trips of the switched rung, the layer the switch removes never
    runs and its replacement does: no rwuio, so one setjmp a call (syscall()'s) where there
    were two; no gno_rw/rwgp;
    no wakeup() -- the reader is handed the CPU, so one swtch() a round trip (the reader's
    sleep) instead of two (the sleep and the writer's reschedule at its exit)."""
    from exobench.breakdown import breakdown
    lad = A.ladder("pipe round trip")
    parts = {p.name: p.insns for p in breakdown(lad.variant((name,)), tree("benchmarks") / "ipc")
             if p.where == "kernel"}
    base = {p.name: p.insns for p in breakdown(lad.variant(()), tree("benchmarks") / "ipc")
            if p.where == "kernel"}
    assert all(base.get(g, 0) > 0 for g in gone - {"fifo_gupdat"})
    assert not gone & set(parts) and taken <= set(parts)
    if name == "nouio":
        assert parts["setjmp"] == pytest.approx(base["setjmp"] / 2)
    if name == "handoff":
        # swtch() from sleep() and from syscall()'s reschedule cost 53 and 53 instructions
        # today: once a round trip is about half the instructions of twice
        assert parts["swtch"] <= base["swtch"] / 2 + 2 and parts["wakeup_handoff"] > 0


@pytest.mark.parametrize("switches", [("sysasm",), ("sysvec",), ("sysasm", "sysvec"),
                                      ("sysasm", "sysvec", "nospl", "noqsave", "flagged", "samelevel"),
                                      ("sysasm", "sysvec", "nospl", "asm", "inplace", "direct", "partial")],
                         ids=["sysasm", "sysvec", "both", "with the other system-call switches",
                              "with the kernel's exception switches"])
def test_leaf_calls_in_assembly_behave_as_through_syscall(switches):
    """ATTR_SYS_ASM_DISPATCH runs getpid, getparam, mmap and mprotect from VEC_syscall,
    ATTR_SYS_VECTOR takes them on the exception vector with a small frame (through
    syscall() or the assembly dispatch), ATTR_VM_NO_SPL drops mprotect's splimp: every
    system call (sys.c: results and errors, a3 and v0 as syscall() sets them, unknown
    numbers, bad pointers; fuzz.c: every number with bad arguments), signals and the
    registers a handler sees (sig.c), and mprotect's ASID churn across context switches
    (vmstress.c, also with clock ticks every few hundred instructions, so interrupts and
    due reschedules land inside the leaf calls and their exit) give exactly what the
    published kernel gives."""
    from exobench import guestrun
    pub = systems.get("baseline")
    sw, rd = _switched(switches)
    assert sw.kernel().hash != pub.kernel().hash
    guest = tree("tests") / "guest_baseline"

    def run(system, defines, name, params):
        srcs = [guest / f"{name}.c"] + ([guest / "regs.S"] if name == "sig" else [])
        r = guestrun.run(system, [(name, system.program(name, srcs, defines=defines))], params,
                         limit=100_000_000, check=False)
        assert r.stop.reason == r.stop.reason.HALT, r.stop.describe() + "\n" + r.console()
        return r.machine.stop_info().code, r.results(signed=True), r.machine.counters()["exceptions"]

    for name, params in (("sys", {"answer": 42}), ("fuzz", {}), ("sig", {}), ("vmstress", {}),
                         ("vmstress", {"timer_period": 701})):
        code, res, exc = run(sw, rd, name, params)
        want_code, want, _ = run(pub, {}, name, params)
        assert (code, res) == (want_code, want), name
        if "timer_period" in params:
            assert exc["INT"] > 5
    assert want["bad"] == 0

