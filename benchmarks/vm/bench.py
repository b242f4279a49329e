"""The paper's VM table: Appel and Li's primitives (dirty, prot1, prot100, unprot100, trap,
appel1, appel2) with ExOS's application-level VM against the baseline's kernel VM."""
from exobench.experiment import Case
from exobench.harness import main
from exobench.tables import renderer

DESCRIPTION = "VM table: dirty, prot1, prot100, unprot100, trap, appel1, appel2 (Appel & Li)"
TITLE = "Virtual-memory primitives (Appel & Li)"
ROWS = (("dirty", 0, 1000), ("prot1", 1, 1000), ("prot100", 2, 100), ("unprot100", 3, 100),
        ("trap", 4, 1000), ("appel1", 5, 1000), ("appel2", 6, 1000))
CASES = [Case("vm", row, system, "vm.c", {"op": op}, n=n)
         for row, op, n in ROWS for system in ("baseline", "aegis")]
render = renderer(TITLE, "Per operation: one call (dirty, prot1, prot100, unprot100) or one trap (trap, "
                         "appel1, appel2; appel2 includes its share of the 100-page protect). "
                         "Definitions: Appel & Li's vmpup.c; see benchmarks/vm/vm.c.")

if __name__ == "__main__":
    main(CASES, __file__)
