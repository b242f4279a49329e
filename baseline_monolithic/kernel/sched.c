/*
 * sched.c - run queue, context switch, sleep/wakeup and the clock.
 *
 * Models Ultrix 4.2 (4.3BSD) kern_synch.c/kern_clock.c and swtch.c:
 * swtch() saves the caller with save(), picks the next process, assigns it
 * an ASID if it has none (get_tlbpid) and resume()s it, which rewrites the
 * wired TLB entries.  One FIFO run queue with round-robin every HZ/10 ticks
 * (4.3BSD roundrobin()); a process woken from sleep requests a reschedule
 * (its sleep priority beats user priority in 4.3BSD, so setrun sets runrun);
 * sleepers wait on hashed sleep queues (4.3BSD slpque).
 * System calls run with the clock interrupt enabled (Ultrix VEC_syscall);
 * the clock only counts ticks and sets runrun, so the queues need no spl,
 * but swtch() masks it around save/resume.
 */
#include "kern.h"

#define BOARD(off) (*(volatile uint32_t *)(BOARD_KSEG1 + (off)))
#define QUANTUM (HZ / 10)               /* 4.3BSD roundrobin: every 100 ms */

struct proc *curproc;
volatile int runrun;
volatile uint32_t ticks;
static struct proc *runq_head, *runq_tail;

void setrq(struct proc *p)
{
	p->p_stat = SRUN;
	p->p_link = 0;
	if (runq_tail)
		runq_tail->p_link = p;
	else
		runq_head = p;
	runq_tail = p;
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

void swtch(void)
{
	uint32_t s = splhigh();         /* resume() changes the kernel stack under sp */
	struct proc *p = curproc, *np = runq_head;

	if (!np)        /* no device could wake anyone: idling would be forever */
		panic("swtch: no runnable process (every process is asleep)");
	runq_head = np->p_link;
	if (!runq_head)
		runq_tail = 0;
	np->p_link = 0;
	np->p_ticks = 0;
	runrun = 0;                     /* the choice is made (4.3BSD swtch clears it too) */
	if (np == p || save(&u.u_pcb)) {
		splx(s);                /* still p, or p resumed later */
		return;
	}
	curproc = np;
	if (np->p_asid < 0)
		get_tlbpid(np);
	resume(np);
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

/* Sleep on chan.  An interruptible sleep (Ultrix pri > PZERO) is abandoned
 * for a pending signal by longjmp to the system call's u.u_qsave. */
void sleep(void *chan, int intr)
{
	struct proc *p = curproc;

	if (intr && issig(p))
		longjmp(&u.u_qsave);
	p->p_wchan = chan;
	p->p_intr = intr;
	p->p_stat = SSLEEP;
	p->p_link = slpque[HASH(chan)];
	slpque[HASH(chan)] = p;
	swtch();
	p->p_wchan = 0;
	if (intr && issig(p))
		longjmp(&u.u_qsave);
}

void setrun(struct proc *p)
{
	if (p->p_stat == SSLEEP)
		unsleep(p);
	p->p_wchan = 0;
	setrq(p);
	if (p != curproc)
		runrun = 1;
}

void wakeup(void *chan)
{
	struct proc **pp = &slpque[HASH(chan)], *p;

	while ((p = *pp)) {
		if (p->p_wchan == chan) {
			*pp = p->p_link;
			p->p_wchan = 0;
			setrq(p);
			if (p != curproc)
				runrun = 1;
		} else {
			pp = &p->p_link;
		}
	}
}

/* Ultrix hardclock() on the 256 Hz RTC: acknowledge, count, and ask for a
 * reschedule when the quantum is used up. */
void clock_intr(struct trapframe *tf)
{
	(void)tf;
	BOARD(BOARD_TIMER_ACK) = 1;
	ticks++;
	if (++curproc->p_ticks >= QUANTUM && runq_head)
		runrun = 1;
}

/* The RTC rate is fixed at 256 Hz as on Ultrix; the boot parameter
 * "timer_period" (cycles) overrides it, for stress tests only. */
void clock_init(void)
{
	BOARD(BOARD_TIMER_PERIOD) = boot_param("timer_period", TIMER_PERIOD);
}
