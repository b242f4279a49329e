"""§7.3: an application-level stride scheduler on ExOS (exos/stride.c)."""
from exobench.experiment import Case, main, renderer

DESCRIPTION = "§7.3: application-level stride scheduling on Aegis/ExOS (shares and cost per decision)"
TITLE = "§7.3: application-level stride scheduler"
CASES = [Case("7.3", f"stride {label}", "aegis", "sched.c", {f"t{i}": t for i, t in enumerate(tickets)},
              n=600, peers=("worker.c",))
         for label, tickets in (("3:2:1", (3, 2, 1)), ("1:1", (1, 1)), ("10:1", (10, 1)))]
render = renderer(TITLE)

if __name__ == "__main__":
    main(CASES, __file__)
