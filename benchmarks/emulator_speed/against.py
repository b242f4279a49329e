"""Speed of this tree's emulator against another tree's (e.g. the engine before issue 14),
and against GXemul, interleaved in one run.

    python benchmarks/emulator_speed/against.py OTHER_TREE [ROUNDS]

OTHER_TREE is a checkout with its extension built (`python -m exobench._build` there).  Every
run happens in a fresh subprocess whose PYTHONPATH is the tree under test (this one or
OTHER_TREE), timing only machine.run(); the (engine, workload) pairs are interleaved round by
round and the medians printed as M guest insn/s.  The workloads are bench.py's: the "mixed"
compute kernel and the kernel-heavy guests.  Not part of `exobench run`.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
THIS_TREE = HERE.parent.parent

WORKER = r'''
import json, sys, time
from pathlib import Path
from exobench.machine import Machine
from exobench.paths import tree
spec = json.loads(sys.argv[1])
if spec["kind"] == "compute":
    m = Machine(spec["preset"], 8 << 20)
    m.boot(spec["elf"], params=spec["params"])
else:
    from exobench import systems
    system = systems.get(spec["system"])
    d = tree("benchmarks") / spec["directory"]
    name = "_".join([d.name, Path(spec["program"]).stem, *(Path(e).stem for e in spec["extra"]), system.name])
    img = system.program(name, [d / spec["program"], *(d / e for e in spec["extra"])],
                         include_dirs=[tree("benchmarks") / "include"],
                         defines={f"EXOBENCH_SYSTEM_{system.name.upper()}": 1})
    m = Machine(spec["preset"], 32 << 20)
    system.boot(m, [(Path(spec["program"]).stem, img)], params=spec["params"])
t0 = time.perf_counter()
m.run(10**10)
dt = time.perf_counter() - t0
c = m.counters()
print(json.dumps({"seconds": dt, "insns": c["insns"], "cycles": c["cycles"], "results": dict(m.results())}))
'''


def run_in(tree: Path, spec: dict) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))
    out = subprocess.run([sys.executable, "-c", WORKER, json.dumps(spec)], env=env, cwd=tree,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    other = Path(sys.argv[1]).resolve()
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    sys.path.insert(0, str(HERE))
    import bench
    kernel, reps = "mixed", bench.reps("mixed")
    specs = {}
    for preset in bench.PRESETS:
        specs[("mixed", preset)] = {"kind": "compute", "preset": preset, "elf": str(bench.image().path),
                                    "params": {"kernel": bench.KERNELS[kernel][0], "reps": reps}}
        for name, directory, program, extra, params, system, n in bench.KERNEL_WORKLOADS:
            specs[(name, preset)] = {"kind": "kernel", "preset": preset, "directory": directory,
                                     "program": program, "extra": list(extra), "system": system,
                                     "params": {**params, "n": bench.kernel_n(n)}}
    trees = {"this": THIS_TREE, "other": other}
    res: dict = {}
    for _ in range(rounds):
        for key, spec in specs.items():
            seen = {}
            for label, tree in trees.items():
                r = run_in(tree, spec)
                seen[label] = r
                res.setdefault(key + (label,), []).append(r["insns"] / r["seconds"] / 1e6)
            a, b = seen["this"], seen["other"]
            assert (a["insns"], a["cycles"], a["results"]) == (b["insns"], b["cycles"], b["results"]), (key, a, b)
        if bench.shutil.which("gxemul"):
            dt, n = bench.run_gxemul("mixed")
            res.setdefault(("mixed", "gxemul", ""), []).append(n / dt / 1e6)
    med = {k: statistics.median(v) for k, v in res.items()}
    g = med.get(("mixed", "gxemul", ""))
    print(f"{'workload':22} {'preset':8} {'this':>7} {'other':>7} {'this/other':>10}" + ("  this/GXemul" if g else ""))
    for (w, preset) in specs:
        t, o = med[(w, preset, "this")], med[(w, preset, "other")]
        extra = f"  {t / g:10.2f}" if g and w == "mixed" else ""
        print(f"{w:22} {preset:8} {t:7.0f} {o:7.0f} {t / o:10.2f}{extra}")
    if g:
        print(f"GXemul 0.7.0 on mixed: {g:.0f} M insn/s (median of {rounds})")


if __name__ == "__main__":
    main()
