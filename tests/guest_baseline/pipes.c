/*
 * pipes.c - pipe data arrives intact across context switches; a blocked
 * reader and a blocked writer wake; EOF after the last writer closes; two
 * writers' 4096-byte writes are atomic (never interleaved).
 * fds: 3,4 parent->child; 5,6 child->parent; then 3,4 again from the writers.
 */
#include "osapi.h"
#include "ulib.h"

#define R(name, v) bench_result(name, (uint32_t)(v))
#define TOTAL 20000

static uint8_t buf[8192];

int main(void)
{
	int p1[2], p2[2], p3[2], child, w1, w2, n, i, got = 0, bad = 0, blocks1 = 0, blocks2 = 0;
	uint32_t sum = 0, csum = 0, st = 0;
	static const int sizes[] = {1, 100, 4096, 5000, 3000, 7803};
	char c;

	R("pipe1", pipe(p1));
	R("pipe2", pipe(p2));
	R("fds", p1[0] << 12 | p1[1] << 8 | p2[0] << 4 | p2[1]);
	child = spawn("pipechild");
	R("spawn", child > 0);
	/* The child has not run yet: this read blocks until it writes. */
	R("ready_n", read(p2[0], &c, 1));
	R("ready_c", c);
	for (i = 0; i < TOTAL; i++) {
		buf[i % sizeof(buf)] = (uint8_t)(i * 7 + 3);
		sum += (uint8_t)(i * 7 + 3) * (uint32_t)(i + 1);
	}
	/* More than PIPE_BUF in total: the writer blocks until the child reads. */
	for (i = 0, got = 0; got < TOTAL; i++) {
		int want = sizes[i % 6], off, k;
		if (want > TOTAL - got)
			want = TOTAL - got;
		for (k = 0; k < want; k++)
			buf[k] = (uint8_t)((got + k) * 7 + 3);
		off = write(p1[1], buf, want);
		if (off != want)
			bad++;
		got += want;
	}
	R("write_bad", bad);
	R("close_w", close(p1[1]));
	n = read(p2[0], &csum, 4);
	R("sum_n", n);
	R("sum_ok", csum == sum);
	R("wait_pid_ok", wait(&st) == child);
	R("child_status", st);

	/* Atomic writes: two writers, 8 blocks of 4096 each. */
	close(p1[0]);
	close(p2[0]);
	close(p2[1]);
	R("pipe3", pipe(p3));
	R("fds3", p3[0] << 4 | p3[1]);
	w1 = spawn("pwriter");
	w2 = spawn("pwriter");
	close(p3[1]);
	got = 0;
	bad = 0;
	while ((n = read(p3[0], buf + (got % 4096), 4096 - (got % 4096) < 3000 ? 4096 - (got % 4096) : 3000)) > 0) {
		got += n;
		if (got % 4096 == 0) {
			for (i = 1; i < 4096; i++)
				if (buf[i] != buf[0])
					bad++;
			if (buf[0] == (uint8_t)w1)
				blocks1++;
			else if (buf[0] == (uint8_t)w2)
				blocks2++;
			else
				bad++;
		}
	}
	R("atomic_eof", n);
	R("atomic_bytes", got);
	R("atomic_bad", bad);
	R("atomic_blocks", blocks1 << 8 | blocks2);
	wait(0);
	wait(0);
	return 0;
}
