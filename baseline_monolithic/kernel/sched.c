/*
 * sched.c - run queue, context switch, sleep/wakeup and the clock.
 *
 * Models Ultrix 4.2 (4.3BSD) kern_synch.c/kern_clock.c and swtch.c:
 * swtch() saves the caller with save(), picks the next process, assigns it
 * an ASID if it has none (get_tlbpid) and resume()s it, which rewrites the
 * wired TLB entries.  One run queue ordered by priority, FIFO within one,
 * with round-robin every HZ/10 ticks (4.3BSD roundrobin()); a process woken
 * from sleep keeps its sleep priority until it returns to user mode, so it
 * goes ahead of every user-priority process and requests a reschedule (it
 * beats the running user's priority: setrun sets runrun);
 * sleepers wait on hashed sleep queues (4.3BSD slpque).
 * Queue changes happen at splhigh/splclock, as in Ultrix; the clock only
 * counts ticks and requests a reschedule (runrun + aston).
 */
#include "kern.h"

#define BOARD(off) (*(volatile uint32_t *)(BOARD_KSEG1 + (off)))
#define QUANTUM (HZ / 10)               /* 4.3BSD roundrobin: every 100 ms */

struct proc *curproc;
volatile int runrun;
volatile uint32_t ticks;
static struct proc *runq_head, *runq_tail;

/* setrq(p): onto the run queue behind every process of its priority or better
 * (Ultrix mips swtch.c setrq: one queue ordered by p_pri), so a process woken
 * with a kernel sleep priority runs before every user-priority one. */
void setrq(struct proc *p)
{
	struct proc **pp = &runq_head, *prev = 0;

	p->p_stat = SRUN;
	while (*pp && (*pp)->p_pri <= p->p_pri) {
		prev = *pp;
		pp = &prev->p_link;
	}
	p->p_link = *pp;
	*pp = p;
	if (!p->p_link)
		runq_tail = p;
	(void)prev;
}

/* Move p (queued) to the front: a directed yield. */
void runq_front(struct proc *p)
{
	struct proc **pp, *prev = 0;

	for (pp = &runq_head; *pp; prev = *pp, pp = &(*pp)->p_link)
		if (*pp == p) {
			*pp = p->p_link;
			if (runq_tail == p)
				runq_tail = prev;
			p->p_link = runq_head;
			runq_head = p;
			if (!runq_tail)
				runq_tail = p;
			return;
		}
}

/* Wait at spl0 for an interrupt to make a process runnable (Ultrix swtch's idle loop). */
static void idle(void)
{
	int s = spl0();

	while (!*(struct proc *volatile *)&runq_head)
		;
	splx(s);
}

/* The second half of a switch, once the caller is saved: np (off every
 * queue) gets an ASID if it has none and becomes curproc; never returns. */
static inline void switch_to(struct proc *np)
{
	if (np->p_asid < 0)
		get_tlbpid(np);
	curproc = np;
	runrun = 0;
	cpudata.cpu_switch++;
	resume(np);
}

/*
 * swtch(): give the CPU to the run queue's head (Ultrix swtch.c).  Callers
 * raise the level first (splclock, or sleep's splhigh).  The reschedule
 * request is consumed (astoff), our context saved, the next process given
 * an ASID if it has none, and resume()d; we return when someone resumes us.
 */
void swtch(void)
{
	struct proc *p = curproc, *np = runq_head;

	astoff();                       /* "Pass GO, Collect $200" */
	while (!np) {
		/* Ultrix idles here with interrupts open until a process is runnable.  Only
		 * the network can wake a sleeper from outside; without it idling is forever. */
		if (!ln_up)
			panic("swtch: no runnable process (every process is asleep)");
		idle();
		np = runq_head;
	}
	if (np == p) {                  /* only ourselves to run */
		runq_head = np->p_link;
		if (!runq_head)
			runq_tail = 0;
		np->p_link = 0;
		runrun = 0;
		return;
	}
	if (save(&u.u_pcb))
		return;                 /* resumed */
	runq_head = np->p_link;
	if (!runq_head)
		runq_tail = 0;
	np->p_link = 0;
	switch_to(np);
}

/* Boot: become the first process on the run queue; nothing to save. */
void sched_start(void)
{
	struct proc *np = runq_head;

	runq_head = np->p_link;
	if (!runq_head)
		runq_tail = 0;
	np->p_link = 0;
	curproc = np;
	get_tlbpid(np);
	resume(np);
}

/* 4.3BSD sleep queues: sleepers hashed on their wait channel, so wakeup()
 * looks at one short list instead of the whole process table. */
#define SQSIZE 64
#define HASH(chan) (((uint32_t)(chan) >> 3) & (SQSIZE - 1))
static struct proc *slpque[SQSIZE];

/* Take p off its sleep queue (a signal ends an interruptible sleep). */
static void unsleep(struct proc *p)
{
	struct proc **pp;

	for (pp = &slpque[HASH(p->p_wchan)]; *pp; pp = &(*pp)->p_link)
		if (*pp == p) {
			*pp = p->p_link;
			break;
		}
	p->p_link = 0;
}

/*
 * sleep(chan, pri): Ultrix sleep_unlock without a lock.  At splhigh, take
 * the sleep priority and go on chan's sleep queue; an interruptible sleep
 * (pri > PZERO) first
 * looks for a signal, and after swtch() looks again -- either abandons the
 * system call by longjmp to u.u_qsave (its setjmp then returns EINTR).
 */
void sleep(void *chan, int pri)
{
	struct proc *p = curproc;
	int s = splhigh();
	int intr = pri > PZERO;

	u.u_ru_nvcsw++;
	p->p_pri = pri;
	p->p_wchan = chan;
	p->p_link = slpque[HASH(chan)];
	slpque[HASH(chan)] = p;
	p->p_intr = intr;
	if (intr && p->p_sig && ISSIG(p)) {
		if (p->p_wchan)
			unsleep(p);
		p->p_stat = SRUN;
		(void)spl0();
		goto psig;
	}
	p->p_stat = SSLEEP;
	swtch();
	if (intr && ISSIG(p)) {
		(void)spl0();
		goto psig;
	}
	(void)spl0();
	splx(s);
	return;
psig:
	splx(s);
	longjmp(&u.u_qsave);
}

/* setrun(p): off its sleep queue and onto the run queue; a process woken
 * from a kernel sleep outranks the running user (4.3BSD): reschedule. */
void setrun(struct proc *p)
{
	if (p->p_stat == SSLEEP)
		unsleep(p);
	p->p_wchan = 0;
	setrq(p);
	if (p != curproc) {
		runrun = 1;
		aston();
	}
}

/* wakeup(chan): every sleeper on chan becomes runnable (Ultrix wakeup_type,
 * at splhigh, with setrun inlined). */
void wakeup(void *chan)
{
	struct proc **pp = &slpque[HASH(chan)], *p;
	int s = splhigh();

	while ((p = *pp)) {
		if (p->p_wchan == chan) {
			*pp = p->p_link;
			p->p_wchan = 0;
			if (p->p_stat == SSLEEP) {
				setrq(p);
				runrun = 1;
				aston();
			}
		} else {
			pp = &p->p_link;
		}
	}
	splx(s);
}

#ifdef ATTR_SCHED_HANDOFF
/*
 * wakeup_handoff(chan): research switch (benchmarks/attribution): wakeup()
 * with hand-off scheduling, the baseline's form of Aegis's directed yield
 * (Sections 5.1, 5.5: yield to a named environment).  When exactly one
 * process sleeps on chan and no runnable one is at its priority or better --
 * so that plain wakeup() would make it the next to run, through runrun,
 * the reschedule at the caller's exit and swtch()'s run-queue pick -- the
 * caller goes on the run queue as that exit would put it (setrq, an
 * involuntary switch) and the CPU passes straight to the sleeper.  Else it
 * is plain wakeup().  Returns at once, or when the caller is resumed.  May
 * be called wherever sleep() may (a process context, no lock held).
 */
void wakeup_handoff(void *chan)
{
	struct proc **pp, **at = 0, *to;
	int s = splhigh();

	for (pp = &slpque[HASH(chan)]; *pp; pp = &(*pp)->p_link)
		if ((*pp)->p_wchan == chan) {
			if (at)
				goto plain;             /* several sleepers: wake them all */
			at = pp;
		}
	if (!at || (to = *at)->p_stat != SSLEEP || (runq_head && runq_head->p_pri <= to->p_pri))
		goto plain;
	*at = to->p_link;                       /* off its sleep queue (unsleep) */
	to->p_link = 0;
	to->p_wchan = 0;
	to->p_stat = SRUN;
	curproc->p_pri = curproc->p_usrpri;     /* as the exit would, before its setrq */
	setrq(curproc);
	u.u_ru_nivcsw++;
	astoff();
	if (save(&u.u_pcb)) {
		splx(s);                        /* resumed */
		return;
	}
	switch_to(to);
plain:
	splx(s);
	wakeup(chan);
}
#endif

/* Ultrix hardclock() on the 256 Hz RTC: acknowledge, count, and every
 * HZ/10 ticks ask for a reschedule (4.3BSD roundrobin: runrun, aston --
 * also when nobody else is runnable, which is when a spinning process
 * notices a signal posted to it). */
void hardclock(struct trapframe *tf)
{
	(void)tf;
	BOARD(BOARD_TIMER_ACK) = 1;
	time.tv_usec += 1000000 / HZ;   /* the time of day (pipe time stamps) */
	if (time.tv_usec >= 1000000) {
		time.tv_usec -= 1000000;
		time.tv_sec++;
	}
	if (++ticks % QUANTUM == 0) {
		runrun = 1;
		aston();
	}
}

/* The RTC rate is fixed at 256 Hz as on Ultrix; the boot parameter
 * "timer_period" (cycles) overrides it, for stress tests only. */
void clock_init(void)
{
	BOARD(BOARD_TIMER_PERIOD) = boot_param("timer_period", TIMER_PERIOD);
}
