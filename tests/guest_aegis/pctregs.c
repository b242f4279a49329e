/* pctregs.c - see pctregs.S.  Module "regs" sends, module "regs2" receives. */
#include "exos.h"

#define ECHO_AREA   (UAREA_VADDR + 1024)
#define PAT(n)      (0x5a000000u | ((uint32_t)(n) << 16) | (uint32_t)(n))

int pct_all_regs(int target);
void echo_entry(void);

void echo_report(void)
{
	volatile uint32_t *r = (volatile uint32_t *)ECHO_AREA;
	uint32_t same = 0, n = 0;
	for (int i = 1; i < 32; i++) {
		uint32_t want = i == 2 ? SYS_PCT_SYNC : i == 3 ? (uint32_t)os_self() : PAT(i);
		if (i == 26 || i == 27)
			continue;       /* k0/k1: the kernel's */
		n++;
		same += r[i] == want;
		if (r[i] != want) {
			exos_puts("reg ");
			exos_putx((uint32_t)i);
			exos_puts(" = ");
			exos_putx(r[i]);
			exos_puts("\n");
		}
	}
	bench_result("regs_checked", n);
	bench_result("regs_same", same);
	ae_exit(0);
}

int main(void)
{
	if (exos_parent() >= 0) {
		ae_set_entry(AE_ENTRY_SYNC, (uint32_t)(uintptr_t)echo_entry);
		for (;;)
			ae_pct_wait();
	}
	int child = os_spawn("regs2");
	int r;
	while ((r = pct_all_regs(child)) < 0)   /* the receiver is not waiting yet */
		os_yield(child);
	return HALT_VALIDATION;                 /* never: control went to the receiver for good */
}
