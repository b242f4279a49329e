/* hello.c - the smallest ExOS program: print, report, exit with a code. */
#include "exos.h"

int main(void)
{
	exos_puts("hello from env ");
	exos_putx((uint32_t)os_self());
	exos_puts("\n");
	bench_result("param", os_param("x", 7));
	return (int)os_param("code", 0);
}
