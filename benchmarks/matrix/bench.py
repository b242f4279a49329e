"""Table 9: 150x150 matrix multiply on both systems (application-level VM costs nothing)."""
from exobench.experiment import Case
from exobench.harness import main
from exobench.tables import renderer

DESCRIPTION = "Table 9: 150x150 integer matrix multiply on both systems"
TITLE = "Table 9: 150×150 matrix multiplication"
CASES = [Case("9", "matrix 150x150", system, "matrix.c", n=1) for system in ("baseline", "aegis")]
render = renderer(TITLE, "Integer multiply-add (the machine models no FPU). Timer interrupts are on in both "
                         "kernels during the run, so their tick handling is part of each figure.")

if __name__ == "__main__":
    main(CASES, __file__)
