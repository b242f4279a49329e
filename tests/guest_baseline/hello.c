/* hello.c - the smallest baseline program: a console line, a result, exit 7. */
#include "osapi.h"
#include "ulib.h"

int main(void)
{
	print("hello from pid ");
	print_hex(getpid());
	print("\n");
	bench_result("pid", os_self());
	return 7;
}
