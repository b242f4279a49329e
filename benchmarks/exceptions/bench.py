"""Table 5: exception dispatch (unalign, overflow, coproc, prot) to an application handler."""
from exobench.experiment import Case
from exobench.harness import main
from exobench.tables import renderer

DESCRIPTION = "Table 5: exception dispatch to a user handler and back (unalign, overflow, coproc, prot)"
TITLE = "Table 5: exception dispatch"
EXTRA_PRESETS = ("dec3100", "dec2100")     # the paper's other columns, each on its preset
KINDS = (("unalign", 0), ("overflow", 1), ("coproc", 2), ("prot", 3))
# The paper's rows: Aegis with the smallest handler it allows, Ultrix with a signal handler
# (it has nothing smaller).  Then the like-for-like rows: a C handler on both systems.
CASES = [
    Case("5", row, system, "exc.c", {"kind": kind, "fast": int(system == "aegis")}, n=1000,
         extra_sources=("fast_handler.S",))
    for row, kind in KINDS for system in ("baseline", "aegis")
] + [
    Case("5", f"{row} (C handler)", system, "exc.c", {"kind": kind, "fast": 0}, n=1000,
         extra_sources=("fast_handler.S",))
    for row, kind in KINDS for system in ("baseline", "aegis")
]
render = renderer(TITLE, "Each operation is the whole round trip: the faulting instruction, dispatch to the "
                         "application's handler, the handler counting it and resuming after the fault. "
                         "First four rows (the paper's comparison): Aegis with the smallest handler it "
                         "allows (benchmarks/exceptions/fast_handler.S, 9 user instructions, no kernel on "
                         "the way back) against the baseline's signal handler, the least Ultrix offers. "
                         "Rows marked (C handler): a C handler on both systems, through ExOS's exception "
                         "frames and the baseline's signals. n/a: the baseline, like Ultrix, fixes "
                         "unaligned accesses up in the kernel and does not let applications disable the "
                         "coprocessor.", EXTRA_PRESETS)

# The per-symbol cycle breakdown printed under the table.
BREAKDOWNS = {"aegis/overflow": {}, "aegis/overflow (C handler)": {}, "baseline/overflow": {}}

if __name__ == "__main__":
    main(CASES, __file__, BREAKDOWNS, extra_presets=EXTRA_PRESETS)
