"""Emulator speed: guest instructions per second on a compute-bound guest.

The same ELF image (benchmarks/emulator_speed/workload.c, bare metal in kseg0) runs on
our emulator with the `ideal` and `dec5000` presets and, when the `unicorn` package is
installed, on unicorn in the same run.  Each run executes ~10^8 guest instructions and
checks the guest's answer against the same computation in Python; pyperf measures host
time per run, and the table reports guest MIPS = instructions / median time.
"""
from __future__ import annotations

import functools
import json
import time
import zlib

import pyperf

from exobench import harness, toolchain
from exobench.machine import Machine
from exobench.paths import tree

DESCRIPTION = "guest instructions per second of the emulator (ideal, dec5000) and unicorn"
QUICK = False       # --quick-ops: a tenth of the repetitions (set by main())
# (kernel id, repetitions giving ~1e8 instructions)
KERNELS = {"crc32": (0, 140), "bubble": (1, 17), "calls": (2, 390)}
PRESETS = ("ideal", "dec5000")
GOAL_MIPS = 150     # issue 2's goal for the ideal preset


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


def images() -> dict[str, str]:
    """The guest images this experiment runs, by content hash (exobench.freshness)."""
    return {"emulator_speed": image().hash}


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
    raise ValueError(kernel)


# ---- one run on each engine ---------------------------------------------------------

def run_machine(preset: str, kernel: str) -> tuple[float, int]:
    """Boot and run the workload once; returns (host seconds of run(), guest instructions)."""
    m = Machine(preset, 8 << 20)
    m.boot(image().path, params={"kernel": KERNELS[kernel][0], "reps": reps(kernel)})
    t0 = time.perf_counter()
    m.run(10**10)
    dt = time.perf_counter() - t0
    results = dict(m.results())
    want = expected(kernel, reps(kernel))
    if results.get("result") != want:
        raise RuntimeError(f"{kernel} on {preset}: guest computed {results.get('result')!r}, expected {want:#x}")
    return dt, m.counters()["insns"]


@functools.lru_cache(maxsize=None)
def guest_insns(kernel: str) -> int:
    return run_machine("ideal", kernel)[1]


def run_unicorn(kernel: str) -> float:
    """The same image on unicorn.  Unicorn translates kseg0/kseg1 itself, so RAM is mapped at
    physical 0 and the board page at its physical address, as plain memory; the run ends at
    crt0's `_halt` loop and the result is read back from the board page."""
    from unicorn import Uc, UC_ARCH_MIPS, UC_MODE_MIPS32, UC_MODE_LITTLE_ENDIAN
    from unicorn.mips_const import UC_MIPS_REG_A0, UC_MIPS_REG_A1
    from exobench import constants as K
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
    t0 = time.perf_counter()
    uc.emu_start(img.entry, halt)
    dt = time.perf_counter() - t0
    got = int.from_bytes(uc.mem_read(K.BOARD_PADDR + K.BOARD_RESULT_VALUE, 4), "little")
    want = expected(kernel, reps(kernel))
    if got != want:
        raise RuntimeError(f"{kernel} on unicorn: guest computed {got:#x}, expected {want:#x}")
    return dt


def _timer(engine: str, kernel: str):
    def time_func(loops: int) -> float:
        total = 0.0
        for _ in range(loops):
            total += run_unicorn(kernel) if engine == "unicorn" else run_machine(engine, kernel)[0]
        return total
    return time_func


def engines() -> list[str]:
    try:
        import unicorn  # noqa: F401
        return [*PRESETS, "unicorn"]
    except ImportError:
        return list(PRESETS)


def main() -> None:
    global QUICK
    runner, args = harness.runner()
    QUICK = args.quick_ops
    runner.metadata["exobench_toolchain"] = toolchain.toolchain_version()
    runner.metadata["exobench_images"] = json.dumps(images(), sort_keys=True)
    for kernel in KERNELS:
        runner.metadata[f"guest_insns_{kernel}"] = guest_insns(kernel)
    for engine in engines():
        for kernel in KERNELS:
            runner.bench_time_func(f"{engine}/{kernel}", _timer(engine, kernel))


def render(suite: pyperf.BenchmarkSuite, fmt: str = "md") -> str:
    if fmt == "csv":
        lines = ["engine,kernel,guest_insns,median_s,guest_mips"]
        for b in suite.get_benchmarks():
            engine, kernel = b.get_name().split("/")
            n = b.get_metadata().get(f"guest_insns_{kernel}", 0)
            lines.append(f"{engine},{kernel},{n},{b.median():.6f},{n / b.median() / 1e6:.1f}")
        return "\n".join(lines) + "\n"
    rows, ideal = [], []
    benches = {b.get_name(): b for b in suite.get_benchmarks()}
    meta = next(iter(benches.values())).get_metadata() if benches else {}
    seen = {n.split("/")[0] for n in benches}
    engines_seen = [e for e in (*PRESETS, "unicorn") if e in seen]
    header = "| engine | " + " | ".join(f"{k} (M guest insn/s)" for k in KERNELS) + " |"
    lines = ["# Emulator speed", "",
             "Guest instructions per second on a compute-bound bare-metal guest (~10^8 instructions per run, "
             "validated against Python). Median of the pyperf values; [min-max] in brackets.", "",
             header, "|" + "---|" * (len(KERNELS) + 1)]
    for engine in engines_seen:
        cells = []
        for kernel in KERNELS:
            b = benches.get(f"{engine}/{kernel}")
            n = meta.get(f"guest_insns_{kernel}")
            if b is None or not n:
                cells.append("n/a")
                continue
            vals = b.get_values()
            med = n / b.median() / 1e6
            cells.append(f"{med:.0f} [{n / max(vals) / 1e6:.0f}-{n / min(vals) / 1e6:.0f}]")
            if engine == "ideal":
                ideal.append(med)
        rows.append(f"| {engine} | " + " | ".join(cells) + " |")
    lines += rows
    lines += ["", f"Guest instructions per run: " + ", ".join(
        f"{k} {meta.get(f'guest_insns_{k}', 0):,}" for k in KERNELS) + ".",
        f"Toolchain: {meta.get('exobench_toolchain', '?')}. Host: {meta.get('cpu_model_name', '?')}, "
        f"Python {meta.get('python_version', '?')}."]
    if ideal:
        verdict = "met" if min(ideal) >= GOAL_MIPS else "NOT met"
        lines.append(f"Goal (issue 2): >= {GOAL_MIPS} M guest insn/s with `ideal` on every kernel: "
                     f"{verdict} (slowest {min(ideal):.0f}).")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
