/* A benchmark program that measures something and then admits its check failed
 * (mode 0), drops unpaired markers (mode 1), or says the row is unsupported (mode 2). */
#include "benchutil.h"

int main(void)
{
	uint32_t mode = os_param("mode", 0);
	if (mode == 2)
		bench_unsupported();
	bench_marker(BENCH_MARK_START);
	if (mode != 1)
		bench_marker(BENCH_MARK_END);
	bench_finish(mode == 1);
}
