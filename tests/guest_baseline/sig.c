/*
 * sig.c - exceptions become signals with the right cause, address and pc;
 * sigreturn restores every register; mprotect protects and unprotects (a
 * write to a read-only page faults exactly once); unaligned accesses are
 * fixed up by the kernel; kill delivers to a sigvec handler.
 */
#include "osapi.h"
#include "ulib.h"
#include "r3000.h"

#define R(name, v) bench_result(name, (uint32_t)(v))
#define PAGE 0x20000000u
#define PAT(r) (0xa5000000u + (r) * 0x00010101u)

extern char ov_insn[], bp_insn[], regcheck_store[], unmapped_insn[], straddle_insn[];
uint32_t regcheck(uint32_t addr);
void straddle(uint32_t sp);

static volatile uint32_t nfault, last_cause, last_badvaddr, last_pc;

static void record(struct os_fault *f)
{
	nfault++;
	last_cause = f->cause;
	last_badvaddr = f->badvaddr;
	last_pc = f->pc;
}

static void skip(struct os_fault *f)
{
	record(f);
	f->pc += 4;
}

static void unprotect(struct os_fault *f)
{
	record(f);
	os_protect(f->badvaddr & ~0xfffu, 1, OS_PROT_READ | OS_PROT_WRITE);
}

static volatile int usr1_sig, usr1_code, usr1_n;

static void on_usr1(int sig, int code, struct sigcontext *scp)
{
	(void)scp;
	usr1_sig = sig;
	usr1_code = code;
	usr1_n++;
}

#define EXC(c) (((c) & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT)

/* A raw sigvec handler: record the context, resume at the return address
 * the faulting code left in ra (for a bad jump) or after the instruction. */
static volatile uint32_t raw_sig, raw_code, raw_cause, raw_badvaddr, raw_pc;
static void raw(int sig, int code, struct sigcontext *scp)
{
	raw_sig = sig;
	raw_code = code;
	raw_cause = scp->sc_cause;
	raw_badvaddr = scp->sc_badvaddr;
	raw_pc = scp->sc_pc;
	if (sig == SIGBUS)
		scp->sc_pc = scp->sc_regs[31];
	else
		scp->sc_pc += 4;
}
extern char kaddr_insn[];

int main(void)
{
	volatile uint32_t *pg = (volatile uint32_t *)PAGE;
	uint32_t i, bad, v;
	struct sigvec sv = {(uint32_t)on_usr1, 0, 0};

	/* overflow -> SIGFPE, handler skips the add */
	R("set_ov", os_set_handler(EXC_OV, skip));
	__asm__ volatile(".set push; .set noreorder; lui $t0, 0x7fff; ori $t0, $t0, 0xffff\n"
	                 ".globl ov_insn\nov_insn: add $t1, $t0, $t0\n.set pop" ::: "$8", "$9");
	R("ov_n", nfault);
	R("ov_exc", EXC(last_cause));
	R("ov_pc_ok", last_pc == (uint32_t)ov_insn);

	/* break -> SIGTRAP */
	nfault = 0;
	R("set_bp", os_set_handler(EXC_BP, skip));
	__asm__ volatile(".globl bp_insn\nbp_insn: break 3");
	R("bp_n", nfault);
	R("bp_pc_ok", last_pc == (uint32_t)bp_insn);

	/* write protection: a store to a read-only page faults exactly once */
	R("mmap", os_alloc_pages(PAGE, 4));
	pg[0] = 11;
	R("set_mod", os_set_handler(EXC_MOD, unprotect));
	R("protect_ro", os_protect(PAGE, 1, OS_PROT_READ));
	nfault = 0;
	v = pg[0];                              /* reads still work */
	R("ro_read", v);
	R("ro_read_faults", nfault);
	pg[1] = 22;                             /* faults, handler unprotects, retried */
	pg[2] = 33;                             /* no fault now */
	R("mod_n", nfault);
	R("mod_exc", EXC(last_cause));
	R("mod_badvaddr", last_badvaddr);
	R("mod_value", pg[1] + pg[2]);
	/* protect again: faults again, once */
	os_protect(PAGE, 1, OS_PROT_READ);
	pg[3] = 44;
	R("mod_n2", nfault);

	/* many pages at once (> 7: new ASID path) */
	nfault = 0;
	R("mmap16", os_alloc_pages(PAGE + 0x10000, 16));
	for (i = 0; i < 16; i++)
		pg[(0x10000 + i * 4096) / 4] = i;
	R("protect16", os_protect(PAGE + 0x10000, 16, OS_PROT_READ));
	for (i = 0; i < 16; i++)
		pg[(0x10000 + i * 4096) / 4 + 1] = i;
	R("mod16_n", nfault);

	/* PROT_NONE: even a read faults (TLBL), the handler unprotects */
	R("set_tlbl", os_set_handler(EXC_TLBL, unprotect));
	os_protect(PAGE + 4096, 1, 0);
	nfault = 0;
	v = pg[1024];
	R("none_n", nfault);
	R("none_exc", EXC(last_cause));
	R("none_badvaddr", last_badvaddr);

	/* an unmapped address: SIGSEGV with the exact address */
	R("set_tlbl2", os_set_handler(EXC_TLBL, skip));
	nfault = 0;
	__asm__ volatile(".set push; .set noreorder; lui $t0, 0x4000\n"
	                 ".globl unmapped_insn\nunmapped_insn: lw $t1, 0x124($t0)\n.set pop" ::: "$8", "$9");
	R("unmapped_n", nfault);
	R("unmapped_exc", EXC(last_cause));
	R("unmapped_badvaddr", last_badvaddr);
	R("unmapped_pc_ok", last_pc == (uint32_t)unmapped_insn);

	/* every register survives a signal round trip */
	os_protect(PAGE + 8192, 1, OS_PROT_READ);
	nfault = 0;
	regcheck(PAGE + 8192);
	bad = 0;
	for (i = 1; i < 32; i++) {
		if (i == 4 || i == 26 || i == 27 || i == 29)
			continue;
		if (pg[2048 + i] != PAT(i))
			bad |= 1u << i;
	}
	R("regs_bad", bad);
	R("regs_a0_ok", pg[2048 + 4] == PAGE + 8192);
	R("regs_hilo_ok", pg[2048 + 32] == PAT(32) && pg[2048 + 33] == PAT(33));
	R("regs_n", nfault);
	R("regs_pc_ok", last_pc == (uint32_t)regcheck_store);
	R("regs_badvaddr", last_badvaddr);

	/* a sigcontext that straddles a page boundary (built in the kernel, copied out) */
	nfault = 0;
	straddle(PAGE + 0x3000 + 100);
	R("straddle_n", nfault);
	R("straddle_pc_ok", last_pc == (uint32_t)straddle_insn);

	/* unaligned accesses are fixed up by the kernel, not delivered */
	R("set_adel", os_set_handler(EXC_ADEL, skip));
	R("set_ades", os_set_handler(EXC_ADES, skip));
	R("set_cpu", os_set_handler(EXC_CPU, skip));
	R("coproc_disable", os_coproc_disable());
	R("dirty", os_dirty(PAGE));
	pg[8] = 0x44332211;
	pg[9] = 0x88776655;
	nfault = 0;
	v = *(volatile uint32_t *)(PAGE + 33);
	R("unaligned_lw", v);
	*(volatile uint32_t *)(PAGE + 37) = 0xdeadbeef;
	R("unaligned_sw", pg[9]);
	R("unaligned_lh", *(volatile int16_t *)(PAGE + 35));
	R("unaligned_faults", nfault);

	/* a user load from kseg0: AdEL -> SIGSEGV (not an unaligned access to fix up) */
	{
		struct sigvec rv = {(uint32_t)raw, 0, 0};
		sigvec(SIGSEGV, &rv, 0);
		sigvec(SIGBUS, &rv, 0);
		__asm__ volatile(".set push; .set noreorder; lui $t0, 0x8000\n"
		                 ".globl kaddr_insn\nkaddr_insn: lw $t1, 0x10($t0)\n.set pop" ::: "$8", "$9");
		R("kaddr_sig", raw_sig);
		R("kaddr_code", raw_code);
		R("kaddr_exc", EXC(raw_cause));
		R("kaddr_badvaddr", raw_badvaddr);
		R("kaddr_pc_ok", raw_pc == (uint32_t)kaddr_insn);
		/* a jump to a misaligned address: AdEL on the fetch -> SIGBUS */
		__asm__ volatile(".set push; .set noreorder; lui $t0, 0x40; ori $t0, $t0, 0x2\n"
		                 "jalr $t0\nnop\n.set pop" ::: "$8", "$31");
		R("fetch_sig", raw_sig);
		R("fetch_exc", EXC(raw_cause));
		R("fetch_badvaddr", raw_badvaddr);
	}

	/* kill to self: delivered on the way out of kill() */
	R("sigvec", sigvec(SIGUSR1, &sv, 0));
	R("kill", kill(getpid(), SIGUSR1));
	R("usr1_n", usr1_n);
	R("usr1_sig", usr1_sig);
	R("usr1_code", usr1_code);
	/* blocked, then released by sigsetmask */
	sigblock(SIGMASK(SIGUSR1));
	kill(getpid(), SIGUSR1);
	R("usr1_blocked_n", usr1_n);
	sigsetmask(0);
	R("usr1_unblocked_n", usr1_n);
	return 0;
}
