/* pwriter.c - writes 8 blocks of PIPE_BUF bytes, each filled with its pid,
 * to fd 4, yielding between them so two writers interleave by block. */
#include "osapi.h"
#include "ulib.h"

static uint8_t buf[PIPE_BUF];

int main(void)
{
	int i;

	memset(buf, getpid(), sizeof(buf));
	close(3);
	for (i = 0; i < 8; i++) {
		if (write(4, buf, sizeof(buf)) != sizeof(buf))
			return 1;
		yield(-1);
	}
	return 0;
}
