"""Table 5: exception dispatch (unalign, overflow, coproc, prot) to an application handler."""
from exobench.experiment import Case, main, renderer

DESCRIPTION = "Table 5: exception dispatch to a user handler and back (unalign, overflow, coproc, prot)"
TITLE = "Table 5: exception dispatch"
CASES = [
    Case("5", row, system, "exc.c", {"kind": kind}, n=1000)
    for row, kind in (("unalign", 0), ("overflow", 1), ("coproc", 2), ("prot", 3))
    for system in ("baseline", "aegis")
]
render = renderer(TITLE, "Each operation is the whole round trip: the faulting instruction, dispatch to the "
                         "application's handler, the handler counting it and resuming after the fault. "
                         "n/a: the baseline, like Ultrix, fixes unaligned accesses up in the kernel and "
                         "does not let applications disable the coprocessor.")

# The per-symbol cycle breakdown printed under the table.
BREAKDOWNS = {"aegis/overflow": {}, "baseline/overflow": {}}

if __name__ == "__main__":
    main(CASES, __file__, BREAKDOWNS)
