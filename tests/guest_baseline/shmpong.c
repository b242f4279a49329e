/* shmpong.c - the other side of shmping.c. */
#include "osapi.h"
#include "ulib.h"

#define SHM ((volatile uint32_t *)0x30000000)

static void on_usr1(int sig, int code, struct sigcontext *scp)
{
	(void)sig, (void)code, (void)scp;
}

int main(void)
{
	struct sigvec sv = {(uint32_t)on_usr1, 0, 0};
	uint32_t rounds = os_param("rounds", 20), i;
	int parent;

	if (os_shm_map(0x30000000, 1, 7))
		return 1;
	parent = SHM[1];
	sigvec(SIGUSR1, &sv, 0);
	sigblock(SIGMASK(SIGUSR1));
	SHM[2] = 1;
	kill(parent, SIGUSR1);
	for (i = 0; i < rounds; i++) {
		while (!(SHM[0] & 1))
			sigpause(0);
		SHM[0]++;
		kill(parent, SIGUSR1);
	}
	return 4;
}
