/* sys.c - each system call's behaviour and its errors, reported as results. */
#include "osapi.h"
#include "ulib.h"

/* A raw system call with any number, returning v0 and the a3 flag. */
static uint32_t rawsys(uint32_t num, uint32_t a0, uint32_t *err)
{
	register uint32_t v0 __asm__("$2") = num;
	register uint32_t ra0 __asm__("$4") = a0;
	register uint32_t a3 __asm__("$7");
	__asm__ volatile("syscall" : "+r"(v0), "=r"(a3) : "r"(ra0) : "$1", "$3", "$5", "$6", "$8", "$9", "$10",
	                 "$11", "$12", "$13", "$14", "$15", "$24", "$25", "hi", "lo", "memory");   /* a call: caller-saved lost */
	*err = a3;
	return v0;
}

#define R(name, v) bench_result(name, (uint32_t)(v))

int main(void)
{
	uint32_t err, v;
	int fds[2], r;
	char buf[16];
	struct sigvec sv = {SIG_DFL, 0, 0};

	R("getpid", getpid());
	R("write", write(1, "console ok\n", 11));
	R("write_badfd", write(7, "x", 1));
	R("write_badptr", write(1, (void *)0x30000000, 4));
	R("write_kptr", write(1, (void *)0x80001000, 4));
	v = rawsys(999, 0, &err);
	R("badsys_err", err);
	R("badsys_v0", v);
	v = rawsys(0, 0, &err);                 /* an empty sysent slot */
	R("sys0_err", err);
	v = rawsys(SYS_getpid, 0, &err);
	R("rawgetpid_err", err);
	R("param", getparam("answer", 5));
	R("param_dflt", getparam("nosuch", 5));
	R("param_badptr", getparam((const char *)0x7ff00000, 9));
	R("mmap", mmap(0x20000000, 2));
	*(volatile uint32_t *)0x20001ffc = 0x1234;
	R("mmap_rw", *(volatile uint32_t *)0x20001ffc);
	R("mmap_overlap", mmap(0x20001000, 1));
	R("mmap_unaligned", mmap(0x20003004, 1));
	R("mprotect_unaligned", mprotect(0x20000004, 4096, PROT_READ));
	R("mprotect_unmapped", mprotect(0x21000000, 4096, PROT_READ));
	R("mprotect_kernel", mprotect(0x80000000, 4096, PROT_READ));
	R("kill_nopid", kill(77, SIGUSR1));
	R("kill_badsig", kill(getpid(), 99));
	R("kill_zero", kill(getpid(), 0));
	R("sigvec_badsig", sigvec(0, &sv, 0));
	R("sigvec_kill", sigvec(SIGKILL, &sv, 0));
	R("sigvec_badptr", sigvec(SIGUSR1, (void *)0x30000000, 0));
	R("wait_nochild", wait(0));
	R("read_badfd", read(3, buf, 1));
	R("spawn_nosuch", spawn("nosuch"));
	R("spawn_badptr", spawn((const char *)0x30000000));
	r = pipe(fds);
	R("pipe", r);
	R("pipe_fds", fds[0] * 16 + fds[1]);
	R("pipe_write", write(fds[1], "abc", 3));
	R("pipe_read_badptr", read(fds[0], (void *)0x30000000, 3));
	R("pipe_read", read(fds[0], buf, sizeof(buf)));
	R("pipe_data", buf[0] | buf[1] << 8 | buf[2] << 16);
	R("read_wrongend", read(fds[1], buf, 1));
	R("write_wrongend", write(fds[0], buf, 1));
	/* copyout faults in the kernel: read-only page -> EFAULT; after write is
	 * given back (D clear, Mod resolved by tlbmod) -> ok; an untouched stack
	 * page (demand-zero fill from inside the copy) -> ok; copyin from text -> ok */
	mprotect(0x20000000, 4096, PROT_READ);
	write(fds[1], "defghi", 6);
	R("read_into_ro", read(fds[0], (void *)0x20000010, 2));
	mprotect(0x20000000, 4096, PROT_READ | PROT_WRITE);
	R("read_into_rw", read(fds[0], (void *)0x20000010, 2));
	R("read_into_rw_data", *(volatile uint8_t *)0x20000010 | *(volatile uint8_t *)0x20000011 << 8);
	R("read_into_stack", read(fds[0], (void *)(USRSTACK - 40 * 4096 + 8), 2));
	R("read_into_stack_data", *(volatile uint8_t *)(USRSTACK - 40 * 4096 + 8));
	R("read_into_none", (mprotect(0x20000000, 4096, PROT_NONE), write(fds[1], "z", 1),
	                     read(fds[0], (void *)0x20000010, 1)));
	mprotect(0x20000000, 4096, PROT_READ | PROT_WRITE);
	R("read_rest", read(fds[0], buf, sizeof(buf)));
	/* the kernel's copy is the first touch of a page table: a kernel-mode
	 * UTLB miss whose page-table load misses too (nested, on the kernel stack) */
	R("mmap_fresh", mmap(0x24000000, 1));
	write(fds[1], "jk", 2);
	R("read_into_fresh", read(fds[0], (void *)0x24000ffe, 2));
	R("read_into_fresh_data", *(volatile uint8_t *)0x24000fff);
	R("write_from_text", write(fds[1], (const void *)main, 4));
	R("read_text", read(fds[0], buf, 4));
	R("close", close(fds[1]));
	R("close_again", close(fds[1]));
	R("pipe_eof", read(fds[0], buf, 1));
	R("yield", yield(-1));
	R("sigblock", sigblock(SIGMASK(SIGUSR1)));
	R("sigsetmask", sigsetmask(0));
	R("shmat", shmat(0x30000000, 1, 42));
	*(volatile uint32_t *)0x30000000 = 5;
	R("shm_rw", *(volatile uint32_t *)0x30000000);
	R("shmat_toobig", shmat(0x31000000, 1000, 43));
	R("shmat_overlap", shmat(0x30000000, 1, 44));
	R("mmap_on_text", mmap(0x00400000, 1));
	return 3;
}
