/* child.c - exits at once with status 12. */
#include "osapi.h"

int main(void)
{
	return 12;
}
