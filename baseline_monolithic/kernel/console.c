/*
 * console.c - the baseline's name on the shared kernel console (guestlib/kconsole.c:
 * the board's console register through kseg1, uncached, like Ultrix's cnputc on the
 * DZ/SCC line; panic; halt).
 */
#include "kern.h"

const char kconsole_name[] = "baseline";
