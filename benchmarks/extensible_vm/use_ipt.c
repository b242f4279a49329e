/* Link the sparse-region program with ExOS's inverted page table instead of the default
 * two-level one (exos/ipt.c): 256 entries, the physical pages the program may map. */
#define EXOS_VM_IPT 256
#include "ipt.c"
