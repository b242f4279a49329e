/* console.c - Aegis's name on the shared kernel console (guestlib/kconsole.c). */
#include "kern.h"

const char kconsole_name[] = "aegis";
