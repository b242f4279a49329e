"""Emulator speed: guest instructions per second.

Compute-bound: the same ELF image (benchmarks/emulator_speed/workload.c, bare metal in
kseg0; kernels crc32, bubble, calls and "mixed", a CoreMark-class mix of our own) runs on
our emulator with the `ideal` and `dec5000` presets on the fast engine and on the
reference interpreter, on unicorn when the `unicorn` package is installed, and on GXemul
0.7.0 when the `gxemul` binary is (see run_gxemul).  Each run executes ~10^8 guest
instructions and checks the guest's answer against the same computation in Python.

Kernel-heavy: the experiments' own guests with a large n, on both kernels with their
timer interrupts on - null system calls, exceptions dispatched to a user handler and
TLB misses served by ExOS's page table - on our emulator's two engines.

Every (engine, workload) pair is timed once per round and the rounds are interleaved, so
that the load of a shared host spreads over all of them; the table reports guest
MIPS = instructions / median time.  The time is the CPU time of the process that emulates
(ours and unicorn in this process, time.process_time(); GXemul's from its rusage), so
that time the host gives to other processes counts for no engine.  pyperf times the fast
engine on "mixed" as well.
"""
from __future__ import annotations

import functools
import json
import os
import pty
import re
import resource
import select
import shutil
import statistics
import subprocess
import tempfile
import time
import zlib
from pathlib import Path

import pyperf

from exobench import constants as K
from exobench import harness, systems, toolchain
from exobench.machine import Machine
from exobench.paths import tree

DESCRIPTION = "guest instructions per second of the emulator (ideal, dec5000; fast and reference engines), unicorn, GXemul"
QUICK = False       # --quick-ops: a tenth of the work and two rounds (set by main())
# (kernel id, repetitions giving ~1e8 instructions)
KERNELS = {"crc32": (0, 140), "bubble": (1, 17), "calls": (2, 390), "mixed": (3, 2500)}
PRESETS = ("ideal", "dec5000")
# (name, experiment directory, program, extra sources, params, system, n): ~5e7 instructions
# each, so that a run lasts a few tenths of a second even on the fast engine
KERNEL_WORKLOADS = [
    ("syscall/aegis", "base_costs", "base.c", (), {"op": 1}, "aegis", 1_250_000),
    ("syscall/baseline", "base_costs", "base.c", (), {"op": 1}, "baseline", 200_000),
    ("exception/aegis", "exceptions", "exc.c", ("fast_handler.S",), {"kind": 1, "fast": 0}, "aegis", 300_000),
    ("exception/baseline", "exceptions", "exc.c", ("fast_handler.S",), {"kind": 1, "fast": 0}, "baseline", 40_000),
    ("tlb miss/aegis", "extensible_vm", "sparse.c", (), {"pages": 12}, "aegis", 75_000),
]
ROUNDS = 9          # interleaved rounds of every engine on every workload (2 quick)
GOAL_MIPS = 150                             # issue 2's goal for the ideal preset
GOALS = {"dec5000": 2.5, "ideal": 3.0}      # issue 14: x GXemul 0.7.0 on "mixed"
KERNEL_GOAL = 2.0                           # issue 14: x the reference on kernel-heavy work


def reps(kernel: str) -> int:
    n = KERNELS[kernel][1]
    return max(1, n // 10) if QUICK else n


@functools.lru_cache(maxsize=None)
def image() -> toolchain.Image:
    here = tree("benchmarks") / "emulator_speed"
    bare = tree("benchmarks") / "bare"
    BARE_LIBS = [tree("guestlib") / "libc.c", tree("guestlib") / "libgcc.c"]
    return toolchain.build_image(
        "emulator_speed",
        [bare / "crt0.S", here / "workload.c", bare / "libguest.c", *BARE_LIBS],
        bare / "link.ld", include_dirs=[bare])


# ---- the same computations in Python, to validate every run ------------------------

def _lcg_bytes() -> bytes:
    out, x = bytearray(65536), 1
    for i in range(65536):
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        out[i] = x >> 24
    return bytes(out)


@functools.lru_cache(maxsize=None)
def expected(kernel: str, n: int) -> int:
    if kernel == "crc32":
        buf, crc = _lcg_bytes(), 0
        for _ in range(n):
            crc = zlib.crc32(buf, crc)
        return crc
    if kernel == "bubble":
        x, total = 7, 0
        for _ in range(n):
            vals = []
            for _ in range(1024):
                x = (x * 1664525 + 1013904223) & 0xFFFFFFFF
                vals.append(x - (1 << 32) if x & 0x80000000 else x)
            for v in sorted(vals):
                total = (total * 31 + (v & 0xFFFFFFFF)) & 0xFFFFFFFF
        return total
    if kernel == "calls":
        M = 0xFFFFFFFF

        def mix(a, b):
            return ((a ^ ((b << 3) & M)) + (a >> 5) + b) & M
        table = (mix, lambda a, b: (a * 33 + b) & M, lambda a, b: ((a - b) & M) ^ 0x9E3779B9, mix)
        acc = 1
        for _ in range(n):
            for i in range(10000):
                acc = mix(acc, i)
                acc = table[i & 3](acc, i)
            acc = (acc + 144) & M       # fib(12)
        return acc
    if kernel == "mixed":
        per_seed = [_mixed_iter(seed) for seed in range(8)]
        total = 0
        for r in range(n):
            total = _crc16_u16(per_seed[r & 7], total)
        return total
    raise ValueError(kernel)


def _crc16_byte(b: int, crc: int) -> int:
    for _ in range(8):
        x = (crc ^ b) & 1
        crc >>= 1
        b >>= 1
        if x:
            crc ^= 0xA001
    return crc


def _crc16_u16(v: int, crc: int) -> int:
    return _crc16_byte((v >> 8) & 0xFF, _crc16_byte(v & 0xFF, crc))


def _mixed_iter(seed: int) -> int:
    """One iteration of workload.c's mixed kernel: mx_list, mx_matrix, mx_state."""
    M = 0xFFFFFFFF
    # list: build, reverse, drop values that are 3 mod 8, stable sort by value
    x, nodes = (seed * 2654435761 + 1) & M, []
    for i in range(96):
        x = (x * 1103515245 + 12345) & M
        nodes.append((((x >> 16) & 0x3FF) - 512, i))
    nodes.reverse()
    kept = [nd for nd in nodes if nd[0] & 7 != 3]
    crc = _crc16_u16(len(nodes) - len(kept), 0)
    for val, idx in sorted(kept, key=lambda nd: nd[0]):
        crc = _crc16_u16((val & M) ^ (idx << 10), crc)
    # matrix
    N, x = 12, (seed + 99) & M
    a, b = [[0] * N for _ in range(N)], [[0] * N for _ in range(N)]
    for i in range(N):
        for j in range(N):
            x = (x * 1664525 + 1013904223) & M
            a[i][j] = (x >> 23) - 256
            b[i][j] = ((x >> 7) & 0x1FF) - 256
    c = [[sum(a[i][k] * b[k][j] for k in range(N)) for j in range(N)] for i in range(N)]
    for i in range(N):
        for j in range(N):
            a[i][j] += seed
            c[i][j] += a[i][j] * 3
    cur = prev = ret = 0
    for i in range(N):
        for j in range(N):
            t = c[i][j]
            cur += t
            if cur > 400000:
                ret, cur = ret + 10, 0
            else:
                ret += t > prev
            prev = t
    crc = _crc16_u16(ret & M, crc)
    crc = _crc16_u16((c[seed % N][(seed * 5) % N] & M) >> 4, crc)
    # state machine
    alphabet = "0123456789012345678+-..eE,,,,x12"
    x, text = (seed * 7 + 3) & M, []
    for _ in range(160):
        x = (x * 1103515245 + 12345) & M
        text.append(alphabet[(x >> 24) & 31])
    final, transitions = [0] * 9, 0
    START, SIGN, INT, POINT, FRAC, EXP, EXPSIGN, EXPINT, INVALID = range(9)

    def scan(t):
        nonlocal transitions
        st = START
        for c in [*t, ","]:
            if c == ",":
                final[st] += 1
                st = START
                continue
            digit, sign, e = c.isdigit(), c in "+-", c in "eE"
            nx = {START: INT if digit else SIGN if sign else POINT if c == "." else INVALID,
                  SIGN: INT if digit else POINT if c == "." else INVALID,
                  INT: INT if digit else POINT if c == "." else EXP if e else INVALID,
                  POINT: FRAC if digit else INVALID,
                  FRAC: FRAC if digit else EXP if e else INVALID,
                  EXP: EXPINT if digit else EXPSIGN if sign else INVALID,
                  EXPSIGN: EXPINT if digit else INVALID,
                  EXPINT: EXPINT if digit else INVALID}.get(st, INVALID)
            transitions += nx != st
            st = nx
    scan(text)
    for i in range(5, 160, 11):
        text[i] = "5"
    scan(text)
    for f in final:
        crc = _crc16_u16(f, crc)
    return _crc16_u16(transitions, crc)


# ---- one run on each engine ---------------------------------------------------------

def run_machine(preset: str, kernel: str, engine: str = "fast") -> tuple[float, int]:
    """Boot and run the workload once; returns (CPU seconds of run(), guest instructions)."""
    m = Machine(preset, 8 << 20, engine=engine)
    m.boot(image().path, params={"kernel": KERNELS[kernel][0], "reps": reps(kernel)})
    t0 = time.process_time()
    m.run(10**10)
    dt = time.process_time() - t0
    results = dict(m.results())
    want = expected(kernel, reps(kernel))
    if results.get("result") != want:
        raise RuntimeError(f"{kernel} on {preset}/{engine}: guest computed {results.get('result')!r}, expected {want:#x}")
    return dt, m.counters()["insns"]


@functools.lru_cache(maxsize=None)
def guest_insns(kernel: str, n: int | None = None) -> int:
    m = Machine("ideal", 8 << 20)
    m.boot(image().path, params={"kernel": KERNELS[kernel][0], "reps": reps(kernel) if n is None else n})
    m.run(10**10)
    return m.counters()["insns"]


def run_unicorn(kernel: str) -> float:
    """The same image on unicorn.  Unicorn translates kseg0/kseg1 itself, so RAM is mapped at
    physical 0 and the board page at its physical address, as plain memory; the run ends at
    crt0's `_halt` loop and the result is read back from the board page."""
    from unicorn import Uc, UC_ARCH_MIPS, UC_MODE_MIPS32, UC_MODE_LITTLE_ENDIAN
    from unicorn.mips_const import UC_MIPS_REG_A0, UC_MIPS_REG_A1
    from exobench import elf

    img = elf.load(image().path)
    m = Machine("ideal", 8 << 20)
    layout = m.boot(img, params={"kernel": KERNELS[kernel][0], "reps": reps(kernel)})
    ram = m.read_phys(0, layout.free_paddr)
    uc = Uc(UC_ARCH_MIPS, UC_MODE_MIPS32 + UC_MODE_LITTLE_ENDIAN)
    uc.mem_map(0, 8 << 20)
    uc.mem_write(0, ram)
    uc.mem_map(K.BOARD_PADDR, K.BOARD_SIZE)
    uc.reg_write(UC_MIPS_REG_A0, K.KSEG0_BASE + layout.bootinfo_paddr)
    uc.reg_write(UC_MIPS_REG_A1, K.BOOTINFO_MAGIC)
    halt = img.symbols["_halt"]
    t0 = time.process_time()
    uc.emu_start(img.entry, halt)
    dt = time.process_time() - t0
    got = int.from_bytes(uc.mem_read(K.BOARD_PADDR + K.BOARD_RESULT_VALUE, 4), "little")
    want = expected(kernel, reps(kernel))
    if got != want:
        raise RuntimeError(f"{kernel} on unicorn: guest computed {got:#x}, expected {want:#x}")
    return dt


# ---- GXemul --------------------------------------------------------------------------

def _gxemul_once(kernel: str, n: int) -> tuple[float, int]:
    """The same ELF on GXemul 0.7.0's MIPS test machine with an R3000 (`-E testmips -C R3000`;
    its DECstation modes want a PROM-booted kernel, and our board is not there anyway).
    GXemul loads the ELF itself; beside it go the boot-info page our loader would have
    written (same bytes, same address) and a 6-instruction shim that sets a0/a1 as
    board.h says and jumps to the ELF's entry.  A breakpoint on libguest's result()
    stops the run: GXemul's debugger prints the registers, and a1 is the guest's answer.
    Returns (GXemul's CPU seconds, user and system, from its rusage, the answer): it sleeps
    at the breakpoint's prompt, so that is its run up to the breakpoint."""
    from exobench import elf
    img = elf.load(image().path)
    m = Machine("ideal", 8 << 20)
    layout = m.boot(img, params={"kernel": KERNELS[kernel][0], "reps": n})
    binfo_va = K.KSEG0_BASE + layout.bootinfo_paddr
    shim_va = K.KSEG0_BASE + layout.free_paddr
    shim = [0x3C040000 | binfo_va >> 16, 0x34840000 | binfo_va & 0xFFFF,                   # li a0, bootinfo
            0x3C050000 | K.BOOTINFO_MAGIC >> 16, 0x34A50000 | K.BOOTINFO_MAGIC & 0xFFFF,   # li a1, magic
            0x08000000 | (img.entry >> 2) & 0x03FFFFFF, 0]                                 # j entry; nop
    with tempfile.TemporaryDirectory() as tmp:
        binfo, shim_bin = Path(tmp) / "bootinfo.bin", Path(tmp) / "shim.bin"
        binfo.write_bytes(m.read_phys(layout.bootinfo_paddr, K.BOOTINFO_SIZE))
        shim_bin.write_bytes(b"".join(w.to_bytes(4, "little") for w in shim))
        cmd = ["gxemul", "-q", "-E", "testmips", "-C", "R3000", "-M", "16",
               "-p", hex(img.symbols["result"]), f"{binfo_va:#x}:{binfo}", str(image().path),
               f"{shim_va:#x}:0:{shim_va:#x}:{shim_bin}"]
        # GXemul's debugger talks to a terminal only: give it a pty.
        master, slave = pty.openpty()
        cpu0 = _children_cpu()
        p = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
        os.close(slave)
        out, stopped = b"", False
        try:
            while True:
                ready, _, _ = select.select([master], [], [], 600)
                if not ready:
                    raise RuntimeError(f"GXemul: no breakpoint after 600 s; output: {out[-500:]!r}")
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
                if not stopped and b"GXemul>" in out:
                    stopped = True
                    os.write(master, b"reg\r")
                    time.sleep(0.1)
                    os.write(master, b"quit\r")
        finally:
            p.wait(timeout=30)
            os.close(master)
    got = re.search(rb"a1 = ([0-9a-f]{8})", out)
    if not stopped or not got:
        raise RuntimeError(f"GXemul did not reach result(): {out[-800:]!r}")
    return _children_cpu() - cpu0, int(got.group(1), 16)


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's children that have been waited for."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_gxemul(kernel: str) -> tuple[float, int]:
    """(CPU seconds, guest instructions) of the workload on GXemul, without GXemul's start-up:
    the difference between a run with reps and one with none (same set-up work)."""
    dt, got = _gxemul_once(kernel, reps(kernel))
    want = expected(kernel, reps(kernel))
    if got != want:
        raise RuntimeError(f"{kernel} on GXemul: guest computed {got:#x}, expected {want:#x}")
    dt0, _ = _gxemul_once(kernel, 0)
    return dt - dt0, guest_insns(kernel) - guest_insns(kernel, 0)


# ---- kernel-heavy: the experiments' guests -------------------------------------------

def _kernel_images(directory: str, program: str, extra: tuple, system_name: str):
    """Built as exobench.experiment builds an experiment's program."""
    system = systems.get(system_name)
    d = tree("benchmarks") / directory
    name = "_".join([d.name, Path(program).stem, *(Path(e).stem for e in extra), system.name])
    img = system.program(name, [d / program, *(d / e for e in extra)],
                         include_dirs=[tree("benchmarks") / "include"],
                         defines={f"EXOBENCH_SYSTEM_{system.name.upper()}": 1})
    return system, [(Path(program).stem, img)]


def kernel_n(n: int) -> int:
    return max(1, n // 10) if QUICK else n


def run_kernel_workload(name: str, preset: str, engine: str) -> tuple[float, int]:
    _, directory, program, extra, params, system_name, n = next(w for w in KERNEL_WORKLOADS if w[0] == name)
    system, mods = _kernel_images(directory, program, extra, system_name)
    m = Machine(preset, 32 << 20, engine=engine)
    system.boot(m, mods, params={**params, "n": kernel_n(n)})
    t0 = time.process_time()
    m.run(10**10)
    dt = time.process_time() - t0
    results = dict(m.results())
    if results.get("valid") != 1:
        raise RuntimeError(f"{name} on {preset}/{engine}: the guest did not validate: {results}")
    return dt, m.counters()["insns"]


# ---- the interleaved rounds ----------------------------------------------------------

def engines() -> list[str]:
    out = [*PRESETS, *(f"{p} reference" for p in PRESETS)]
    try:
        import unicorn  # noqa: F401
        out.append("unicorn")
    except ImportError:
        pass
    if shutil.which("gxemul"):
        out.append("gxemul")
    return out


def _one(engine: str, workload: str) -> tuple[float, int] | None:
    """One timed run; None when the engine cannot run the workload."""
    preset, _, ref = engine.partition(" ")
    if workload in KERNELS:
        if engine == "unicorn":
            return run_unicorn(workload), guest_insns(workload)
        if engine == "gxemul":
            return run_gxemul(workload)
        return run_machine(preset, workload, "reference" if ref else "fast")
    if engine in ("unicorn", "gxemul"):
        return None
    return run_kernel_workload(workload, preset, "reference" if ref else "fast")


def measure_all(rounds: int) -> dict:
    """{workload: {engine: {"insns": n, "seconds": [one per round]}}}, rounds interleaved."""
    workloads = [*KERNELS, *(w[0] for w in KERNEL_WORKLOADS)]
    out: dict = {w: {} for w in workloads}
    for _ in range(rounds):
        for w in workloads:
            for e in engines():
                r = _one(e, w)
                if r is not None:
                    cell = out[w].setdefault(e, {"insns": r[1], "seconds": []})
                    cell["seconds"].append(r[0])
    return out


def images() -> dict[str, str]:
    """The guest images this experiment runs, by content hash (exobench.freshness)."""
    return {"emulator_speed": image().hash}


def main() -> None:
    global QUICK, ROUNDS
    runner, args = harness.runner()
    QUICK = args.quick_ops
    ROUNDS = 2 if QUICK else ROUNDS
    runner.metadata["exobench_toolchain"] = toolchain.toolchain_version()
    runner.metadata["exobench_images"] = json.dumps(images(), sort_keys=True)
    speed = None if args.worker else measure_all(ROUNDS)
    names = [f"{p}/mixed" for p in PRESETS]
    for name in names:
        preset = name.split("/")[0]
        runner.bench_time_func(name, lambda loops, p=preset: sum(run_machine(p, "mixed")[0] for _ in range(loops)))
    if not args.worker and args.output:
        suite = pyperf.BenchmarkSuite.load(args.output)
        for b in suite.get_benchmarks():
            b.update_metadata({"exobench_speed": json.dumps(speed), "exobench_rounds": ROUNDS,
                               "exobench_speed_clock": "cpu",
                               "guest_insns_mixed": guest_insns("mixed")})
        suite.dump(args.output, replace=True)


def figures(suite: pyperf.BenchmarkSuite, outdir) -> list:
    """Guest MIPS per workload and engine (linear axis)."""
    from exobench import figures as fig
    benches = suite.get_benchmarks()
    speed = json.loads(benches[0].get_metadata().get("exobench_speed", "{}")) if benches else {}
    if not speed:
        return []
    workloads = list(speed)
    engines_seen = [e for e in (*PRESETS, *(f"{p} reference" for p in PRESETS), "unicorn", "gxemul")
                    if any(e in speed[w] for w in workloads)]
    series = {e: [_mips(speed[w].get(e)) for w in workloads] for e in engines_seen}
    p = fig.grouped("Emulator speed (median of interleaved rounds)", workloads, series,
                    "million guest instructions per second", outdir, "emulator_speed", log=False)
    return [p] if p else []


# ---- the table -----------------------------------------------------------------------

def _mips(cell: dict | None) -> float | None:
    return cell["insns"] / statistics.median(cell["seconds"]) / 1e6 if cell else None


def render(suite: pyperf.BenchmarkSuite, fmt: str = "md") -> str:
    benches = suite.get_benchmarks()
    meta = benches[0].get_metadata() if benches else {}
    speed = json.loads(meta.get("exobench_speed", "{}"))
    if not speed:       # a suite without the interleaved rounds: its pyperf benchmarks, engine/kernel
        for b in benches:
            engine, _, kernel = b.get_name().partition("/")
            n = b.get_metadata().get(f"guest_insns_{kernel}")
            if n:
                speed.setdefault(kernel, {})[engine] = {"insns": n, "seconds": list(b.get_values())}
    seen = {e for cells in speed.values() for e in cells}
    order = [e for e in (*PRESETS, *(f"{p} reference" for p in PRESETS), "unicorn", "gxemul") if e in seen]
    if fmt == "csv":
        lines = ["workload,engine,guest_insns,median_s,guest_mips"]
        for w, cells in speed.items():
            for e in order:
                if e in cells:
                    c = cells[e]
                    lines.append(f"{w},{e},{c['insns']},{statistics.median(c['seconds']):.6f},{_mips(c):.1f}")
        return "\n".join(lines) + "\n"

    def cell(c):
        if not c:
            return "n/a"
        lo, hi = c["insns"] / max(c["seconds"]) / 1e6, c["insns"] / min(c["seconds"]) / 1e6
        return f"{_mips(c):.0f} [{lo:.0f}-{hi:.0f}]"

    def table(workloads, engs):
        rows = ["| engine | " + " | ".join(workloads) + " |", "|" + "---|" * (len(workloads) + 1)]
        for e in engs:
            rows.append(f"| {e} | " + " | ".join(cell(speed[w].get(e)) for w in workloads) + " |")
        return rows

    def ratio(w, a, b):
        x, y = _mips(speed[w].get(a)), _mips(speed[w].get(b))
        return f"{x / y:.2f}×" if x and y else "n/a"

    compute = [w for w in KERNELS if w in speed]
    kernel = [w[0] for w in KERNEL_WORKLOADS if w[0] in speed]
    lines = ["# Emulator speed", "",
             f"Million guest instructions per second: median of {meta.get('exobench_rounds', '?')} interleaved "
             "rounds (every engine and workload once per round), [slowest-fastest] in brackets; "
             + ("time is the CPU time of the emulating process (GXemul's from its rusage), so time the host "
                "gives other processes counts for none. " if meta.get("exobench_speed_clock") == "cpu"
                else "time is wall-clock time. ") +
             "`ideal`/`dec5000`: the fast engine; `reference`: the plain interpreter it replaced (identical "
             "counters, tests/test_engine_identity.py).", "",
             "## Compute-bound (bare-metal ELF, ~10^8 instructions per run, validated against Python)", "",
             *table(compute, order), "",
             "| ratio | " + " | ".join(compute) + " |", "|" + "---|" * (len(compute) + 1)]
    for p in PRESETS:
        lines.append(f"| {p}: fast / reference | " + " | ".join(ratio(w, p, f"{p} reference") for w in compute) + " |")
    if "gxemul" in order:
        for p in PRESETS:
            lines.append(f"| {p}: fast / GXemul | " + " | ".join(ratio(w, p, "gxemul") for w in compute) + " |")
    if kernel:
        lines += ["", "## Kernel-heavy (experiment guests on both kernels, timer interrupts on, large n)", "",
                  *table(kernel, [e for e in order if e not in ("unicorn", "gxemul")]), "",
                  "| ratio | " + " | ".join(kernel) + " |", "|" + "---|" * (len(kernel) + 1)]
        for p in PRESETS:
            lines.append(f"| {p}: fast / reference | " + " | ".join(ratio(w, p, f"{p} reference") for w in kernel) + " |")
    lines += ["", "Guest instructions per run: " + ", ".join(
        f"{w} {next(iter(speed[w].values()))['insns']:,}" for w in [*compute, *kernel] if speed[w]) + ".",
        f"Toolchain: {meta.get('exobench_toolchain', '?')}. Host: {meta.get('cpu_model_name', '?')}, "
        f"Python {meta.get('python_version', '?')}."]
    ideal = [_mips(speed[w].get("ideal")) for w in compute if speed[w].get("ideal")]
    if ideal:
        lines.append(f"Goal (issue 2): >= {GOAL_MIPS} M guest insn/s with `ideal` on every kernel: "
                     f"{'met' if min(ideal) >= GOAL_MIPS else 'NOT met'} (slowest {min(ideal):.0f}).")
    if "gxemul" in order:
        lines.append("GXemul 0.7.0 (`-E testmips -C R3000`, dynamic translation) runs the same ELF; its time "
                     "excludes start-up (a run without repetitions is subtracted), see run_gxemul().")
        for p, goal in GOALS.items():
            x = _mips(speed["mixed"].get(p)) if "mixed" in speed else None
            g = _mips(speed["mixed"].get("gxemul")) if "mixed" in speed else None
            if x and g:
                lines.append(f"Goal (issue 14): `{p}` >= {goal}× GXemul on mixed: "
                             f"{'met' if x / g >= goal else 'NOT met'} ({x / g:.2f}×).")
    if kernel:
        worst = min((_mips(speed[w].get(p)) or 0) / (_mips(speed[w].get(f"{p} reference")) or 1)
                    for w in kernel for p in PRESETS)
        lines.append(f"Goal (issue 14): kernel-heavy >= {KERNEL_GOAL}× the reference engine: "
                     f"{'met' if worst >= KERNEL_GOAL else 'NOT met'} (slowest {worst:.2f}×).")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
