/* Link a test program with ExOS's inverted page table (exos/ipt.c): a small table, so that
 * hash chains and a full table are easy to reach (the namespace page takes one entry). */
#ifndef IPT_ENTRIES
#define IPT_ENTRIES 64
#endif
#define EXOS_VM_IPT IPT_ENTRIES
#include "ipt.c"
