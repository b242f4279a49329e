/*
 * fast_handler.S - the smallest application exception handler Aegis allows, for the
 * paper's exception-dispatch figure: count the exception and resume after the faulting
 * instruction, never entering the kernel.
 *
 * Aegis enters it in user mode with t0 = EPC, t1 = BadVAddr, t2 = Cause, the program's
 * own t0-t2 saved in its save area (aegis/trap.S, gen_vec).  It restores them and jumps
 * back itself; t0 is reloaded in the delay slot of the jump that reads it.  Valid only
 * for faults outside branch delay slots, which exc.c arranges.
 */
#include "board.h"

#ifdef EXOBENCH_SYSTEM_AEGIS
#include "aegis.h"

	.set	noreorder
	.set	noat
	.text
	.globl	bench_fast_handler
bench_fast_handler:
	lui	$t1, %hi(bench_fast_count)
	lw	$t2, %lo(bench_fast_count)($t1)
	addiu	$t0, $t0, 4			/* (load delay) resume after the fault */
	addiu	$t2, $t2, 1
	sw	$t2, %lo(bench_fast_count)($t1)
	lw	$t1, UAREA_VADDR+SA_T1($zero)
	lw	$t2, UAREA_VADDR+SA_T2($zero)
	jr	$t0
	lw	$t0, UAREA_VADDR+SA_T0($zero)

	.bss
	.align	2
	.globl	bench_fast_count
bench_fast_count:
	.space	4
#endif
