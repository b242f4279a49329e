/*
 * exos.h - ExOS, the library operating system: what it offers beyond the
 * shared osapi.h layer, and its Aegis system-call stubs.
 */
#ifndef EXOS_EXOS_H
#define EXOS_EXOS_H

#include "aegis.h"

/* ExOS's words in the uarea (after the kernel's save area) */
#define UA_EXC_SP       (SA_LIBOS + 0)   /* where exc.S builds the next exception frame (exc.S) */
#define EXOS_EXC_STACK_SIZE 8192         /* the exception stack, exos_exc_stack (bss) */
#define UA_TMP          (SA_LIBOS + 4)
#define UA_FD_RING      (SA_LIBOS + 64)  /* [2 * EXOS_NPIPES] fd -> its ring once looked up (0: not yet) */

/* The exception frame exc.S builds on the exception stack. */
#define XF_FAULT        16              /* struct os_fault {pc, badvaddr, cause} */
#define XF_REG(n)       (28 + 4 * (n))
#define XF_HI           156
#define XF_LO           160
#define XF_SIZE         168

/* Where ExOS puts things in the address space */
#define NS_VADDR        0x10000000      /* the family namespace page (pipes, shm keys) */
#define PIPE_VADDR      0x10001000      /* pipe ring i at PIPE_VADDR + i pages */

/* Pipes: struct ring (below) byte offsets, for pipe.S */
#define RING_SIZE       2048            /* a power of two, a multiple of 4 */
#define EXOS_NPIPES     16              /* pipes per family (the namespace page's table) */
#define RING_HEAD       0
#define RING_TAIL       4
#define RING_READER     8
#define RING_WRITER     12
#define RING_BUF        16

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>
#include "osapi.h"

/* ---- raw Aegis system calls (sys.S): the kernel's register contract (aegis.h) is the
 * o32 calling convention of these prototypes; capabilities are 64-bit register pairs ---- */
int ae_null(void);
int ae_null_stack(void);
void ae_exit(int code) __attribute__((noreturn));
int ae_yield(int to);
int ae_set_handler(uint32_t code, uint32_t pc);
int ae_set_entry(uint32_t kind, uint32_t pc);
ae_cap_t ae_page_alloc(void);                       /* a page's rw capability, or AE_CAP_IS_ERR */
int ae_page_free(ae_cap_t cap);
ae_cap_t ae_cap_ro(ae_cap_t cap);                   /* the page's read-only capability */
int ae_tlb_map(uint32_t va_flags, ae_cap_t cap);    /* va | AE_MAP_* */
int ae_tlb_unmap(uint32_t va);
int ae_env_create(uint32_t module, uint32_t a0, uint32_t a1);
int ae_env_destroy(uint32_t id);
int ae_pct_wait(void);
int ae_env_alive(uint32_t id);
int ae_page_give(ae_cap_t cap, uint32_t id);
int ae_tlb_flush(void);                             /* drop all our TLB/STLB bindings */
uint64_t ae_tlb_mapv(const struct ae_mapv *v, uint32_t n);   /* low: 0 or error, high: refused index */
int ae_tlb_rdonly(uint32_t va);                     /* our binding of va (if any) loses write */
/* ASHs and the receive queue (aegis/ash.c, aegis/net.c) */
uint64_t ae_ash_download(uint32_t filter, const struct ash_desc *d);   /* low: 0 or error, high: ASH_R_* << 16 | index */
uint64_t ae_net_deliver(const void *frame, uint32_t len, void *reply); /* low: ASH_* actions or -1, high: reply length */
int ae_net_recv(uint32_t filter, void *buf, uint32_t n);   /* a queued frame's length, or AE_EAGAIN */
int ae_net_send(const void *frame, uint32_t len);   /* 0, AE_EBUSY (ring full), AE_ENOSYS (no device) */
int ae_net_station(void);                           /* this machine's station number, or AE_ENOSYS */
int dpf_insert_atoms(const struct dpf_atom *a, uint32_t n);   /* SYS_DPF_INSERT: filter id or error */
/* net.c: the data region of this process's ASHs (os_net_ash) */
#define EXOS_ASH_DATA   1024
extern uint32_t exos_ash_data[EXOS_ASH_DATA / 4];
int ae_pct_sync(int target);     /* returns only on failure (AE_ESRCH) */
int ae_pct_async(int target);

/* ---- ExOS internals ---- */
void exos_exc_entry(void);                       /* exc.S: the common user-level handler entry */
extern uint8_t exos_exc_stack[EXOS_EXC_STACK_SIZE];  /* its frames and the handlers' C stack */
int exos_claim(uint32_t code);                   /* route ExcCode `code` to exos_exc_entry */
void exos_puts(const char *s);
void exos_putx(uint32_t v);
#include "libc.h"

/* VM: ExOS's own page table (vm.c).  Its structure is a link-time choice (pt.h): the default
 * two-level table, or the inverted (hashed) one a program selects by linking exos/optional/ipt.c
 * as one of its sources.  Either way os_alloc_pages/os_protect/os_dirty and the fault path
 * behave the same. */
#define PTE_R           1       /* readable (present and accessible) */
#define PTE_W           2       /* writable */
#define PTE_D           4       /* dirty: written since mapped */
#define PTE_P           8       /* a page is there */
/* A PTE is the page's capability (aegis.h), with the PTE_* flags in its four holder's
 * bits, which the kernel ignores: the word the fault path tests is the capability's low
 * word, and installing a mapping passes the PTE as it is. */
struct pte {
	uint32_t word;          /* the capability's low word: tag | PTE_* */
	uint32_t hi;            /* its high word: ppn << 16 | tag */
};
static inline ae_cap_t pte_cap(const struct pte *p) { return (ae_cap_t)p->hi << 32 | p->word; }
int vm_map_page(uint32_t va, ae_cap_t cap, uint32_t prot);   /* enter into the page table */
/* A TLB miss or write fault (ExcCode code): VM_RESOLVED, or the ExcCode to deliver to the
 * program -- code, or EXC_MOD for a store that missed on a write-protected page (f->cause
 * is changed to match) */
int vm_fault(uint32_t code, struct os_fault *f);
#define VM_RESOLVED     (-1)
int vm_lookup(uint32_t va, ae_cap_t *cap, uint32_t *flags);
extern uint32_t vm_faults_resolved;
uint32_t vm_pt_bytes(void);     /* bytes of page-table structure in use (defined by the structure, pt.h) */
void vm_unmap_page(uint32_t va);    /* out of the page table, its binding dropped (revoke.c) */

/* Revocation (revoke.c, aegis/revoke.c) */
int exos_revocable(uint32_t va, uint32_t npages);   /* pages ExOS may give back when asked */
int exos_revoke_init(void);                          /* register the revocation/repossession upcalls */
int ae_page_reclaim(uint32_t env, uint32_t npages);  /* parent only: revoke npages of env's pages */
extern uint32_t exos_revoked, exos_repossessed;

/* IPC */
struct ring {
	volatile uint32_t head, tail;   /* bytes written, bytes read (free-running: position & (RING_SIZE - 1)) */
	volatile int32_t reader, writer; /* env ids, for directed yield */
	uint8_t buf[RING_SIZE];
};
/* fd -> its ring once this environment has looked it up (and mapped it): the lookup is one load,
 * from the uarea (zeroed by Aegis, reached relative to $zero) */
#define exos_fd_ring    ((struct ring *volatile *)(UAREA_VADDR + UA_FD_RING))
struct ring *exos_pipe_ring_slow(int fd);
int exos_pipe_read(int fd, void *buf, uint32_t n);          /* os_read/os_write's general cases */
int exos_pipe_write(int fd, const void *buf, uint32_t n);
/* The word at ring position pos (a multiple of 4) */
#define RING_WORD(r, pos) (*(volatile uint32_t *)((uintptr_t)(r)->buf + ((pos) & (RING_SIZE - 1))))
static inline struct ring *exos_pipe_ring(int fd)
{
	struct ring *r;
	if ((uint32_t)fd < 2 * EXOS_NPIPES && (r = exos_fd_ring[fd]) != 0)
		return r;
	return exos_pipe_ring_slow(fd);
}
int exos_ns_init(ae_cap_t ns);

/* lrpc over synchronous PCT.  The server calls exos_lrpc_serve (never returns);
 * handlers take three words and return one. */
typedef uint32_t (*lrpc_handler_t)(uint32_t a0, uint32_t a1, uint32_t a2);
void exos_lrpc_serve(lrpc_handler_t h, int trusted) __attribute__((noreturn));
uint32_t exos_lrpc_call(int server, uint32_t a0, uint32_t a1, uint32_t a2);
uint32_t exos_tlrpc_call(int server, uint32_t a0, uint32_t a1, uint32_t a2);

/* end-of-slice upcalls: policy runs at each slice end (NULL: yield round robin) */
int exos_slice_end_handler(void (*policy)(void));
extern uint32_t exos_slice_ends;

/* asynchronous PCT: the receiver's handler gets (its own id, a1, a2, a3) */
void exos_async_serve(void (*h)(uint32_t self, uint32_t a1, uint32_t a2, uint32_t a3)) __attribute__((noreturn));
int exos_async_send(int target, uint32_t a1, uint32_t a2, uint32_t a3);
static inline int exos_parent(void) { return (int)*(volatile int32_t *)(UAREA_VADDR + SA_PARENT); }

/* stride scheduling at application level (stride.c; paper §7.3).  The scheduler: stride_init,
 * then stride_add its clients (envs it created), then stride_run(stride_next()) per quantum;
 * stride_end destroys the clients.  A client calls stride_client() once: from then on its slice
 * ends go back to the kernel and any slot it gets without a grant to its scheduler (its
 * creator), which hands out the group's CPU time as quanta. */
#define STRIDE_MAX          8               /* clients per scheduler */
#define STRIDE_MAX_TICKETS  1024
#define STRIDE_VADDR        0x10020000      /* the grant word, shared by a scheduler and its clients */
#define STRIDE_SHM_KEY      0x57d1
struct stride_client {
	int32_t id;
	uint32_t tickets, stride;
	uint64_t pass;                      /* += stride * cycles used */
	uint64_t cycles;                    /* CPU cycles charged (grant to release) */
	uint32_t quanta;                    /* quanta granted */
};
extern struct stride_client stride_clients[STRIDE_MAX];
extern uint32_t stride_nclients;
int stride_init(void);
int stride_add(int env, uint32_t tickets);  /* OS_EINVAL: tickets 0 or > max, not a live env, self, twice, full */
int stride_remove(int env);
int stride_next(void);                      /* charge the last quantum, pick the next client: env id, or AE_ESRCH */
int stride_run(int env);                    /* hand env the CPU until its quantum ends */
void stride_end(void);
int stride_client(void);                    /* in a client; returns at its first grant */

/*
 * Directed yield, inline: the system call with the stub's contract spelled out
 * for the compiler -- every caller-saved register (and hi/lo) is clobbered, and
 * Aegis may hand their values to the environment it switches to; callee-saved
 * registers, gp, sp and ra survive.  Returns 0, or AE_ESRCH.
 */
static inline int exos_yield(int to)
{
	register int v0 __asm__("$2") = SYS_YIELD;
	register int a0 __asm__("$4") = to;
	__asm__ volatile("syscall"
			 : "+r"(v0), "+r"(a0)
			 :
			 : "$1", "$3", "$5", "$6", "$7", "$8", "$9", "$10", "$11", "$12", "$13",
			   "$14", "$15", "$24", "$25", "hi", "lo", "memory");
	return v0;
}

/* pipe': read/write inlined into the application (one word at a time).
 * Each end records who it is, so the other can yield to it by name (a
 * store only when that changes). */
#define EXOS_SELF() (*(volatile int32_t *)(UAREA_VADDR + SA_ENVID))
static inline void exos_pipe_put_word(struct ring *r, uint32_t w)
{
	int32_t me = EXOS_SELF();
	if (r->writer != me)
		r->writer = me;
	uint32_t head = r->head;
	while (head - r->tail > RING_SIZE - 4)
		exos_yield(r->reader);
	RING_WORD(r, head) = w;
	r->head = head + 4;
}

static inline uint32_t exos_pipe_get_word(struct ring *r)
{
	int32_t me = EXOS_SELF();
	if (r->reader != me)
		r->reader = me;
	uint32_t tail = r->tail;
	while (r->head == tail)
		exos_yield(r->writer);
	uint32_t w = RING_WORD(r, tail);
	r->tail = tail + 4;
	return w;
}
#endif

#endif
