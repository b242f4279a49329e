/*
 * ipc.c - two-environment tests.  The same image is boot module "ipc"
 * (the parent, started first) and "ipc2" (spawned); the role comes from
 * SA_PARENT.  Boot parameter "t" picks the test.
 */
#include "exos.h"

#define N 32
#define SHM_VA 0x50000000

static int child_id;

static int spawn(void)
{
	child_id = os_spawn("ipc2");
	if (child_id < 0) {
		bench_result("spawn_failed", 1);
		os_exit(HALT_VALIDATION);
	}
	return child_id;
}

/* ---- pipe: 20000 bytes through a 2 KiB ring ---- */
#define PIPE_BYTES 20000
static uint8_t pattern(uint32_t i) { return (uint8_t)(i * 7 + (i >> 8)); }

static void pipe_parent(void)
{
	int fds[2];
	static uint8_t buf[700];
	bench_result("pipe", (uint32_t)os_pipe(fds));
	spawn();
	uint32_t got = 0, bad = 0;
	while (got < PIPE_BYTES) {
		int n = os_read(fds[0], buf, sizeof buf);
		if (n <= 0) {
			bad++;
			break;
		}
		for (int i = 0; i < n; i++)
			bad += buf[i] != pattern(got + (uint32_t)i);
		got += (uint32_t)n;
	}
	bench_result("got", got);
	bench_result("bad", bad);
}

static void pipe_child(void)
{
	static uint8_t buf[999];
	for (uint32_t sent = 0; sent < PIPE_BYTES;) {
		uint32_t k = PIPE_BYTES - sent < sizeof buf ? PIPE_BYTES - sent : sizeof buf;
		for (uint32_t i = 0; i < k; i++)
			buf[i] = pattern(sent + i);
		os_write(1, buf, k);
		sent += k;
	}
}

/* ---- pipe': one word at a time, inlined ---- */
static void pipe2_parent(void)
{
	int fds[2];
	os_pipe(fds);
	spawn();
	struct ring *r = exos_pipe_ring(fds[0]);
	r->reader = os_self();
	uint32_t sum = 0;
	for (uint32_t i = 0; i < 1000; i++)
		sum += exos_pipe_get_word(r) == i * 3;
	bench_result("words_ok", sum);
}

static void pipe2_child(void)
{
	struct ring *r = exos_pipe_ring(1);
	r->writer = os_self();
	for (uint32_t i = 0; i < 1000; i++)
		exos_pipe_put_word(r, i * 3);
}

/* ---- lrpc / tlrpc ---- */
static uint32_t add_mul(uint32_t a, uint32_t b, uint32_t c)
{
	return a + b * c;
}

static void lrpc_parent(int trusted)
{
	spawn();
	uint32_t (*call)(int, uint32_t, uint32_t, uint32_t) = trusted ? exos_tlrpc_call : exos_lrpc_call;
	uint32_t r;
	while ((int32_t)(r = call(child_id, 1, 2, 3)) < 0)   /* server not ready yet */
		os_yield(child_id);
	bench_result("first", r);
	uint32_t ok = 0;
	bench_marker(1);
	for (uint32_t i = 0; i < N; i++)
		ok += call(child_id, i, i, 2) == 3 * i;
	bench_marker(2);
	bench_result("ok", ok);
	bench_result("bad_target", (uint32_t)call(13, 0, 0, 0));
	ae_env_destroy((uint32_t)child_id);
}

/* ---- shm ping-pong: a shared counter, handed over with yield ---- */
static void shm_play(int parent)
{
	volatile uint32_t *ctr = (volatile uint32_t *)SHM_VA;
	if (os_shm_map(SHM_VA, 1, 7) != 0)
		os_exit(HALT_VALIDATION);
	int peer = parent ? child_id : exos_parent();
	for (uint32_t round = 0; round < N; round++) {
		while ((*ctr & 1) != (parent ? 0u : 1u))
			os_yield(peer);
		*ctr = *ctr + 1;
	}
	if (parent) {
		while (*ctr != 2 * N)
			os_yield(peer);
		bench_result("counter", *ctr);
	}
}

/* ---- preemption: the child spins without yielding; the parent still runs ---- */
static void spin_parent(void)
{
	volatile uint32_t *ctr = (volatile uint32_t *)SHM_VA;
	os_shm_map(SHM_VA, 1, 9);
	spawn();
	/* Spin (no yield) until the child has run: only the timer can make that happen. */
	volatile uint32_t loops = 0;
	bench_marker(1);
	while (*ctr < 1000)
		loops++;
	while (loops < 400000)          /* a few slices more, to time the ticks */
		loops++;
	bench_marker(2);
	bench_result("child_ran", 1);
	bench_result("destroy", (uint32_t)ae_env_destroy((uint32_t)child_id));
	bench_result("alive_after", (uint32_t)ae_env_alive((uint32_t)child_id));
}

static void spin_child(void)
{
	volatile uint32_t *ctr = (volatile uint32_t *)SHM_VA;
	os_shm_map(SHM_VA, 1, 9);
	for (;;)
		(*ctr)++;
}

/* ---- asynchronous PCT ---- */
static void on_async(uint32_t self, uint32_t a1, uint32_t a2, uint32_t a3)
{
	volatile uint32_t *box = (volatile uint32_t *)SHM_VA;
	box[0] = self;
	box[1] = a1 + a2 + a3;
	box[2]++;
}

static void async_parent(void)
{
	volatile uint32_t *box = (volatile uint32_t *)SHM_VA;
	os_shm_map(SHM_VA, 1, 11);
	spawn();
	int r;
	while ((r = exos_async_send(child_id, 100, 20, 3)) < 0)
		os_yield(child_id);
	bench_result("send", (uint32_t)r);
	bench_result("box_self", box[0]);
	bench_result("box_sum", box[1]);
	bench_result("box_n", box[2]);
	ae_env_destroy((uint32_t)child_id);
}

static void async_child(void)
{
	os_shm_map(SHM_VA, 1, 11);
	exos_async_serve(on_async);
}

/* ---- PCT to a server preempted before it waits: Aegis says AE_EBUSY, ExOS retries ---- */
uint32_t exos_lrpc_try(int server, uint32_t a0, uint32_t a1, uint32_t a2);     /* lrpc.S: one attempt */
int exos_async_try(int target, uint32_t a1, uint32_t a2, uint32_t a3);         /* lrpc.S: one attempt */
#define LATE_STARTED 8          /* box words of their own: on_async writes box[0..2] */
#define LATE_SPUN    9

static void late_parent(int async)
{
	volatile uint32_t *box = (volatile uint32_t *)SHM_VA;
	os_shm_map(SHM_VA, 1, 19);
	spawn();
	while (!box[LATE_STARTED])      /* the server has started its spin: from now on it only */
		os_yield(child_id);     /* loses the CPU to the timer, with its context saved */
	if (async) {
		bench_result("try", (uint32_t)exos_async_try(child_id, 100, 20, 3));   /* refused */
		bench_result("late", (uint32_t)exos_async_send(child_id, 100, 20, 3));
		bench_result("box_sum", box[1]);
	} else {
		bench_result("try", exos_lrpc_try(child_id, 1, 2, 3));                 /* refused */
		bench_result("late", exos_lrpc_call(child_id, 1, 2, 3));
	}
	bench_result("spun", box[LATE_SPUN]);
	ae_env_destroy((uint32_t)child_id);
}

static void late_child(int async)
{
	volatile uint32_t *box = (volatile uint32_t *)SHM_VA;
	os_shm_map(SHM_VA, 1, 19);
	box[LATE_STARTED] = 1;
	for (volatile uint32_t i = 0; i < 150000; i++)  /* about two time slices */
		;
	box[LATE_SPUN] = 1;
	if (async)
		exos_async_serve(on_async);
	exos_lrpc_serve(add_mul, 0);
}

/* ---- a second environment is isolated: its faults do not touch us ---- */
static void fault_parent(void)
{
	spawn();
	while (ae_env_alive((uint32_t)child_id))
		os_yield(child_id);
	bench_result("parent_survived", 1);
}

static void fault_child(void)
{
	*(volatile uint32_t *)0x80000080 = 0;   /* the exception vector: AdES, no handler */
}

/* ---- a page reaches another environment only with its capability ---- */
#define CAP_VA 0x60000000
static void cap_parent(void)
{
	volatile uint32_t *box = (volatile uint32_t *)SHM_VA;
	os_shm_map(SHM_VA, 1, 13);
	ae_cap_t cap = ae_page_alloc();
	vm_map_page(CAP_VA, cap, PTE_R | PTE_W);        /* in our page table: misses are refilled */
	*(volatile uint32_t *)CAP_VA = 0xabcdef;
	box[0] = (uint32_t)cap;
	box[1] = (uint32_t)(cap >> 32);
	spawn();
	while (ae_env_alive((uint32_t)child_id))
		os_yield(child_id);
	bench_result("child_wrote", *(volatile uint32_t *)CAP_VA);
}

static void cap_child(void)
{
	volatile uint32_t *box = (volatile uint32_t *)SHM_VA;
	os_shm_map(SHM_VA, 1, 13);
	ae_cap_t cap = (ae_cap_t)box[1] << 32 | box[0];
	bench_result("guess", (uint32_t)ae_tlb_map(CAP_VA, cap + (1 << 4)));                 /* the next tag */
	bench_result("neighbour", (uint32_t)ae_tlb_map(CAP_VA, cap + ((ae_cap_t)1 << AE_CAP_PPN_SHIFT)));
	bench_result("with_cap", (uint32_t)ae_tlb_map(CAP_VA | AE_MAP_W, cap));
	vm_map_page(CAP_VA, cap, PTE_R | PTE_W);
	bench_result("seen", *(volatile uint32_t *)CAP_VA);
	*(volatile uint32_t *)CAP_VA = 0x123;
}

/* ---- directed yield: the named environment runs next ---- */
static void order_parent(void)
{
	volatile uint32_t *box = (volatile uint32_t *)SHM_VA;
	os_shm_map(SHM_VA, 1, 17);
	int a = spawn();
	int b = spawn();
	os_yield(b);
	while (ae_env_alive((uint32_t)a) || ae_env_alive((uint32_t)b))
		os_yield(-1);
	bench_result("first_is_b", box[1] == (uint32_t)b);
	bench_result("ran", box[0]);
}

static void order_child(void)
{
	volatile uint32_t *box = (volatile uint32_t *)SHM_VA;
	os_shm_map(SHM_VA, 1, 17);
	box[++box[0]] = (uint32_t)os_self();
}

/* ---- preemption restores every register of every environment ---- */
int reg_torture(uint32_t seed, uint32_t iterations);
static void torture(int parent)
{
	if (parent)
		spawn();
	int r = reg_torture(parent ? 0x11110000u : 0x77770000u, 20000);
	if (parent)             /* one reporter at a time: result names are written byte by byte */
		while (ae_env_alive((uint32_t)child_id))
			os_yield(child_id);
	bench_result(parent ? "parent_torture" : "child_torture", (uint32_t)r);
}

/* ---- end-of-slice upcalls: the libOS saves and resumes the context itself ---- */
static void upcall_test(int parent)
{
	volatile uint32_t *ctr = (volatile uint32_t *)SHM_VA;
	os_shm_map(SHM_VA, 1, 19);
	if (!parent) {
		for (;;)
			(*ctr)++;               /* runs only when the parent yields or is preempted */
	}
	spawn();
	bench_result("handler", (uint32_t)exos_slice_end_handler(0));
	int r = reg_torture(0x33330000u, 30000);
	uint32_t child_count = *ctr;
	ae_env_destroy((uint32_t)child_id);
	bench_result("torture", (uint32_t)r);
	bench_result("upcalls", exos_slice_ends);
	bench_result("child_ran", child_count > 0);
}

/* ---- ASID recycling: an environment never reaches another's stale bindings ----
 * The parent binds a private page (TLB and STLB), then drops its bindings with
 * SYS_TLB_FLUSH, leaving entries under an ASID it gave up; the child flushes too
 * and probes the same address.  Both take fresh ASIDs every round, far more
 * often than there are ASIDs, so the child is handed ASIDs the parent bound the
 * page under: every probe must fault (the child has no such page). */
#define SECRET_VA 0x70000000
#define ASID_ROUNDS 150
#define KEEP_VA 0x71000000
#define KEEP_PAGES 96
static volatile uint32_t probe_faults;
static void probe_fault(struct os_fault *f)
{
	probe_faults++;
	f->pc += 4;
}

static void asid_parent(void)
{
	volatile uint32_t *box = (volatile uint32_t *)SHM_VA;
	volatile uint32_t *secret = (volatile uint32_t *)SECRET_VA;
	uint32_t bad = 0;
	os_shm_map(SHM_VA, 1, 23);
	os_alloc_pages(SECRET_VA, 1);
	*secret = 0x5ec7e7;
	spawn();
	for (int i = 0; i < ASID_ROUNDS; i++) {
		bad += *secret != 0x5ec7e7;     /* bound under our current ASID */
		bad += ae_tlb_flush() != 0;     /* ... which we give up */
		os_yield(child_id);
	}
	box[3] = 1;
	/* Our live bindings survive the scrubs the child's flushes cause: bind 96 pages
	 * (more than the hardware TLB holds: most are found in the STLB only),
	 * let the child flush 130 times (two scrub passes at least), read them again.
	 * Only STLB collisions with the child's new entries may cost us an ExOS fault. */
	os_alloc_pages(KEEP_VA, KEEP_PAGES);
	for (int i = 0; i < KEEP_PAGES; i++)
		*(volatile uint32_t *)(KEEP_VA + i * PAGE_SIZE) = (uint32_t)i;
	box[4] = 1;
	while (!box[5])
		os_yield(child_id);
	volatile uint32_t *resolved = &vm_faults_resolved;     /* the fault handler changes it */
	uint32_t before = *resolved;
	for (int i = 0; i < KEEP_PAGES; i++)
		bad += *(volatile uint32_t *)(KEEP_VA + i * PAGE_SIZE) != (uint32_t)i;
	bench_result("keep_faults", *resolved - before);
	while (ae_env_alive((uint32_t)child_id))
		os_yield(child_id);
	bench_result("parent_bad", bad);
	bench_result("leaks", box[0]);
	bench_result("probes", box[1]);
	bench_result("child_faults", box[2]);
}

static void asid_child(void)
{
	volatile uint32_t *box = (volatile uint32_t *)SHM_VA;
	os_shm_map(SHM_VA, 1, 23);
	os_set_handler(EXC_TLBL, probe_fault);
	while (!box[3]) {
		uint32_t before = probe_faults, v = 0xdead;
		ae_tlb_flush();
		__asm__ volatile("lw %0, 0(%1)" : "+r"(v) : "r"(SECRET_VA) : "memory");   /* not in a delay slot */
		box[0] += probe_faults == before;        /* no fault: we read someone else's page */
		box[1]++;
		os_yield(exos_parent());
	}
	box[2] = probe_faults;
	while (!box[4])
		os_yield(exos_parent());
	for (int i = 0; i < 130; i++)
		ae_tlb_flush();
	box[5] = 1;
}

/* ---- pipe with every size and alignment: partial reads and writes, wrap-around ---- */
#define MIX_BYTES 60000
static const uint16_t wsizes[] = {4, 1, 3, 4, 5, 7, 4, 4, 2047, 2048, 4096, 13, 4, 8, 2, 600, 4, 3000, 16, 17};
static const uint16_t rsizes[] = {4, 6, 1, 4, 700, 3, 2048, 4, 4, 9, 4096, 2, 31, 4, 64, 5};

static void pipe_mix_parent(void)
{
	int fds[2];
	static uint8_t buf[4096 + 8];
	bench_result("pipe", (uint32_t)os_pipe(fds));
	spawn();
	uint32_t got = 0, bad = 0, reads = 0, partial = 0;
	while (got < MIX_BYTES) {
		uint32_t want = rsizes[reads % (sizeof rsizes / sizeof rsizes[0])], off = (reads / 3) & 3;
		reads++;
		for (uint32_t i = 0; i < want + 4; i++)
			buf[i] = 0xa5;
		int n = os_read(fds[0], buf + off, want);
		if (n <= 0 || (uint32_t)n > want) {
			bad++;
			break;
		}
		partial += (uint32_t)n < want;
		for (uint32_t i = 0; i < (uint32_t)n; i++)
			bad += buf[off + i] != pattern(got + i);
		for (uint32_t i = 0; i < off; i++)                  /* nothing written outside */
			bad += buf[i] != 0xa5;
		for (uint32_t i = off + (uint32_t)n; i < want + 4; i++)
			bad += buf[i] != 0xa5;
		got += (uint32_t)n;
	}
	bench_result("got", got);
	bench_result("bad", bad);
	bench_result("partial", partial);
	bench_result("bad_fd", (uint32_t)(os_read(fds[1], buf, 4) == OS_EINVAL && os_write(fds[0], buf, 4) == OS_EINVAL
	                                  && os_read(99, buf, 4) == OS_EINVAL && os_write(-1, buf, 4) == OS_EINVAL));
}

static void pipe_mix_child(void)
{
	static uint8_t buf[4096 + 8];
	uint32_t writes = 0;
	for (uint32_t sent = 0; sent < MIX_BYTES; writes++) {
		uint32_t k = wsizes[writes % (sizeof wsizes / sizeof wsizes[0])], off = (writes / 2) & 3;
		if (k > MIX_BYTES - sent)
			k = MIX_BYTES - sent;
		for (uint32_t i = 0; i < k; i++)
			buf[off + i] = pattern(sent + i);
		if (os_write(1, buf + off, k) != (int)k)
			os_exit(1);
		sent += k;
	}
}

/* ---- directed yield keeps s0-s8, gp, sp, ra and returns 0 (yieldregs.S) ---- */
uint32_t yield_check(int target, uint32_t seed);
static void yield_regs(int parent)
{
	int other = parent ? spawn() : exos_parent();
	uint32_t bad = 0;
	for (uint32_t i = 0; i < 3000; i++) {
		if (parent && (i == 100 || i == 100 + N))      /* N round trips (2N yields) between markers 1 and 2 */
			bench_marker(i == 100 ? 1 : 2);
		bad |= yield_check(other, (parent ? 0x10000000u : 0x60000000u) + i * 0x100);
	}
	bench_result(parent ? "parent_bad" : "child_bad", bad);
	if (parent)
		while (ae_env_alive((uint32_t)other) == 1)
			os_yield(other);
}

/* ---- word ping-pong through two pipes (os_write/os_read's fast paths), then short reads ---- */
#define PP_ROUNDS 300
static void pingpong_parent(void)
{
	int req[2], rep[2];
	bench_result("pipes", (uint32_t)(os_pipe(req) | os_pipe(rep)));
	spawn();
	uint32_t ok = 0, w;
	for (uint32_t i = 0; i < PP_ROUNDS; i++) {
		w = i;
		if (os_write(req[1], &w, 4) != 4)
			break;
		w = 0;
		ok += os_read(rep[0], &w, 4) == 4 && w == 3 * i + 1;
	}
	bench_result("pp_ok", ok);
	uint8_t b[4] = {0, 0, 0, 0};
	int n1 = os_read(rep[0], b, 4);                 /* 2 bytes there: short read */
	uint32_t first = n1 == 2 && b[0] == 'a' && b[1] == 'b' && b[2] == 0;
	int n2 = os_read(rep[0], b, 4);                 /* empty: waits, wakes to 2 bytes */
	bench_result("short", first && n2 == 2 && b[0] == 'c' && b[1] == 'd' && b[2] == 0);
}

static void pingpong_child(void)
{
	uint32_t w;
	for (uint32_t i = 0; i < PP_ROUNDS; i++) {
		if (os_read(0, &w, 4) != 4)
			os_exit(1);
		w = 3 * w + 1;
		os_write(3, &w, 4);
	}
	os_write(3, "ab", 2);
	os_yield(exos_parent());
	os_write(3, "cd", 2);
}

int main(void)
{
	int child = exos_parent() >= 0;
	switch (os_param("t", 0)) {
	case 1: child ? pipe_child() : pipe_parent(); break;
	case 2: child ? pipe2_child() : pipe2_parent(); break;
	case 3: child ? exos_lrpc_serve(add_mul, 0) : lrpc_parent(0); break;
	case 4: child ? exos_lrpc_serve(add_mul, 1) : lrpc_parent(1); break;
	case 5: if (!child) spawn(); shm_play(!child); break;
	case 6: child ? spin_child() : spin_parent(); break;
	case 7: child ? async_child() : async_parent(); break;
	case 8: child ? fault_child() : fault_parent(); break;
	case 9: child ? cap_child() : cap_parent(); break;
	case 10: child ? order_child() : order_parent(); break;
	case 11: torture(!child); break;
	case 12: upcall_test(!child); break;
	case 13: child ? asid_child() : asid_parent(); break;
	case 14: child ? pipe_mix_child() : pipe_mix_parent(); break;
	case 15: yield_regs(!child); break;
	case 16: child ? pingpong_child() : pingpong_parent(); break;
	case 17: child ? late_child(0) : late_parent(0); break;
	case 18: child ? late_child(1) : late_parent(1); break;
	default: return HALT_VALIDATION;
	}
	return 0;
}
