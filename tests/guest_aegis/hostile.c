/*
 * hostile.c - a victim that keeps secrets and checks its own integrity, and an attacker
 * beside it that tries to break Aegis's protection (tests/test_hostile.py).
 *
 * The same image is boot module "victim" (started first: it owns the run) and "attacker"
 * (and "attacker2"); boot parameter "t" picks the attack.  The victim writes a secret into
 * a page of its own, spawns the attacker, lets it run, and at the end checks that its
 * secret page, its data and its registers are intact.  Both report (the test boots with
 * report_any, except for the board attack, which is about reports).
 */
#include "exos.h"
#include "pf.h"

#define SECRET_VA   0x50000000
#define SECRET      0x5ec7e7u
#define SHM_VA      0x51000000          /* the victim publishes what the attacker may know */
#define SCRATCH_VA  0x60000000

struct board_note {                     /* in the shared page (key 77) */
	volatile uint32_t role;             /* of the next environment the victim spawns */
	volatile uint32_t secret_ppn;       /* the page number is public; its capability is not */
	volatile int32_t victim, attacker, old_id;
	volatile uint32_t attack_done, victim_done;
};
#define NOTE ((struct board_note *)SHM_VA)

static volatile uint32_t victim_data[64];

static int is_victim(void) { return exos_parent() < 0; }

static void yield_until(volatile uint32_t *flag)
{
	for (uint32_t i = 0; i < 2000000 && !*flag; i++)
		os_yield(-1);
}

/* ---- 1: capabilities are unforgeable ---------------------------------------------------- */

/* xorshift32, the old kernel's capability generator: its successors and predecessors of a
 * capability the attacker has seen are the candidates it tries on every page. */
static uint32_t xs(uint32_t x) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return x; }

static void attack_caps(void)
{
	static ae_cap_t mine[64];
	uint32_t n = 0, hits = 0, tries = 0;
	for (; n < 64; n++)
		if (AE_CAP_IS_ERR(mine[n] = ae_page_alloc()))
			break;
	uint32_t target = NOTE->secret_ppn;
	/* every tag derived from what it saw: neighbours, xorshift chains of each word */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t lo = (uint32_t)mine[i], hi = (uint32_t)(mine[i] >> 32);
		uint32_t a = lo, b = hi;
		for (uint32_t k = 0; k < 64; k++) {
			a = xs(a), b = xs(b);
			ae_cap_t guesses[4] = {
				(ae_cap_t)target << AE_CAP_PPN_SHIFT | (mine[i] & 0xffffffffffffull) + ((ae_cap_t)k << 4),
				(ae_cap_t)target << AE_CAP_PPN_SHIFT | (mine[i] & 0xffffffffffffull) - ((ae_cap_t)k << 4),
				(ae_cap_t)target << AE_CAP_PPN_SHIFT | ((ae_cap_t)(b & 0xffff) << 32) | a,
				(ae_cap_t)target << AE_CAP_PPN_SHIFT | ((ae_cap_t)(hi & 0xffff) << 32) | a,
			};
			for (int g = 0; g < 4; g++, tries++)
				hits += ae_tlb_map(SCRATCH_VA, guesses[g]) == 0;
		}
	}
	/* and brute force: random tags on the secret's page */
	uint32_t x = 0x12345;
	for (uint32_t k = 0; k < 4096; k++, tries++) {
		x = xs(x);
		uint32_t y = xs(x ^ 0x9e3779b9);
		hits += ae_tlb_map(SCRATCH_VA | AE_MAP_W,
				   (ae_cap_t)target << AE_CAP_PPN_SHIFT | ((ae_cap_t)(y & 0xffff) << 32) | x) == 0;
	}
	bench_result("atk_tries", tries);
	bench_result("atk_hits", hits);
}

/* ---- 2: a page the kernel maps for an environment cannot be freed or handed on --------- */

static void attack_guaranteed(void)
{
	/* Its own stack, text and save area are guaranteed mappings: no capability names them, so
	 * the only "capabilities" it can try carry tag 0 or guesses.  Free every page number. */
	uint32_t freed = 0, given = 0;
	for (uint32_t ppn = 0; ppn < 8192; ppn++) {
		ae_cap_t c = (ae_cap_t)ppn << AE_CAP_PPN_SHIFT;
		freed += ae_page_free(c) == 0;
		freed += ae_page_free(c | 0x10) == 0;
		given += ae_page_give(c, (uint32_t)NOTE->victim) == 0;
	}
	bench_result("atk_freed", freed);
	bench_result("atk_given", given);
}

/* ---- 3: the board's kernel page and the result channel ----------------------------------- */

static volatile uint32_t faults;
static void skip(struct os_fault *f) { faults++; f->pc += 4; }

static void attack_board(void)
{
	os_set_handler(EXC_TLBL, skip);
	os_set_handler(EXC_TLBS, skip);
	os_set_handler(EXC_MOD, skip);          /* BOARD_USER_VADDR + BOARD_KPAGE is the read-only boot info */
	volatile uint32_t *kpage = (volatile uint32_t *)(BOARD_USER_VADDR + BOARD_KPAGE);
	kpage[(BOARD_TIMER_PERIOD - BOARD_KPAGE) / 4] = 1;          /* livelock the victim */
	kpage[(BOARD_HALT - BOARD_KPAGE) / 4] = 0;                  /* stop the run */
	/* map the board's kernel page with a made-up capability: no capability names device pages */
	int mapped = ae_tlb_map(SCRATCH_VA | AE_MAP_W | AE_MAP_N,
				(ae_cap_t)((BOARD_PADDR + BOARD_KPAGE) >> PAGE_SHIFT) << AE_CAP_PPN_SHIFT | 0x10);
	/* forge the victim's verdict */
	bench_result("valid", 1);
	bench_marker(BENCH_MARK_START);
	bench_marker(BENCH_MARK_END);
	NOTE->old_id = (int32_t)faults * 16 + (mapped == 0);      /* what it managed, for the victim */
}

/* ---- 4 and 8: ids, their authority, and quotas ------------------------------------------- */

static void attack_ids(void)
{
	/* The victim spawned "attacker2", recorded its id, and waited for it to exit; the slot
	 * may now be ours.  Its old id must name nothing we can act on. */
	int32_t old = NOTE->old_id;
	bench_result("atk_slot_reused", (uint32_t)((old & (NENV - 1)) == (os_self() & (NENV - 1))));
	bench_result("atk_same_id", (uint32_t)(old == os_self()));
	bench_result("atk_destroy_old", (uint32_t)ae_env_destroy((uint32_t)old));
	bench_result("atk_reclaim_old", (uint32_t)ae_page_reclaim((uint32_t)old, 1));
	bench_result("atk_alive_old", (uint32_t)ae_env_alive((uint32_t)old));
	bench_result("atk_pct_old", (uint32_t)ae_pct_sync(old));
	bench_result("atk_destroy_victim", (uint32_t)ae_env_destroy((uint32_t)NOTE->victim));
	bench_result("atk_reclaim_victim", (uint32_t)ae_page_reclaim((uint32_t)NOTE->victim, 1));
}

static void attack_quota(void)
{
	uint32_t pages = 0, kids = 0;
	while (!AE_CAP_IS_ERR(ae_page_alloc()) && pages < 100000)
		pages++;
	while (kids < NENV && ae_env_create(2 /* attacker2: spins */, 0, 0) >= 0)
		kids++;
	bench_result("atk_pages", pages);
	bench_result("atk_kids", kids);
}

/* ---- 5: bounded kernel work ------------------------------------------------------------ */

static void attack_work(void)
{
	/* The heaviest filter sets it may build (every shape: n filters of DPF_MAXATOMS_ENV / n
	 * atoms, on IPv6 packets: the victim has IP).  Markers 10/11 around each insertion,
	 * 12/13 around the largest classification run the kernel accepts, 14/15 around each
	 * removal: the host checks none keeps the kernel busy for more than a time slice. */
	static struct dpf_atom f[DPF_MAXFILTERS_ENV][DPF_MAXATOMS];
	static uint8_t pkt[128];
	int32_t ids[DPF_MAXFILTERS_ENV];
	uint32_t inserted = 0, refused = 0;
	pkt[12] = 0x86, pkt[13] = 0xdd;
	for (uint32_t per = 1; per <= DPF_MAXATOMS; per++) {
		uint32_t nf = 0;
		for (uint32_t i = 0; i < DPF_MAXFILTERS_ENV; i++) {
			f[i][0] = (struct dpf_atom){12, 2, 0xffff, 0x86dd};
			for (uint32_t k = 1; k < per; k++)
				f[i][k] = (struct dpf_atom){(uint16_t)(14 + 4 * k), 4, 0xffffffff, i * 977 + k};
			bench_marker(10);
			ids[i] = dpf_insert(f[i], per);
			bench_marker(11);
			if (ids[i] < 0)
				break;
			nf++;
		}
		inserted += nf;
		refused += nf < DPF_MAXFILTERS_ENV;                 /* held by a limit */
		uint32_t work = nf * (1 + per) + 2;                 /* with the victim's filter */
		bench_marker(12);
		int32_t r = dpf_bench(pkt, sizeof pkt, DPF_ENGINE_INTERP, DPF_BENCH_BUDGET / work);
		bench_marker(13);
		if (per == DPF_MAXATOMS)
			bench_result("atk_bench_over", (uint32_t)dpf_bench(pkt, sizeof pkt, DPF_ENGINE_INTERP,
									   DPF_BENCH_BUDGET / work + 1));
		(void)r;
		for (uint32_t i = 0; i < nf; i++) {
			bench_marker(14);
			dpf_remove(ids[i]);
			bench_marker(15);
		}
	}
	bench_result("atk_inserted", inserted);
	bench_result("atk_refused", refused);
}

/* ---- 6: packet filters cannot steal ------------------------------------------------------ */

static void attack_filters(void)
{
	static struct dpf_atom none[1] = {{12, 2, 0, 0}};                        /* tests nothing */
	static struct dpf_atom same[1] = {{12, 2, 0xffff, 0x0800}};              /* the victim's */
	static struct dpf_atom wider[1] = {{12, 1, 0xff, 0x08}};                 /* 0x08xx: IP too */
	static struct dpf_atom narrower[2] = {{12, 2, 0xffff, 0x0800}, {23, 1, 0xff, 6}};   /* TCP over IP */
	static struct dpf_atom arp[1] = {{12, 2, 0xffff, 0x0806}};               /* disjoint: fine */
	bench_result("atk_none", (uint32_t)dpf_insert(none, 1));
	bench_result("atk_same", (uint32_t)dpf_insert(same, 1));
	bench_result("atk_wider", (uint32_t)dpf_insert(wider, 1));
	bench_result("atk_narrower", (uint32_t)dpf_insert(narrower, 2));
	bench_result("atk_arp", (uint32_t)(dpf_insert(arp, 1) >= 0));
	uint32_t more = 1;                              /* the ARP one */
	static struct dpf_atom mine[1];
	for (uint32_t i = 0; i < DPF_MAXFILTERS; i++) {
		mine[0] = (struct dpf_atom){12, 2, 0xffff, 0x9000 + i};
		if (dpf_insert(mine, 1) < 0)
			break;
		more++;
	}
	bench_result("atk_filters", more);
}

/* ---- 7: no kernel or foreign values in registers ----------------------------------------- */

uint32_t leak_probe(uint32_t v0, uint32_t a0, uint32_t a1, uint32_t *out);   /* hostile_regs.S */

/* The registers a system call may leave as they were, zero, or its result: anything else is a
 * leak.  out[] = the 32 registers, hi, lo after the call; the pattern was 0x0bad0000 + r, and
 * a0/a1 held the arguments.  Returns a mask of the registers that leaked (bit 0: hi or lo). */
static uint32_t leaks(const uint32_t *out, int result_regs, uint32_t a0, uint32_t a1)
{
	uint32_t bad = 0;
	for (int r = 1; r < 32; r++) {
		if (r == 2 || (r == 3 && result_regs == 2))
			continue;                       /* v0 (v1): the result */
		if ((r == 4 && out[r] == a0) || (r == 5 && out[r] == a1))
			continue;                       /* the caller's own arguments */
		if (r >= 16 && r <= 23)
			continue;                       /* s0-s7, gp, sp, s8, ra: checked by other tests */
		if (r >= 28)
			continue;
		uint32_t v = out[r];
		if (r == 26 || r == 27)                 /* k0/k1: zero, or the caller's own (its EPC) */
			bad += v >= KUSEG_TOP ? 1u << r : 0;
		else if (v != 0 && v != 0x0bad0000u + (uint32_t)r)
			bad |= 1u << r;
	}
	bad |= (out[32] != 0 && out[32] != 0x0bad0020u) || (out[33] != 0 && out[33] != 0x0bad0021u);
	return bad;
}

static void attack_regs(void)
{
	static uint32_t out[34];
	static struct dpf_atom f[1] = {{12, 2, 0xffff, 0x0806}};      /* ARP: ours */
	static uint8_t pkt[64];
	int id = dpf_insert(f, 1);
	pkt[12] = 0x08, pkt[13] = 0x00;                                 /* IP: the victim's */
	uint32_t p = (uint32_t)(uintptr_t)pkt, v = (uint32_t)NOTE->victim;
	leak_probe(SYS_NULL, 0, 0, out);
	bench_result("leak_null", leaks(out, 1, 0, 0));
	leak_probe(SYS_NULL_STACK, 0, 0, out);
	bench_result("leak_null_stack", leaks(out, 2, 0, 0));
	leak_probe(SYS_DPF_CLASSIFY, p, sizeof pkt, out);
	bench_result("leak_classify", leaks(out, 2, p, sizeof pkt));
	leak_probe(SYS_ENV_ALIVE, v, 0, out);
	bench_result("leak_alive", leaks(out, 2, v, 0));
	leak_probe(SYS_YIELD, (uint32_t)NOTE->victim, 0, out);           /* the victim yields back */
	bench_result("leak_yield_k", out[26] >= KUSEG_TOP || out[27] >= KUSEG_TOP);
	leak_probe(SYS_YIELD, (uint32_t)-1, 0, out);
	bench_result("leak_yield_any_k", out[26] >= KUSEG_TOP || out[27] >= KUSEG_TOP);
	dpf_remove(id);
}

/* ---- 9: a syscall in a branch delay slot ----------------------------------------------- */

static void attack_delay_slot(void)
{
	uint32_t ran = 0;
	/* SYS_PAGE_ALLOC in the delay slot of a taken branch: on the old kernel it ran twice and
	 * the branch was lost. */
	__asm__ volatile(
		".set noreorder\n\t"
		"li $v0, %1\n\t"
		"beq $zero, $zero, 1f\n\t"
		"syscall\n\t"
		"addiu %0, %0, 100\n"       /* skipped by the branch */
		"1:\taddiu %0, %0, 1\n\t"
		".set reorder"
		: "+r"(ran) : "i"(SYS_PAGE_ALLOC) : "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3",
		  "t4", "t5", "t6", "t7", "t8", "t9", "at", "memory");
	bench_result("atk_after_delay_slot", ran);          /* never reached: the kernel refuses it */
}

/* ---- the victim ------------------------------------------------------------------------ */

static void victim(uint32_t t)
{
	os_shm_map(SHM_VA, 1, 77);
	os_alloc_pages(SECRET_VA, 1);
	*(volatile uint32_t *)SECRET_VA = SECRET;
	for (int i = 0; i < 64; i++)
		victim_data[i] = SECRET ^ (uint32_t)i;
	ae_cap_t c;
	uint32_t fl;
	vm_lookup(SECRET_VA, &c, &fl);
	NOTE->secret_ppn = AE_CAP_PPN(c);
	NOTE->victim = os_self();
	static struct dpf_atom ip[1] = {{12, 2, 0xffff, 0x0800}};      /* IP: ours */
	int filter = t >= 5 && t <= 7 ? dpf_insert(ip, 1) : -1;
	if (t == 4) {
		NOTE->role = 2;
		int32_t first = os_spawn("attacker2");                  /* exits at once */
		NOTE->old_id = first;
		while (ae_env_alive((uint32_t)first))
			os_yield(first);
	}
	uint32_t ticks0 = BOARD_REG(BOARD_TIMER_COUNT);
	NOTE->role = 1;
	int32_t a = os_spawn("attacker");
	NOTE->attacker = a;
	bench_result("spawned", a >= 0);
	if (t == 4)
		bench_result("reused_slot", (uint32_t)((a & (NENV - 1)) == (NOTE->old_id & (NENV - 1))));
	if (t == 8) {                   /* quotas: the victim can still allocate and spawn */
		yield_until(&NOTE->attack_done);
		bench_result("victim_page", !AE_CAP_IS_ERR(ae_page_alloc()));
		NOTE->role = 2;
		int kid = os_spawn("attacker2");
		bench_result("victim_spawn", kid >= 0);
		ae_env_destroy((uint32_t)a);                          /* and its children go with it */
		uint32_t more = 0;                                      /* so every other slot is free again */
		while (more < NENV && os_spawn("attacker2") >= 0)
			more++;
		bench_result("spawned_after_destroy", more);
		/* returning destroys them all with us: the run ends */
	} else {
		yield_until(&NOTE->attack_done);
		while (ae_env_alive((uint32_t)a))
			os_yield(a);
	}
	if (filter >= 0) {
		static struct dpf_atom another[1] = {{12, 2, 0xffff, 0x8035}};     /* RARP: room left for it */
		bench_result("victim_second_filter", dpf_insert(another, 1) >= 0);
		bench_result("victim_filter_kept", dpf_remove(filter) == 0);
	}
	bench_result("victim_ticks", BOARD_REG(BOARD_TIMER_COUNT) - ticks0 > 0);
	bench_result("board_note", (uint32_t)NOTE->old_id);
	uint32_t ok = *(volatile uint32_t *)SECRET_VA == SECRET;
	for (int i = 0; i < 64; i++)
		ok &= victim_data[i] == (SECRET ^ (uint32_t)i);
	bench_result("victim_intact", ok);
}

/* ---- 10: what an environment sees of capabilities, for the host's statistics ---------- */

static void observe_caps(void)
{
	uint32_t n = os_param("caps", 500);
	for (uint32_t i = 0; i < n; i++) {
		ae_cap_t c = ae_page_alloc();
		bench_result("lo", (uint32_t)c);
		bench_result("hi", (uint32_t)(c >> 32));
		ae_page_free(c);                /* the same page comes back: only the tag changes */
	}
}

int main(void)
{
	uint32_t t = os_param("t", 0);
	if (t == 10) {
		observe_caps();
		return 0;
	}
	if (is_victim()) {
		victim(t);
		return 0;
	}
	os_shm_map(SHM_VA, 1, 77);
	if (NOTE->role != 1) {          /* attacker2 (or the attacker's own children): spins or exits */
		if (t == 8)
			for (;;)
				os_yield(-1);
		return 0;
	}
	switch (t) {
	case 1: attack_caps(); break;
	case 2: attack_guaranteed(); break;
	case 3: attack_board(); break;
	case 4: attack_ids(); break;
	case 5: attack_work(); break;
	case 6: attack_filters(); break;
	case 7: attack_regs(); break;
	case 8: attack_quota(); break;
	case 9: NOTE->attack_done = 1; attack_delay_slot(); break;
	}
	NOTE->attack_done = 1;
	return 0;
}
