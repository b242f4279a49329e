/*
 * osapi.c - include/osapi.h on the baseline: each call is the
 * Ultrix system call a program would make.  Where Ultrix has no mechanism
 * (delivering unaligned-access or coprocessor exceptions, disabling the
 * coprocessor, dirty bits, directed control transfer) the call says
 * OS_ENOTSUP, as the paper's n/a rows do.
 */
#include "osapi.h"
#include "ulib.h"
#include "r3000.h"
#include "netproto.h"

uint32_t os_param(const char *name, uint32_t dflt)
{
	return getparam(name, dflt);
}

void os_exit(int code)
{
	_exit(code);
}

int os_spawn(const char *module)
{
	return spawn(module);
}

int os_self(void)
{
	return getpid();
}

void os_yield(int to)
{
	yield(to);
}

int os_null_syscall(void)
{
	return getpid();
}

int os_null_syscall_stack(void)
{
	return getpid();
}

/* ---- exceptions as signals ---- */

static os_handler_t handlers[EXC_NCODES];

static int exc_signal(int exccode)
{
	switch (exccode) {
	case EXC_MOD: case EXC_TLBL: case EXC_TLBS: return SIGSEGV;
	case EXC_IBE: case EXC_DBE: return SIGBUS;
	case EXC_BP: return SIGTRAP;
	case EXC_RI: return SIGILL;
	case EXC_OV: return SIGFPE;
	default: return 0;      /* AdEL/AdES are fixed up by the kernel; no CpU delivery */
	}
}

/* The one signal handler: hand the fault to the osapi handler for its
 * ExcCode and resume wherever that handler leaves pc.  This is the whole of
 * the adaptation from Ultrix's handler(sig, code, scp) to osapi's: find the
 * handler, copy three words in and one back.  (handlers[] is indexed by
 * Cause & CAUSE_EXC_MASK, i.e. ExcCode * 4 bytes: no shift.) */
static void dispatch(int sig, int code, struct sigcontext *scp)
{
	os_handler_t h = *(os_handler_t *)((char *)handlers + (scp->sc_cause & CAUSE_EXC_MASK));
	struct os_fault f;

	(void)code;
	if (!h) {
		/* no handler for this cause: take the default action on the retry */
		struct sigvec sv = {SIG_DFL, 0, 0};
		sigvec(sig, &sv, 0);
		return;
	}
	f.pc = scp->sc_pc;
	f.badvaddr = scp->sc_badvaddr;
	f.cause = scp->sc_cause;
	h(&f);
	scp->sc_pc = f.pc;
}

int os_set_handler(int exccode, os_handler_t h)
{
	struct sigvec sv = {(uint32_t)dispatch, 0, 0};
	int sig;

	if (exccode < 0 || exccode >= EXC_NCODES)
		return OS_EINVAL;
	if (!(sig = exc_signal(exccode)))
		return OS_ENOTSUP;
	handlers[exccode] = h;
	if (!h) {
		int e;
		for (e = 0; e < EXC_NCODES; e++)
			if (handlers[e] && exc_signal(e) == sig)
				return OS_OK;   /* another cause still wants this signal */
		sv.sv_handler = SIG_DFL;
	}
	return sigvec(sig, &sv, 0);
}

int os_coproc_disable(void)
{
	return OS_ENOTSUP;
}

/* ---- virtual memory ---- */

int os_alloc_pages(uint32_t va, uint32_t npages)
{
	return mmap(va, npages);
}

/* mprotect returns the bytes protected (Ultrix), or -errno. */
int os_protect(uint32_t va, uint32_t npages, int prot)
{
	int r = mprotect(va, npages * PAGE_SIZE,
	                 ((prot & OS_PROT_READ) ? PROT_READ : 0) | ((prot & OS_PROT_WRITE) ? PROT_WRITE : 0));
	return r < 0 ? r : OS_OK;
}

int os_dirty(uint32_t va)
{
	(void)va;
	return OS_ENOTSUP;
}

/* ---- IPC ---- */

int os_pipe(int fds[2])
{
	return pipe(fds);
}

int os_read(int fd, void *buf, uint32_t n)
{
	return read(fd, buf, n);
}

int os_write(int fd, const void *buf, uint32_t n)
{
	return write(fd, buf, n);
}

int os_shm_map(uint32_t va, uint32_t npages, int key)
{
	return shmat(va, npages, key);
}

/* ---- console output (the C library is guestlib/libc.c) ---- */

void print(const char *s)
{
	write(1, s, strlen(s));
}

void print_hex(uint32_t v)
{
	char buf[10];
	int i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 0; i < 8; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
	write(1, buf, 10);
}

/* ---- the network: a UDP socket per binding, as an Ultrix program would use ---- */

static uint16_t htons(uint16_t v) { return __builtin_bswap16(v); }
static uint32_t htonl(uint32_t v) { return __builtin_bswap32(v); }

int os_net_bind(uint16_t port)
{
	struct sockaddr_in sin = { AF_INET, htons(port), 0, {0} };
	int s, r;

	if (port == 0)
		return OS_EINVAL;
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		return s == -ENOBUFS ? OS_ENOMEM : s;
	if ((r = bind(s, &sin, sizeof sin)) < 0) {
		close(s);
		return r == -EADDRINUSE ? OS_EPERM : r;
	}
	return s;
}

int os_net_send(int h, uint32_t dst_station, uint16_t dst_port, const void *buf, uint32_t n)
{
	struct sockaddr_in to = { AF_INET, htons(dst_port), htonl(NET_IP(dst_station)), {0} };
	int r = sendto(h, buf, n, 0, &to, sizeof to);

	return r == -EMSGSIZE || r == -EBADF || r == -ENOTSOCK || r == -EFAULT ? OS_EINVAL : r;
}

int os_net_recv(int h, void *buf, uint32_t n, struct os_net_from *from)
{
	struct sockaddr_in sin;
	uint32_t len = sizeof sin;
	int r = recvfrom(h, buf, n, 0, &sin, &len);

	if (r >= 0 && from) {
		from->station = htonl(sin.sin_addr) & 0xffff;   /* NET_IP: 10.0.(s >> 8).s */
		from->port = htons(sin.sin_port);
	}
	return r == -EBADF || r == -ENOTSOCK || r == -EFAULT ? OS_EINVAL : r;
}

int os_net_ash(int h, const void *code, uint32_t nbytes)
{
	(void)h;
	(void)code;
	(void)nbytes;
	return OS_ENOTSUP;              /* no downloaded code in a monolithic kernel */
}
