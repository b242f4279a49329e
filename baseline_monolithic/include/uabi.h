/*
 * uabi.h - the kernel<->user contract of the Ultrix-like baseline: system call
 * numbers, error numbers, signal numbers, the sigcontext layout and the user
 * address-space constants.  Included by the kernel (C and assembly), by the
 * user runtime (C and assembly) and by test programs; plain #defines outside
 * the __ASSEMBLER__ block so assembly can read them.
 *
 * Numbers follow Ultrix 4.2 / 4.3BSD where a call exists there
 * (sys/sys/init_sysent.c, sys/h/errno.h, sys/h/signal.h); calls Ultrix has no
 * equivalent for (spawn-by-module-name, a boot-parameter lookup, anonymous
 * page allocation, yield) get numbers above the Ultrix table.
 */
#ifndef BASELINE_UABI_H
#define BASELINE_UABI_H

/* ---- system call numbers (v0 at `syscall`) ---- */
#define SYS_exit        1
#define SYS_fork        2
#define SYS_read        3
#define SYS_write       4
#define SYS_close       6
#define SYS_wait        7
#define SYS_getpid      20
#define SYS_kill        37
#define SYS_pipe        42
#define SYS_mmap        71      /* anonymous zero-fill pages at a fixed address */
#define SYS_mprotect    74
#define SYS_sigreturn   103
#define SYS_sigvec      108
#define SYS_sigblock    109
#define SYS_sigsetmask  110
#define SYS_sigpause    111
#define SYS_shmat       130     /* map shared segment `key` at va (System V shmat, simplified) */
#define SYS_spawn       131     /* fork + exec of a boot module by name */
#define SYS_yield       132     /* give up the processor (directed if the target is runnable) */
#define SYS_getparam    133     /* look up a boot parameter */
#define SYS_socket      97      /* the network (kernel/socket.c): AF_INET datagram sockets only */
#define SYS_bind        104
#define SYS_recvfrom    125
#define SYS_sendto      134     /* Ultrix: 133, which this table gives getparam */
#define SYS_NSYSENT     135

/* Sockets (sys/h/socket.h, sys/net/netinet/in.h): what socket/bind/sendto/recvfrom take. */
#define AF_INET         2
#define SOCK_DGRAM      2
#define SOCKADDR_IN_LEN 16              /* struct sockaddr_in: family, port, address, zero[8] */

/* ---- errors: v0 holds the errno when a3 != 0 (Ultrix libc's _cerror convention) ---- */
#define EPERM           1
#define ESRCH           3
#define EINTR           4
#define EIO             5
#define E2BIG           7
#define ENOEXEC         8
#define EBADF           9
#define ECHILD          10
#define EAGAIN          11
#define ENOMEM          12
#define EFAULT          14
#define EEXIST          17
#define EINVAL          22
#define EMFILE          24
#define EPIPE           32
#define ENOENT          2
#define EMSGSIZE        40      /* the network: sys/h/errno.h */
#define EPROTOTYPE      41
#define EOPNOTSUPP      45
#define EAFNOSUPPORT    47
#define EADDRINUSE      48
#define ENETDOWN        50
#define ENOBUFS         55
#define ENOTSOCK        38
#define EDESTADDRREQ    39
#define ENOSYS          78      /* no such system call (Ultrix sends SIGSYS; see syscall.c) */
#define ENOTSUP         95      /* matches OS_ENOTSUP in osapi.h */
#define ERESTART        (-1)    /* kernel-internal */
#define EJUSTRETURN     (-2)    /* kernel-internal: registers already set (sigreturn) */

/* ---- signals (Ultrix numbering) ---- */
#define SIGHUP          1
#define SIGINT          2
#define SIGQUIT         3
#define SIGILL          4
#define SIGTRAP         5
#define SIGIOT          6
#define SIGEMT          7
#define SIGFPE          8
#define SIGKILL         9
#define SIGBUS          10
#define SIGSEGV         11
#define SIGSYS          12
#define SIGPIPE         13
#define SIGALRM         14
#define SIGTERM         15
#define SIGSTOP         17
#define SIGCONT         19
#define SIGCHLD         20
#define SIGUSR1         30
#define SIGUSR2         31
#define NSIG            32
#define SIG_DFL         0
#define SIG_IGN         1
#define SIGMASK(s)      (1u << ((s) - 1))

/* ---- mprotect / mmap protections ---- */
#define PROT_NONE       0
#define PROT_READ       1
#define PROT_WRITE      2
#define PROT_EXEC       4

/* ---- user address space (vmparam.h) ---- */
#define USRTEXT         0x00400000      /* == USER_TEXT_BASE in osapi.h */
#define USRSTACK        0x7fffc000      /* == USER_STACK_TOP in osapi.h */
#define MAXSSIZ         (64 * 4096)     /* demand-zero stack region below USRSTACK */
#define PIPE_BUF        4096            /* writes up to this size are atomic (limits.h) */
#define NOFILE          20

/*
 * struct sigcontext, word for word the Ultrix 4.2 layout (sys/h/signal.h), 75
 * words.  The kernel's sendsig() fills onstack, mask, pc, v0, a0-a3, sp,
 * cause and badvaddr; the user trampoline (sigtramp) stores every other
 * register; sigreturn() restores all of them.  Byte offsets for assembly:
 */
#define SC_ONSTACK      0
#define SC_MASK         4
#define SC_PC           8
#define SC_REGS         12              /* sc_regs[32] */
#define SC_REG(n)       (SC_REGS + 4 * (n))
#define SC_MDLO         (SC_REGS + 128)
#define SC_MDHI         (SC_MDLO + 4)
#define SC_OWNEDFP      (SC_MDHI + 4)
#define SC_FPREGS       (SC_OWNEDFP + 4)
#define SC_FPC_CSR      (SC_FPREGS + 128)
#define SC_FPC_EIR      (SC_FPC_CSR + 4)
#define SC_CAUSE        (SC_FPC_EIR + 4)
#define SC_BADVADDR     (SC_CAUSE + 4)
#define SC_BADPADDR     (SC_BADVADDR + 4)
#define SC_SIZE         (SC_BADPADDR + 4)   /* 300 */

/*
 * struct sigsave: research switch ATTR_EXC_REGS_IN_PLACE (benchmarks/attribution)
 * only, never Ultrix.  The agreed-upon save area: sendsig() writes the exception
 * state (and what psig decided) into the 8 words just below the interrupted sp,
 * changes no register but the pc, and the trampoline builds the sigcontext itself.
 */
#define SS_SIG          0
#define SS_CODE         4
#define SS_HANDLER      8
#define SS_PC           12
#define SS_CAUSE        16
#define SS_BADVADDR     20
#define SS_MASK         24
#define SS_ONSTACK      28
#define SS_SIZE         32

#ifndef __ASSEMBLER__
#include <stdint.h>

struct sigcontext {
	uint32_t sc_onstack;
	uint32_t sc_mask;
	uint32_t sc_pc;
	uint32_t sc_regs[32];
	uint32_t sc_mdlo;
	uint32_t sc_mdhi;
	uint32_t sc_ownedfp;
	uint32_t sc_fpregs[32];
	uint32_t sc_fpc_csr;
	uint32_t sc_fpc_eir;
	uint32_t sc_cause;
	uint32_t sc_badvaddr;
	uint32_t sc_badpaddr;
};
_Static_assert(sizeof(struct sigcontext) == SC_SIZE, "sigcontext layout");

struct sigsave {
	uint32_t ss_sig, ss_code, ss_handler;
	uint32_t ss_pc, ss_cause, ss_badvaddr;
	uint32_t ss_mask, ss_onstack;
};
_Static_assert(sizeof(struct sigsave) == SS_SIZE && __builtin_offsetof(struct sigsave, ss_pc) == SS_PC &&
               __builtin_offsetof(struct sigsave, ss_mask) == SS_MASK, "sigsave layout");

/* sigvec(2); the runtime's stub passes the trampoline as a hidden 4th argument. */
struct sigvec {
	uint32_t sv_handler;    /* void (*)(int sig, int code, struct sigcontext *) or SIG_DFL/SIG_IGN */
	uint32_t sv_mask;
	uint32_t sv_flags;
};

/* sockaddr_in (sys/net/netinet/in.h): 4.3BSD layout, port and address in network order. */
struct sockaddr_in {
	uint16_t sin_family;
	uint16_t sin_port;
	uint32_t sin_addr;
	uint8_t sin_zero[8];
};
_Static_assert(sizeof(struct sockaddr_in) == SOCKADDR_IN_LEN, "sockaddr_in layout");
#endif

#endif
