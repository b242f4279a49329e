"""Aegis packet filters (aegis/dpf.c, dpf_gen.c, dpf_interp.c): the compiled (DPF) and the
interpreted engine classify alike and as a reference does, bad filters are refused, removal works,
no filter reads past the packet or writes anything; the Table 7 cases run and validate.

Guest program: tests/guest_aegis/dpf.c (one test per boot parameter "t")."""
from __future__ import annotations

from pathlib import Path

import pytest

from exobench import constants as K
from exobench import registry
from exobench.experiment import Case, measure
from exobench.machine import Stop
from exobench.paths import tree
from exobench.systems import aegis

from helpers import AEGIS as SYS, aegis_run as boot_run, neg, results

HERE = Path(__file__).resolve().parent / "guest_aegis"
PF_DIR = tree("benchmarks") / "packet_filter"


@pytest.fixture(scope="module")
def prog():
    return SYS.program("aegis_dpf", [HERE / "dpf.c"], include_dirs=[PF_DIR])


def run(prog, t, **params):
    # t=5 and keep=1 end at a breakpoint with the filter set installed (guest_aegis/dpf.c)
    stop_at_break = t == 5 or params.get("keep")
    m, info = boot_run([("dpf", prog)], {"t": t, "aegis_timer": 0, **params}, limit=400_000_000,
                       stop_on=("BP",) if stop_at_break else ())
    if stop_at_break:
        assert (info.reason, info.code) == (Stop.TRAP, K.EXC_BP), m.console()
    else:
        assert info.code == 0, m.console()
    return m, results(m)


def test_engines_agree_with_the_reference(prog):
    m, r = run(prog, 1, rounds=30)
    assert r["bad"] == 0, r
    assert r["checked"] > 2000 and r["matched"] > 300      # matches and misses both exercised


def test_bad_filters_are_refused(prog):
    m, r = run(prog, 2)
    einval = aegis.AE_EINVAL
    for k in ("off_past", "off_huge", "size3", "size0", "size8", "size_big", "mask_wide", "val_outside",
              "atoms0", "atoms_over", "ptr_kernel", "ptr_unmapped", "ptr_board", "ptr_unaligned",
              "remove_free", "remove_range", "remove_neg", "cls_engine", "cls_toolong", "cls_kernel",
              "bench_n"):
        assert neg(r[k]) == einval, k
    assert r["off_last"] == 0 and r["atoms_max"] == 0
    assert r["count"] == aegis.DPF_MAXFILTERS_ENV and neg(r["count_err"]) == aegis.AE_ENOMEM   # per environment
    assert neg(r["cls_empty"]) == -1
    assert r["bad"] == 0


def test_removal(prog):
    _, r = run(prog, 3)
    assert r["bad"] == 0


def test_short_packet_never_read_past_its_end(prog):
    _, r = run(prog, 4)
    assert r["bad"] == 0


def test_filters_belong_to_their_environment(prog):
    m, info = boot_run([("dpf", prog), ("dpf2", prog)], {"t": 6, "aegis_timer": 0, "report_any": 1},
                       limit=50_000_000)
    r = results(m)
    assert info.code == 0, m.console()
    assert neg(r["child_remove"]) == aegis.AE_EPERM      # not its filter
    assert r["child_id"] == 1 and r["child_cls"] == 1
    assert neg(r["gone_remove"]) == aegis.AE_EINVAL      # went with the child
    assert r["bad"] == 0


def test_compiling_at_insertion_is_bounded(prog):
    """Insertion and removal recompile the whole set (the generator is not optimized by the
    compiler, see dpf_gen.c): the tenth TCP/IP filter costs about 77,000 instructions."""
    m, r = run(prog, 7)
    assert r["bad"] == 0
    mk = {x.id: x.counters["insns"] for x in m.markers()}
    insert, remove = mk[4] - mk[3], mk[6] - mk[5]
    assert 1000 < insert < 150_000 and 1000 < remove < 150_000, (insert, remove)


def _reads(w: int) -> set[int]:
    """General registers an instruction reads (as csrc/hazard.c's regs_read)."""
    op, rs, rt, fn = w >> 26, (w >> 21) & 31, (w >> 16) & 31, w & 0x3f
    if op == 0:
        if fn in (0x00, 0x02, 0x03):
            return {rt}
        if fn in (0x08, 0x09, 0x11, 0x13):
            return {rs}
        return set() if fn in (0x0c, 0x0d, 0x10, 0x12) else {rs, rt}
    if op in (0x01, 0x06, 0x07) or 0x08 <= op <= 0x0e or (op >= 0x20 and op not in (0x22, 0x26, 0x28, 0x29, 0x2a, 0x2b, 0x2e)):
        return {rs}
    if op in (0x04, 0x05, 0x22, 0x26, 0x28, 0x29, 0x2a, 0x2b, 0x2e):
        return {rs, rt}
    if 0x10 <= op <= 0x13:
        return {rt} if rs in (0x04, 0x06) else set()
    return set()


def test_kernel_has_no_load_in_a_delay_slot_read_at_the_branch_target():
    """clang -O2 for MIPS I can fill a branch delay slot with a load whose register the
    instruction at the branch target reads at once: a load-delay hazard on the taken path
    that the hazard checker only sees if that path runs (it did in dpf_gen.c's generator, now
    compiled without optimization).  Check every branch of the kernel statically."""
    from exobench import elf
    img = elf.load(SYS.kernel().path)
    found = []
    for seg in img.segments:
        if not seg.flags & 1:           # PF_X
            continue
        words = [int.from_bytes(seg.data[i:i + 4], "little") for i in range(0, len(seg.data) - 3, 4)]
        for i in range(len(words) - 1):
            b, slot = words[i], words[i + 1]
            op = b >> 26
            if not (0x20 <= slot >> 26 <= 0x26) or (slot >> 16) & 31 == 0:
                continue
            pc = seg.vaddr + 4 * i
            if op in (0x01, 0x04, 0x05, 0x06, 0x07):
                off = b & 0xffff
                target = pc + 4 + 4 * (off - 0x10000 if off & 0x8000 else off)
            elif op in (0x02, 0x03):
                target = (pc + 4) & 0xf0000000 | (b & 0x03ffffff) << 2
            else:
                continue
            j = (target - seg.vaddr) // 4
            if 0 <= j < len(words) and (slot >> 16) & 31 in _reads(words[j]) and \
                    not (slot >> 26 in (0x22, 0x26) and words[j] >> 26 in (0x22, 0x26)):
                found.append(f"{pc:#x}: slot {slot:#010x}, target {target:#x}: {words[j]:#010x}")
    assert not found, found


# Registers the generated code may use: zero, v0, a0 (packet), a1 (length), t0-t2, ra.
LOAD_OPS = {0x22, 0x23, 0x24, 0x25, 0x26}      # lwl lw lbu lhu lwr


def check_generated(words):
    """Only loads relative to a0, ALU ops into t0-t2/v0, forward bne to inside the code, jr ra."""
    assert words, "no code"
    for pc, w in enumerate(words):
        op, rs, rt = w >> 26, (w >> 21) & 31, (w >> 16) & 31
        if w == 0:
            continue
        if op in LOAD_OPS:
            assert rs == 4 and rt in (8, 10), hex(w)
        elif op in (0x09, 0x0b, 0x0c, 0x0d, 0x0f):     # addiu sltiu andi ori lui
            assert rt in (2, 8, 9, 10), hex(w)
        elif op == 0x05:                                 # bne
            off = w & 0xffff
            assert off < 0x8000 and pc + 1 + off < len(words), hex(w)
        elif op == 0:
            fn = w & 0x3f
            if fn == 0x08:
                assert rs == 31, hex(w)
            else:
                assert fn in (0x00, 0x24, 0x25) and (w >> 11) & 31 in (8, 10), hex(w)
        else:
            pytest.fail(f"unexpected instruction {w:#010x} at word {pc}")


def _generated(m) -> list[int]:
    sym = SYS.kernel().symbols()
    nwords = m.read_u32(sym["dpf_code_len"] - K.KSEG0_BASE)
    raw = m.read_phys(sym["dpf_code"] - K.KSEG0_BASE, 4 * nwords)
    return [int.from_bytes(raw[i:i + 4], "little") for i in range(0, len(raw), 4)]


def _sext(x: int) -> int:
    return x - 0x10000 if x & 0x8000 else x


def check_bounds(words) -> int:
    """Prove that the generated code reads no byte past the packet's length on any path:
    walk it forward (its branches only go forward), carrying the length each point is known
    to have passed (`sltiu t0, a1, M` + `bne t0, zero` falls through only if len >= M; where
    paths join, the smaller), and check every load's last byte against it.  A delay slot runs
    with what was known before its branch.  Returns the number of loads checked."""
    known = [None] * (len(words) + 1)       # len >= known[pc] whenever pc is reached
    known[0] = 0
    loads = 0

    def join(pc, k):
        assert 0 <= pc < len(words), pc
        known[pc] = k if known[pc] is None else min(known[pc], k)

    def check(w, k):
        nonlocal loads
        op, off = w >> 26, w & 0xffff
        if op in LOAD_OPS:
            assert (w >> 21) & 31 == 4 and off < 0x8000
            last = {0x24: off, 0x25: off + 1, 0x23: off + 3, 0x26: off + 3, 0x22: off}[op]
            assert last < k, f"load {w:#010x} reads byte {last}, length known >= {k}"
            loads += 1

    for pc, w in enumerate(words):
        k = known[pc]
        if k is None:       # never runs as itself (a slot, code whose entry was copied into
            continue        # a slot, or a filter every earlier failure skips)
        op = w >> 26
        if op == 0x05:                                      # bne: the slot, then both ways
            slot = words[pc + 1]
            check(slot, k)
            target = pc + 1 + _sext(w & 0xffff)
            assert target > pc + 1
            prev = words[pc - 1] if pc else 0
            ft = k
            if (w >> 21) & 31 == 8 and (w >> 16) & 31 == 0 and prev >> 26 == 0x0b and \
                    (prev >> 21) & 31 == 5 and (prev >> 16) & 31 == 8:
                ft = max(k, prev & 0xffff)                  # sltiu t0, a1, M; bne t0, zero
            join(target, k)
            if pc + 2 < len(words):
                join(pc + 2, ft)
            # (the slot's position may also be entered by a jump: then it runs as itself)
        elif op == 0 and (w & 0x3f) == 0x08:                # jr ra: its slot, and the end
            check(words[pc + 1], k)
        else:
            check(w, k)
            if pc + 1 < len(words):
                join(pc + 1, k)
    return loads


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_generated_code_reads_within_the_checked_length(prog, seed):
    m, r = run(prog, 1, rounds=3, seed=seed, keep=1)
    assert r["bad"] == 0
    words = _generated(m)
    check_generated(words)
    assert check_bounds(words) > 10


@pytest.mark.parametrize("engine", [0, 1, 2])
def test_benchmark_loop_counts(prog, engine):
    n = 28                                   # DPF_BENCH_BUDGET // (10 filters + 60 atoms)
    m, r = run(prog, 5, engine=engine, n=n)
    assert r["bad"] == 0
    mk = [x for x in m.markers() if x.id in (1, 2)]
    assert [x.id for x in mk] == [1, 2]                  # the kernel's own pair, once
    d = {k: mk[1].counters[k] - mk[0].counters[k] for k in ("insns", "user_insns")}
    assert d["user_insns"] == 0                          # all of it in the kernel
    per = d["insns"] / n
    if engine == 0:
        words = _generated(m)
        check_generated(words)
        assert check_bounds(words) >= 6          # most filters are entered past their loads
        # the proof has teeth: a load moved past the filters' length, or before the check, fails it
        lhu = next(i for i, w in enumerate(words) if w >> 26 == 0x25)
        with pytest.raises(AssertionError, match="reads byte"):
            check_bounds(words[:lhu] + [words[lhu] & ~0xffff | 60] + words[lhu + 1:])
        with pytest.raises(AssertionError, match="reads byte"):
            check_bounds([words[lhu]] + words)
        assert per < 70
    elif engine == 1:
        assert per > 500
    else:
        assert per < 12


@pytest.mark.parametrize("case", registry.get("packet_filter").module().CASES, ids=lambda c: c.key)
def test_packet_filter_cases_run_and_validate(case):
    small = Case(case.table, case.row, case.system, case.program, case.params, 100)
    ms = measure(small, PF_DIR, "ideal")
    assert ms.supported and ms.results["valid"] == 1
    assert neg(ms.results["id"]) == (-1 if case.params["engine"] == aegis.DPF_ENGINE_NULL else 9)
    assert ms.insns == ms.kernel_insns > 0
