/*
 * sched.c - time slices.
 *
 * The CPU is a vector of slots, one per environment, run round robin; each
 * timer tick (board timer, AE_TIMER_PERIOD cycles) ends a slice.  A slot
 * has an owner, which a synchronous PCT changes (slice donation; pct.S),
 * and its original owner it returns to when a borrower dies.
 *
 * An environment is resumed from the context the kernel saved when it was
 * preempted or yielded (tf); resuming consumes it.  One that left by a PCT
 * has no saved context: it is entered at its slice-start PC if it
 * registered one, otherwise it waits until a PCT enters it.
 *
 * At a tick the environment may instead be resumed at an upcall (its
 * end-of-slice entry here; revocation and repossession in revoke.c), with
 * the interrupted context handed to it in its save-area page.
 */
#include "kern.h"

struct slot slots[NSLOTS];
/* The two words pct.S reaches with one lui: kept together, 8-aligned, in their own section. */
struct env *curenv __attribute__((section(".data.kcur"), aligned(8)));
struct slot *cur_slot __attribute__((section(".data.kcur"))) = &slots[0];
static uint32_t nslots;

void sched_add(struct env *e)
{
	for (uint32_t i = 0; i < NSLOTS; i++)
		if (!slots[i].orig) {
			slots[i].owner = slots[i].orig = e;
			if (i >= nslots)
				nslots = i + 1;
			return;
		}
}

void sched_remove(struct env *e)
{
	for (uint32_t i = 0; i < nslots; i++) {
		if (slots[i].orig == e)
			slots[i].orig = 0;
		if (slots[i].owner == e)
			slots[i].owner = slots[i].orig;
	}
}

static int runnable(struct env *e)
{
	if (!e || e->state != ENV_RUNNABLE)
		return 0;
	if (e->tf_valid != TF_NONE)
		return 1;
	if (e->slice_pc) {
		e->epc = e->slice_pc;
		e->tf_valid = TF_FULL;
		return 1;
	}
	return 0;
}

/* Make the next slot with a runnable owner current; halt when there is none. */
void sched_next(void)
{
	uint32_t start = (uint32_t)(cur_slot - slots);
	for (uint32_t k = 1; k <= nslots; k++) {
		struct slot *s = &slots[(start + k) % nslots];
		if (runnable(s->owner)) {
			cur_slot = s;
			curenv = s->owner;
			return;
		}
	}
	for (int i = 0; i < NENV; i++)
		if (envs[i].state != ENV_FREE) {
			kprintf("aegis: no runnable environment (env %d waits for a PCT); halting\n", i);
			break;
		}
	halt((uint32_t)last_exit_code);
}

/* Yield the rest of the slice: to env `id` if it is alive and can run, else round robin
 * (-1: any; an environment that is gone, or never was, the same).  AE_ESRCH for any other
 * negative id. */
int sched_yield_to(int id)
{
	struct env *e = env_lookup(id);
	if (e && e != curenv && runnable(e)) {
		curenv = e;
		return 0;
	}
	if (id < -1)
		return AE_ESRCH;
	sched_next();
	return 0;
}

/*
 * Upcalls (interrupt context delivered to the environment): the end of a slice
 * here, revocation and repossession (revoke.c).  At a tick in e (curenv, its
 * interrupted context saved in tf by intr_entry), sched_upcall copies that
 * context into e's save-area page (SA_ISAVE), marks an upcall in progress
 * (SA_INUPCALL, which the library clears) and resumes e at pc; the library
 * resumes its own context later, without the kernel.
 *
 * sched_upcall_busy: e must not get one now -- an upcall is in progress, or
 * the library is resuming from one (EPC in its registered resume range, where
 * it still reads SA_ISAVE).  1 if so, else 0.
 */
int sched_upcall_busy(struct env *e)
{
	const uint32_t *ua = (const uint32_t *)(uintptr_t)e->save;
	return ua[SA_INUPCALL / 4] || (e->epc >= e->resume_lo && e->epc < e->resume_hi);
}

void sched_upcall(struct env *e, uint32_t pc)
{
	uint32_t *ua = (uint32_t *)(uintptr_t)e->save;
	for (int i = 1; i < 32; i++)
		ua[SA_IREG(i) / 4] = e->regs[i];
	ua[SA_IHI / 4] = e->hi;
	ua[SA_ILO / 4] = e->lo;
	ua[SA_IEPC / 4] = e->epc;
	ua[SA_INUPCALL / 4] = 1;
	e->epc = pc;
	e->tf_valid = TF_FULL;
}

/*
 * End of slice, delivered to the environment at its slice-end PC, to save what
 * it needs and yield.  Not while it is busy with an upcall: then, as for an
 * environment that asked for none -- or that does not yield before the next
 * tick -- the kernel preempts it, keeping its context itself.  1 if delivered.
 */
static int deliver_slice_end(struct env *e)
{
	if (!e->slice_end_pc || sched_upcall_busy(e))
		return 0;
	sched_upcall(e, e->slice_end_pc);
	return 1;
}

/* Interrupts: the timer and the LANCE are unmasked.  A received frame is handled at once
 * (its ASH runs, or it is queued) and the interrupted environment goes on; a tick ends
 * the slice. */
void intr_c(void)
{
	uint32_t cause = mfc0_cause();
	if (cause & AE_NET_IM)
		lance_intr();
	if (cause & AE_TIMER_IM) {
		BOARD(BOARD_TIMER_ACK) = 1;
		if ((curenv->revoke_state | curenv->repo_pending) && revoke_tick(curenv))
			return;
		if (!deliver_slice_end(curenv))
			sched_next();
	}
}
