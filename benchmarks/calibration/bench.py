"""Calibration: Ultrix system-mode memory stalls per instruction on the DS5000/200 (Chen &
Bershad, SOSP'93) with the baseline kernel on `dec5000_200`, and the paper's 1.5 µs /
18-instruction Aegis dispatch on `dec5000` (exobench/calibration.py)."""
from exobench.calibration import PRESET, annotate, figures, render  # noqa: F401  (the table, its figure)
from exobench.experiment import Case
from exobench.harness import main

DESCRIPTION = "Calibration: system-mode memory stalls (Chen & Bershad, DS5000/200) and Aegis dispatch"
TITLE = "Calibration"
EXC = ("../exceptions/fast_handler.S",)
CASES = [
    Case("calibration", "getpid", "baseline", "../base_costs/base.c", {"op": 1}, n=1000),
    Case("calibration", "signal (overflow)", "baseline", "../exceptions/exc.c", {"kind": 1, "fast": 0},
         n=1000, extra_sources=EXC),
    Case("calibration", "pipe round trip", "baseline", "../ipc/ipc.c", {"kind": 0}, n=500,
         peers=("../ipc/ipc_peer.c",)),
    Case("calibration", "dispatch (overflow)", "aegis", "../exceptions/exc.c", {"kind": 1, "fast": 1},
         n=1000, extra_sources=EXC),
]

if __name__ == "__main__":
    main(CASES, __file__, extra_presets=(PRESET,), annotate=annotate)
