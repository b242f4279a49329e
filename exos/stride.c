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
 * Shared state (one shm page, charged to the family's root): the grant word -- a sequence number
 * and the client the scheduler granted last -- and the last grant a client gave back, with the
 * cycle count at which it did (the board's cycle counter).  A client is charged the cycles it actually had, grant to
 * release: Waldspurger's nonuniform quanta, so a quantum cut short or stretched is accounted
 * for exactly (one that never gave the CPU back is charged up to the scheduler's next
 * decision).  A client that exits or dies is dropped at the next decision.  Clients cooperate
 * (they run this library); stride_end destroys them.
 */
#include "exos.h"

#define STRIDE_L        (1u << 20)      /* stride1: stride = STRIDE_L / tickets */
#define GRANT           (*(volatile uint32_t *)STRIDE_VADDR)       /* seq << 4 | env: written by the scheduler */
#define DONE            (*(volatile uint32_t *)(STRIDE_VADDR + 4)) /* the last grant given back ... */
#define RELEASED        (*(volatile uint32_t *)(STRIDE_VADDR + 8)) /* ... and when */
#define GRANT_ENV(g)    ((int)((g) & (NENV - 1)))
_Static_assert((NENV & (NENV - 1)) == 0 && NENV == 16, "grant words: env in the low 4 bits");
#define CYCLES()        (*(volatile uint32_t *)(BOARD_USER_VADDR + BOARD_CYCLES_LO))

struct stride_client stride_clients[STRIDE_MAX];
uint32_t stride_nclients;
static int cur = -1;                    /* the client (index) that had the CPU last */
static uint32_t granted_at, seq;
static int32_t scheduler;               /* in a client: its scheduler, the env that created it */
static uint32_t released;               /* in a client: the last grant it gave back */

static void keep_cpu(void) {}           /* the scheduler's own slice ends: carry on deciding */

int stride_init(void)
{
	if (os_shm_map(STRIDE_VADDR, 1, STRIDE_SHM_KEY) != OS_OK)
		return OS_ENOMEM;
	GRANT = DONE = 0;
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
	uint64_t base = stride_nclients ? ~0ull : 0;
	for (uint32_t i = 0; i < stride_nclients; i++)
		if (stride_clients[i].pass < base)
			base = stride_clients[i].pass;
	stride_clients[stride_nclients++] = (struct stride_client){env, tickets, STRIDE_L / tickets, base, 0, 0};
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

/* The decision: charge the quantum that just ended, drop a client that is gone, pick the least pass. */
int stride_next(void)
{
	if (cur >= 0) {
		struct stride_client *c = &stride_clients[cur];
		uint32_t used = CYCLES() - granted_at, back = DONE == GRANT;
		if (back && RELEASED - granted_at < used)
			used = RELEASED - granted_at;
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
	return best->id;
}

/* Hand the CPU to client env until its quantum ends (it yields back at its slice end). */
int stride_run(int env)
{
	struct stride_client *c = find(env);
	if (!c)
		return OS_EINVAL;
	cur = (int)(c - stride_clients);
	granted_at = CYCLES();
	GRANT = ++seq << 4 | (uint32_t)env;
	exos_yield(env);
	return OS_OK;
}

void stride_end(void)
{
	while (stride_nclients)
		ae_env_destroy((uint32_t)stride_clients[0].id), stride_remove(stride_clients[0].id);
}

/* ---- the client side (it never writes GRANT: a client preempted anywhere here cannot undo
 * a later grant; a stale DONE only makes the scheduler charge up to its own decision) ---- */
static void wait_grant(void)            /* a slot without a new grant goes to the scheduler */
{
	uint32_t g;
	while (GRANT_ENV(g = GRANT) != EXOS_SELF() || g == released)
		exos_yield(scheduler);
}

static void give_back(void)             /* the slice-end policy: the quantum is over */
{
	uint32_t g = GRANT;
	if (GRANT_ENV(g) == EXOS_SELF() && g != released) {
		RELEASED = CYCLES();
		DONE = released = g;
	}
	exos_yield(-1);
	wait_grant();
}

int stride_client(void)
{
	scheduler = exos_parent();
	if (scheduler < 0 || os_shm_map(STRIDE_VADDR, 1, STRIDE_SHM_KEY) != OS_OK ||
	    exos_slice_end_handler(give_back) != OS_OK)
		return OS_EINVAL;
	wait_grant();
	return OS_OK;
}
