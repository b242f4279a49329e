/*
 * r3000.h - MIPS R3000 architecture constants.
 *
 * Shared by the emulator (csrc/), both guest kernels and their assembly, and
 * the Python side (exobench.constants parses the #defines).  Keep it to plain
 * #defines so that assembly and the Python parser can read it (the one assembler
 * macro at the end is guarded by __ASSEMBLER__).
 * Facts: docs/references.md#r3000.
 */
#ifndef EXOBENCH_R3000_H
#define EXOBENCH_R3000_H

/* ---- CP0 register numbers ---- */
#define C0_INDEX        0
#define C0_RANDOM       1
#define C0_ENTRYLO      2
#define C0_CONTEXT      4
#define C0_BADVADDR     8
#define C0_ENTRYHI      10
#define C0_STATUS       12
#define C0_CAUSE        13
#define C0_EPC          14
#define C0_PRID         15

/* ---- Status register ---- */
#define SR_IEC          0x00000001  /* interrupts enabled, current */
#define SR_KUC          0x00000002  /* user mode, current */
#define SR_IEP          0x00000004
#define SR_KUP          0x00000008
#define SR_IEO          0x00000010
#define SR_KUO          0x00000020
#define SR_KUIE_MASK    0x0000003f  /* the three-level KU/IE stack */
#define SR_IM_SHIFT     8
#define SR_IM_MASK      0x0000ff00
#define SR_ISC          0x00010000  /* isolate D-cache (not modelled) */
#define SR_SWC          0x00020000  /* swap caches (not modelled) */
#define SR_BEV          0x00400000  /* bootstrap exception vectors */
#define SR_CU0          0x10000000
#define SR_CU1          0x20000000
#define SR_CU2          0x40000000
#define SR_CU3          0x80000000
#define SR_WRITE_MASK   0xf247ff3f  /* bits software may write */

/* ---- Cause register ---- */
#define CAUSE_EXC_SHIFT 2
#define CAUSE_EXC_MASK  0x0000007c  /* R3000 decodes bits 5:2 */
#define CAUSE_IP_SHIFT  8
#define CAUSE_IP_MASK   0x0000ff00
#define CAUSE_SW_MASK   0x00000300  /* IP1..0, software interrupts: writable */
#define CAUSE_CE_SHIFT  28
#define CAUSE_CE_MASK   0x30000000
#define CAUSE_BD        0x80000000

/* ---- ExcCode values ---- */
#define EXC_INT         0   /* interrupt */
#define EXC_MOD         1   /* TLB modified (store, D=0) */
#define EXC_TLBL        2   /* TLB miss or invalid, load or fetch */
#define EXC_TLBS        3   /* TLB miss or invalid, store */
#define EXC_ADEL        4   /* address error, load or fetch */
#define EXC_ADES        5   /* address error, store */
#define EXC_IBE         6   /* bus error, fetch */
#define EXC_DBE         7   /* bus error, data */
#define EXC_SYS         8   /* syscall */
#define EXC_BP          9   /* break */
#define EXC_RI          10  /* reserved instruction */
#define EXC_CPU         11  /* coprocessor unusable */
#define EXC_OV          12  /* arithmetic overflow */
#define EXC_NCODES      16

/* ---- Interrupt lines: Cause.IP bit numbers ---- */
#define IRQ_SW0         0
#define IRQ_SW1         1
#define IRQ_HW(n)       ((n) + 2)   /* hardware line Int<n> is IP<n+2> */

/* ---- TLB ---- */
#define TLB_NENTRIES    64
#define TLB_NWIRED      8           /* entries 0..7 are never chosen by tlbwr */
#define INDEX_P         0x80000000  /* tlbp found no match */
#define INDEX_SHIFT     8
#define INDEX_MASK      0x00003f00
#define RANDOM_SHIFT    8
#define ENTRYHI_VPN_MASK   0xfffff000
#define ENTRYHI_ASID_SHIFT 6
#define ENTRYHI_ASID_MASK  0x00000fc0
#define NASIDS          64
#define ENTRYLO_PFN_MASK   0xfffff000
#define ENTRYLO_N       0x00000800  /* non-cacheable */
#define ENTRYLO_D       0x00000400  /* dirty: writes allowed */
#define ENTRYLO_V       0x00000200  /* valid */
#define ENTRYLO_G       0x00000100  /* global: ignore ASID */
#define ENTRYLO_MASK    0xffffff00
#define CONTEXT_PTEBASE_MASK 0xffe00000
#define CONTEXT_BADVPN_MASK  0x001ffffc
#define PRID_R3000A     0x00000230

/* ---- Address space ---- */
#define PAGE_SHIFT      12
#define PAGE_SIZE       4096
#define KUSEG_TOP       0x80000000
#define KSEG0_BASE      0x80000000
#define KSEG1_BASE      0xa0000000
#define KSEG2_BASE      0xc0000000
#define KSEG_SIZE       0x20000000

/* ---- Exception vectors ---- */
#define VEC_RESET       0xbfc00000
#define VEC_UTLB        0x80000000
#define VEC_GENERAL     0x80000080
#define VEC_BEV_UTLB    0xbfc00100
#define VEC_BEV_GENERAL 0xbfc00180

/*
 * clang's integrated MIPS assembler does not know rfe, an R3000-only instruction
 * (COP0 with the CO bit, function 0x10: docs/references.md#r3000-instruction-set); this macro
 * lets guest assembly write it by name.
 */
#define INSN_RFE        0x42000010
#ifdef __ASSEMBLER__
	.macro	rfe
	.word	INSN_RFE
	.endm
#endif

#endif
