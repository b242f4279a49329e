/*
 * intr.c - a signal interrupts a sleeping system call: the child blocks in
 * read() on an empty pipe, the parent signals it, the read fails with EINTR
 * (the longjmp to u.u_qsave) after the handler ran.  Also: writing to a pipe
 * with no reader gives EPIPE, and SIGPIPE (ignored here).
 */
#include "osapi.h"
#include "ulib.h"

#define R(name, v) bench_result(name, (uint32_t)(v))

int main(void)
{
	int fds[2], child, i;
	uint32_t st = 0;
	struct sigvec ign = {SIG_IGN, 0, 0};

	R("pipe", pipe(fds));                   /* 3, 4 */
	child = spawn("intrkid");
	for (i = 0; i < 3; i++)
		yield(child);                   /* let it block in read() */
	R("kill", kill(child, SIGUSR1));
	R("wait_ok", wait(&st) == child);
	R("kid_status", st);
	close(fds[0]);
	R("sigvec_ign", sigvec(SIGPIPE, &ign, 0));
	R("epipe", write(fds[1], "x", 1));
	return 0;
}
