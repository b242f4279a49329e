"""The fast engine (csrc/fast_loop.h) against the reference interpreter (csrc/cpu_loop.h).

The fast engine may only change how fast the guest runs, never what it computes or what
it costs: every run below goes on two machines, one per engine, and everything the host can
observe must be equal - stop info, registers, HI/LO, PC, CP0, the TLB, RAM, every counter,
every marker's counters, results and console.

(a) The guests of every experiment (benchmarks/*/bench.py, each Case on its own system:
    Aegis/ExOS or the baseline, both with their timer interrupts on) with a small n, on
    ideal, dec5000 and dec3100 (each one instance of the fast loop).
(b) Random machines (tests/test_robustness.py's: random code, registers, TLB, Status, PC;
    exceptions of every kind) with the board timer on at a short period, so interrupts land
    on every kind of instruction, in delay slots and in exception handlers.
(d) The memory system's timing patterns (page-mode bursts, bursts across pages, partial-word
    stores, read misses behind queued writes, uncached reads and writes), on the presets
    that model them (dec5000_200) and with page mode switched on for dec5000.
(c) Code written at run time (DPF's filters do this): a guest rewrites an instruction it has
    already executed - in kernel mode through kseg0 and through the kseg1 alias, in user
    mode through another virtual mapping of the same physical page, with sw, sh, sb and
    swl/swr - and the new instruction runs; so does code the host rewrites between runs.
(e) A loop over page ends (fall-through, a branch with its delay slot on the next page) and
    uncached code, with a system call per iteration and the timer at many short periods.
(f) mfc0, mtc0 and rfe in kernel mode, and refused (Coprocessor Unusable) in user mode;
    Status writes (a kernel's spl) that disable, enable with and without an interrupt
    pending, mask every line, sit in a delay slot or set KUc, at timer deadlines.
(g) Instructions in delay slots of every way in (the fast engine's ds_ handlers), under timer
    interrupts.
(h) tlbwi's host-map entry for user mode (mmu.c's tlb_prefill): a duplicate at a higher index,
    a page without D, an invalid page and another ASID's page translate as the TLB says.
"""
from __future__ import annotations

import hashlib
import importlib.util
import random
from pathlib import Path

import pytest

from exobench import constants as K
from exobench import experiment, systems
from exobench._machine import lib
from exobench.machine import Machine, Stop
from exobench.paths import tree

from mips_asm import assemble
from randmachine import RAM as FUZZ_RAM, random_machine, ram_noise

ENGINES = ("reference", "fast")


def observe(m: Machine, info) -> dict:
    """Everything the host can see of a machine after a run."""
    return {
        "stop": (info.reason, info.code, info.pc, info.insn, info.badvaddr),
        "counters": m.counters(),
        "regs": m.regs, "hi": m.hi, "lo": m.lo, "pc": m.pc,
        "cp0": [m.cp0(r) for r in range(16)],
        "tlb": [m.tlb(i) for i in range(K.TLB_NENTRIES)],
        "markers": [(mk.id, mk.pc, mk.asid, mk.counters) for mk in m.markers()],
        "results": m.results(),
        "console": m.console(),
        "ram": hashlib.sha1(m.read_phys(0, m.ram_size)).hexdigest(),
    }


def assert_same(ref: dict, fast: dict, what: str) -> None:
    for key in ref:
        assert fast[key] == ref[key], f"{what}: {key} differs\nreference: {ref[key]}\nfast:      {fast[key]}"


# ---- (a) the experiments' guests ----------------------------------------------------------------

def _bench_cases() -> list:
    """Every Case of every experiment, deduplicated by what it boots."""
    seen, out = set(), []
    for path in sorted(tree("benchmarks").glob("*/bench.py")):
        spec = importlib.util.spec_from_file_location(f"_identity_{path.parent.name}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for case in getattr(mod, "CASES", ()):
            key = (case.system, case.program, tuple(sorted(case.params.items())),
                   tuple(case.peers), tuple(case.extra_sources), tuple(case.remote))  # research variants: once
            if key not in seen:
                seen.add(key)
                out.append(pytest.param(path.parent, case, id=f"{path.parent.name}:{case.key}"))
    return out


def _programs(directory: Path, case, system) -> list:
    """The case's boot modules, built as exobench.experiment builds them."""
    def image(program: str, extra=()):
        name = "_".join([directory.name, Path(program).stem, *(Path(e).stem for e in extra), system.name])
        return system.program(name, [directory / program, *(directory / e for e in extra)],
                              include_dirs=[tree("benchmarks") / "include"],
                              defines={f"EXOBENCH_SYSTEM_{system.name.upper()}": 1})
    return [(Path(case.program).stem, image(case.program, case.extra_sources)),
            *((Path(p).stem, image(p)) for p in case.peers)]


# Each instance of the fast loop (csrc/cpu.c): no caches; 16-byte lines (its own instance,
# with a constant line shift); any other line size (dec3100's 4 bytes).
PRESETS = ("dec5000", "ideal", "dec3100")
N_OPS = 8       # operations per experiment run: enough to go round each guest's loop


def _cluster_identical(directory: Path, case, system) -> None:
    """A case on two machines (Case.remote): both machines of each engine's cluster alike."""
    from exobench.experiment import remote_programs
    from exobench.machine import Cluster
    mods = [experiment.programs(case, directory), remote_programs(case, directory)]
    for preset in ("dec5000", "ideal"):
        seen = {}
        for engine in ENGINES:
            ms = [Machine(preset, 32 << 20, engine=engine) for _ in mods]
            for m, mm in zip(ms, mods):
                system.boot(m, mm, params={**case.params, "n": min(case.n, N_OPS)})
            infos = Cluster(ms).run(until=(0,), max_insns=200_000_000, check=False)
            seen[engine] = [observe(m, i) for m, i in zip(ms, infos)]
        assert seen["fast"][0]["stop"][0] == Stop.HALT, seen["fast"][0]["console"][-800:]
        for i, (ref, fast) in enumerate(zip(seen["reference"], seen["fast"])):
            assert_same(ref, fast, f"{case.key} ({directory.name}, {preset}, machine {i})")


@pytest.mark.parametrize("directory,case", _bench_cases())
def test_experiment_guests_identical(directory, case):
    system = experiment.system_of(case)         # with a research variant's kernel defines
    if case.remote:
        return _cluster_identical(directory, case, system)
    mods = experiment.programs(case, directory)
    for preset in PRESETS:
        seen = {}
        for engine in ENGINES:
            m = Machine(preset, 32 << 20, engine=engine)
            system.boot(m, mods, params={**case.params, "n": min(case.n, N_OPS)})
            info = m.run(200_000_000, check=False)
            seen[engine] = observe(m, info)
        assert seen["fast"]["stop"][0] == Stop.HALT, seen["fast"]["console"][-800:]
        assert_same(seen["reference"], seen["fast"], f"{case.key} ({directory.name}, {preset})")


def test_profile_on_fast_machine_is_the_reference_profile():
    """The profile is the reference engine's; asking for it on a fast machine gives the same."""
    directory = tree("benchmarks") / "base_costs"
    system = systems.get("aegis")
    mods = _programs(directory, type("C", (), {"program": "base.c", "extra_sources": (), "peers": ()}), system)
    out = {}
    for engine in ENGINES:
        m = Machine("dec5000", 32 << 20, engine=engine)
        system.boot(m, mods, params={"op": 1, "n": N_OPS})
        m.set_profile(True)
        info = m.run(50_000_000, check=False)
        out[engine] = (observe(m, info), sorted(m.profile()))
    assert_same(out["reference"][0], out["fast"][0], "profiled run")
    assert out["fast"][1] == out["reference"][1]


# ---- (b) random machines, timer on --------------------------------------------------------------

N_RANDOM = 1200


@pytest.fixture(scope="module")
def noise() -> bytes:
    return ram_noise()


@pytest.mark.parametrize("chunk", range(4))
def test_random_machines_identical_with_timer(noise, chunk):
    per = N_RANDOM // 4
    # every instance of the fast loop: ideal, 16-byte lines (dec5000; dec5000_200 with page
    # mode and read priority), the general one (dec3100)
    rotation = ("ideal", "dec5000", "dec5000_200", "dec3100")
    pairs = {p: {e: Machine(p, FUZZ_RAM, engine=e) for e in ENGINES} for p in set(rotation)}
    for seed in range(chunk * per, (chunk + 1) * per):
        preset = rotation[seed % 4]
        rng = random.Random(seed ^ 0x5EED)
        period = rng.choice([3, 7, 13, 50, 200])
        budget = rng.choice([500, 2000, 5000])
        seen = {}
        for engine, m in pairs[preset].items():
            random_machine(m, seed, noise)
            m.set_hazard_check(False)           # either would make both runs reference runs
            m.set_profile(False)
            lib.machine_set_timer(m._m, period)
            info = m.run(budget, check=False)
            seen[engine] = observe(m, info)
            if info.reason == Stop.TRAP:        # and on, past the trap
                m.trap_on([])
                info = m.run(budget, check=False)
                seen[engine]["again"] = observe(m, info)
        assert_same(seen["reference"], seen["fast"], f"seed {seed} ({preset}, timer {period})")


# ---- (c) code written at run time ---------------------------------------------------------------

HALT = f"lui $k1, 0xbf00; sw $zero, {K.BOARD_HALT}($k1)"
CODE_PA = 0x4000


def _run_both(setup, preset: str, budget: int = 100_000) -> dict:
    seen = {}
    for engine in ENGINES:
        m = Machine(preset, 1 << 20, engine=engine)
        setup(m)
        info = m.run(budget, check=False)
        seen[engine] = observe(m, info)
    assert_same(seen["reference"], seen["fast"], "self-modifying code")
    assert seen["fast"]["stop"][0] == Stop.HALT, seen["fast"]["stop"]
    return seen["fast"]


def _patch_word(insn: str, at: int) -> int:
    return assemble(insn, at)[0]


@pytest.mark.parametrize("preset", ["ideal", "dec5000"])
@pytest.mark.parametrize("alias", [K.KSEG0_BASE, K.KSEG1_BASE])
@pytest.mark.parametrize("how", ["sw", "sh", "sb", "swl", "swr"])
def test_kernel_rewrites_executed_instruction(preset, alias, how):
    """A loop runs `addiu $v0, $v0, 1` at `site` twice, then rewrites it (through kseg0 or the
    kseg1 alias) to `addiu $v0, $v0, 100` and runs it twice more: v0 = 2 + 200."""
    base = K.KSEG0_BASE + CODE_PA
    new = _patch_word("addiu $v0, $v0, 100", 0)
    # the store that puts `new` at site: only the halfword/byte that changes for sh/sb
    store = {"sw": ("sw", new, 0), "sh": ("sh", new & 0xFFFF, 0), "sb": ("sb", new & 0xFF, 0),
             "swl": ("swl", new, 3), "swr": ("swr", new, 0)}[how]
    src = f"""
        addiu $v0, $zero, 0
        addiu $s0, $zero, 4
        la $s1, site
        li $t0, {alias - K.KSEG0_BASE:#x}
        addu $s1, $s1, $t0
        li $t1, {store[1]:#x}
    loop:
    site:
        addiu $v0, $v0, 1
        addiu $s0, $s0, -1
        addiu $t2, $zero, 2
        bne $s0, $t2, skip
        nop
        {store[0]} $t1, {store[2]}($s1)
    skip:
        bne $s0, $zero, loop
        nop
        {HALT}
    """

    def setup(m):
        m.write_words(CODE_PA, assemble(src, base))
        m.pc = base
    out = _run_both(setup, preset)
    assert out["regs"][2] == 2 + 200


@pytest.mark.parametrize("preset", ["ideal", "dec5000"])
def test_store_rewrites_the_next_instruction(preset):
    """The store's own successor is rewritten: the new word is the one that runs."""
    base = K.KSEG0_BASE + CODE_PA
    src = f"""
        la $s1, next
        li $t1, {_patch_word("addiu $v0, $zero, 42", 0):#x}
        sw $t1, 0($s1)
    next:
        addiu $v0, $zero, 7
        {HALT}
    """

    def setup(m):
        m.write_words(CODE_PA, assemble(src, base))
        m.pc = base
    assert _run_both(setup, preset)["regs"][2] == 42


USER_VA, ALIAS_VA = 0x00400000, 0x00800000


@pytest.mark.parametrize("preset", ["ideal", "dec5000"])
def test_user_rewrites_code_through_another_mapping(preset):
    """User code at USER_VA (mapped read-only) runs `addiu $v0, $v0, 1`, rewrites it through
    ALIAS_VA (the same physical page, writable), runs it again, and ends with a syscall
    whose handler halts: v0 = 1 + 100.  The kernel's own kseg0 view of the page is fetched
    too (the handler jumps into it), so three virtual pages share one decoded page."""
    user = f"""
        addiu $v0, $zero, 0
        addiu $s0, $zero, 2
        li $s1, {ALIAS_VA:#x}
        li $t1, {_patch_word("addiu $v0, $v0, 100", 0):#x}
    loop:
    site:
        addiu $v0, $v0, 1
        addiu $s0, $s0, -1
        bne $s0, $zero, loop
        sw $t1, 24($s1)
        syscall
    """
    handler = HALT

    def setup(m):
        words = assemble(user, USER_VA)
        assert words[6] == _patch_word("addiu $v0, $v0, 1", 0)     # site is at +24
        m.write_words(CODE_PA, words)
        m.write_words(K.VEC_GENERAL - K.KSEG0_BASE, assemble(handler, K.VEC_GENERAL))
        m.set_tlb(0, USER_VA, CODE_PA | K.ENTRYLO_V | K.ENTRYLO_G)
        m.set_tlb(1, ALIAS_VA, CODE_PA | K.ENTRYLO_V | K.ENTRYLO_D | K.ENTRYLO_G)
        m.set_cp0(K.C0_STATUS, K.SR_KUC)
        m.pc = USER_VA
    out = _run_both(setup, preset)
    assert out["regs"][2] == 1 + 100


@pytest.mark.parametrize("preset", ["ideal", "dec5000"])
def test_host_rewrites_code_between_runs(preset):
    base = K.KSEG0_BASE + CODE_PA
    for engine in ENGINES:
        m = Machine(preset, 1 << 20, engine=engine)
        m.write_words(CODE_PA, assemble(f"addiu $v0, $zero, 1\n{HALT}", base))
        m.pc = base
        m.run(100)
        assert m.reg("v0") == 1
        m.write_words(CODE_PA, assemble(f"addiu $v0, $zero, 2\n{HALT}", base))
        m.pc = base
        m.run(100)
        assert m.reg("v0") == 2, engine


# ---- (d) the memory system's timing patterns ------------------------------------------------------

MEM_PA = 0x20000


@pytest.mark.parametrize("preset, overrides", [
    ("dec5000_200", {}), ("dec5000_200", {"wb_read_priority": 0, "wb_page_retire_cycles": 2}),
    ("dec5000", {"wb_page_bytes": 4096}), ("dec3100", {})])
def test_memory_system_patterns_identical(preset, overrides):
    """Stores in page-mode bursts and across pages, of every size, with loads that miss right
    behind them, D-cache lines a store allocates, uncached reads and writes of the board: both
    engines must account every cycle the same."""
    x = K.KSEG0_BASE + MEM_PA
    body = []
    for rnd in range(3):
        body += [f"sw $t1, {4 * i}($s0)" for i in range(9)]                  # one page
        body += [f"sw $t1, {(i % 2) * 4096 + 8 * i}($s0)" for i in range(9)]   # two pages
        for i, (op, byte) in enumerate((("sb", 1), ("sh", 2), ("swl", 1), ("swr", 2))):
            o = 0x400 + 16 * i + 4 * rnd                    # evict, store part of a word, load it
            body += [f"lw $t2, {o}($s2)", f"{op} $t1, {o + byte}($s0)", f"lw $t2, {o}($s0)"]
        body += [f"lw $t2, {0x800 + 16 * rnd}($s2)",                     # a miss behind them
                 f"lw $t2, {0x800 + 16 * rnd + 4}($s0)", "lw $t2, 0($s0)", "lw $t2, 4096($s0)",
                 f"sw $t1, {0x900 + 4 * rnd}($s0)", f"lw $t2, {0x900 + 4 * rnd}($s0)",
                 f"sw $zero, {K.BOARD_IOASIC_IMSK}($k1)", f"lw $t2, {K.BOARD_IOASIC_IMSK}($k1)",
                 "sw $t1, 12($s0)", f"lw $t2, {K.BOARD_IOASIC_IMSK}($k1)"]
    src = f"""
        li $s0, {x}
        li $s2, {x + 65536}                 # a D-cache size away: lines that evict $s0's
        li $k1, {K.BOARD_KSEG1}
        li $t1, 0x12345678
        addiu $s1, $zero, 2
    again:
        {chr(10).join(body)}
        addiu $s1, $s1, -1
        bne $s1, $zero, again
        nop
        {HALT}
    """
    seen = {}
    for engine in ENGINES:
        m = Machine(preset, 1 << 20, overrides=overrides, engine=engine)
        m.write_words(CODE_PA, assemble(src, K.KSEG0_BASE + CODE_PA))
        m.pc = K.KSEG0_BASE + CODE_PA
        info = m.run(100_000, check=False)
        seen[engine] = observe(m, info)
    assert_same(seen["reference"], seen["fast"], f"memory patterns ({preset}, {overrides})")
    c = seen["fast"]["counters"]
    assert seen["fast"]["stop"][0] == Stop.HALT
    assert c["wb_stall_cycles"] > 0 and c["dcache_misses"] > 0     # the patterns did stall


# ---- (e) page ends, uncached code and exceptions at timer deadlines -------------------------------

SYSCALLS = 40


def _run_with_timer(blocks: dict, start: int, preset: str, period: int, what: str) -> dict:
    """Assemble blocks {va: source} (kseg0/kseg1 addresses), run them from start on both
    engines with interrupts on and the timer at `period`: the fast engine's state, equal to
    the reference's, after a halt."""
    seen = {}
    for engine in ENGINES:
        m = Machine(preset, 1 << 20, engine=engine)
        for va, src in blocks.items():
            m.write_words(va & 0x1FFFFFFF, assemble(src, va))
        m.set_cp0(K.C0_STATUS, K.SR_IEC | K.SR_IM_MASK)
        lib.machine_set_timer(m._m, period)
        m.pc = start
        info = m.run(1_000_000, check=False)
        seen[engine] = observe(m, info)
    assert_same(seen["reference"], seen["fast"], f"{what} ({preset}, timer {period})")
    out = seen["fast"]
    assert out["stop"][0] == Stop.HALT, out["stop"]
    return out


# An exception handler's tail for a timer interrupt: acknowledge it, count it in s6, return.
TIMER_RETURN = f"""
            lui $k1, 0xbf00
            sw $zero, {K.BOARD_TIMER_ACK}($k1)
            addiu $s6, $s6, 1
            mfc0 $k0, $14
            jr $k0
            rfe"""


def timer_vector(other: str) -> str:
    """The general vector: an interrupt (ExcCode 0) is the timer's (TIMER_RETURN); any other
    exception runs `other`."""
    return f"""
            mfc0 $k0, $13
            andi $k0, $k0, 0x7c
            bne $k0, $zero, other
            nop{TIMER_RETURN}
        other:
            {other}"""


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("period", [37, 41, 53, 64, 97, 131])
def test_page_ends_and_exception_storm_at_timer_deadlines(preset, period):
    """A loop that runs off the end of a page (falls through into the next one), has a
    branch in the last word of a page with its delay slot on the next, calls a routine it
    fetches uncached (kseg1, itself across a page end) and makes a system call every
    iteration, while the timer interrupts every `period` cycles: interrupts and system
    calls land in every position of that path, sentinels included (the fast engine's
    arrays end in one).  Both engines must agree on everything."""
    k0 = K.KSEG0_BASE
    blocks = {
        k0 + 0x4000: f"li $s0, {SYSCALLS}; j {k0 + 0x4FF0:#x}; nop",
        k0 + 0x4FF0: f"""
            addiu $v0, $v0, 1
            syscall
            addiu $v1, $v1, 3
            addiu $s0, $s0, -1          # the page's last word: falls through
            addiu $a0, $a0, 1
            li $t9, {K.KSEG1_BASE + 0x7FF4:#x}
            jalr $t9
            nop
            j {k0 + 0x5FF0:#x}
            addiu $a1, $a1, 1""",
        k0 + 0x5FF0: f"""
            addiu $t4, $t4, 1
            addiu $t5, $t5, 2
            nop
            bne $s0, $zero, {k0 + 0x4FF0:#x}    # the page's last word
            addiu $a2, $a2, 1                   # its delay slot, on the next page
            {HALT}""",
        K.KSEG1_BASE + 0x7FF4: """
            addiu $t0, $zero, 3
        r1: addiu $a3, $a3, 1
            addiu $t0, $t0, -1
            bne $t0, $zero, r1
            nop
            jr $ra
            nop""",
        K.VEC_GENERAL: timer_vector("""
            addiu $s5, $s5, 1               # the system call
            mfc0 $k0, $14
            addiu $k0, $k0, 4
            jr $k0
            rfe"""),
    }
    out = _run_with_timer(blocks, k0 + 0x4000, preset, period, "page ends")
    regs = out["regs"]
    assert regs[21] == SYSCALLS and regs[2] == SYSCALLS and regs[7] == 3 * SYSCALLS   # s5, v0, a3
    assert regs[22] > 0                                                               # s6: interrupts


# ---- (g) delay slots: the fast engine's own handlers for them --------------------------------------

DS_ITERATIONS = 24


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("period", [29, 53, 97, 1000])
def test_delay_slot_paths_at_timer_deadlines(preset, period):
    """Instructions in delay slots take their own handlers in the fast engine; every way into
    them, under timer interrupts: a delay slot at an I-cache line start, rewritten at run
    time (its first execution after the store decodes it as a delay slot); a branch in the
    delay slot of a jump (its target, at a line start, runs as the delay slot, fetched);
    a load that faults (address error, BD set) in a delay slot; an uncached store and an
    uncached load (slow paths) in delay slots; mult, mfc0 and a nop in delay slots.
    The handler counts faults in s5 and resumes after the branch and its delay slot."""
    k0 = K.KSEG0_BASE
    new = _patch_word("addiu $v0, $v0, 100", 0)
    blocks = {
        k0 + 0x6100: f"""
            li $s0, {DS_ITERATIONS}
            li $s1, {k0 + 0x6020:#x}
            li $t1, {new:#x}
            li $s2, {k0 + 0x7000:#x}
            li $s3, {K.KSEG1_BASE + 0x7100:#x}
            j {k0 + 0x6010:#x}
            nop""",
        k0 + 0x6010: f"""
            addiu $s0, $s0, -1
            nop
            nop
            bne $s0, $zero, {k0 + 0x6040:#x}
            addiu $v0, $v0, 1                   # a line start; rewritten when s0 = 12
            {HALT}""",
        k0 + 0x6040: f"""
            lw $t3, 0($s2)
            addiu $t2, $s0, -12
            bne $t2, $zero, {k0 + 0x6060:#x}
            nop
            sw $t1, 0($s1)
            nop""",
        k0 + 0x6060: f"""
            j {k0 + 0x6080:#x}
            j {k0 + 0x60A0:#x}                  # a branch in a delay slot
            addiu $t7, $t7, 1""",
        k0 + 0x6080: """
            addiu $a1, $a1, 1                   # the delay slot of the j above
            addiu $t7, $t7, 1""",
        k0 + 0x60A0: f"""
            beq $zero, $zero, {k0 + 0x60C0:#x}
            lw $t4, 1($s2)                      # address error in a delay slot
            j {k0 + 0x60C0:#x}                  # where the handler resumes
            mult $s0, $s0""",
        k0 + 0x60C0: f"""
            jal {k0 + 0x6200:#x}
            sw $s0, 0($s3)                      # an uncached store in a delay slot
            bne $zero, $zero, {k0 + 0x6010:#x}
            mfc0 $t6, $12                       # not taken: its delay slot runs
            j {k0 + 0x6010:#x}
            nop""",
        k0 + 0x6200: """
            jr $ra
            lw $t5, 0($s3)                      # an uncached load in a delay slot""",
        K.VEC_GENERAL: f"""
            mfc0 $k0, $13
            andi $k0, $k0, 0x7c
            beq $k0, $zero, intr
            nop
            addiu $s5, $s5, 1
            mfc0 $k0, $14
            addiu $k0, $k0, 8
            jr $k0
            rfe
        intr:{TIMER_RETURN}""",
    }
    out = _run_with_timer(blocks, k0 + 0x6100, preset, period, "delay slots")
    regs = out["regs"]
    half = DS_ITERATIONS // 2
    assert regs[2] == half + 100 * half                                 # v0: the rewritten slot
    assert regs[21] == DS_ITERATIONS - 1                                # s5: the address errors
    assert regs[5] > 0 and regs[22] > 0     # a1: the fetched delay slot ran; s6: interrupts
    # (an interrupt at 0x6080 resumes at the j in the delay slot, whose own delay slot then
    # runs: how often a1 and t7 count depends on where the interrupts land)


# ---- (f) the CP0 instructions with their own handlers (mfc0, mtc0, rfe) ---------------------------

# the kernel's last instructions: user mode (KUp, popped by rfe), on to USER_VA
ENTER_USER = f"""
        li $t6, {K.SR_KUP:#x}
        mtc0 $t6, $12
        li $k0, {USER_VA:#x}
        jr $k0
        rfe"""


def _step_over_handler(count: str) -> str:
    """The general vector: a system call halts; any other exception runs `count` (with $k0 =
    ExcCode << 2) and returns past the faulting instruction (never in a delay slot here)."""
    return f"""
        mfc0 $k0, $13
        andi $k0, $k0, 0x7c
        addiu $k1, $zero, 32
        beq $k0, $k1, done
        nop
        {count}
        mfc0 $k0, $14
        addiu $k0, $k0, 4
        jr $k0
        rfe
    done:
        {HALT}"""


def _kernel_and_user(preset: str, kernel: str, user: str, handler: str, words=()) -> dict:
    """On each engine: `kernel` at CODE_PA (run from kseg0), which enters `user` at USER_VA (a
    global TLB entry, index 0), `handler` at the general vector, and words, (address, source)
    pairs assembled to the kseg0 address of their physical one (or lists of words), written
    first.  Returns {engine: (machine, observe())}."""
    seen = {}
    for engine in ENGINES:
        m = Machine(preset, 1 << 20, engine=engine)
        m.write_words(CODE_PA, assemble(kernel, K.KSEG0_BASE + CODE_PA))
        m.write_words(CODE_PA + 0x1000, assemble(user, USER_VA))
        m.write_words(K.VEC_GENERAL - K.KSEG0_BASE, assemble(handler, K.VEC_GENERAL))
        for pa, what in words:
            m.write_words(pa, assemble(what, K.KSEG0_BASE + pa) if isinstance(what, str) else what)
        m.set_tlb(0, USER_VA, (CODE_PA + 0x1000) | K.ENTRYLO_V | K.ENTRYLO_G)
        m.pc = K.KSEG0_BASE + CODE_PA
        info = m.run(10_000, check=False)
        seen[engine] = (m, observe(m, info))
    return seen


@pytest.mark.parametrize("preset", ["ideal", "dec5000"])
def test_cp0_ops_in_kernel_and_refused_in_user_mode(preset):
    """The kernel reads Random, Status and Context, writes EntryHi (ASID 5), Context and
    Status with mfc0/mtc0, and enters user mode with rfe; there mfc0, mtc0 and rfe (CU0 off)
    each raise Coprocessor Unusable, which the handler counts and steps over, until a system
    call halts.  Both engines must agree; the user-mode ones must all have trapped."""
    kernel = f"""
        mfc0 $t1, $1
        mfc0 $zero, $12
        mfc0 $t2, $12
        li $t3, {5 << 6:#x}
        mtc0 $t3, $10
        li $t4, 0x00200000
        mtc0 $t4, $4
        mfc0 $t5, $4""" + ENTER_USER
    user = """
        mfc0 $t0, $12
        mtc0 $t0, $12
        rfe
        mfc0 $zero, $13
        addiu $v0, $zero, 7
        syscall"""
    seen = {engine: out for engine, (_, out) in
            _kernel_and_user(preset, kernel, user, _step_over_handler("addiu $s5, $s5, 1")).items()}
    assert_same(seen["reference"], seen["fast"], f"cp0 ops ({preset})")
    out = seen["fast"]
    assert out["stop"][0] == Stop.HALT, out["stop"]
    assert out["regs"][21] == 4 and out["regs"][2] == 7          # s5: four refusals; v0
    assert out["cp0"][K.C0_ENTRYHI] & 0xfc0 == 5 << 6 and out["regs"][13] == 0x00200000 & 0xffe00000


SPL_ROUNDS = 30


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("period", [23, 41, 64, 131])
def test_status_writes_at_timer_deadlines(preset, period):
    """A kernel's spl, as the baseline makes it, under the timer: mtc0 Status that disables
    interrupts, enables them (the timer often pending by then, so it is taken right after
    the write), enables IE with every line masked (an interrupt pending stays pending), and
    enables in a branch's delay slot; the fast engine's handler does the writes that change
    neither the mode nor deliver an interrupt itself.  Then a write that sets KUc: the next
    fetch, from kseg0, is an address error in user mode, which halts.  Both engines must
    agree, and the timer must have interrupted."""
    k0 = K.KSEG0_BASE
    on, masked = K.SR_IM_MASK | K.SR_IEC, K.SR_IEC
    blocks = {
        k0 + 0x4000: f"""
            li $s0, {SPL_ROUNDS}
        loop:
            li $t0, {K.SR_IM_MASK:#x}
            mtc0 $t0, $12               # splhigh
            addiu $a0, $a0, 1
            addiu $a0, $a0, 1
            addiu $a0, $a0, 1
            li $t1, {on:#x}
            mtc0 $t1, $12               # spl0: a pending interrupt is taken after it
            addiu $a1, $a1, 1
            li $t2, {masked:#x}
            mtc0 $t2, $12               # IE on, every line masked
            addiu $a2, $a2, 1
            addiu $a2, $a2, 1
            li $t3, {on:#x}
            j next
            mtc0 $t3, $12               # in a delay slot
        next:
            addiu $s0, $s0, -1
            bne $s0, $zero, loop
            nop
            li $t4, {K.SR_KUC:#x}
            mtc0 $t4, $12               # user mode: the next fetch (kseg0) faults
            nop
            addiu $a3, $a3, 1""",
        K.VEC_GENERAL: timer_vector(HALT),
    }
    out = _run_with_timer(blocks, k0 + 0x4000, preset, period, "status writes")
    regs = out["regs"]
    assert regs[4] == 3 * SPL_ROUNDS and regs[5] == SPL_ROUNDS and regs[6] == 2 * SPL_ROUNDS  # a0-a2
    assert regs[22] > 0                                                         # s6: interrupts
    assert regs[7] == 0                                                         # a3: never ran
    assert (out["cp0"][K.C0_CAUSE] & 0x7c) >> 2 == K.EXC_ADEL                   # the user fetch


# ---- (h) the host-map entry tlbwi makes for user mode --------------------------------------------

@pytest.mark.parametrize("preset", ["ideal", "dec5000"])
def test_tlb_write_prefill_translates_as_the_tlb(preset):
    """The kernel writes, with tlbwi in ASID 5: D -> P1 (index 10, V D) and D -> P2 (index 20:
    a duplicate, so index 10 still wins), D2 -> P2 (V, no D), D3 -> P1 (D, not V), and in
    ASID 6 D4 -> P1; then in user mode, ASID 5, a load and a store at D go to P1, a load at
    D2 reads P2 and a store there raises Mod, a load at D3 raises TLBL at the general vector
    and one at D4 misses to the UTLB vector."""
    d, d2, d3, d4 = 0x00010000, 0x00020000, 0x00030000, 0x00040000
    p1, p2 = 0x40000, 0x41000
    asid5, asid6 = 5 << K.ENTRYHI_ASID_SHIFT, 6 << K.ENTRYHI_ASID_SHIFT

    def tlbwi(hi, lo, index):
        return f"""
        li $t0, {hi:#x}
        mtc0 $t0, $10
        li $t1, {lo:#x}
        mtc0 $t1, $2
        li $t2, {index << K.INDEX_SHIFT:#x}
        mtc0 $t2, $0
        tlbwi"""
    v, dirty = K.ENTRYLO_V, K.ENTRYLO_D
    kernel = "".join([tlbwi(d | asid5, p1 | v | dirty, 10), tlbwi(d | asid5, p2 | v | dirty, 20),
                      tlbwi(d2 | asid5, p2 | v, 21), tlbwi(d3 | asid5, p1 | dirty, 22),
                      tlbwi(d4 | asid6, p1 | v | dirty, 23)]) + f"""
        li $t0, {asid5:#x}
        mtc0 $t0, $10""" + ENTER_USER
    user = f"""
        lui $a0, {d >> 16:#x}
        lw $s0, 0($a0)
        addiu $t0, $zero, 0x3333
        sw $t0, 4($a0)
        lui $a1, {d2 >> 16:#x}
        lw $s1, 0($a1)
        sw $t0, 0($a1)
        lui $a2, {d3 >> 16:#x}
        lw $s2, 0($a2)
        lui $a3, {d4 >> 16:#x}
        lw $s3, 0($a3)
        addiu $v0, $zero, 7
        syscall"""
    handler = _step_over_handler("""
        srl $k0, $k0, 2
        addiu $k1, $zero, 1
        sllv $k1, $k1, $k0
        or $s5, $s5, $k1""")
    utlb = """
        addiu $s7, $s7, 1
        mfc0 $k0, $14
        addiu $k0, $k0, 4
        jr $k0
        rfe"""
    runs = _kernel_and_user(preset, kernel, user, handler,
                            [(K.VEC_UTLB - K.KSEG0_BASE, utlb), (p1, [0x1111]), (p2, [0x2222])])
    for m, _ in runs.values():
        assert m.read_phys(p1 + 4, 4) == (0x3333).to_bytes(4, "little")     # the store at D
        assert m.read_phys(p2, 8) == (0x2222).to_bytes(8, "little")         # P2: untouched
    seen = {engine: out for engine, (_, out) in runs.items()}
    assert_same(seen["reference"], seen["fast"], f"tlbwi prefill ({preset})")
    out = seen["fast"]
    assert out["stop"][0] == Stop.HALT, out["stop"]
    regs = out["regs"]
    assert (regs[16], regs[17], regs[18], regs[19]) == (0x1111, 0x2222, 0, 0)   # s0-s3
    assert regs[21] == (1 << K.EXC_MOD) | (1 << K.EXC_TLBL)                     # s5: Mod, TLBL
    assert regs[23] == 1                                                        # s7: one UTLB miss
