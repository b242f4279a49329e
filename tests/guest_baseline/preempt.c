/*
 * preempt.c - a process that spins forever is preempted by the clock and
 * the others finish; SIGKILL ends the spinner; a process that faults with
 * no handler dies of SIGSEGV and its parent sees the status.
 */
#include "osapi.h"
#include "ulib.h"

#define R(name, v) bench_result(name, (uint32_t)(v))

int main(void)
{
	uint32_t st = 0;
	int spinner = spawn("spinner");
	int worker = spawn("worker");
	int crash;

	R("spawned", spinner > 0 && worker > 0);
	R("wait_worker", wait(&st) == worker);
	R("worker_status", st);
	R("kill", kill(spinner, SIGKILL));
	R("wait_spinner", wait(&st) == spinner);
	R("spinner_status", st);
	crash = spawn("crash");
	R("wait_crash", wait(&st) == crash);
	R("crash_status", st);
	R("ticks", BOARD_REG(BOARD_TIMER_COUNT) > 0);
	return 0;
}
