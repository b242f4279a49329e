/*
 * osapi.h - the thin per-system layer that benchmark programs are written
 * against.  One benchmark source serves both systems: ExOS implements this
 * interface on Aegis (exos/), the baseline's user runtime implements it on
 * the monolithic kernel (baseline_monolithic/user/).  Where a system cannot
 * do something (Ultrix cannot deliver unaligned-access or coprocessor
 * exceptions to applications, has no protected control transfer), the call
 * returns OS_ENOTSUP and the benchmark reports the row as n/a.
 *
 * User address-space conventions, the same on both systems:
 *   0x00001000  the system board, mapped uncached and writable
 *               (BOARD_USER_VADDR in board.h) so markers and results cost
 *               one store on either system;
 *   0x00400000  program text (USER_TEXT_BASE), then data and bss;
 *   USER_STACK_TOP  initial stack pointer, stack grows down.
 * A program is an ELF boot module; the kernel starts the first module as the
 * first process (environment) and os_spawn() starts others by module name.
 */
#ifndef EXOBENCH_OSAPI_H
#define EXOBENCH_OSAPI_H

#include <stdint.h>
#include "board.h"

#define USER_TEXT_BASE  0x00400000
#define USER_STACK_TOP  0x7fffc000
#define OS_OK           0
#define OS_ENOTSUP      (-95)   /* the system has no such mechanism (an n/a row) */
#define OS_EINVAL       (-22)
#define OS_EPERM        (-1)
#define OS_ENOMEM       (-12)

/*
 * ---- measurement: one uncached store each, identical on both systems ----
 * Protocol of every paper experiment (exobench/experiment.py): the program reads the
 * boot parameter "n", warms up, drops BENCH_MARK_START, performs exactly n operations,
 * drops BENCH_MARK_END (or brackets only the timed part of each iteration with its own
 * START/END pair: the harness sums every interval), then checks what it did and reports BENCH_VALID = 1 (or 0) with
 * bench_result("valid", ...).  A system without the mechanism reports "supported" = 0
 * and no markers: the row is n/a.  The harness refuses any number whose validation
 * failed.
 */
#define BENCH_MARK_START 1
#define BENCH_MARK_END   2
#define BOARD_REG(off)  (*(volatile uint32_t *)(BOARD_USER_VADDR + (off)))
static inline void bench_marker(uint32_t id) { BOARD_REG(BOARD_MARKER) = id; }
static inline void bench_result(const char *name, uint32_t value)
{
	while (*name)
		BOARD_REG(BOARD_RESULT_NAME) = (uint8_t)*name++;
	BOARD_REG(BOARD_RESULT_VALUE) = value;
}
static inline void bench_putc(char c) { BOARD_REG(BOARD_CONSOLE) = (uint8_t)c; }

/* ---- process ---- */
uint32_t os_param(const char *name, uint32_t dflt);    /* a boot parameter, or dflt */
void os_exit(int code) __attribute__((noreturn));     /* last process exiting halts the machine with code */
int os_spawn(const char *module);                      /* start a boot module; returns its id or <0 */
int os_self(void);                                     /* this process's id */
void os_yield(int to);                                 /* give up the CPU (to a given id, or -1 for any) */

/* ---- base costs (Table 4) ---- */
int os_null_syscall(void);          /* the cheapest kernel entry/exit: Aegis no-stack null call, baseline getpid */
int os_null_syscall_stack(void);    /* Aegis: null call on a kernel stack; baseline: getpid again */

/* ---- exceptions (Table 5) ---- */
struct os_fault {
	uint32_t pc;            /* faulting instruction (the handler may change it to resume elsewhere) */
	uint32_t badvaddr;
	uint32_t cause;         /* Cause register: ExcCode in bits 6:2 */
};
typedef void (*os_handler_t)(struct os_fault *f);
int os_set_handler(int exccode, os_handler_t h);        /* OS_ENOTSUP where the system cannot */
int os_coproc_disable(void);                            /* make COP1 use fault (Aegis); OS_ENOTSUP on Ultrix */

/* ---- virtual memory (Appel-Li table) ---- */
#define OS_PROT_READ    1
#define OS_PROT_WRITE   2
int os_alloc_pages(uint32_t va, uint32_t npages);       /* map fresh zeroed read-write pages at va */
int os_protect(uint32_t va, uint32_t npages, int prot);
int os_dirty(uint32_t va);                              /* 1 if written since mapped or last cleaned; OS_ENOTSUP on Ultrix */

/* ---- IPC (Table 8) ---- */
int os_pipe(int fds[2]);
int os_read(int fd, void *buf, uint32_t n);
int os_write(int fd, const void *buf, uint32_t n);
int os_shm_map(uint32_t va, uint32_t npages, int key); /* map the shared segment `key` at va */

/*
 * ---- network (Figure 2) ----
 * A UDP-like datagram service over the emulated Ethernet (wire format in
 * netproto.h).  A binding owns one local port; messages are at most
 * NET_MAX_DATA bytes; a destination is named by its station number (the host
 * numbers the machines of a cluster 1, 2, ...; see exobench.machine.Cluster).
 * Errors: OS_EINVAL (bad handle, port 0, length over NET_MAX_DATA, buffer not
 * the caller's), OS_EPERM (port already bound), OS_ENOMEM (no binding free),
 * OS_ENOTSUP (no NIC, or no ASHs on this system).
 */
struct os_net_from {
	uint32_t station;       /* the sender's station number */
	uint16_t port;          /* its port: where a reply goes */
};
int os_net_bind(uint16_t port);                 /* returns a handle >= 0 */
int os_net_send(int h, uint32_t dst_station, uint16_t dst_port, const void *buf, uint32_t n);
/* Blocks until a message for the binding arrives; copies at most n bytes of it to buf
 * (the rest of a longer message is lost, as with recvfrom on a datagram socket), fills
 * *from (when not NULL) and returns the number of bytes copied. */
int os_net_recv(int h, void *buf, uint32_t n, struct os_net_from *from);
/* Aegis: download an ASH (application-specific handler) for the binding: code is
 * nbytes of MIPS code the kernel verifies, then runs on each arriving message
 * (ABI: ash's contract in exos/).  OS_ENOTSUP on the baseline. */
int os_net_ash(int h, const void *code, uint32_t nbytes);

#endif
