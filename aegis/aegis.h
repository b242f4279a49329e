/*
 * aegis.h - the one contract between Aegis (kernel C and assembly) and a
 * library OS (ExOS, C and assembly): system call numbers, errors, the user
 * address-space layout Aegis sets up, the save-area layout the exception
 * dispatcher writes, and the environment structure's offsets for assembly.
 *
 * Plain #defines outside the __ASSEMBLER__ block so .S files can use them.
 * Machine numbers come from r3000.h and board.h; nothing is restated here.
 */
#ifndef AEGIS_AEGIS_H
#define AEGIS_AEGIS_H

#include "r3000.h"
#include "board.h"
#include "lance.h"

/* ---- system calls: v0 = number, a0..a3 = arguments, v0 (v1) = result ----
 * A system call is a function call for the caller: caller-saved registers
 * may be clobbered, callee-saved ones, sp and gp are preserved.  The two
 * protected control transfers are the exception: they touch no register
 * (except v0 on failure) and take the target environment in v1.  A directed
 * yield to an environment that itself yielded hands it the caller's
 * caller-saved registers and hi/lo as they are (they are dead in both). */
#define SYS_NULL            0   /* assembly only, no kernel stack */
#define SYS_NULL_STACK      1   /* switches to the kernel stack and calls C */
#define SYS_EXIT            2   /* a0 = exit code */
#define SYS_YIELD           3   /* a0 = env id or -1: directed or round-robin yield */
#define SYS_SET_HANDLER     4   /* a0 = ExcCode, a1 = user PC (0: default = kill) */
#define SYS_SET_ENTRY       5   /* a0 = AE_ENTRY_*, a1 = user PC (0: none) */
#define SYS_PAGE_ALLOC      6   /* -> v0:v1 = a page's read-write capability, or v0 < 0 and v1 = -1 */
#define SYS_PAGE_FREE       7   /* a0:a1 = read-write capability */
#define SYS_CAP_RO          8   /* a0:a1 = rw capability -> v0:v1 = the page's read-only capability */
#define SYS_TLB_MAP         9   /* a0 = va | AE_MAP_* flags, a2:a3 = capability */
#define SYS_TLB_UNMAP       10  /* a0 = va */
#define SYS_ENV_CREATE      11  /* a0 = boot module index, a1, a2 = initial a0, a1 of the new env -> id */
#define SYS_ENV_DESTROY     12  /* a0 = env id (itself, or a child): its children go with it */
#define SYS_PCT_SYNC        13  /* v1 = target env: enter its sync entry, donate the slice;
                                   AE_ESRCH: no such env or entry, AE_EBUSY: it is not waiting */
#define SYS_PCT_ASYNC       14  /* v1 = target env: enter its async entry for the rest of the slice */
#define SYS_PCT_WAIT        15  /* give up the CPU until a PCT enters this env */
#define SYS_ENV_ALIVE       16  /* a0 = env id -> 1 if it exists */
#define SYS_PAGE_GIVE       17  /* a0:a1 = rw capability, a2 = env id: charge the page to it */
#define SYS_TLB_FLUSH       18  /* drop all of the caller's TLB/STLB bindings (a fresh ASID) */
#define SYS_TLB_MAPV        19  /* a0 = struct ae_mapv[a1] in guaranteed-mapped memory: all or none
                                   -> v0 = 0 or error, v1 = index of the first refused entry */
#define SYS_TLB_RDONLY      20  /* a0 = va: the caller's binding of va (if any) loses write permission */
#define SYS_DPF_INSERT      21  /* a0 = struct dpf_atom[a1] in guaranteed-mapped memory -> filter id or error */
#define SYS_DPF_REMOVE      22  /* a0 = filter id (only its inserter may) */
#define SYS_DPF_CLASSIFY    23  /* a0 = packet, a1 = length, a2 = DPF_ENGINE_* -> matching filter id or -1 */
#define SYS_DPF_BENCH       24  /* a0..a2 as classify, a3 = n: n classifications between board markers 1, 2 */
#define SYS_PAGE_RECLAIM    25  /* a0 = env id (a child of the caller), a1 = pages: revoke them (revoke.c) -> pages asked */
#define SYS_REVOKE_DONE     26  /* the revocation handler has given back what it will */
#define SYS_ASH_DOWNLOAD    27  /* a0 = filter id (the caller's), a1 = struct ash_desc * -> 0, or v0 = error
                                   and for a refused handler v1 = ASH_R_* << 16 | the instruction's index */
#define SYS_NET_DELIVER     28  /* a0 = frame, a1 = length, a2 = reply buffer (DPF_MAXPKT bytes): deliver the
                                   frame as if received (loopback) -> v0 = ASH_* actions taken (ASH_QUEUE
                                   without a handler), -1 no filter; v1 = the reply's length (ASH_REPLY) */
#define SYS_NET_RECV        29  /* a0 = filter id, a1 = buffer, a2 = its size: the oldest frame queued for
                                   the caller by that filter -> its length (copied up to the size),
                                   AE_EAGAIN none queued */
#define SYS_NET_SEND        30  /* a0 = frame, a1 = length: transmit it (the kernel writes the source
                                   Ethernet address) -> 0, AE_EBUSY ring full, AE_ENOSYS no device */
#define SYS_NET_STATION     31  /* -> this machine's station number, AE_ENOSYS no device */
#define NSYSCALLS           32

/* ---- capabilities ----
 * A page's capability is 64 bits, passed in a register pair (a0:a1, a2:a3, v0:v1; o32 puts
 * a uint64_t's low word first): the page number in bits 63..48, a 44-bit tag in bits 47..4
 * that the kernel draws from its keyed generator (random.c) at every allocation, one for
 * the read-write and one for the read-only right, and 4 bits (3..0) the kernel ignores:
 * the holder's own (ExOS keeps its page-table flags there).  A guess is right with
 * probability 2^-44.  Pages the kernel maps for an environment itself (text, data, stack,
 * save area: its guaranteed mappings) have no capability at all. */
#define AE_CAP_PPN_SHIFT    48
#define AE_CAP_USER_BITS    0xf
#ifndef __ASSEMBLER__
typedef unsigned long long ae_cap_t;
#define AE_CAP_PPN(c)       ((uint32_t)((c) >> AE_CAP_PPN_SHIFT))
#define AE_CAP_IS_ERR(c)    ((long long)(c) < 0)      /* SYS_PAGE_ALLOC/SYS_CAP_RO failed: */
#define AE_CAP_ERR(c)       ((int32_t)(uint32_t)(c))  /*   the error */
#endif

/* ---- errors (negative v0) ---- */
#define AE_EPERM            (-1)
#define AE_ESRCH            (-3)
#define AE_EBUSY            (-16)
#define AE_EAGAIN           (-11)
#define AE_ENOMEM           (-12)
#define AE_EINVAL           (-22)
#define AE_ENOSYS           (-38)

/* SYS_TLB_MAP flags */
#define AE_MAP_W            1   /* writable (needs the read-write capability) */
#define AE_MAP_N            2   /* uncached */
#define AE_MAP_UNMAP        4   /* SYS_TLB_MAPV only: drop the binding (ppn, capability unused) */
#define AE_MAPV_MAX         64  /* entries per SYS_TLB_MAPV */
/* SYS_TLB_MAPV entry: {va | AE_MAP_* flags in the page-offset bits, capability (low, high word)} */
#define MAPV_SIZE           12

/* packet filters (dpf.c): a filter is a conjunction of atoms, each "the size-byte field at
 * off, in network byte order, masked with mask, equals val" */
#define DPF_MAXATOMS        16
#define DPF_MAXFILTERS      32
#define DPF_MAXPKT          1514    /* an Ethernet frame without its CRC */
#define DPF_ATOM_SIZE       12
#define DPF_ENGINE_DPF      0       /* compiled to MIPS code at insertion */
#define DPF_ENGINE_INTERP   1       /* interpreted (standing in for MPF) */
#define DPF_ENGINE_NULL     2       /* classifies nothing: the benchmark loop's own cost */
#define DPF_ENGINE_PATHFINDER 3     /* the set as a PATHFINDER trie of cells, interpreted */
#define DPF_MAXFILTERS_ENV  (DPF_MAXFILTERS / 2)   /* filters one environment may hold */
#define DPF_MAXATOMS_ENV    80
#define DPF_MAXATOMS_SET    96
/* SYS_DPF_BENCH runs with interrupts off: n x (filters + atoms in the set) is at most this many
 * filter and atom tests, about 45 cycles each at worst (the interpreter), so one call stays
 * within a time slice; a benchmark classifies in chunks. */
#define DPF_BENCH_BUDGET    2000

/* ASHs (ash.c): a handler of at most ASH_MAXINSNS MIPS instructions bound to one of the owner's
 * filters, verified at download (see ash.c for the rules) and copied into the kernel.  Called with
 * a0 = the message (a word-aligned kernel buffer of ASH_MSG_SIZE bytes, zero beyond the frame),
 * a1 = its length, a2 = the owner's data region (dsize bytes of its guaranteed-mapped RAM), it
 * returns v0 = ASH_* actions and v1 = their argument (reply length in bits 15..0, copy offset in
 * 31..16). */
#define ASH_MAXINSNS        256
#define ASH_MSG_SIZE        1516    /* DPF_MAXPKT, rounded up to a word */
#define ASH_DATA_MAX        16384
#define ASH_MAX             8       /* handlers in the kernel at once */
#define ASH_DESC_SIZE       16
#define ASH_CONSUME         0       /* the message is used up */
#define ASH_REPLY           1       /* send the first v1 & 0xffff bytes of the message buffer (message initiation) */
#define ASH_QUEUE           2       /* queue the message for the owner as if it had no handler */
#define ASH_COPY            4       /* copy the message into the data region at offset v1 >> 16 (if it fits) */
/* why a handler was refused (SYS_ASH_DOWNLOAD's v1 >> 16) */
#define ASH_R_SIZE          1       /* empty, not whole instructions, more than ASH_MAXINSNS */
#define ASH_R_PRIV          2       /* privileged or trapping: coprocessor, syscall, break, cache */
#define ASH_R_INSN          3       /* not in the allowed set (overflow traps, mult/div, lwl/lwr, odd fields) */
#define ASH_R_REG           4       /* writes a0, a2 or ra */
#define ASH_R_BACKWARD      5       /* a backward branch: no loops (no execution budget is kept) */
#define ASH_R_OUTSIDE       6       /* a branch past the end, j/jal/jalr, jr other than jr ra */
#define ASH_R_MEM           7       /* a load or store not proved inside the message or the data region */
#define ASH_R_SLOT          8       /* a branch in a delay slot, or as the last instruction */
#define ASH_R_HAZARD        9       /* an instruction reads the register the load before it loads */

/* SYS_SET_ENTRY kinds: protected-entry and interrupt context */
#define AE_ENTRY_SYNC       0
#define AE_ENTRY_ASYNC      1
#define AE_ENTRY_SLICE      2   /* where an env whose context is not saved starts a slice */
#define AE_ENTRY_SLICE_END  3   /* end-of-slice upcall (see SA_ISAVE); 0: the kernel preempts */
#define AE_ENTRY_RESUME_LO  4   /* [lo, hi): the library's resume sequence, where no */
#define AE_ENTRY_RESUME_HI  5   /*   end-of-slice upcall is delivered */
#define AE_ENTRY_REVOKE     6   /* revocation upcall (SA_REVOKE_WANT pages wanted; context in SA_ISAVE) */
#define AE_ENTRY_REPOSSESS  7   /* repossession upcall (SA_REPO filled; context in SA_ISAVE) */

/* ---- the user address space Aegis builds for every environment ----
 * (osapi.h fixes the board page, the text base and the stack top) */
#define BOOTINFO_USER_VADDR 0x00002000  /* the boot-info block, read-only (module names, params) */
#define UAREA_VADDR         0x00003000  /* the save area page, read-write, shared with the kernel */
#define USER_RESERVED_TOP   0x00004000  /* the mapping call refuses va below this */
#define AE_STACK_TOP        0x7fffc000  /* == USER_STACK_TOP (osapi.h) */
#define AE_STACK_PAGES      16
#define AE_TIMER_PERIOD     97656       /* cycles: 256 Hz at 25 MHz, the baseline's tick */
/* The bound on kernel work: no system call keeps interrupts off for longer than
 * AE_KERNEL_BOUND cycles (tests/test_hostile.py measures the worst cases).  The binding
 * constraint is DPF's compiler, which recompiles the whole set at every insertion or
 * removal, in time quadratic in its atoms: at most DPF_MAXATOMS_SET atoms in all and
 * DPF_MAXATOMS_ENV of one environment's (Table 7's ten TCP/IP filters are 70) keep it
 * under the bound. */
#define AE_KERNEL_BOUND     (2 * AE_TIMER_PERIOD)
/* Status loaded before the rfe that enters an environment: previous mode
 * user with interrupts on, only the timer and network (LANCE) lines unmasked, no
 * coprocessor usable (COP1 use raises CpU: the coproc exception).  The LANCE
 * interrupts only once lance.c started it (boot parameter "aegis_net"). */
#define AE_TIMER_IM         (1 << (SR_IM_SHIFT + IRQ_HW(BOARD_TIMER_LINE)))
#define AE_NET_IM           (1 << (SR_IM_SHIFT + IRQ_HW(LANCE_LINE)))
#define AE_USER_STATUS      (SR_KUP | SR_IEP | AE_TIMER_IM | AE_NET_IM)

/* ---- the save area: the first words of the uarea page ----
 * The dispatcher stores the interrupted t0-t2 here (through kseg0, so it
 * cannot take a TLB miss) and hands EPC, BadVAddr, Cause to the handler in
 * t0, t1, t2.  The uarea is below 32 KiB, so user code reaches every field
 * with one instruction relative to $zero. */
#define SA_T0               0
#define SA_T1               4
#define SA_T2               8
#define SA_ENVID            12  /* written once by the kernel */
#define SA_PARENT           16  /* the creator's env id, or -1 */
#define SA_INUPCALL         20  /* the kernel sets it when it delivers end-of-slice; the library clears it */
#define SA_REVOKE_WANT      24  /* pages the kernel asks back (revocation upcall) */
#define SA_LIBOS            64  /* from here on (up to SA_ISAVE) the page belongs to the library OS */
/* End of slice: the interrupted context, stored by the kernel before the upcall */
#define SA_ISAVE            2048
#define SA_IREG(n)          (SA_ISAVE + 4 * (n))
#define SA_IHI              (SA_ISAVE + 128)
#define SA_ILO              (SA_ISAVE + 132)
#define SA_IEPC             (SA_ISAVE + 136)
/* Repossession vector (abort protocol): count, then {ppn, va (0: not known)} per page taken.
 * The kernel appends; the library resets the count once it has updated its mappings. */
#define SA_REPO             3072
#define SA_REPO_MAX         64

/* ---- environments ----
 * An environment id names one environment for its whole life: the slot (envs[id & (NENV-1)])
 * plus the slot's generation above it, bumped whenever the slot is freed.  An id whose
 * environment is gone names nothing, even once its slot is reused: parent rights, PCT and
 * yield targets, filter ownership and reclaim never pass to the next occupant. */
#define NENV                16
#define ENV_SLOT_BITS       4           /* NENV == 1 << ENV_SLOT_BITS */
#define ENV_SUBTREE_MAX     (NENV / 2)  /* live descendants an environment may have (but the first) */
#define AE_PAGE_QUOTA_DIV   4           /* pages an environment may hold: 1/4 of free RAM (default) */
#define ENV_SHIFT           9   /* sizeof(struct env) == 1 << ENV_SHIFT */
#define ENV_NGUAR           10  /* guaranteed mappings per environment */
#define NSLOTS              NENV

/* struct env byte offsets, for assembly */
#define ENV_HANDLERS        0   /* [16] PC per ExcCode: user PC, or a kernel (kseg0) entry */
#define ENV_SAVE            64  /* kseg0 address of the save area */
#define ENV_ASIDHI          68  /* EntryHi value: ASID << ENTRYHI_ASID_SHIFT (changes: SYS_TLB_FLUSH) */
#define ENV_SYNC_PC         72  /* 0: no sync entry (or no environment) */
#define ENV_ASYNC_PC        76
#define ENV_SLICE_PC        80
#define ENV_STATE           84
#define ENV_ID              88
#define ENV_TFVALID         92  /* TF_*: the saved context tf holds, not yet resumed */
#define ENV_KSAVE           96  /* [4] the UTLB slow path's scratch registers */
#define ENV_NGUARD          112
#define ENV_GUAR            116 /* [ENV_NGUAR] {start, end, entrylo} */
#define G_START             0
#define G_END               4
#define G_LO                8
#define G_SIZE              12
#define ENV_TF              (ENV_GUAR + ENV_NGUAR * G_SIZE)   /* 236 */
#define TF_REG(n)           (ENV_TF + 4 * (n))
#define TF_HI               (ENV_TF + 128)
#define TF_LO               (ENV_TF + 132)
#define TF_EPC              (ENV_TF + 136)
#define ENV_TAIL            (ENV_TF + 140)  /* 376: C-only fields follow */
#define ENV_HOLE_LO         (ENV_TAIL + 12) /* (the STLB-miss path reads these two) */
#define ENV_HOLE_HI         (ENV_TAIL + 16)

#define ENV_FREE            0
#define ENV_RUNNABLE        1

/* tf_valid: what tf holds; resuming the environment consumes it (back to TF_NONE) */
#define TF_NONE             0   /* nothing (assembly writes and tests it as $zero): the environment
                                   runs again when a PCT enters it, or at its slice-start PC */
#define TF_FULL             1   /* a context to resume from every word of tf (preempted, switched
                                   out in a system call, or to start at the slice-start PC) */
#define TF_YIELDED          2   /* a yield's: s0-s8, gp, sp, ra and EPC only (the caller-saved words
                                   are stale), and the yield returns 0 */

/* time-slice vector entries */
#define SLOT_OWNER          0
#define SLOT_SIZE           8

/* ---- the software TLB: 4096 direct-mapped entries {EntryHi tag, EntryLo} in kseg0 ----
 * index byte offset = ((hi >> 9) ^ (hi >> 3)) & STLB_OFF_MASK, i.e. entry
 * (VPN ^ VPN << 6 ^ ASID) mod 4096: a bijection on the low 12 VPN bits
 * within one address space. */
#define STLB_NENTRIES       4096
#define STLB_ENTRY_SIZE     8
#define STLB_OFF_MASK       ((STLB_NENTRIES - 1) * STLB_ENTRY_SIZE)
#define STLB_SHIFT_A        9
#define STLB_SHIFT_B        3
#define STLB_EMPTY          1   /* EntryHi's low bits are 0: never matches */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct guar {
	uint32_t start, end, lo;
};

struct ae_mapv {
	uint32_t va;    /* page address | AE_MAP_* flags */
	uint32_t cap_lo, cap_hi;
};
_Static_assert(sizeof(struct ae_mapv) == MAPV_SIZE, "MAPV_SIZE");

struct dpf_atom {
	uint16_t off, size;
	uint32_t mask, val;
};
_Static_assert(sizeof(struct dpf_atom) == DPF_ATOM_SIZE, "DPF_ATOM_SIZE");

struct ash_desc {
	uint32_t code;          /* the handler's instructions (caller's guaranteed-mapped memory) */
	uint32_t nbytes;        /* 0: remove the filter's handler */
	uint32_t data, dsize;   /* its data region: word-aligned, in one guaranteed range, <= ASH_DATA_MAX */
};
_Static_assert(sizeof(struct ash_desc) == ASH_DESC_SIZE, "ASH_DESC_SIZE");

struct env {
	uint32_t handlers[EXC_NCODES];
	uint32_t save;
	uint32_t asidhi;
	uint32_t sync_pc, async_pc, slice_pc;
	uint32_t state;
	int32_t id;
	uint32_t tf_valid;
	uint32_t ksave[4];
	uint32_t nguar;
	struct guar guar[ENV_NGUAR];
	uint32_t regs[32];
	uint32_t hi, lo, epc;
	/* C only */
	int32_t parent;
	int32_t exit_code;
	uint32_t uarea_ppn;
	uint32_t hole_lo, hole_hi;  /* the widest gap between guaranteed ranges (fast negative check) */
	uint32_t slice_end_pc, resume_lo, resume_hi;
	uint32_t revoke_pc, repo_pc;         /* revoke.c */
	uint32_t revoke_state, revoke_goal, revoke_waits, repo_pending;
	uint32_t ndesc;                      /* live descendants (ENV_SUBTREE_MAX) */
	uint32_t npages;                     /* pages charged to it beyond its guaranteed ones */
	uint8_t pad[(1 << ENV_SHIFT) - ENV_TAIL - 64];
};

struct slot {
	struct env *owner;
	struct env *orig;
};

#define AE_OFF(f) __builtin_offsetof(struct env, f)
_Static_assert(sizeof(struct env) == (1 << ENV_SHIFT), "env size");
_Static_assert(AE_OFF(save) == ENV_SAVE, "ENV_SAVE");
_Static_assert(AE_OFF(asidhi) == ENV_ASIDHI, "ENV_ASIDHI");
_Static_assert(AE_OFF(sync_pc) == ENV_SYNC_PC, "ENV_SYNC_PC");
_Static_assert(AE_OFF(async_pc) == ENV_ASYNC_PC, "ENV_ASYNC_PC");
_Static_assert(AE_OFF(slice_pc) == ENV_SLICE_PC, "ENV_SLICE_PC");
_Static_assert(AE_OFF(state) == ENV_STATE, "ENV_STATE");
_Static_assert(AE_OFF(id) == ENV_ID, "ENV_ID");
_Static_assert(AE_OFF(tf_valid) == ENV_TFVALID, "ENV_TFVALID");
_Static_assert(AE_OFF(ksave) == ENV_KSAVE, "ENV_KSAVE");
_Static_assert(AE_OFF(nguar) == ENV_NGUARD, "ENV_NGUARD");
_Static_assert(AE_OFF(guar) == ENV_GUAR, "ENV_GUAR");
_Static_assert(AE_OFF(regs) == ENV_TF, "ENV_TF");
_Static_assert(AE_OFF(hi) == TF_HI, "TF_HI");
_Static_assert(AE_OFF(epc) == TF_EPC, "TF_EPC");
_Static_assert(AE_OFF(parent) == ENV_TAIL, "ENV_TAIL");
_Static_assert(AE_OFF(hole_lo) == ENV_HOLE_LO && AE_OFF(hole_hi) == ENV_HOLE_HI, "ENV_HOLE");
_Static_assert(sizeof(struct slot) == SLOT_SIZE, "slot");
_Static_assert(NENV == 1 << ENV_SLOT_BITS, "ENV_SLOT_BITS");
#endif

#endif
