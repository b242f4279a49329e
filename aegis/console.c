/* console.c - Aegis's name on the shared kernel console (csrc/guest/kconsole.c). */
#include "kern.h"

const char kconsole_name[] = "aegis";
