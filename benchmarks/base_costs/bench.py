"""Table 4: null procedure call and null system call, on Aegis and on the baseline."""
from exobench.experiment import Case
from exobench.harness import main
from exobench.tables import renderer

DESCRIPTION = "Table 4: null procedure call, null system call (with and without a kernel stack)"
TITLE = "Table 4: base costs"
EXTRA_PRESETS = ("dec3100", "dec2100")     # the paper's other columns, each on its preset
CASES = [
    Case("4", row, system, "base.c", {"op": op}, n=1000)
    for row, op in (("procedure call", 0), ("system call", 1), ("system call (stack)", 2))
    for system in ("baseline", "aegis")
]
render = renderer(TITLE, "The baseline's system call is getpid, as Ultrix's was in the paper; it always "
                         "runs on a kernel stack, so both system-call rows show the same call.",
                  EXTRA_PRESETS)

if __name__ == "__main__":
    main(CASES, __file__, extra_presets=EXTRA_PRESETS)
