/*
 * main.c - Aegis boot: read the boot-info block, set up physical memory,
 * the STLB and the timer, clear BEV (the vectors are linked in place),
 * create the first environment from the first boot module and run it.
 */
#include "kern.h"

static uint32_t param(const char *name, uint32_t dflt)
{
	for (uint32_t i = 0; i < bootinfo->nparams && i < BOOT_MAX_PARAMS; i++)
		if (strcmp(bootinfo->params[i].name, name) == 0)
			return bootinfo->params[i].value;
	return dflt;
}

void kmain(struct bootinfo *bi, uint32_t magic)
{
	if (magic != BOOTINFO_MAGIC || bi->magic != BOOTINFO_MAGIC)
		panic("bad boot-info block");
	bootinfo = bi;
	bootinfo_paddr = PADDR(bi);
	if (bootinfo_paddr & (PAGE_SIZE - 1))
		panic("boot-info block not page aligned");
	random_init();
	phys_init(bi->free_paddr, bi->ram_size, param("aegis_page_quota", 0));
	stlb_init();
	env_init();
	if (bi->nmodules == 0)
		panic("no boot module to run");
	/* Vectors at 0x80000000 / 0x80000080 are in place and the state they use is ready. */
	mtc0_status(mfc0_status() & ~(uint32_t)SR_BEV);
	int id = env_create(0, 0, 0, 0);
	if (id < 0)
		panic("cannot start the first environment (boot module %s): error %d",
		      bi->modules[0].name, id);
	/* The first environment owns the benchmark: only its address space may report results
	 * (the board reads its asidhi itself, so this costs nothing afterwards; once it is gone
	 * the word is 0, an ASID nobody gets), unless the host asks for "report_any" (tests
	 * whose several programs report). */
	if (!param("report_any", 0))
		BOARD(BOARD_OWNER_ASID_ADDR) = PADDR(&env_lookup(id)->asidhi);
	if (param("aegis_net", 0))
		lance_init();
	BOARD(BOARD_TIMER_PERIOD) = param("aegis_timer", AE_TIMER_PERIOD);
	curenv = env_lookup(id);
	cur_slot = &slots[0];
	env_run_cur();
}
