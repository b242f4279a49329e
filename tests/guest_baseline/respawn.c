/* respawn.c - more spawn+wait cycles than process slots: exit and wait give
 * back the slot, u-area and address space each time; memory use is flat. */
#include "osapi.h"
#include "ulib.h"

int main(void)
{
	int i, ok = 0, pid;
	uint32_t st;

	for (i = 0; i < 40; i++) {
		pid = spawn("child");
		if (pid > 0 && wait(&st) == pid && st == 12)
			ok++;
	}
	bench_result("ok", ok);
	return 0;
}
