/*
 * stride_sched.c - tests/test_stride.py: an application-level stride scheduler (exos/stride.c)
 * and its clients (stride_worker.c).  Boot parameter "t" picks the test:
 *   0 shares: clients with tickets t0..t3 (0: none), optionally a spinning environment outside
 *     the group (hog = 1), clients that drop their TLB bindings after every unit (flush = 1);
 *     n decisions; reports per client tickets, units, quanta, cycles, and
 *     uq and qc, the most units one quantum held and the most cycles one was charged.
 *   1 exit: tickets 3:2:1, client C exits after `limit` units; n decisions; reports when the
 *     scheduler dropped it and A's and B's units from then on.
 *   2 refusals: what stride_add/remove/run/next return for bad arguments.
 * Results name clients A, B, C, D in order.
 */
#include "exos.h"
#include "stride_shared.h"

#define MAXC 4
static struct st_shared *const sh = (struct st_shared *)ST_SHM_VADDR;

static void result2(const char *name, int i, uint32_t v)
{
	char buf[24];
	uint32_t k = 0;
	while (*name && k < sizeof buf - 3)
		buf[k++] = *name++;
	buf[k++] = '_';
	buf[k++] = (char)('A' + i);
	buf[k] = 0;
	bench_result(buf, v);
}

static int spawn(uint32_t limit, uint32_t hog)
{
	int id = os_spawn("stride_worker");
	if (id < 0)
		os_exit(2);
	sh->limit[id] = limit;
	sh->hog[id] = hog;
	sh->flush[id] = os_param("flush", 0);
	while (!sh->ready[id])          /* let it start up, up to its first wait for a grant */
		os_yield(id);
	os_yield(id);
	return id;
}

static struct stride_client *client(int id)
{
	for (uint32_t j = 0; j < stride_nclients; j++)
		if (stride_clients[j].id == id)
			return &stride_clients[j];
	return 0;
}

static void shares(uint32_t n)
{
	static const char *const pname[MAXC] = {"t0", "t1", "t2", "t3"};
	int id[MAXC];
	uint32_t nc = 0, uq = 0, hog = os_param("hog", 0);
	for (int i = 0; i < MAXC; i++) {
		uint32_t t = os_param(pname[i], 0);
		if (!t)
			continue;
		id[nc] = spawn(0, 0);
		result2("add", (int)nc, (uint32_t)stride_add(id[nc], t));
		result2("tickets", (int)nc, t);
		nc++;
	}
	int h = hog ? spawn(0, 1) : -1;
	struct stride_client *prev = 0;
	uint64_t pc = 0, qc = 0;                /* qc: the most cycles charged for one quantum */
	for (uint32_t i = 0; i <= n; i++) {
		int c = stride_next();
		if (prev && prev->cycles - pc > qc)
			qc = prev->cycles - pc;
		if (i == n)
			break;
		if (c < 0)
			os_exit(3);
		prev = client(c);
		pc = prev->cycles;
		uint32_t u0 = sh->units[c];
		stride_run(c);
		if (sh->units[c] - u0 > uq)
			uq = sh->units[c] - u0;
	}
	bench_result("qc", (uint32_t)qc);
	for (uint32_t i = 0; i < nc; i++) {
		struct stride_client *s = client(id[i]);
		result2("units", (int)i, sh->units[id[i]]);
		result2("quanta", (int)i, s ? s->quanta : 0);
		result2("cycles", (int)i, s ? (uint32_t)s->cycles : 0);
	}
	bench_result("uq", uq);
	if (h >= 0) {
		bench_result("hog_units", sh->units[h]);
		ae_env_destroy((uint32_t)h);
	}
}

static void client_exit(uint32_t n)
{
	static const uint32_t t[3] = {3, 2, 1};
	int id[3];
	uint32_t at = 0, a0 = 0, b0 = 0, uq = 0;
	for (int i = 0; i < 3; i++) {
		id[i] = spawn(i == 2 ? os_param("limit", 20000) : 0, 0);
		stride_add(id[i], t[i]);
	}
	for (uint32_t i = 0; i < n; i++) {
		int c = stride_next();
		if (c < 0)
			os_exit(3);
		if (!at && stride_nclients == 2) {
			at = i;
			a0 = sh->units[id[0]];
			b0 = sh->units[id[1]];
		}
		uint32_t u0 = sh->units[c];
		stride_run(c);
		if (sh->units[c] - u0 > uq)
			uq = sh->units[c] - u0;
	}
	stride_next();
	bench_result("removed_at", at);
	bench_result("clients_after", stride_nclients);
	bench_result("c_member", client(id[2]) != 0);
	bench_result("c_alive", (uint32_t)ae_env_alive((uint32_t)id[2]));
	bench_result("c_units", sh->units[id[2]]);
	bench_result("a_units", sh->units[id[0]] - a0);
	bench_result("b_units", sh->units[id[1]] - b0);
	bench_result("uq", uq);
}

static void refusals(void)
{
	int self = os_self();
	bench_result("next_empty", (uint32_t)stride_next());
	int w = spawn(0, 0);
	bench_result("zero", (uint32_t)stride_add(w, 0));
	bench_result("too_many_tickets", (uint32_t)stride_add(w, STRIDE_MAX_TICKETS + 1));
	bench_result("self", (uint32_t)stride_add(self, 1));
	bench_result("negative", (uint32_t)stride_add(-1, 1));
	bench_result("out_of_range", (uint32_t)stride_add(99, 1));
	bench_result("no_such_env", (uint32_t)stride_add(NENV - 1, 1));
	bench_result("run_nonmember", (uint32_t)stride_run(w));
	bench_result("remove_nonmember", (uint32_t)stride_remove(w));
	bench_result("members_before", stride_nclients);
	bench_result("ok", (uint32_t)stride_add(w, STRIDE_MAX_TICKETS));
	bench_result("twice", (uint32_t)stride_add(w, 1));
	int extra[STRIDE_MAX];
	for (int i = 0; i < STRIDE_MAX; i++)
		extra[i] = os_spawn("stride_worker");
	uint32_t added = 0;
	for (int i = 0; i < STRIDE_MAX - 1; i++)
		added += stride_add(extra[i], 1) == OS_OK;
	bench_result("added", added);
	bench_result("full", (uint32_t)stride_add(extra[STRIDE_MAX - 1], 1));
	ae_env_destroy((uint32_t)extra[STRIDE_MAX - 1]);
	bench_result("next_ok", stride_next() == w);      /* joined first, the least pass (ties: first) */
	bench_result("remove_ok", (uint32_t)stride_remove(w));
	bench_result("remove_twice", (uint32_t)stride_remove(w));
	bench_result("members_after", stride_nclients);
	ae_env_destroy((uint32_t)w);
}

int main(void)
{
	uint32_t t = os_param("t", 0), n = os_param("n", 300);
	if (stride_init() != OS_OK || os_shm_map(ST_SHM_VADDR, 1, ST_SHM_KEY) != OS_OK)
		os_exit(2);
	if (t == 0)
		shares(n);
	else if (t == 1)
		client_exit(n);
	else
		refusals();
	stride_end();
	bench_result("done", 1);
	os_exit(0);
}
