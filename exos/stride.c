/*
 * stride.c - an application-level stride scheduler (paper §7.3; Waldspurger & Weihl's stride
 * scheduling): one environment, the scheduler, owns the processor time of a group of client
 * environments and hands it out in proportion to their tickets.
 *
 * Why this is application-level scheduling: Aegis knows nothing of it.  The kernel does only
 * what it does for everybody -- it runs its slots round robin, one per environment, ends a
 * slice at every timer tick and, since the clients ask for it (AE_ENTRY_SLICE_END), tells the
 * running client so instead of preempting it.  The group's CPU time is the slots of its
 * members (the scheduler's and its clients').  The clients' library OS (stride_client) gives
 * every slice end back to the kernel (undirected yield: the next slot, whoever owns it, so
 * environments outside the group keep their share), and whenever the kernel gives a client
 * the CPU without a grant from the scheduler -- its own slot coming round -- it forwards it to
 * the scheduler by directed yield.  The scheduler decides who runs (pass += stride = STRIDE_L /
 * tickets per cycle used; the least pass runs next) and hands the CPU over by directed yield;
 * the client resumes its interrupted context itself (slice.S).  So every quantum of the group
 * is handed out by the scheduler, and work loops need no yields or checks of their own.
 *
 * Shared state: one shm page (charged to the family's root), below.  A client is charged the
 * cycles it actually had, grant to release (the board's cycle counter): Waldspurger's
 * nonuniform quanta, so a quantum cut short or stretched is accounted for exactly (one that
 * never gave the CPU back is charged up to the scheduler's next decision).  A client that
 * exits or dies is dropped at the next decision.  Clients cooperate (they run this library);
 * stride_end destroys them.  The quantum must be longer than the switch (about 1,000 cycles).
 */
#include "exos.h"

#define STRIDE_L        (1u << 20)      /* stride1: stride = STRIDE_L / tickets */
#define CYCLES()        (*(volatile uint32_t *)(BOARD_USER_VADDR + BOARD_CYCLES_LO))
/* The shared page.  grant: seq * NENV + env, written by the scheduler only (so a client
 * preempted anywhere cannot undo a later grant); done, released: the last grant a client gave
 * back, and when (a stale one only makes the scheduler charge up to its own decision). */
struct stride_page { uint32_t grant, done, released; };
#define SH ((volatile struct stride_page *)STRIDE_VADDR)

struct stride_client stride_clients[STRIDE_MAX];
uint32_t stride_nclients;
/* scheduler: the client (index) that had the CPU last, when, the grants' sequence, and the
 * least pass at the last decision (where clients join); client: its scheduler (its creator),
 * the last grant it gave back, the top of its exception stack */
static int cur = -1, scheduler;
static uint32_t granted_at, seq, released, exc_top;
extern const char exos_exc_end[];
static uint64_t global_pass;

static void keep_cpu(void) {}           /* the scheduler's own slice ends: carry on deciding */

int stride_init(void)
{
	if (os_shm_map(STRIDE_VADDR, 1, STRIDE_SHM_KEY) != OS_OK)
		return OS_ENOMEM;
	SH->grant = SH->done = 0;
	return exos_slice_end_handler(keep_cpu);
}

static struct stride_client *find(int env)
{
	for (uint32_t i = 0; i < stride_nclients; i++)
		if (stride_clients[i].id == env)
			return &stride_clients[i];
	return 0;
}

/* A new client joins at the least pass (as if it had always been there, with no credit). */
int stride_add(int env, uint32_t tickets)
{
	if (tickets == 0 || tickets > STRIDE_MAX_TICKETS || env == os_self() || find(env) ||
	    stride_nclients == STRIDE_MAX || ae_env_alive((uint32_t)env) != 1)
		return OS_EINVAL;
	stride_clients[stride_nclients++] = (struct stride_client){env, tickets, STRIDE_L / tickets, global_pass, 0, 0};
	return OS_OK;
}

int stride_remove(int env)
{
	struct stride_client *c = find(env);
	if (!c)
		return OS_EINVAL;
	int i = (int)(c - stride_clients), last = (int)--stride_nclients;
	cur = cur == i ? -1 : cur == last ? i : cur;
	*c = stride_clients[last];
	return OS_OK;
}

/* The decision: charge the quantum that just ended (grant to release, at most to now), drop a
 * client that is gone, pick the least pass. */
int stride_next(void)
{
	if (cur >= 0) {
		struct stride_client *c = &stride_clients[cur];
		uint32_t used = CYCLES() - granted_at, back = SH->done == SH->grant;
		if (back && SH->released - granted_at < used)
			used = SH->released - granted_at;
		c->pass += (uint64_t)c->stride * used;
		c->cycles += used;
		c->quanta++;
		cur = -1;
		/* it did not give the CPU back: it is gone, or the kernel's round robin ran us early */
		if (!back && ae_env_alive((uint32_t)c->id) != 1)
			stride_remove(c->id);
	}
	if (!stride_nclients)
		return AE_ESRCH;
	struct stride_client *best = &stride_clients[0];
	for (uint32_t i = 1; i < stride_nclients; i++)
		if (stride_clients[i].pass < best->pass)
			best = &stride_clients[i];
	global_pass = best->pass;
	return best->id;
}

/* Hand the CPU to client env until its quantum ends (it releases it at its slice end). */
int stride_run(int env)
{
	struct stride_client *c = find(env);
	if (!c)
		return OS_EINVAL;
	cur = (int)(c - stride_clients);
	granted_at = CYCLES();
	SH->grant = ++seq * NENV + (uint32_t)env;
	exos_yield(env);
	return OS_OK;
}

void stride_end(void)
{
	while (stride_nclients)
		ae_env_destroy((uint32_t)stride_clients[0].id), stride_remove(stride_clients[0].id);
}

/* ---- the client side ---- */
static void wait_grant(void)            /* a slot without a new grant goes to the scheduler */
{
	uint32_t g;
	while ((g = SH->grant) % NENV != (uint32_t)EXOS_SELF() || g == released)
		exos_yield(scheduler);
}

/* The upcall interrupted ExOS's exception handling (exc.S, or a handler below its frame): then
 * keep the CPU until the next slice end, so the client finishes the exception (mostly a page
 * fault) in the quantum that took it; the overrun is charged like any other cycles.  A
 * scheduling choice, no longer a safety rule: the policy may take faults there too (ExOS builds
 * their frames below the handler's live words: exc.S, slice.S). */
static int in_exception(void)
{
	uint32_t epc = *(volatile uint32_t *)(UAREA_VADDR + SA_IEPC);
	return *(volatile uint32_t *)(UAREA_VADDR + UA_EXC_SP) != exc_top ||
	       (epc >= (uint32_t)(uintptr_t)exos_exc_entry && epc < (uint32_t)(uintptr_t)exos_exc_end);
}

static void give_back(void)             /* the slice-end policy: the quantum is over */
{
	if (in_exception())
		return;
	uint32_t g = SH->grant;
	if (g % NENV == (uint32_t)EXOS_SELF() && g != released) {
		SH->released = CYCLES();
		SH->done = released = g;
	}
	exos_yield(-1);
	wait_grant();
}

int stride_client(void)
{
	scheduler = exos_parent();
	if (scheduler < 0 || os_shm_map(STRIDE_VADDR, 1, STRIDE_SHM_KEY) != OS_OK)
		return OS_EINVAL;
	exc_top = *(volatile uint32_t *)(UAREA_VADDR + UA_EXC_SP);
	if (exos_slice_end_handler(give_back) != OS_OK)
		return OS_EINVAL;
	wait_grant();
	return OS_OK;
}
