/*
 * kern.h - Aegis-internal declarations shared by the kernel's C files: one
 * section per file, holding what that file defines for the others (the DPF
 * files' declarations among themselves are in dpf.h).
 */
#ifndef AEGIS_KERN_H
#define AEGIS_KERN_H

#include <stdint.h>
#include <stddef.h>
#include "aegis.h"

#define KSEG0(pa)   ((void *)((uintptr_t)(pa) + KSEG0_BASE))
#define PADDR(kva)  ((uint32_t)(uintptr_t)(kva) - KSEG0_BASE)
#define BOARD(off)  (*(volatile uint32_t *)((uintptr_t)BOARD_KSEG1 + (off)))
#define PAGE_UP(x)  (((x) + PAGE_SIZE - 1) & ~(uint32_t)(PAGE_SIZE - 1))

/* The C system calls (systab_c) return 64 bits: v0 and v1 both defined, never stale kernel
 * values; a 32-bit result is sign-extended. */
typedef int64_t sysret_t;

/* guestlib/libc.c: memcpy, memset, strcmp & co. (every guest's) */
#include "libc.h"

/* console.c names the kernel on guestlib/kconsole.c's console */
#include "kconsole.h"      /* kputc, kputs, kprintf, panic, halt */

/* phys.c: physical pages, each guarded by two capabilities */
#define PAGE_FREE       (-1)
#define PAGE_KERNEL     (-2)    /* the kernel's, boot modules, boot info */
struct ppage {
	int32_t owner;          /* env id, PAGE_FREE or PAGE_KERNEL */
	uint64_t tag_rw;        /* 0: none (free, or a page the kernel maps for its owner) */
	uint64_t tag_ro;        /* 0: not made yet */
};
extern uint32_t npages;
extern struct ppage *ppages;
extern uint32_t page_quota;
void phys_init(uint32_t first_free, uint32_t ram_size, uint32_t quota);
int32_t phys_alloc(int32_t owner, uint32_t n, int caps);   /* n contiguous zeroed pages; first ppn or <0 */
void phys_free_page(uint32_t ppn, int flush);
int32_t phys_check_cap(ae_cap_t cap, int writable);        /* the page granted, or -1 */
ae_cap_t phys_cap(uint32_t ppn, int writable);
int phys_give(uint32_t ppn, int32_t to);

/* random.c: the kernel's secret and its keyed generator */
void random_init(void);
uint64_t random_tag(void);

/* stlb.c: the software TLB and the hardware TLB helpers */
extern uint32_t stlb[STLB_NENTRIES * 2];
void stlb_init(void);
void tlb_install(uint32_t hi, uint32_t lo);   /* STLB + hardware TLB */
void tlb_remove(uint32_t hi);                 /* both */
void tlb_rdonly(uint32_t hi);                 /* both: clear D if bound */
void tlb_flush_pfn(uint32_t ppn);
void tlb_flush_free(void);                    /* entries mapping free pages */
uint32_t asid_alloc(void);                    /* a fresh ASID (EntryHi field), no entry carries it */
void asid_retire(uint32_t asidhi);            /* unreachable now, scrubbed before reuse */
void asid_scrub(void);                        /* remove every entry of a retired ASID */

/* env.c */
extern struct env envs[NENV];
extern struct bootinfo *bootinfo;
extern uint32_t bootinfo_paddr;
extern int last_exit_code;        /* the machine halts with it when nothing can run */
void env_init(void);
struct env *env_lookup(int32_t id);       /* the live environment with this id, or 0 */
int env_create(uint32_t module, struct env *parent, uint32_t a0, uint32_t a1);
void env_destroy(struct env *e, int code);
void env_fault(uint32_t cause, uint32_t epc, uint32_t badvaddr);
int env_guaranteed(struct env *e, uint32_t va);
const void *env_kptr(struct env *e, uint32_t va, uint32_t len);   /* guaranteed RAM only */

/* sched.c */
extern struct env *curenv;
extern struct slot slots[NSLOTS];
extern struct slot *cur_slot;
void sched_add(struct env *e);
void sched_remove(struct env *e);
void sched_next(void);            /* pick curenv for the next slice; halts if none */
int sched_yield_to(int id);
int sched_upcall_busy(struct env *e);           /* no upcall now: one is in progress, or resuming */
void sched_upcall(struct env *e, uint32_t pc);  /* at a tick: tf into SA_ISAVE, resume e at pc */
void intr_c(void);

/* revoke.c */
int revoke_tick(struct env *e);   /* at a tick in e: 1 if an upcall was delivered (e goes on) */
sysret_t sys_page_reclaim(uint32_t id, uint32_t n);
sysret_t sys_revoke_done(void);

/* dpf.c */
void dpf_env_gone(int envid);     /* drop an environment's packet filters */
sysret_t sys_dpf_insert(uint32_t uva, uint32_t n);
sysret_t sys_dpf_remove(uint32_t id);
sysret_t sys_dpf_classify(uint32_t uva, uint32_t len, uint32_t engine);
sysret_t sys_dpf_bench(uint32_t uva, uint32_t len, uint32_t engine, uint32_t n);
int32_t dpf_owner(uint32_t id);   /* env id of filter id's inserter, or -1 */
int32_t dpf_match(const uint8_t *frame, uint32_t len);   /* demultiplex: filter id or -1 */

/* ash.c: application-specific handlers */
sysret_t sys_ash_download(uint32_t fid, uint32_t desc_uva);
void ash_drop(int32_t fid);       /* with its filter */
int32_t ash_run(int32_t fid, const uint8_t *frame, uint32_t len, const uint8_t **reply, uint32_t *rlen);

/* net.c: the receive path (demultiplex, ASH, queue) */
void net_input(const uint8_t *frame, uint32_t len, const uint8_t **reply, uint32_t *rlen, int32_t *actions);
void net_env_gone(int envid);     /* drop its queued frames */
sysret_t sys_net_deliver(uint32_t uva, uint32_t len, uint32_t reply_uva);
sysret_t sys_net_recv(uint32_t fid, uint32_t uva, uint32_t n);

/* lance.c: the network device's driver */
void lance_init(void);            /* at boot, if "aegis_net" */
void lance_intr(void);            /* its interrupt */
int32_t lance_send(const uint8_t *frame, uint32_t len);
void lance_source(uint8_t *frame);   /* this machine's address as the frame's source */
sysret_t sys_net_send(uint32_t uva, uint32_t len);
sysret_t sys_net_station(void);

/* syscall.c */
extern uint32_t systab[NSYSCALLS];
extern uint32_t systab_c[NSYSCALLS];

/* trap.S: the kernel entries C puts in handler tables and systab, and the way out */
void sys_entry(void);
void sys_null(void);
void sys_c(void);
void sys_switch(void);
void sys_yield(void);
void intr_entry(void);
void exc_default(void);
void env_run_cur(void) __attribute__((noreturn));   /* resume curenv from its tf */

/* pct.S */
void sys_pct_sync(void);
void sys_pct_async(void);

/* CP0 and TLB instructions */
static inline uint32_t mfc0_status(void) { uint32_t v; __asm__ volatile("mfc0 %0, $12\n\tnop" : "=r"(v)); return v; }
static inline void mtc0_status(uint32_t v) { __asm__ volatile("mtc0 %0, $12\n\tnop\n\tnop" :: "r"(v)); }
static inline uint32_t mfc0_cause(void) { uint32_t v; __asm__ volatile("mfc0 %0, $13\n\tnop" : "=r"(v)); return v; }
static inline uint32_t mfc0_entryhi(void) { uint32_t v; __asm__ volatile("mfc0 %0, $10\n\tnop" : "=r"(v)); return v; }
static inline void mtc0_entryhi(uint32_t v) { __asm__ volatile("mtc0 %0, $10\n\tnop" :: "r"(v)); }
static inline void mtc0_entrylo(uint32_t v) { __asm__ volatile("mtc0 %0, $2\n\tnop" :: "r"(v)); }
static inline uint32_t mfc0_entrylo(void) { uint32_t v; __asm__ volatile("mfc0 %0, $2\n\tnop" : "=r"(v)); return v; }
static inline void mtc0_index(uint32_t v) { __asm__ volatile("mtc0 %0, $0\n\tnop" :: "r"(v)); }
static inline uint32_t mfc0_index(void) { uint32_t v; __asm__ volatile("mfc0 %0, $0\n\tnop" : "=r"(v)); return v; }
static inline void tlbp(void) { __asm__ volatile("tlbp\n\tnop" ::: "memory"); }
static inline void tlbwi(void) { __asm__ volatile("tlbwi\n\tnop" ::: "memory"); }
static inline void tlbwr(void) { __asm__ volatile("tlbwr\n\tnop" ::: "memory"); }
static inline void tlbr(void) { __asm__ volatile("tlbr\n\tnop" ::: "memory"); }

#endif
