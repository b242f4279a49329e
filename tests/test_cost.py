"""The cost model on access patterns with known answers, for the `ideal` and `dec5000`
presets, plus the board's result channels, the per-PC profile and the hazard checker.

Every expected cycle count is derived from the preset's parameters (machine.cost), never a
bare number, so the tests say what the model is, not what it happens to print.  Model:
csrc/cost.c's header comment.
"""
from __future__ import annotations

import pytest

from exobench import constants as K
from exobench.machine import Machine, Stop, presets

from conftest import CODE_BASE, CODE_PADDR, HALT, load_program
from mips_asm import assemble

BOARD = f"li $k1, {K.BOARD_KSEG1}"
ARRAY_PA = 0x20000                       # line- and page-aligned data, away from the code
# 32 cycles without memory accesses: longer than a full write buffer takes to drain (4 x 5)
DRAIN = "li $t2, 10\ndrain_@:\naddiu $t2, $t2, -1\nbne $t2, $zero, drain_@\nnop"


def words(src: str, base: int = CODE_BASE) -> int:
    return len(assemble(src, base))


def lines_spanned(n_words: int, base: int, line: int) -> int:
    """How many cache lines n_words of code starting at base touch."""
    first, last = base // line, (base + 4 * n_words - 1) // line
    return last - first + 1


def make(preset: str, ram: int = 1 << 20) -> Machine:
    m = Machine(preset, ram)
    m.set_cp0(K.C0_STATUS, 0)            # BEV off: handlers at 0x80000000/0x80000080
    return m


def run(m: Machine, src: str, max_insns: int = 1_000_000) -> Machine:
    load_program(m, src + "\n" + HALT)
    m.run(max_insns)
    return m


def place(m: Machine, src: str, va: int) -> None:
    m.write_words(va - K.KSEG0_BASE, assemble(src, va))


def delta(a: dict, b: dict) -> dict:
    return {k: b[k] - a[k] for k in a if k != "exceptions"}


def test_presets_exist_and_differ_only_in_the_memory_system():
    p = presets()
    assert {"ideal", "dec5000"} <= set(p)
    ideal, dec = p["ideal"], p["dec5000"]
    assert ideal["caches"] == 0 and dec["caches"] == 1
    for k in ("mult_cycles", "div_cycles", "exc_entry_cycles", "uncached_read_cycles", "clock_mhz"):
        assert ideal[k] == dec[k]
    assert Machine("dec5000", 1 << 20).cost == dec


# ---- ideal: one cycle per instruction ---------------------------------------------------------

@pytest.mark.parametrize("n", [0, 1, 7, 100])
def test_ideal_straight_line_is_one_cycle_per_instruction(n):
    m = run(make("ideal"), "\n".join(["addiu $t0, $t0, 1"] * n))
    c = m.counters()
    assert c["insns"] == c["cycles"] == n + words(HALT)
    assert m.reg("t0") == n


def test_ideal_branches_and_delay_slots_cost_nothing_extra():
    m = run(make("ideal"), """
        li $t0, 50
    loop:
        addiu $t0, $t0, -1
        bne $t0, $zero, loop
        nop
        j skip
        nop
        nop
    skip:
        jal sub
        nop
        b done
        nop
    sub:
        jr $ra
        nop
    done:
    """)
    c = m.counters()
    assert c["insns"] == 2 + 3 * 50 + 2 + 2 + 2 + 2 + words(HALT)
    assert c["cycles"] == c["insns"]


# ---- the multiply/divide unit -----------------------------------------------------------------

@pytest.mark.parametrize("preset", ["ideal", "dec5000"])
@pytest.mark.parametrize("op, param, read", [
    ("mult", "mult_cycles", "mflo"), ("multu", "mult_cycles", "mfhi"),
    ("div", "div_cycles", "mflo"), ("divu", "div_cycles", "mfhi"),
])
@pytest.mark.parametrize("k", [0, 1, 5, 11, 20, 40])
def test_hilo_stall_shrinks_with_independent_instructions(preset, op, param, read, k):
    m = make(preset)
    body = f"""
        li $t0, 1000
        li $t1, 7
        {op} $t0, $t1
        {chr(10).join(['addiu $t3, $t3, 1'] * k)}
        {read} $t2
    """
    # run once to warm the I-cache, then measure the second run
    load_program(m, body + HALT)
    m.run()
    before = m.counters()
    m.pc = CODE_BASE
    m.run()
    d = delta(before, m.counters())
    stall = max(0, m.cost[param] - 1 - k)          # the unit is busy `param` cycles from issue
    assert d["hilo_stall_cycles"] == stall
    assert d["cycles"] == d["insns"] + stall
    assert d["insns"] == words(body) + words(HALT)
    expect = {"mult": (7000, 0), "multu": (7000, 0), "div": (142, 6), "divu": (142, 6)}[op]
    assert m.reg("t2") == (expect[0] if read == "mflo" else expect[1])


def test_back_to_back_mults_stall_the_second():
    m = run(make("ideal"), """
        li $t0, 3
        li $t1, 5
        mult $t0, $t1
        mult $t1, $t1               # waits for the first
        mflo $t2                    # waits for the second
        div $t0, $t1                # the unit is free again: no wait
        addiu $t3, $zero, 1
        divu $t0, $t1               # waits for the div
    """)
    c, cost = m.counters(), m.cost
    stall = 2 * (cost["mult_cycles"] - 1) + (cost["div_cycles"] - 2)
    assert c["hilo_stall_cycles"] == stall
    assert c["cycles"] == c["insns"] + stall
    assert m.reg("t2") == 25


def test_mthi_mtlo_do_not_wait_for_the_unit():
    # Documented choice (cost.c): only mfhi/mflo and a further mult/div wait.
    m = run(make("ideal"), "li $t0, 3; mult $t0, $t0; mthi $t0; mtlo $t0")
    c = m.counters()
    assert c["hilo_stall_cycles"] == 0 and c["cycles"] == c["insns"]


# ---- exceptions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("preset", ["ideal", "dec5000"])
@pytest.mark.parametrize("fault", ["syscall", "break", "load_miss", "store_ades", "overflow",
                                   "fetch_miss", "fetch_adel", "reserved"])
def test_exception_costs_entry_cycles_and_does_not_retire(preset, fault):
    """At the trap (PC at the vector, nothing of the handler run yet) exactly the instructions
    before the faulting one have retired, and cycles = their cost + exc_entry_cycles."""
    prologue = "li $t0, 0x7fffffff; li $t1, 0x00400000; li $t2, 0x80001002"
    body = {"syscall": "syscall", "break": "break", "load_miss": "lw $t3, 0($t1)",
            "store_ades": "sw $t3, 0($t2)", "overflow": "add $t3, $t0, $t0",
            "fetch_miss": "jr $t1; nop", "fetch_adel": "jr $t2; nop",
            "reserved": ".word 0xfc000000"}[fault]
    m = make(preset)
    load_program(m, prologue + "\n" + body + "\n" + HALT)
    m.trap_on(range(16))
    info = m.run(check=False)
    assert info.reason == Stop.TRAP
    c = m.counters()
    retired = words(prologue) + (2 if fault.startswith("fetch") else 0)
    assert c["insns"] == retired
    assert c["exc_entry_cycles"] == m.cost["exc_entry_cycles"]
    code_words = words(prologue + "\n" + body)
    imiss = lines_spanned(code_words, CODE_PADDR, m.cost["line_bytes"] or 16) if m.cost["caches"] else 0
    assert c["icache_misses"] == imiss
    assert c["cycles"] == retired + m.cost["exc_entry_cycles"] + imiss * m.cost["imiss_cycles"]
    assert sum(c["exceptions"].values()) == 1


@pytest.mark.parametrize("preset", ["ideal", "dec5000"])
def test_exception_round_trip_cost(preset):
    m = make(preset)
    handler = "mfc0 $k0, $14; addiu $k0, $k0, 4; jr $k0; rfe"
    place(m, handler, K.VEC_GENERAL)
    body = "addiu $t0, $zero, 1; syscall; addiu $t0, $t0, 1; syscall; addiu $t0, $t0, 1"
    load_program(m, body + "\n" + HALT)
    m.run()
    # second run with warm caches
    before = m.counters()
    m.pc = CODE_BASE
    m.run()
    d = delta(before, m.counters())
    assert m.reg("t0") == 3
    assert d["insns"] == words(body) - 2 + 2 * words(handler) + words(HALT)
    assert d["exc_entry_cycles"] == 2 * m.cost["exc_entry_cycles"]
    assert d["cycles"] == d["insns"] + d["exc_entry_cycles"]
    assert d["icache_misses"] == 0


# ---- uncached accesses ---------------------------------------------------------------------------

@pytest.mark.parametrize("preset", ["ideal", "dec5000"])
@pytest.mark.parametrize("n", [1, 4])
@pytest.mark.parametrize("via", ["kseg1", "tlb_n"])
def test_uncached_loads_cost_uncached_read_cycles(preset, n, via):
    m = make(preset)
    base = K.KSEG1_BASE + ARRAY_PA
    if via == "tlb_n":             # a kuseg page mapped with N=1 (non-cacheable)
        base = 0x00600000
        m.set_tlb(8, base, ARRAY_PA | K.ENTRYLO_N | K.ENTRYLO_V)
    # (a drain loop first: in dec5000 the previous run's halt store may still be in the buffer)
    body = (DRAIN.replace("@", "a") + f"\nli $t0, {base}\n"
            + "\n".join(f"lw $t1, {4 * i}($t0)" for i in range(n)))
    load_program(m, body + "\n" + HALT)
    m.run()
    before = m.counters()
    m.pc = CODE_BASE
    m.run()
    d = delta(before, m.counters())
    assert d["uncached_accesses"] == n + 1                   # the loads and the halt store
    assert d["dcache_misses"] == 0                           # kseg1 bypasses the D-cache
    assert d["wb_stall_cycles"] == 0
    assert d["cycles"] == d["insns"] + n * m.cost["uncached_read_cycles"]


def test_cached_alias_of_same_memory_costs_nothing_in_ideal():
    m = run(make("ideal"), f"li $t0, {K.KSEG0_BASE + ARRAY_PA}; lw $t1, 0($t0); lw $t2, 4($t0)")
    c = m.counters()
    assert c["cycles"] == c["insns"] and c["uncached_accesses"] == 1


def test_code_run_from_kseg1_pays_for_every_fetch():
    m = make("ideal")
    body = "addiu $t0, $t0, 1\n" * 5
    m.write_words(CODE_PADDR, assemble(body + HALT, K.KSEG1_BASE + CODE_PADDR))
    m.pc = K.KSEG1_BASE + CODE_PADDR
    m.run()
    c = m.counters()
    n = words(body + HALT)
    assert c["insns"] == n
    assert c["cycles"] == n * (1 + m.cost["uncached_read_cycles"])


def test_uncached_load_in_dec5000_waits_for_the_write_buffer():
    m = make("dec5000")
    assert m.cost["wb_depth"] * m.cost["wb_retire_cycles"] < 32
    body = f"""
        li $t0, {K.KSEG0_BASE + ARRAY_PA}
        li $t5, {K.KSEG1_BASE + ARRAY_PA}
        {DRAIN.replace("@", "a")}
        sw $t1, 0($t0)
        lw $t3, 64($t5)             # must wait until the store has retired
    """
    load_program(m, body + "\n" + HALT)
    m.run()
    before = m.counters()
    m.pc = CODE_BASE
    m.run()
    d = delta(before, m.counters())
    wait = m.cost["wb_retire_cycles"] - 1      # the store was pushed one cycle before the load
    assert d["wb_stall_cycles"] == wait and d["wb_stalls"] == 0
    assert d["cycles"] == d["insns"] + wait + m.cost["uncached_read_cycles"]


# ---- dec5000: caches -----------------------------------------------------------------------------

def two_pass_read(n: int, stride: int, passes: int = 2) -> str:
    return f"""
        {BOARD}
        li $s0, {passes}
        li $t4, {stride}
    outer:
        sw $s0, {K.BOARD_MARKER}($k1)
        li $t0, {K.KSEG0_BASE + ARRAY_PA}
        li $t1, {n}
    inner:
        lw $t2, 0($t0)
        addu $t0, $t0, $t4
        addiu $t1, $t1, -1
        bne $t1, $zero, inner
        nop
        addiu $s0, $s0, -1
        bne $s0, $zero, outer
        nop
        sw $zero, {K.BOARD_MARKER}($k1)
    """


@pytest.mark.parametrize("n", [4, 64, 1024])
def test_sequential_read_misses_once_per_line_then_hits(n):
    m = make("dec5000")
    cost = m.cost
    assert n * 4 <= cost["dcache_bytes"]
    run(m, two_pass_read(n, 4))
    m1, m2, m3 = (mk.counters for mk in m.markers())
    p1, p2 = delta(m1, m2), delta(m2, m3)
    per_line = cost["line_bytes"] // 4
    assert p1["dcache_misses"] == n // per_line
    assert p2["dcache_misses"] == 0
    assert p2["icache_misses"] == 0
    assert p2["cycles"] == p2["insns"]                    # everything hits: 1 cycle per instruction
    # pass 1: each miss costs dmiss_cycles, plus any wait for the marker store to drain first
    assert p1["cycles"] == (p1["insns"] + p1["dcache_misses"] * cost["dmiss_cycles"]
                            + p1["icache_misses"] * cost["imiss_cycles"] + p1["wb_stall_cycles"])
    assert p1["insns"] == p2["insns"] == 2 + 2 + 5 * n + 3 + 1


@pytest.mark.parametrize("extra, conflicts", [(0, True), (16, False)])
def test_stride_of_dcache_size_conflicts(extra, conflicts):
    ram = 8 << 20
    m = make("dec5000", ram)
    d = m.cost["dcache_bytes"]
    n = 6
    assert ARRAY_PA + n * (d + extra) <= ram
    run(m, two_pass_read(n, d + extra))
    m1, m2, m3 = (mk.counters for mk in m.markers())
    p1, p2 = delta(m1, m2), delta(m2, m3)
    assert p1["dcache_misses"] == n
    # addresses a D-cache size apart share a line: every access evicts the previous one
    assert p2["dcache_misses"] == (n if conflicts else 0)
    assert p2["cycles"] == p2["insns"] + p2["dcache_misses"] * m.cost["dmiss_cycles"] + p2["wb_stall_cycles"]


def test_stores_do_not_allocate_in_the_dcache():
    m = make("dec5000")
    run(m, f"""
        li $t0, {K.KSEG0_BASE + ARRAY_PA}
        sw $t1, 0($t0)
        lw $t2, 0($t0)              # still a miss (write-through, no write-allocate)
        lw $t2, 4($t0)              # same line: hit
    """)
    assert m.counters()["dcache_misses"] == 1


@pytest.mark.parametrize("iters", [1, 2, 50])
def test_icache_misses_only_on_first_iteration(iters):
    m = make("dec5000")
    body = f"""
        li $t0, {iters}
    loop:
        addiu $t1, $t1, 1
        addiu $t2, $t2, 1
        addiu $t3, $t3, 1
        addiu $t4, $t4, 1
        addiu $t5, $t5, 1
        addiu $t0, $t0, -1
        bne $t0, $zero, loop
        nop
    """
    run(m, body)
    c, cost = m.counters(), m.cost
    lines = lines_spanned(words(body + HALT), CODE_PADDR, cost["line_bytes"])
    assert c["icache_misses"] == lines                    # independent of the iteration count
    assert c["insns"] == 2 + 8 * iters + words(HALT)
    assert c["cycles"] == c["insns"] + lines * cost["imiss_cycles"]


@pytest.mark.parametrize("conflict", [True, False])
def test_icache_conflict_between_code_an_icache_size_apart(conflict):
    """A loop calling a routine placed exactly one I-cache size after the loop's line: the two
    lines evict each other, two misses per iteration.  Two lines further on (past the end of
    the program's lines), no conflict."""
    m = make("dec5000")
    line = m.cost["line_bytes"]
    loop = CODE_BASE + 16                        # the loop starts on its own line
    far = loop + m.cost["icache_bytes"] + (0 if conflict else 2 * line)
    assert far - K.KSEG0_BASE + 8 <= m.ram_size
    place(m, "jr $ra; nop", far)
    iters = 10
    src = f"""
        li $s0, {iters}
        li $t9, {far}
    loop:
        jalr $t9                    # loop line
        nop
        addiu $s0, $s0, -1          # loop line again, after the far line
        bne $s0, $zero, loop
        nop                         # next line
    """
    assert CODE_BASE + 4 * words(src.split("loop:")[0]) == loop
    run(m, src)
    code_lines = lines_spanned(words(src + HALT), CODE_PADDR, line)
    expect = code_lines + (2 * iters if conflict else 1)   # far line: evicts and is evicted
    assert m.counters()["icache_misses"] == expect


# ---- dec5000: the write buffer ----------------------------------------------------------------

def store_burst(n: int) -> str:
    return f"""
        li $t0, {K.KSEG0_BASE + ARRAY_PA}
        {DRAIN.replace("@", "a")}
        {chr(10).join(f'sw $t1, {4 * i}($t0)' for i in range(n))}
        {DRAIN.replace("@", "b")}
    """


@pytest.mark.parametrize("n", [1, 3, 4, 5, 6, 10, 32])
def test_store_burst_fills_write_buffer_then_stalls(n):
    m = make("dec5000")
    cost = m.cost
    depth, retire = cost["wb_depth"], cost["wb_retire_cycles"]
    assert retire >= depth          # the closed form below assumes the buffer never runs dry
    load_program(m, store_burst(n) + HALT)
    m.run()                         # warm the I-cache: the second run is pure store timing
    before = m.counters()
    m.pc = CODE_BASE
    m.run()
    d = delta(before, m.counters())
    # Store i (1-based) retires at t + retire*i, so store i > depth enters when store
    # i - depth retires, at t + retire*(i - depth); unstalled it would issue at t + i - 1.
    stalls = max(0, n - depth)
    stall_cycles = retire * (n - depth) - (n - 1) if n > depth else 0
    assert d["wb_stalls"] == stalls
    assert d["wb_stall_cycles"] == stall_cycles
    assert d["cycles"] == d["insns"] + stall_cycles
    assert d["icache_misses"] == d["dcache_misses"] == 0


def test_store_burst_steady_state_costs_the_retire_time():
    def stall(n):
        m = make("dec5000")
        load_program(m, store_burst(n) + HALT)
        m.run()
        before = m.counters()
        m.pc = CODE_BASE
        m.run()
        return delta(before, m.counters())["cycles"]
    m = make("dec5000")
    # each further store in a long burst costs exactly one write-retire time
    assert stall(21) - stall(20) == m.cost["wb_retire_cycles"]
    assert stall(3) - stall(2) == 1


# ---- user/kernel split ---------------------------------------------------------------------------

USER_CODE_VA, USER_CODE_PA = 0x00400000, 0x00002000


@pytest.mark.parametrize("preset", ["ideal", "dec5000"])
def test_user_kernel_split_across_exception_round_trip(preset):
    m = make(preset)
    m.set_tlb(0, USER_CODE_VA, USER_CODE_PA | K.ENTRYLO_V)
    m.set_tlb(1, K.BOARD_USER_VADDR, K.BOARD_PADDR | K.ENTRYLO_N | K.ENTRYLO_D | K.ENTRYLO_V)
    m.set_tlb(2, K.BOARD_USER_VADDR + K.BOARD_KPAGE,          # the halt register, for this test only
              K.BOARD_PADDR + K.BOARD_KPAGE | K.ENTRYLO_N | K.ENTRYLO_D | K.ENTRYLO_V)
    handler = "addiu $s1, $s1, 1; mfc0 $k0, $14; addiu $k0, $k0, 4; jr $k0; rfe"
    place(m, handler, K.VEC_GENERAL)
    user = f"""
        addiu $a0, $zero, 1
        addiu $a1, $zero, 2
        syscall
        addiu $a0, $a0, 1
        syscall
        addiu $a0, $a0, 1
        li $t9, {K.BOARD_USER_VADDR}
        sw $zero, {K.BOARD_MARKER}($t9)
        sw $zero, {K.BOARD_HALT}($t9)
    """
    m.write_words(USER_CODE_PA, assemble(user, USER_CODE_VA))
    kernel = f"""
        addiu $s0, $zero, 5
        li $t0, {K.SR_KUP}
        mtc0 $t0, $12
        li $k1, {USER_CODE_VA}
        jr $k1
        rfe
    """
    load_program(m, kernel)
    m.run()
    c, cost = m.counters(), m.cost
    n_user = words(user) - 2                                  # the two syscalls do not retire
    n_kernel = words(kernel) + 2 * words(handler)
    assert m.reg("a0") == 3 and m.reg("s1") == 2
    assert c["user_insns"] == n_user
    assert c["insns"] == n_user + n_kernel
    entry = 2 * cost["exc_entry_cycles"]
    if not cost["caches"]:
        assert c["user_cycles"] == n_user
        assert c["cycles"] - c["user_cycles"] == n_kernel + entry
    else:
        # user code misses the I-cache once per line, in user mode; exception entry is kernel time
        ulines = lines_spanned(words(user), USER_CODE_PA, cost["line_bytes"])
        klines = (lines_spanned(words(kernel), CODE_PADDR, cost["line_bytes"])
                  + lines_spanned(words(handler), K.VEC_GENERAL - K.KSEG0_BASE, cost["line_bytes"]))
        assert c["icache_misses"] == ulines + klines
        assert c["user_cycles"] == n_user + ulines * cost["imiss_cycles"]
        assert c["cycles"] - c["user_cycles"] == n_kernel + entry + klines * cost["imiss_cycles"]
    # a snapshot taken in user mode (the marker) includes the user interval still open
    (mk,) = m.markers()
    assert mk.counters["user_insns"] == n_user - 1
    assert mk.counters["insns"] - mk.counters["user_insns"] == n_kernel


# ---- markers, results, console --------------------------------------------------------------------

@pytest.mark.parametrize("preset", ["ideal", "dec5000"])
@pytest.mark.parametrize("k", [0, 1, 17])
def test_marker_difference_counts_instructions_between(preset, k):
    m = make(preset)
    src = f"""
        {BOARD}
        li $t0, 11
        sw $t0, {K.BOARD_MARKER}($k1)
        {chr(10).join(['addiu $t1, $t1, 1'] * k)}
        li $t0, 22
    second:
        sw $t0, {K.BOARD_MARKER}($k1)
    """
    run(m, src)
    mk = m.markers()
    assert [x.id for x in mk] == [11, 22]
    second = CODE_BASE + 4 * words(src.split("second:")[0])
    assert mk[1].pc == second and mk[0].pc == second - 4 * (k + 2 + 1)
    d = delta(mk[0].counters, mk[1].counters)
    # the snapshot is taken as the marker store executes, so it includes that store
    assert d["insns"] == k + 2 + 1
    if m.cost["caches"] == 0:
        assert d["cycles"] == d["insns"]
    assert mk[1].counters["insns"] == m.counters()["insns"] - words(HALT)


def test_results_and_console_come_back():
    m = make("ideal")
    def result(name, value):
        return "\n".join(f"addiu $t0, $zero, {ord(ch)}\nsw $t0, {K.BOARD_RESULT_NAME}($k1)" for ch in name) + \
            f"\nli $t0, {value}\nsw $t0, {K.BOARD_RESULT_VALUE}($k1)"
    console = "\n".join(f"addiu $t0, $zero, {ord(ch)}\nsw $t0, {K.BOARD_CONSOLE}($k1)" for ch in "ok\n")
    run(m, "\n".join([BOARD, result("null_syscall", 123), console, result("x", 0xFFFFFFFF),
                      f"sw $zero, {K.BOARD_RESULT_VALUE}($k1)"]))
    assert m.results() == [("null_syscall", 123), ("x", 0xFFFFFFFF), ("", 0)]
    assert m.console() == "ok\n"


def test_board_counters_readable_by_guest():
    m = run(make("ideal"), f"""
        {BOARD}
        nop
        lw $t0, {K.BOARD_INSNS_LO}($k1)
        lw $t1, {K.BOARD_INSNS_HI}($k1)
        lw $t2, {K.BOARD_CYCLES_LO}($k1)
        lw $t3, {K.BOARD_CYCLES_HI}($k1)
    """)
    ur = m.cost["uncached_read_cycles"]
    assert m.reg("t0") == 4 and m.reg("t1") == 0          # li (2) + nop + the load itself
    assert m.reg("t2") == 6 + 3 * ur and m.reg("t3") == 0  # each uncached load pays before reading


# ---- the per-PC profile -----------------------------------------------------------------------------

@pytest.mark.parametrize("preset", ["ideal", "dec5000"])
def test_profile_counts_and_cycle_attribution(preset):
    m = make(preset)
    iters = 25
    src = f"""
        li $t0, {iters}
        li $t5, 3
    loop:
        addiu $t1, $t1, 1
        mult $t5, $t5
    read:
        mflo $t2
        addiu $t0, $t0, -1
        bne $t0, $zero, loop
        nop
    """
    load_program(m, src + HALT)
    m.set_profile(True)
    m.run()
    prof = {pc: (count, cycles) for pc, asid, count, cycles in m.profile()}
    c, cost = m.counters(), m.cost
    assert sum(cy for _, cy in prof.values()) == c["cycles"]
    assert sum(n for n, _ in prof.values()) == c["insns"]
    loop = CODE_BASE + 16
    read = loop + 8
    for i in range(6):
        assert prof[loop + 4 * i][0] == iters
    for i in range(4):
        assert prof[CODE_BASE + 4 * i][0] == 1
    assert all(asid == 0xFFFFFFFF for _, asid, _, _ in m.profile())       # kseg0: unmapped
    stall = cost["mult_cycles"] - 1
    imiss = cost["imiss_cycles"] if cost["caches"] else 0
    lines_at = {pc for pc in prof if cost["caches"] and (pc - K.KSEG0_BASE) % cost["line_bytes"] == 0}
    for pc, (n, cy) in prof.items():
        # each instruction is charged its own cycles: its count, its own stall, its own I-cache miss
        expect = n + (iters * stall if pc == read else 0) + (imiss if pc in lines_at else 0)
        if pc == CODE_BASE + 4 * (words(src + HALT) - 1):
            expect += c["wb_stall_cycles"]                # the halt store (buffer is empty: 0)
        assert cy == expect, hex(pc)


def test_profile_charges_exception_entry_to_the_faulting_instruction():
    m = make("ideal")
    handler = "mfc0 $k0, $14; addiu $k0, $k0, 4; jr $k0; rfe"
    place(m, handler, K.VEC_GENERAL)
    load_program(m, "nop\nsys: syscall\nnop\n" + HALT)
    m.set_profile(True)
    m.run()
    prof = {pc: (n, cy) for pc, _, n, cy in m.profile()}
    assert prof[CODE_BASE + 4] == (1, m.cost["exc_entry_cycles"])
    assert prof[K.VEC_GENERAL] == (1, 1)
    assert sum(cy for _, cy in prof.values()) == m.counters()["cycles"]


# ---- the hazard checker -------------------------------------------------------------------------------

@pytest.mark.parametrize("src, at", [
    ("lw $t0, 0($a0); addu $t1, $t0, $t0", 1),
    ("lw $t0, 0($a0); addu $t1, $t2, $t2", None),           # independent
    ("lw $t0, 0($a0); nop; addu $t1, $t0, $t0", None),      # the delay slot filled
    ("lb $t0, 0($a0); sw $t0, 4($a0)", 1),                  # store data reads rt
    ("lw $t0, 0($a0); lw $t1, 0($t0)", 1),                  # address base
    ("lw $t0, 0($a0); beq $t0, $zero, out; nop; out: nop", 1),
    ("lw $t0, 0($a0); lui $t0, 1", None),                   # overwrites, does not read
    ("lwl $t0, 3($a0); lwr $t0, 0($a0)", None),             # the unaligned-load pair merges legally
    ("lwl $t0, 3($a0); lwr $t0, 0($a0); addu $t1, $t0, $zero", 2),
    ("lw $t0, 0($a0); lwr $t0, 0($a0)", 1),                 # only lwl/lwr after lwl/lwr is exempt
    ("mfc0 $t0, $12; addu $t1, $t0, $zero", 1),
    ("mfc0 $t0, $12; addu $t1, $zero, $zero", None),
])
def test_hazard_checker(src, at):
    m = make("ideal")
    m.set_hazard_check(True)
    base = CODE_BASE + 8
    load_program(m, "li $a0, 0x80002000\n" + src + "\n" + HALT)
    m.write_u32(0x2000, 0x80002100)                        # a valid address for `lw $t1, 0($t0)`
    m.run()
    total, hz = m.hazards()
    assert total == (0 if at is None else 1)
    if at is not None:
        w = assemble(src, base)
        assert hz[0].pc == base + 4 * at
        assert hz[0].insn == w[at] and hz[0].prev_insn == w[at - 1]
        assert "reads the register loaded by" in str(hz[0])


def test_hazard_checker_off_by_default_and_counts_every_occurrence():
    m = make("ideal")
    src = """
        li $a0, 0x80002000
        li $t3, 100
    loop:
        lw $t0, 0($a0)
        addu $t1, $t0, $t0
        addiu $t3, $t3, -1
        bne $t3, $zero, loop
        nop
    """
    load_program(m, src + HALT)
    m.run()
    assert m.hazards()[0] == 0
    m.set_hazard_check(True)
    m.pc = CODE_BASE
    m.run()
    total, hz = m.hazards()
    assert total == 100
    assert 0 < len(hz) <= 100 and all(h.pc == CODE_BASE + 20 for h in hz)
    # the checker only reports: it changes no count
    assert m.counters()["insns"] == 2 * (4 + 5 * 100 + words(HALT))


# ---- the 5000/200 memory system (dec5000_200; Chen & Bershad, Table 2-1) ---------------------------
# Page-mode writes, reads that pass queued writes, 4-byte D-cache lines with a 16-byte fill and
# write allocate; and uncached accesses against the write buffer.  Expectations come from the
# preset's parameters (or overrides of them), each derivation beside its assert.

PAGE = 4096


def warm_delta(m: Machine, body: str) -> dict:
    """Counters of the second run of body (the first warms the I-cache)."""
    load_program(m, body + "\n" + HALT)
    m.run()
    before = m.counters()
    m.pc = CODE_BASE
    m.run()
    return delta(before, m.counters())


def burst_stalls(n: int, depth: int, retire: int) -> tuple[int, int]:
    """(stalls, stall cycles) of n back-to-back writes that each retire `retire` cycles after
    the one before: write i (1-based) retires at t + retire*i, so write i > depth cannot enter
    before t + retire*(i - depth); unstalled it would issue at t + i - 1.  Once a write has
    stalled the later ones issue right behind it, so the stall cycles are the last gap."""
    gaps = [retire * (i - depth) - (i - 1) for i in range(depth + 1, n + 1)]
    return sum(g > 0 for g in gaps), max([0, *gaps])


def stores(offsets: list[int], op: str = "sw") -> str:
    """A drained buffer, then one store per offset from ARRAY_PA, back to back."""
    return f"""
        li $t0, {K.KSEG0_BASE + ARRAY_PA}
        {DRAIN.replace("@", "a")}
        {chr(10).join(f'{op} $t1, {o}($t0)' for o in offsets)}
        {DRAIN.replace("@", "b")}
    """


def test_dec5000_200_preset_is_table_2_1():
    c = presets()["dec5000_200"]
    assert (c["line_bytes"], c["dline_bytes"], c["dfill_bytes"], c["write_allocate"]) == (16, 4, 16, 1)
    assert (c["wb_depth"], c["wb_retire_cycles"], c["wb_page_retire_cycles"], c["wb_page_bytes"]) == (6, 5, 1, 4096)
    assert c["wb_read_priority"] == 1


@pytest.mark.parametrize("n", [6, 7, 32])
def test_page_mode_burst_to_one_page_never_stalls(n):
    m = make("dec5000_200")
    c = m.cost
    assert c["wb_page_retire_cycles"] == 1     # one write retires per cycle: as fast as they issue
    d = warm_delta(m, stores([4 * i for i in range(n)]))
    assert d["wb_stalls"] == d["wb_stall_cycles"] == 0
    assert d["cycles"] == d["insns"]


@pytest.mark.parametrize("n", [6, 7, 32])
def test_burst_alternating_pages_retires_every_write_in_the_non_page_time(n):
    m = make("dec5000_200")
    depth, retire = m.cost["wb_depth"], m.cost["wb_retire_cycles"]
    d = warm_delta(m, stores([(i % 2) * PAGE for i in range(n)]))
    assert (d["wb_stalls"], d["wb_stall_cycles"]) == burst_stalls(n, depth, retire)


@pytest.mark.parametrize("preset, page_retire", [("dec5000_200", 2), ("dec5000_200", 3), ("dec5000", 2)])
def test_page_mode_steady_state_costs_the_page_retire_time(preset, page_retire):
    def cycles(n, stride):
        m = Machine(preset, 1 << 20, overrides={"wb_page_retire_cycles": page_retire, "wb_page_bytes": PAGE})
        m.set_cp0(K.C0_STATUS, 0)
        return warm_delta(m, stores([(i * stride) % (2 * PAGE) for i in range(n)]))["cycles"]
    m = make(preset)
    assert cycles(41, 4) - cycles(40, 4) == page_retire                  # one page
    assert cycles(41, PAGE) - cycles(40, PAGE) == m.cost["wb_retire_cycles"]  # page after page


def test_no_page_mode_when_wb_page_bytes_is_zero():
    m = Machine("dec5000_200", 1 << 20, overrides={"wb_page_bytes": 0})
    m.set_cp0(K.C0_STATUS, 0)
    depth, retire, n = m.cost["wb_depth"], m.cost["wb_retire_cycles"], 20
    d = warm_delta(m, stores([4 * i for i in range(n)]))
    assert (d["wb_stalls"], d["wb_stall_cycles"]) == burst_stalls(n, depth, retire)


def test_uncached_stores_are_never_page_mode():
    m = make("dec5000_200")
    depth, retire, n = m.cost["wb_depth"], m.cost["wb_retire_cycles"], 12
    body = f"""
        {BOARD}
        {DRAIN.replace("@", "a")}
        {chr(10).join(f'sw $zero, {K.BOARD_IOASIC_IMSK}($k1)' for _ in range(n))}
        {DRAIN.replace("@", "b")}
    """
    d = warm_delta(m, body)
    assert (d["wb_stalls"], d["wb_stall_cycles"]) == burst_stalls(n, depth, retire)


# Two D-cache lines that miss on every run: each is evicted first by a load a D-cache size away.
X_PA = ARRAY_PA + 0x800


def read_behind_writes(k: int, second: bool) -> str:
    """k stores to alternating pages (each a non-page-mode write), then a load that misses
    right behind them, and (second) another load that misses right after it."""
    x, y = K.KSEG0_BASE + X_PA, K.KSEG0_BASE + X_PA + 16
    return f"""
        li $t6, {x}
        li $t7, {y}
        li $t8, {x + 65536}
        li $t9, {y + 65536}
        lw $t2, 0($t8)
        lw $t2, 0($t9)
        {stores([(i % 2) * PAGE for i in range(k)]).split(DRAIN.replace("@", "b"))[0]}
        lw $t3, 0($t6)
        {"lw $t3, 0($t7)" if second else ""}
        {DRAIN.replace("@", "c")}
    """


@pytest.mark.parametrize("k", [1, 3, 4])
@pytest.mark.parametrize("priority", [0, 1])
def test_read_miss_behind_writes(k, priority):
    m = Machine("dec5000_200", 1 << 20, overrides={"wb_read_priority": priority})
    m.set_cp0(K.C0_STATUS, 0)
    r = m.cost["wb_retire_cycles"]
    assert m.cost["dcache_bytes"] == 65536 and k < r
    d = warm_delta(m, read_behind_writes(k, second=False))
    # write j (1-based) is pushed at t + j - 1 and done at t + r*j; the load comes at t + k
    wait = r - k if priority else r * k - k     # the write under way / the whole buffer
    assert d["dcache_misses"] == 2            # X's evicter and X (Y's evicter stays cached)
    assert d["wb_stall_cycles"] == wait
    assert d["cycles"] == d["insns"] + 2 * m.cost["dmiss_cycles"] + wait


@pytest.mark.parametrize("priority", [0, 1])
def test_writes_queued_behind_a_read_wait_for_it(priority):
    m = Machine("dec5000_200", 1 << 20, overrides={"wb_read_priority": priority})
    m.set_cp0(K.C0_STATUS, 0)
    r, dm, k = m.cost["wb_retire_cycles"], m.cost["dmiss_cycles"], 3
    d = warm_delta(m, read_behind_writes(k, second=True))
    # priority: the first load waits r - k and ends at t + r + dm; writes 2.. were pushed back
    # by dm, so write 2 is done at t + 2r + dm and the second load (at t + r + dm + 1) waits
    # r - 1 for it.  Without priority the first load drains the buffer and the second waits 0.
    expect = (r - k) + (r - 1) if priority else r * k - k
    assert d["dcache_misses"] == 4
    assert d["wb_stall_cycles"] == expect


def test_read_miss_fills_the_aligned_sixteen_bytes_of_four_byte_lines():
    m = make("dec5000_200")
    c = m.cost
    x = K.KSEG0_BASE + X_PA
    body = f"""
        li $t8, {x + 65536}
        lw $t2, 0($t8)
        lw $t2, 16($t8)
        li $t6, {x}
        {chr(10).join(f'lw $t3, {o}($t6)' for o in range(0, 32, 4))}
    """
    d = warm_delta(m, body)
    # two evicting misses, then X's 32 bytes in two 16-byte fetches
    assert d["dcache_misses"] == 2 + 32 // c["dfill_bytes"]


@pytest.mark.parametrize("op, allocate, misses", [
    ("sw", 1, 1), ("sh", 1, 2), ("sb", 1, 2), ("swl", 1, 2), ("swr", 1, 2), ("sw", 0, 2)])
def test_write_allocate_of_a_whole_word_store(op, allocate, misses):
    m = Machine("dec5000_200", 1 << 20, overrides={"write_allocate": allocate})
    m.set_cp0(K.C0_STATUS, 0)
    assert m.cost["dline_bytes"] == 4
    x = K.KSEG0_BASE + X_PA
    off = 1 if op in ("swl", "swr") else 0
    body = f"""
        li $t8, {x + 65536}
        lw $t2, 0($t8)              # evicts X's line
        li $t6, {x}
        {DRAIN.replace("@", "a")}
        {op} $t1, {off}($t6)
        lw $t3, 0($t6)              # a hit only if the store allocated the line
    """
    d = warm_delta(m, body)
    assert d["dcache_misses"] == misses


def test_dec5000_word_store_does_not_allocate_a_sixteen_byte_line():
    m = make("dec5000")
    assert m.cost["write_allocate"] == 0 and m.cost["dline_bytes"] == 0
    run(m, f"""
        li $t0, {K.KSEG0_BASE + ARRAY_PA}
        sw $t1, 0($t0)
        lw $t2, 0($t0)
    """)
    assert m.counters()["dcache_misses"] == 1


@pytest.mark.parametrize("preset", ["dec5000", "dec5000_200"])
@pytest.mark.parametrize("k", [1, 3])
def test_uncached_read_behind_writes(preset, k):
    """The IOASIC mask read-back: on the 3MIN it waits for every queued write (reads do not
    pass writes: NetBSD flushes the buffer with this read), on the 5000/200 only for the
    write under way."""
    m = make(preset)
    c = m.cost
    r = c["wb_retire_cycles"]
    body = f"""
        {BOARD}
        {stores([(i % 2) * PAGE for i in range(k)]).split(DRAIN.replace("@", "b"))[0]}
        lw $t3, {K.BOARD_IOASIC_IMSK}($k1)
        {DRAIN.replace("@", "c")}
    """
    d = warm_delta(m, body)
    wait = r - k if c["wb_read_priority"] else r * k - k
    assert d["wb_stall_cycles"] == wait
    assert d["cycles"] == d["insns"] + wait + c["uncached_read_cycles"]


@pytest.mark.parametrize("bad", [{"dline_bytes": 6}, {"dline_bytes": 2}, {"dfill_bytes": 8, "dline_bytes": 16},
                                 {"dfill_bytes": 12}, {"wb_page_bytes": 100}, {"write_allocate": 2},
                                 {"wb_read_priority": 7}, {"dline_bytes": 1 << 20}])
def test_bad_memory_system_parameters_are_refused(bad):
    with pytest.raises(ValueError, match="cost parameters"):
        Machine("dec5000_200", 1 << 20, overrides=bad)
