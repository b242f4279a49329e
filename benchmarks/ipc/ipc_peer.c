/*
 * ipc_peer.c - Table 8, the server side of ipc.c: answers each message with message + 1
 * (pipe), or bumps the shared counter back to even (shm).  Exits when the client is done.
 */
#include "benchutil.h"
#include "ipc.h"

int main(void)
{
	uint32_t n = os_param("n", 1000), kind = os_param("kind", 0), seen = 0;
	volatile struct ipc_shm *s = (volatile struct ipc_shm *)IPC_SHM_VADDR;

	if (os_shm_map(IPC_SHM_VADDR, 1, IPC_SHM_KEY) != OS_OK)
		os_exit(1);
	if (kind == IPC_PIPE) {
		int in = s->req[0], out = s->rep[1];
		for (uint32_t i = 0; i < n + IPC_WARMUP; i++) {
			uint32_t msg;
			if (os_read(in, &msg, 4) != 4)
				os_exit(1);
			msg++;
			if (os_write(out, &msg, 4) != 4)
				os_exit(1);
			seen++;
		}
	} else {
		for (;;) {
			while (!(s->counter & 1) && s->counter != IPC_SHM_DONE)
				os_yield(s->client);
			if (s->counter == IPC_SHM_DONE)
				break;
			s->counter++;
			seen++;
		}
	}
	os_exit(seen == n + IPC_WARMUP ? 0 : 1);
}
