/*
 * kern.h - the baseline kernel's internal definitions: memory layout, the
 * software PTE format, the trapframe, the u-area, struct proc, and the
 * prototypes every subsystem shares.  Layout constants are #defines outside
 * the __ASSEMBLER__ block so locore.S and process.S use the same numbers.
 *
 * Modelled on Ultrix 4.2 (sys/machine/mips/{cpu.h,pte.h,param.h,reg.h},
 * sys/h/{proc.h,user.h}); see docs/references.md#ultrix-42-paths.
 */
#ifndef BASELINE_KERN_H
#define BASELINE_KERN_H

#include "r3000.h"
#include "board.h"
#include "lance.h"
#include "uabi.h"

/* ---- kernel virtual layout (cpu.h, param.h) ---- */
/* The current process's linear user page table: 2 MB of 4-byte PTEs for the
 * 2 GB of kuseg, at a 2 MB boundary 4 MB below the top of kseg2.  Context's
 * PTEBase holds it permanently; processes are told apart by the ASID of the
 * TLB entries that map the window, not by rewriting Context. */
#define KPTEBASE        0xffc00000
#define KPTESIZE        0x00200000
/* The u-area: the u page (pcb, qsave, syscall args) and one kernel stack page,
 * at fixed kseg2 addresses mapped by wired TLB entries 0 and 1 that resume()
 * rewrites on every context switch (UPAGES 2). */
#define UADDR           0xffffc000
#define KSTACKADDR      0xffffd000
#define KERNELSTACK     0xffffe000
#define TLBWIRED_UPAGE  0
#define TLBWIRED_KSTACK 1
#define TLBWIRED_PTMAP  2               /* first of the NPAGEMAP page-table slots */
#define NPAGEMAP        6

/* ---- software PTE: hardware EntryLo >> 8 plus software bits (pte.h) ---- */
/* The UTLB handler shifts the PTE left by 8, so the software bits at the top
 * fall off and the hardware sees only PFN|N|D|V|G. */
#define PG_G            0x00000001
#define PG_V            0x00000002
#define PG_M            0x00000004      /* hardware D: writes allowed without a Mod fault */
#define PG_N            0x00000008
#define PG_PFNSHIFT     4               /* PFN in bits 23:4 */
#define PG_PFNMASK      0x00fffff0
#define PG_UW           0x10000000      /* user may write (checked by tlbmod) */
#define PG_UR           0x20000000      /* user may read */
#define PG_SWAPM        0x40000000      /* dirty when its write permission went: keep a copy (pte.h) */
#define PG_ALLOC        0x80000000      /* the PTE owns a physical frame (even when V=0) */
#define PTE_TO_LO(pte)  ((pte) << 8)

/* ---- the exception frame (reg.h) ---- */
/* Ultrix's 42 words (argsave, every GPR slot, SR, LO, HI, BadVAddr, Cause,
 * EPC, SYS1) plus one pad word for 8-byte stack alignment.  Not every slot
 * is written on every exception: `exception` saves AT, k1, a0-a3, s0, ra,
 * gp/sp (from user), Cause, EPC, SR and SYS1 (the interrupted ipllevel);
 * the VEC_* handlers add what their C code may clobber (see locore.S). */
#define TF_ARGSAVE      0               /* o32 home for a0-a3 of the C call */
#define TF_REG(n)       (16 + 4 * (n))
#define TF_SR           (16 + 128)
#define TF_LO           (TF_SR + 4)
#define TF_HI           (TF_SR + 8)
#define TF_BADVADDR     (TF_SR + 12)
#define TF_CAUSE        (TF_SR + 16)
#define TF_EPC          (TF_SR + 20)
#define TF_SYS1         (TF_SR + 24)    /* DS5000_100: ipllevel at the exception */
#define TF_SIZE         (TF_SR + 32)    /* 176 */

/* Software exception codes, in ExcCode<<2 form like the hardware ones that
 * `exception` hands the VEC_* handlers (Ultrix SEXC_*). */
#define SEXC_SEGV       (16 << 2)       /* tlbmiss()/tlbmod(): deliver SIGSEGV */
#define SEXC_RESCHED    (17 << 2)       /* exception_exit: pcb_resched was set (aston) */
#define USERFAULT       1               /* or'ed into the code by trap() for user mode */

/* ---- pcb and label_t: what save()/setjmp() keep ---- */
#define PCB_S0          0               /* s0-s7 at 0..28 */
#define PCB_S8          32
#define PCB_SP          36
#define PCB_RA          40
#define PCB_SR          44
#define PCB_SIZE        48
#define U_RESCHED       48              /* u.u_resched: Ultrix u.u_pcb.pcb_resched */

/* ---- DS5000_100 interrupt levels (cpu.h SPL*; kn02ba.c splm/kn02ba_sim) ---- */
/* Ultrix on the 5000/1xx keeps the interrupt level in software (ipllevel)
 * and on every change writes the IOASIC system interrupt mask and reads it
 * back (draining the write buffer) before loading Status from splm[].  The
 * board's BOARD_IOASIC_IMSK stores the mask only; Status.IM does the gating. */
#define SPLNONE         0
#define SPLSOFTC        1
#define SPLNET          2
#define SPLIMP          5               /* = SPLBIO = SPLTTY = SPLIO */
#define SPLCLOCK        6               /* = SPLHIGH */
#define SPLHIGH         6
#define SPLMEM          7
#define SPLEXTREME      8
#define SPLMSIZE        9
/* IOASIC system-interrupt-mask values per level (3MIN bit layout, kn02ba.h):
 * the clock (TOY) and the I/O-write timeout are open at spl0; devices that
 * Ultrix adds at configuration time are absent here. */
#define SIM_TOY         0x00000020
#define SIM_IOTIMEOUT   0x00001000
#define SIM_SPL0        (SIM_IOTIMEOUT | SIM_TOY)
#define SIM_SPLIO       (SIM_TOY | SIM_IOTIMEOUT)
#define SIM_SPLCLOCK    SIM_IOTIMEOUT
#define SIM_SPLMEM      0

/* Offsets into struct proc for resume() (checked by _Static_assert below). */
#define P_ASID          0
#define P_UPTE          4               /* EntryLo of the u page */
#define P_KSPTE         8               /* EntryLo of the kernel-stack page */
#define P_TLBHI         12              /* NPAGEMAP window VPNs; an empty slot holds a unique kseg0 VPN and EntryLo 0 */
#define P_TLBLO         (P_TLBHI + 4 * NPAGEMAP)
/* ... and the signal state the assembly dispatch of ATTR_EXC_ASM_DISPATCH reads
 * (locore.S exc_dispatch), with the u-area's (at UADDR = -0x4000). */
#define P_SIG           460             /* p_sig, then p_sigmask; p_sigcatch at +12 */
#define P_SIGMASK       464
#define P_SIGCATCH      472
#define P_HANDLER       488             /* p_handler[NSIG] */
#define P_HMASK         616             /* p_hmask[NSIG] */
#define U_CODE          132
#define U_RU_NSIGNALS   144
#define U_SIGFLAG       184
#define SOMASK          0x1             /* u_sigflag: restore u_oldmask on sigreturn (sigpause) */

/* ---- clock: Ultrix runs the RTC at 256 Hz on DS5000s (cpuconf.c) ---- */
#define HZ              256
#define CPU_CLOCK_HZ    25000000        /* DECstation 5000/125 */
#define TIMER_PERIOD    (CPU_CLOCK_HZ / HZ)     /* 97656 cycles */
#define SR_IM_TIMER     (1 << (SR_IM_SHIFT + IRQ_HW(BOARD_TIMER_LINE)))
#define SR_IM_LANCE     (1 << (SR_IM_SHIFT + IRQ_HW(LANCE_LINE)))      /* the network (if_ln.c) */
#define SR_IM_SOFTNET   (1 << SR_IM_SHIFT)      /* software interrupt IP0: the network's (netinet.c) */
/* The SR a user process runs with, as it sits in the frame before rfe pops it. */
#define SR_USER_PREV    (SR_KUP | SR_IEP | SR_IM_TIMER | SR_IM_LANCE | SR_IM_SOFTNET)

/* ---- sleep priorities (Ultrix 4.2 sys/h/param.h): lower is better; a sleep above
 * PZERO can be broken by a signal; user processes run at PUSER ---- */
#define PZERO           25
#define PPIPE           26
#define PSOCK           (PZERO + 1)     /* uipc_socket2.c sbwait: sleep(&sb_cc, PZERO+1) */
#define PWAIT           30
#define PSLEP           40
#define PUSER           50

#ifdef ATTR_TLB_STLB
/* Research switch (benchmarks/attribution, the TLB-refill ladder): a software TLB in
 * front of the linear page table, the structure of Aegis's STLB (aegis/aegis.h): 4096
 * direct-mapped {EntryHi tag, EntryLo} entries in kseg0, indexed by
 * ((hi >> 9) ^ (hi >> 3)) & STLB_OFF_MASK.  utlbmiss looks there first; on a miss it
 * refills from the linear table as Ultrix does and fills the entry (stlb_fill).  A tag
 * of 0 or 1 never matches (ASID 0 is never a process's; EntryHi's low bits are 0).
 * tlb_dropin/tlb_unmap/tlb_flush_nonwired keep it coherent, as they keep the TLB. */
#define STLB_NENTRIES       4096
#define STLB_ENTRY_SIZE     8
#define STLB_OFF_MASK       ((STLB_NENTRIES - 1) * STLB_ENTRY_SIZE)
#define STLB_SHIFT_A        9
#define STLB_SHIFT_B        3
#define STLB_EMPTY          1
#endif

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>

typedef uint32_t pte_t;

struct trapframe {
	uint32_t argsave[4];
	uint32_t regs[32];
	uint32_t sr, lo, hi, badvaddr, cause, epc;
	uint32_t sys1, pad;
};
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe");

#define R_AT 1
#define R_V0 2
#define R_V1 3
#define R_A0 4
#define R_A1 5
#define R_A2 6
#define R_A3 7
#define R_K1 27
#define R_SP 29
#define R_RA 31

typedef struct { uint32_t val[PCB_SIZE / 4]; } label_t;

struct timeval_k { uint32_t tv_sec, tv_usec; };

/* The u page, at UADDR in every process.  The u_* fields after u_procp are
 * the parts of Ultrix's user.h that the paths we model read or write. */
struct user {
	label_t u_pcb;                  /* save()/resume() */
	uint32_t u_resched;             /* pcb_resched: exception_exit takes a SEXC_RESCHED trap */
	label_t u_qsave;                /* setjmp on every system call; sleep() longjmps here on a signal */
	uint32_t u_arg[6];              /* system call arguments (a0-a3, then copied in from the stack) */
	struct proc *u_procp;
	int u_eosys;                    /* NORMALRETURN, or FULLRESTORE (sigreturn) */
	uint32_t u_code;                /* code for the fault signal being posted (an ExcCode) */
	struct timeval_k u_ru_stime;    /* rusage: system time (only read: profiling) */
	uint32_t u_ru_nsignals, u_ru_nvcsw, u_ru_nivcsw;
	uint32_t u_prof_scale;          /* profil(2) scale: > 1 when profiling */
	uint32_t u_oweupc;              /* a profiling tick is owed */
	uint32_t u_sstep;               /* pcb_sstep: single-stepping (ptrace) */
	uint32_t u_bd_ra;               /* pcb_bd_ra: branch-delay emulation in progress */
	uint32_t u_onstack, u_sigonstack;       /* sigstack state (never on: no sigstack call) */
	uint32_t u_oldmask;             /* mask to restore after a sigpause handler */
	uint32_t u_sigflag;             /* SOMASK */
};
_Static_assert(__builtin_offsetof(struct user, u_resched) == U_RESCHED, "U_RESCHED");
#define NORMALRETURN    0
#define FULLRESTORE     1
#define aston()         (u.u_resched = 1)
#define astoff()        (u.u_resched = 0)

/* The per-CPU counters and flags of Ultrix's struct cpudata that the paths
 * we model touch (one CPU). */
struct cpudata {
	uint32_t cpu_syscall, cpu_trap, cpu_intr, cpu_inisr, cpu_switch;
};
extern struct cpudata cpudata;
extern int audswitch;                   /* security auditing on (never, here) */
/* u is at a fixed address whose low half sign-extends (UADDR = -0x4000), so
 * a 1990 MIPS compiler reached every u field with one `lw/sw off(zero)`.
 * clang instead builds each field's address with an addiu; handing it the
 * base as an opaque register value brings that back to one instruction per
 * access after a single `li` per function. */
static inline struct user *uarea(void)
{
	struct user *up;

	__asm__("" : "=r"(up) : "0"(UADDR));
	return up;
}
#define u (*uarea())

/* The user's exception frame at the top of the kernel stack (Ultrix
 * u.u_ar0), reached through an opaque base for the same reason as u. */
static inline struct trapframe *user_frame(void)
{
	struct trapframe *ep;

	__asm__("" : "=r"(ep) : "0"(KERNELSTACK - TF_SIZE));
	return ep;
}
#define USER_FRAME (user_frame())

enum { SUNUSED = 0, SRUN, SSLEEP, SZOMB };
enum { RG_ANON = 1, RG_STACK, RG_TEXT, RG_SHM };
#define NREGION 16

struct region {
	uint32_t start, end;            /* page aligned, [start, end) */
	int type;
	int shm;                        /* shm segment index for RG_SHM */
};

struct file;

#define NPDIR 512                       /* page-table pages: 512 x 4 MB = kuseg */

struct proc {
	/* resume() reads these by offset: keep first. */
	int p_asid;                     /* -1: none assigned (Ultrix p_tlbpid) */
	uint32_t p_upte;                /* EntryLo of the u page */
	uint32_t p_kspte;               /* EntryLo of the kernel-stack page */
	uint32_t p_tlbhi[NPAGEMAP];     /* cached page-table window mappings (Ultrix p_tlbinfo) */
	uint32_t p_tlblo[NPAGEMAP];

	int p_pid;
	int p_stat;
	struct proc *p_link;            /* run queue or sleep queue */
	struct proc *p_parent;
	void *p_wchan;
	int p_intr;                     /* sleeping interruptibly (pri > PZERO) */
	int p_xstat;
	char p_name[BOOT_NAME_LEN];

	pte_t **p_pdir;                 /* kseg0 page of NPDIR page-table page pointers */
	struct region p_regions[NREGION];
	int p_smcount;                  /* shared segments attached (Ultrix p_smcount) */
	struct region *p_rhint;         /* the region vm_region_find found last */
	struct file *p_ofile[NOFILE];

	/* signals (proc.h p_sig/p_sigmask/p_sigignore/p_sigcatch/p_cursig;
	 * user.h u_signal/u_sigmask) */
	uint32_t p_sig, p_sigmask, p_sigignore, p_sigcatch;
	int p_cursig;                   /* the signal issig() took, for psig() */
	int p_trace;                    /* STRC: traced (never set: no ptrace) */
	uint32_t p_sigtramp;            /* user trampoline, from sigvec's hidden argument */
	uint32_t p_handler[NSIG];
	uint32_t p_hmask[NSIG];
	int p_pri, p_usrpri;            /* priorities (4.3BSD; we never recompute them) */
};
#define STRC 0x1

_Static_assert(__builtin_offsetof(struct proc, p_asid) == P_ASID, "P_ASID");
_Static_assert(__builtin_offsetof(struct proc, p_upte) == P_UPTE, "P_UPTE");
_Static_assert(__builtin_offsetof(struct proc, p_kspte) == P_KSPTE, "P_KSPTE");
_Static_assert(__builtin_offsetof(struct proc, p_tlbhi) == P_TLBHI, "P_TLBHI");
_Static_assert(__builtin_offsetof(struct proc, p_tlblo) == P_TLBLO, "P_TLBLO");
_Static_assert(__builtin_offsetof(struct proc, p_sig) == P_SIG, "P_SIG");
_Static_assert(__builtin_offsetof(struct proc, p_sigmask) == P_SIGMASK, "P_SIGMASK");
_Static_assert(__builtin_offsetof(struct proc, p_sigcatch) == P_SIGCATCH, "P_SIGCATCH");
_Static_assert(__builtin_offsetof(struct proc, p_handler) == P_HANDLER, "P_HANDLER");
_Static_assert(__builtin_offsetof(struct proc, p_hmask) == P_HMASK, "P_HMASK");
_Static_assert(__builtin_offsetof(struct user, u_code) == U_CODE, "U_CODE");
_Static_assert(__builtin_offsetof(struct user, u_ru_nsignals) == U_RU_NSIGNALS, "U_RU_NSIGNALS");
_Static_assert(__builtin_offsetof(struct user, u_sigflag) == U_SIGFLAG, "U_SIGFLAG");

#define NPROC 16

/* locore.S: the UTLB refill handler's bounds (trap.c tells a nested miss by its EPC) */
extern char utlbmiss[], eutlbmiss[];

/* ---- interrupt priority (locore.S; Ultrix locore.s spl*, DS5000_100) ---- */
/* System calls and traps run with interrupts enabled, as Ultrix's VEC_syscall
 * and VEC_trap enable them; TLB miss/mod handlers run masked.  Each spl
 * call keeps ipllevel, writes the IOASIC mask and reads it back (uncached),
 * then loads Status from splm[level]: 13 instructions and two uncached
 * accesses, as on the 5000/1xx. */
int spl0(void);
int splclock(void);
int splhigh(void);
int splimp(void);
int splnet(void);
int splextreme(void);
int splx(int ipl);
extern int ipllevel;

/* ---- globals ---- */
extern struct proc proc[NPROC];
extern struct proc *curproc;
extern volatile int runrun;             /* reschedule at the next return to user (set by the clock) */
extern struct bootinfo *bootinfo;
extern volatile uint32_t ticks;
extern struct timeval_k time;             /* time of day, advanced by hardclock */

/* ---- console.c ---- */
#include "kconsole.h"      /* kputc, kputs, kprintf, panic, halt */
#include "libc.h"

/* ---- vm.c ---- */
void vm_init(uint32_t free_paddr, uint32_t ram_size);
void *pgalloc(void);                    /* a zeroed page, kseg0 address, or 0 */
void pgfree(void *kva);
pte_t *vtopte(struct proc *p, uint32_t va, int alloc);
int vm_region_add(struct proc *p, uint32_t start, uint32_t end, int type, int shm);
struct region *vm_region_find(struct proc *p, uint32_t va);
int vm_map_page(struct proc *p, uint32_t va, pte_t pte);
int vm_fault(struct proc *p, uint32_t va, int write, int exc);
void vm_ptmiss(struct trapframe *tf);
int vm_tlbmod(struct proc *p, uint32_t va);
int useracc(uint32_t va, uint32_t len, int rw);        /* Ultrix machdep.c: 1 if p may access */
#define B_WRITE 0
#define B_READ  1
int grow(uint32_t va);                                  /* Ultrix kern_mman.c grow(): stack fill */
void vm_free(struct proc *p);
int vm_fork(struct proc *p, struct proc *c);
int copyinstr(struct proc *p, uint32_t uva, char *kbuf, uint32_t max);
void newptes(struct proc *p, uint32_t va, uint32_t npages);
void get_tlbpid(struct proc *p);
void set_tlbwired(struct proc *p);
int sys_mprotect(uint32_t *a, uint32_t *rv);
int sys_mmap(uint32_t *a, uint32_t *rv);
int sys_shmat(uint32_t *a, uint32_t *rv);

/* ---- copy.S ---- */
int copyin(struct proc *p, uint32_t uva, void *kbuf, uint32_t n);
int copyout(struct proc *p, const void *kbuf, uint32_t uva, uint32_t n);
extern uint32_t nofault;                /* where a faulting copy resumes, else 0 */

/* ---- tlb.S ---- */
void tlb_dropin(uint32_t hi, uint32_t lo);      /* probe; tlbwi over a match, else tlbwr */
void tlb_unmap(uint32_t hi);                    /* probe; invalidate a match */
void tlb_write_indexed(int index, uint32_t hi, uint32_t lo);
void tlb_flush_nonwired(void);
void tlb_set_asid(int asid);

/* ---- process.S ---- */
int save(label_t *l);                   /* 0 now, 1 when resumed */
void resume(struct proc *p) __attribute__((noreturn));
int setjmp(label_t *l);
void longjmp(label_t *l) __attribute__((noreturn));
void proc_trampoline(void);

/* ---- trap.c ---- */
void trap(struct trapframe *ep, uint32_t code, uint32_t sr, uint32_t cause);
int tlbmiss(struct trapframe *ep, uint32_t code, uint32_t vaddr, uint32_t cause);
int tlbmod(struct trapframe *ep, uint32_t code, uint32_t vaddr, uint32_t cause);
void intr(struct trapframe *ep, uint32_t code, uint32_t sr, uint32_t cause);
void main(struct bootinfo *bi, uint32_t magic);

/* ---- syscall.c ---- */
int syscall(struct trapframe *ep, uint32_t code, uint32_t sr, uint32_t cause);

/* ---- sched.c ---- */
void setrq(struct proc *p);
void setrun(struct proc *p);
void runq_front(struct proc *p);
void swtch(void);
void sched_start(void) __attribute__((noreturn));
void sleep(void *chan, int pri);        /* pri > PZERO: a signal breaks it */
void wakeup(void *chan);
#ifdef ATTR_SCHED_HANDOFF
void wakeup_handoff(void *chan);      /* research switch: benchmarks/attribution */
#endif
void hardclock(struct trapframe *tf);
void clock_init(void);

/* ---- proc.c ---- */
struct proc *pfind(int pid);
struct proc *proc_create(const char *module, struct proc *parent, int *err);
void proc_exit(int xstat) __attribute__((noreturn));
int sys_exit(uint32_t *a, uint32_t *rv);
int sys_getpid(uint32_t *a, uint32_t *rv);
int sys_spawn(uint32_t *a, uint32_t *rv);
int sys_fork(uint32_t *a, uint32_t *rv);
int sys_wait(uint32_t *a, uint32_t *rv);
int sys_yield(uint32_t *a, uint32_t *rv);
int sys_getparam(uint32_t *a, uint32_t *rv);
uint32_t boot_param(const char *name, uint32_t dflt);

/* ---- elf.c ---- */
int elf_load(struct proc *p, const uint8_t *image, uint32_t size, uint32_t *entry);

/* ---- signal.c ---- */
void psignal(struct proc *p, int sig);
int issig(void);
void psig(void);
/* Ultrix param.h ISSIG: a quick look at the masks before calling issig(). */
#define ISSIG(p) ((p)->p_sig && (((p)->p_trace & STRC) || \
                  ((p)->p_sig & ~((p)->p_sigignore | (p)->p_sigmask))) && issig())
int sys_sigvec(uint32_t *a, uint32_t *rv);
int sys_sigreturn(uint32_t *a, uint32_t *rv);
int sys_kill(uint32_t *a, uint32_t *rv);
int sys_sigpause(uint32_t *a, uint32_t *rv);
int sys_sigblock(uint32_t *a, uint32_t *rv);
int sys_sigsetmask(uint32_t *a, uint32_t *rv);

/* ---- pipe.c ---- */
struct file *file_console(void);
void file_dup(struct file *f);
void file_close(struct file *f);
int sys_pipe(uint32_t *a, uint32_t *rv);
int sys_read(uint32_t *a, uint32_t *rv);
int sys_write(uint32_t *a, uint32_t *rv);
int sys_close(uint32_t *a, uint32_t *rv);
struct socket;
int file_open_socket(struct socket *so, int *fdp);      /* 0, or EMFILE/ENFILE */
struct socket *file_socket(uint32_t fd);               /* the socket open as fd, or 0 */

/* ---- the network (if_ln.c, netinet.c, socket.c; net.h) ---- */
void soclose(struct socket *so);
extern int ln_up;                       /* the LANCE is running (if_ln.c) */
void lnintr(void);
void softnet(void);
int sys_socket(uint32_t *a, uint32_t *rv);
int sys_bind(uint32_t *a, uint32_t *rv);
int sys_sendto(uint32_t *a, uint32_t *rv);
int sys_recvfrom(uint32_t *a, uint32_t *rv);

#endif /* __ASSEMBLER__ */
#endif
