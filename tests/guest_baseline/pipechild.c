/* pipechild.c - reads pipes.c's stream (fd 3) in odd-sized pieces until EOF
 * and sends back a position-weighted checksum (fd 6). */
#include "osapi.h"
#include "ulib.h"

static uint8_t buf[5000];

int main(void)
{
	static const int sizes[] = {1000, 1, 4999, 333, 4096};
	uint32_t sum = 0, pos = 0;
	int n, i, k = 0;

	close(4);                       /* our copy of the write end, or EOF never comes */
	close(5);
	write(6, "R", 1);
	while ((n = read(3, buf, sizes[k++ % 5])) > 0)
		for (i = 0; i < n; i++, pos++)
			sum += buf[i] * (pos + 1);
	write(6, &sum, 4);
	return n == 0 && pos == 20000 ? 9 : 1;
}
