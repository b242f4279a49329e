/*
 * forktest.c - fork copies data, bss and stack (the child's writes stay
 * its own), shares shared memory and open pipes, keeps signal handlers,
 * and the child's return is 0 while the parent gets the child's pid.
 */
#include "osapi.h"
#include "ulib.h"

#define R(name, v) bench_result(name, (uint32_t)(v))
#define SHM ((volatile uint32_t *)0x30000000)

static int data = 5;
static int bss;
static volatile int usr1;
static void on_usr1(int sig, int code, struct sigcontext *scp)
{
	(void)sig, (void)code, (void)scp;
	usr1++;
}

int main(void)
{
	struct sigvec sv = {(uint32_t)on_usr1, 0, 0};
	volatile int local = 11;
	int fds[2], pid;
	uint32_t st = 0;
	char buf[4] = {0};

	shmat(0x30000000, 1, 3);
	SHM[0] = 1;
	pipe(fds);
	sigvec(SIGUSR1, &sv, 0);
	pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGUSR1);        /* the inherited handler runs */
		data = 6;
		bss = 7;
		local = 12;
		SHM[0] = 2;
		write(fds[1], "ok", 2);
		_exit(usr1 == 1 && local == 12 ? 40 : 1);
	}
	R("fork_pid_ok", pid > 1);
	R("wait_ok", wait(&st) == pid);
	R("child_status", st);
	R("data", data);
	R("bss", bss);
	R("local", local);
	R("shm", SHM[0]);
	R("pipe", read(fds[0], buf, 2));
	R("pipe_data", buf[0] | buf[1] << 8);
	R("usr1", usr1);
	return 0;
}
