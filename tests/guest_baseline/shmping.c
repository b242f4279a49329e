/*
 * shmping.c - shm ping-pong with kill/sigpause (the baseline's shm IPC):
 * a counter in a shared segment, each side bumps it and signals the other.
 */
#include "osapi.h"
#include "ulib.h"

#define R(name, v) bench_result(name, (uint32_t)(v))
#define SHM ((volatile uint32_t *)0x30000000)

static volatile int nsig;
static void on_usr1(int sig, int code, struct sigcontext *scp)
{
	(void)sig, (void)code, (void)scp;
	nsig++;
}

int main(void)
{
	struct sigvec sv = {(uint32_t)on_usr1, 0, 0};
	uint32_t rounds = os_param("rounds", 20), i, st;
	int child;

	R("shm", os_shm_map(0x30000000, 1, 7));
	SHM[0] = 0;
	SHM[1] = getpid();
	SHM[2] = 0;
	sigvec(SIGUSR1, &sv, 0);
	sigblock(SIGMASK(SIGUSR1));
	child = spawn("shmpong");
	while (!SHM[2])
		sigpause(0);
	for (i = 0; i < rounds; i++) {
		SHM[0]++;
		kill(child, SIGUSR1);
		while (SHM[0] & 1)
			sigpause(0);
	}
	R("counter", SHM[0]);
	R("nsig_ok", nsig >= (int)rounds);
	R("wait_ok", wait(&st) == child);
	R("child_status", st);
	return 0;
}
