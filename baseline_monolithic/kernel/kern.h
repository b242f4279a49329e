/*
 * kern.h - the baseline kernel's internal definitions: memory layout, the
 * software PTE format, the trapframe, the u-area, struct proc, and what each
 * file defines for the others (one section per file).  Layout constants are
 * #defines outside the __ASSEMBLER__ block so locore.S and process.S use the
 * same numbers.
 *
 * Modelled on Ultrix 4.2 (sys/machine/mips/{cpu.h,pte.h,param.h,reg.h},
 * sys/h/{proc.h,user.h}); see shared/reference/r3000.md section 4.1.
 */
#ifndef BASELINE_KERN_H
#define BASELINE_KERN_H

#include "r3000.h"
#include "board.h"
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
#define PG_ALLOC        0x80000000      /* the PTE owns a physical frame (even when V=0) */
#define PTE_TO_LO(pte)  ((pte) << 8)

/* ---- the exception frame (reg.h; 42 words like Ultrix's) ---- */
#define TF_ARGSAVE      0               /* o32 home for a0-a3 of the C call */
#define TF_REG(n)       (16 + 4 * (n))
#define TF_SR           (16 + 128)
#define TF_LO           (TF_SR + 4)
#define TF_HI           (TF_SR + 8)
#define TF_BADVADDR     (TF_SR + 12)
#define TF_CAUSE        (TF_SR + 16)
#define TF_EPC          (TF_SR + 20)
#define TF_SIZE         (TF_SR + 24)    /* 168 */

/* ---- pcb and label_t: what save()/setjmp() keep ---- */
#define PCB_S0          0               /* s0-s7 at 0..28 */
#define PCB_S8          32
#define PCB_SP          36
#define PCB_RA          40
#define PCB_SR          44
#define PCB_SIZE        48

/* Offsets into struct proc for resume() (checked by _Static_assert below). */
#define P_ASID          0
#define P_UPTE          4               /* EntryLo of the u page */
#define P_KSPTE         8               /* EntryLo of the kernel-stack page */
#define P_TLBHI         12              /* NPAGEMAP window VPNs; an empty slot holds a unique kseg0 VPN and EntryLo 0 */
#define P_TLBLO         (P_TLBHI + 4 * NPAGEMAP)

/* ---- clock: Ultrix runs the RTC at 256 Hz on DS5000s (cpuconf.c) ---- */
#define HZ              256
#define CPU_CLOCK_HZ    25000000        /* DECstation 5000/125 */
#define TIMER_PERIOD    (CPU_CLOCK_HZ / HZ)     /* 97656 cycles */
#define SR_IM_TIMER     (1 << (SR_IM_SHIFT + IRQ_HW(BOARD_TIMER_LINE)))
/* The SR a user process runs with, as it sits in the frame before rfe pops it. */
#define SR_USER_PREV    (SR_KUP | SR_IEP | SR_IM_TIMER)

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>

typedef uint32_t pte_t;

struct trapframe {
	uint32_t argsave[4];
	uint32_t regs[32];
	uint32_t sr, lo, hi, badvaddr, cause, epc;
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

/* The u page, at UADDR in every process. */
struct user {
	label_t u_pcb;                  /* save()/resume() */
	label_t u_qsave;                /* setjmp on every system call; sleep() longjmps here on a signal */
	uint32_t u_arg[6];              /* system call arguments (a0-a3, then copied in from the stack) */
	struct proc *u_procp;
};
#define u (*(struct user *)UADDR)

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
	int p_ticks;                    /* clock ticks in the current quantum */
	char p_name[BOOT_NAME_LEN];

	pte_t **p_pdir;                 /* kseg0 page of NPDIR page-table page pointers */
	struct region p_regions[NREGION];
	struct file *p_ofile[NOFILE];

	/* signals (proc.h p_sig/p_sigmask/p_sigignore/p_sigcatch; user.h u_signal/u_sigmask) */
	uint32_t p_sig, p_sigmask, p_sigignore, p_sigcatch, p_oldmask;
	int p_flag;
	uint32_t p_sigtramp;            /* user trampoline, from sigvec's hidden argument */
	uint32_t p_handler[NSIG];
	uint32_t p_hmask[NSIG];
	uint32_t p_code;                /* code for the signal being posted by a trap */
	int p_faultsig;                 /* which signal p_code and p_fault_* describe */
	uint32_t p_fault_badvaddr, p_fault_cause;
};
#define SOMASK 0x1                      /* restore p_oldmask on sigreturn (sigpause) */

_Static_assert(__builtin_offsetof(struct proc, p_asid) == P_ASID, "P_ASID");
_Static_assert(__builtin_offsetof(struct proc, p_upte) == P_UPTE, "P_UPTE");
_Static_assert(__builtin_offsetof(struct proc, p_kspte) == P_KSPTE, "P_KSPTE");
_Static_assert(__builtin_offsetof(struct proc, p_tlbhi) == P_TLBHI, "P_TLBHI");
_Static_assert(__builtin_offsetof(struct proc, p_tlblo) == P_TLBLO, "P_TLBLO");

#define NPROC 16

/* ---- interrupt priority: the clock is the only interrupt, so on or off ---- */
/* System calls run with the clock enabled, as Ultrix's VEC_syscall enables
 * interrupts; every other exception handler runs with them masked, and
 * swtch() masks them around save/resume (the kernel stack changes under
 * sp when wired entry 1 is rewritten). */
#define SR_KERNEL_ON    (SR_IEC | SR_IM_TIMER)

static inline uint32_t splhigh(void)
{
	uint32_t s;

	__asm__ volatile(".set push; .set noreorder\n\tmfc0 %0, $12\n\tnop\n\t.set pop" : "=r"(s));
	__asm__ volatile("mtc0 %0, $12" : : "r"(s & ~SR_IEC) : "memory");
	return s;
}

static inline void splx(uint32_t s)
{
	__asm__ volatile("mtc0 %0, $12" : : "r"(s) : "memory");
}

static inline void spl0(void)
{
	splx(SR_KERNEL_ON);
}

/* ---- guestlib/libc.c: memcpy, memset, strcmp & co. (every guest's) ---- */
#include "libc.h"

/* ---- console.c names the kernel on guestlib/kconsole.c's console ---- */
#include "kconsole.h"      /* kputc, kputs, kprintf, panic, halt */

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
void *uptr(struct proc *p, uint32_t uva, uint32_t n, int write);
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

/* ---- locore.S ---- */
extern char utlbmiss[], eutlbmiss[];    /* the UTLB refill handler's code */
void proc_trampoline(void);

/* ---- process.S ---- */
int save(label_t *l);                   /* 0 now, 1 when resumed */
void resume(struct proc *p) __attribute__((noreturn));
int setjmp(label_t *l);
void longjmp(label_t *l) __attribute__((noreturn));

/* ---- trap.c ---- */
void trap(struct trapframe *tf);
void userret(struct trapframe *tf);

/* ---- syscall.c ---- */
void syscall(struct trapframe *tf);

/* ---- sched.c ---- */
extern struct proc *curproc;
extern volatile int runrun;             /* reschedule at the next return to user (set by the clock) */
extern volatile uint32_t ticks;
void setrq(struct proc *p);
void setrun(struct proc *p);
void runq_front(struct proc *p);
void swtch(void);
void sched_start(void) __attribute__((noreturn));
void sleep(void *chan, int intr);
void wakeup(void *chan);
void clock_intr(struct trapframe *tf);
void clock_init(void);

/* ---- proc.c ---- */
extern struct proc proc[NPROC];
extern struct bootinfo *bootinfo;
void main(struct bootinfo *bi, uint32_t magic);
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

/* ---- elf.c ---- */
int elf_load(struct proc *p, const uint8_t *image, uint32_t size, uint32_t *entry);

/* ---- signal.c ---- */
void psignal(struct proc *p, int sig);
void trapsignal(struct proc *p, int sig, struct trapframe *tf);
int issig(struct proc *p);
void psig(struct trapframe *tf);
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

#endif /* __ASSEMBLER__ */
#endif
