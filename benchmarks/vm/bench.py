"""The paper's VM table: Appel and Li's primitives (dirty, prot1, prot100, unprot100, trap,
prot1+trap+unprot, protN+trap+unprot) with ExOS's application-level VM against the baseline's
kernel VM, and a TLB-refill row (issue 11's attribution ladder needs one on both systems).  The last two rows are named by what they do: the published namings of "appel1" and
"appel2" disagree (Appel & Li's vmpup.c and SPIN call prot1+trap+unprot appel1; MIT's later
exokernel tree calls it appel2)."""
from exobench.experiment import Case
from exobench.harness import main
from exobench.tables import renderer

DESCRIPTION = ("VM table: dirty, prot1, prot100, unprot100, trap, prot1+trap+unprot, protN+trap+unprot (Appel & Li); "
               "tlb refill")
TITLE = "Virtual-memory primitives (Appel & Li)"
ROWS = (("dirty", 0, 1000), ("prot1", 1, 1000), ("prot100", 2, 100), ("unprot100", 3, 100),
        ("trap", 4, 1000), ("prot1+trap+unprot", 5, 1000), ("protN+trap+unprot", 6, 1000), ("tlb refill", 7, 4096))
CASES = [Case("vm", row, system, "vm.c", {"op": op}, n=n)
         for row, op, n in ROWS for system in ("baseline", "aegis")]
render = renderer(TITLE, "Per operation: one call (dirty, prot1, prot100, unprot100) or one trap (trap, "
                         "prot1+trap+unprot, protN+trap+unprot; the last includes its share of the "
                         "100-page protect) or one load (tlb refill: 1024 pages in turn, far more than "
                         "the TLB holds, so about one kernel refill per load and no fault). Definitions: Appel & Li's vmpup.c; see benchmarks/vm/vm.c. "
                         "The two trap rows are named by what they do: the published namings of appel1 "
                         "and appel2 disagree. Baseline: the Ultrix calls a 1995 programmer would use "
                         "(mprotect, a SIGSEGV handler); ours follow Ultrix 4.2's paths "
                         "(baseline_monolithic/README.md, the ledger).")

if __name__ == "__main__":
    main(CASES, __file__)
