/* intrkid.c - blocks in read() until intr.c's SIGUSR1; exits with 100 +
 * handler runs (1) + 10 * (read returned -EINTR). */
#include "osapi.h"
#include "ulib.h"

static volatile int ran;
static void on_usr1(int sig, int code, struct sigcontext *scp)
{
	(void)sig, (void)code, (void)scp;
	ran++;
}

int main(void)
{
	struct sigvec sv = {(uint32_t)on_usr1, 0, 0};
	char c;
	int r;

	close(4);
	sigvec(SIGUSR1, &sv, 0);
	r = read(3, &c, 1);
	return 100 + ran + 10 * (r == -EINTR);
}
