"""Attribution ladders (issue 11): how much of each headline speedup each technique buys.

A ladder goes from a published baseline row to the published Aegis/ExOS row of the same
operation.  Its rungs are real builds: the baseline kernel (and, where a switch says so, its
user runtime) compiled with research switches -- ``ATTR_*`` macros, each an ``#ifdef``'d
alternative on the path studied, off in the published build -- that each remove one
technique of the monolithic kernel or add one of the exokernel.  Each technique's share is
its mean marginal saving over the orders of switching them on (the Shapley value), with the
minimum and maximum over those orders: over all k! orders (all 2^k subsets built) while
k <= ALL_ORDERS_MAX_K, else over a stated sample of 2k orders (``orders``).  What the fully switched baseline still spends beyond
Aegis is the last rung, "the rest of the kernel" (the residual), so the ladder ends exactly
at the published Aegis row.  Nothing here is arithmetic on guessed numbers: every cost is a
case that ran and validated.

    SWITCHES                  name -> Switch (macro, where it applies, the technique's name)
    LADDERS                   the operations, each a Ladder
    orders(switches)          the orders the shares average over (all, or the stated sample)
    cases(ladder) -> [Case]   every rung of a ladder as a Case (endpoints = the published cases)
    shares(costs, switches)   Shapley shares: name -> Share(mean, lo, hi)
    analyse(ladder, cost)     a ladder's rungs, shares and residual from a cost lookup
    from_suite(suite)         every ladder's Analysis from the experiment's results
    paragraph(analyses, rows) "where the speedup comes from", for results/summary.md
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Callable, Mapping, Sequence

from .experiment import Case


@dataclass(frozen=True)
class Switch:
    name: str               # short name, used in row labels
    macro: str              # the -D macro
    technique: str          # what switching it on does, in the paper's words where it has them
    kind: str               # EXPOSE or AVOID: the two families of technique
    runtime: bool = False   # also compiled into the user runtime (baseline_monolithic/user)


# Issue 11's question: is the gain from exposing the hardware (no full trap frame, exceptions
# straight to user handlers), from avoiding kernel abstractions (signals, sleep/wakeup), or
# from downloading code?  Each switch belongs to one of the first two families.
EXPOSE, AVOID = "exposing the hardware", "avoiding kernel abstractions"

SWITCHES = {s.name: s for s in (
    Switch("direct", "ATTR_EXC_DIRECT",
           "exceptions dispatched straight to application handlers (no psignal/issig, no second trap pass)",
           EXPOSE),
    Switch("partial", "ATTR_EXC_PARTIAL_FRAME",
           "no full trap frame: save only what the handler clobbers (s1-s8 left in place)", EXPOSE),
    Switch("userret", "ATTR_EXC_USER_RETURN",
           "applications resume without entering the kernel (user-level return: no sigreturn, no signal mask)",
           EXPOSE, runtime=True),
    Switch("inplace", "ATTR_EXC_REGS_IN_PLACE",
           "the handler gets the registers in place: no sigcontext copy-out, the exception state in "
           "an agreed-upon save area (the trampoline builds the context)", EXPOSE, runtime=True),
    Switch("asm", "ATTR_EXC_ASM_DISPATCH",
           "exceptions dispatched in assembly: no trap()/psignal()/issig()/psig() in C, no spl calls",
           EXPOSE),
    Switch("samelevel", "ATTR_EXIT_SAME_LEVEL",
           "no interrupt-level (spl/IOASIC) bookkeeping on a return at the same level", AVOID),
    Switch("noqsave", "ATTR_SYS_NO_QSAVE",
           "no interruptible-sleep context (setjmp) for calls that never sleep", AVOID),
    Switch("flagged", "ATTR_SYS_FLAGGED_EXIT",
           "return-to-user work only when flagged (no per-call signal check and accounting)", AVOID),
    # Aegis dispatches system calls in assembly from its exception vector (aegis/trap.S
    # sys_entry) and a call gets its arguments in registers; the baseline's leaf calls
    # (no sleep, no signal) are run that way from VEC_syscall, without syscall().
    Switch("sysasm", "ATTR_SYS_ASM_DISPATCH",
           "system-call dispatch in assembly: no syscall() fan-out in C (sysent, u_arg copy, qsave, "
           "exit work) for calls that cannot sleep or signal; arguments used in place", AVOID),
    # Aegis takes a system call on its exception vector and keeps only sp and ra (sys_c);
    # the baseline's leaf calls get a frame of what a call's return needs.
    Switch("sysvec", "ATTR_SYS_VECTOR",
           "system calls taken on the exception vector with only what a call's return needs saved "
           "(no general trap frame, onkstack test or causevec jump)", EXPOSE),
    # ExOS updates its own page table at user level with interrupts on; the baseline's
    # mprotect masks interrupts (splimp) for its PTE pass, as Ultrix's does.
    Switch("nospl", "ATTR_VM_NO_SPL",
           "no interrupt masking (splimp/splx) around mprotect's page-table update (with "
           "application-level virtual memory the page table is the process's own)", AVOID),
    # Aegis's software TLB caches the bindings an application installed (the application-
    # managed TLB is in the "exposing the hardware" family); on the baseline it
    # sits in front of Ultrix's linear page table.
    Switch("stlb", "ATTR_TLB_STLB",
           "a large software TLB (STLB) in front of the page table, looked up by the refill handler",
           EXPOSE),
    # The pipe's path (issue 11's "avoiding kernel abstractions": uio, the file-system
    # layers, sleep/wakeup through the run queue) against ExOS's pipes.
    Switch("nouio", "ATTR_PIPE_NO_UIO",
           "no uio layer: read/write go straight to the pipe, which copies to or from the user buffer "
           "(no rwuio, no second setjmp, no uiomove)", AVOID),
    Switch("nognode", "ATTR_PIPE_NO_GNODE",
           "no gnode/fifo indirection: the pipe's read/write called directly (no gno_rw, rwgp)", AVOID),
    Switch("handoff", "ATTR_SCHED_HANDOFF",
           "directed yield (hand-off scheduling): waking the pipe's reader hands it the CPU, no "
           "run-queue search or reschedule pass", AVOID),
)}

RESIDUAL = "the rest of the kernel"

# Up to this many switches a ladder builds all 2^k subsets and averages over all k! orders
# (the exact Shapley value); past it, over the sample `orders` states.  The one place that
# decides how many builds the attribution experiment runs.
ALL_ORDERS_MAX_K = 5


def orders(switches: Sequence[str]) -> list[tuple[str, ...]]:
    """The orders of switching `switches` on that the shares average over: every order
    while k <= ALL_ORDERS_MAX_K; else the stated sample of 2k orders, the k rotations of the
    ladder's order and the k rotations of its reverse -- each technique comes once at every
    position in each, after every cyclic run of the others before it -- whose prefixes are
    k(k-1) + 2 subsets (32 builds for k = 6, 44 for k = 7, against 2^k)."""
    sw = tuple(switches)
    if len(sw) <= ALL_ORDERS_MAX_K:
        return list(itertools.permutations(sw))
    rot = lambda seq: [seq[i:] + seq[:i] for i in range(len(seq))]
    return rot(sw) + rot(sw[::-1])
BASELINE_RUNG = "baseline (published)"


def published(home: str, table: str, row: str, system: str) -> Case:
    """The case experiment `home` publishes for (table, row, system), as its bench.py lists it
    (same program, parameters, sources and peers, so the same images), marked with its home."""
    from . import registry
    for case in registry.get(home).module().CASES:
        if (case.table, case.row, case.system) == (table, row, system):
            return replace(case, home=home)
    raise KeyError(f"{home} publishes no case {system}/{row} of table {table}")


@dataclass(frozen=True)
class Ladder:
    op: str                         # the operation, as the tables name it
    home: str                       # the experiment that publishes both ends
    top: tuple[str, str, str]       # (table, row, system) of the published top (the baseline's)
    end: tuple[str, str, str]       # ... and of the published bottom (Aegis/ExOS's)
    switches: tuple[str, ...]       # names in SWITCHES, in the order the ladder shows them
    residual: str                   # what the last rung ("the rest of the kernel") is on this path
    residual_name: str = RESIDUAL   # the last rung's name

    @property
    def baseline(self) -> Case:
        return published(self.home, *self.top)

    @property
    def exo(self) -> Case:
        return published(self.home, *self.end)

    def variant(self, subset: Sequence[str]) -> Case:
        """The top case built with the switches in `subset`; with none, the published case
        itself (only its table and row labels differ: same images, same run)."""
        on = [n for n in self.switches if n in subset]
        sw = [SWITCHES[n] for n in on]
        return replace(self.baseline, table="attribution", row=f"{self.op} [{'+'.join(on) or 'published'}]",
                       kernel_defines={s.macro: 1 for s in sw},
                       defines={s.macro: 1 for s in sw if s.runtime})

    def bottom(self) -> Case:
        """The published Aegis/ExOS case, labelled for this ladder."""
        return replace(self.exo, table="attribution", row=f"{self.op} [exokernel]")

    def subsets(self) -> list[tuple[str, ...]]:
        """The subsets built: every prefix of every order in orders(switches) (all 2^k
        while k <= ALL_ORDERS_MAX_K), in the ladder's order, smallest first."""
        need = {frozenset(o[:i]) for o in orders(self.switches) for i in range(len(o) + 1)}
        return [tuple(c) for k in range(len(self.switches) + 1)
                for c in itertools.combinations(self.switches, k) if frozenset(c) in need]


def _both(table: str, row: str) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    return (table, row, "baseline"), (table, row, "aegis")


EXC = ("direct", "asm", "partial", "inplace", "userret", "samelevel")
SYSCALL = ("noqsave", "flagged", "samelevel", "sysasm", "sysvec")
# On the VM ladders the assembly dispatch takes mprotect (a leaf call) past syscall(), so the
# switches inside syscall() (noqsave, flagged) save nothing once it is on: their part of its
# saving is split out on the null-system-call ladder, and here stays with sysasm.
PROT = ("samelevel", "sysasm", "sysvec", "nospl")
# What the fully switched baseline still does on the way to and from a user handler, beyond
# Aegis: measured by symbol (exobench.breakdown) on the overflow ladder's last variant.
_EXC_LEFT = ("the kernel's entry and exit in assembly (exception's frame, tfi_save/tfi_restore of "
             "the t-registers, exception_exit), the assembly dispatch's checks, sendsig's guarded "
             "copyout of the save area, and at user level the trampoline building and restoring a "
             "whole sigcontext for the signal-handler convention (handler(sig, code, scp)) and "
             "osapi's dispatcher from it to the C handler")
PIPE = ("nouio", "nognode", "handoff", "flagged", "samelevel")     # k = 5: 32 builds
LADDERS = (
    Ladder("null system call", "base_costs", *_both("4", "system call"), SYSCALL,
           "Aegis answers its null call in assembly without a stack (sys_null, 3 instructions after "
           "a 21-instruction vector), against the switched baseline's getpid in C on the kernel "
           "stack, with the frame an interruptible C call needs (sp, gp, ra, a0-a3, v0/v1, EPC, SR, "
           "Cause, the interrupted level, the on-kernel-stack flag) and the reschedule and level "
           "checks on the way out; and the two user runtimes' stubs"),
    Ladder("exception (overflow)", "exceptions", *_both("5", "overflow"), EXC,
           _EXC_LEFT + ", against Aegis's 18-instruction dispatch in assembly to a 9-instruction "
           "assembly handler that saves nothing (Aegis's row is that handler: the handler "
           "convention is the program's, not a switch; README)"),
    Ladder("trap (write to a protected page)", "vm", *_both("vm", "trap"), EXC,
           "tlbmod() in C (vtopte) before the dispatch, and " + _EXC_LEFT + ", against Aegis's "
           "dispatch to ExOS's application-level fault handler"),
    Ladder("prot1+trap+unprot (Appel & Li)", "vm", *_both("vm", "prot1+trap+unprot"),
           ("direct", "asm", "partial", "inplace", "userret", "samelevel", "sysasm", "nospl"),
           "two mprotect calls (regions, PTE rewrite, newptes()) against ExOS's protect and "
           "unprotect in its own page table, and the trap's rest as on the trap ladder; "
           "ATTR_SYS_VECTOR is not on this ladder, and ATTR_SYS_NO_QSAVE would save nothing in its "
           "last rung (no sigreturn, and mprotect dispatched in assembly)"),
    Ladder("prot1", "vm", *_both("vm", "prot1"), PROT,
           "application-level virtual memory: ExOS changes its own page table at user level and "
           "asks Aegis to change the TLB entry (a capability check per page), against mprotect's "
           "region lookup and PTE walk in C, newptes() and tlb_unmap, and the small-frame system "
           "call around them"),
    Ladder("prot100", "vm", *_both("vm", "prot100"), PROT,
           "application-level virtual memory: ExOS rewrites its PTEs in user mode and flushes its "
           "bindings in one call (then refills them through its STLB and page table), against "
           "mprotect's PTE pass in C and newptes()' new ASID and wired-entry rewrite"),
    Ladder("pipe round trip", "ipc", *_both("8", "pipe"), PIPE,
           "a kernel pipe: four system calls' trap, sysent dispatch, setjmp and exit (a third of "
           "what is left), the FIFO's buffer code, read/write's descriptor and uio set-up, two "
           "context switches through save/resume (each rewrites 8 wired TLB entries), sleep(), "
           "copyin/copyout; against ExOS's ring in memory the two processes share, read and "
           "written at user level, and two directed yields into Aegis (the shared ring is no "
           "switch: a kernel pipe's data crosses the kernel)"),
    Ladder("TLB refill", "vm", *_both("vm", "tlb refill"), ("stlb",),
           "Aegis's refill hits its STLB (18 instructions) exactly as the switched baseline's does; "
           "what differs is the program's own code and its placement (ExOS's runtime against the "
           "baseline's) and the rare nested misses (the baseline's kseg2 page-table page, in C)"),
    Ladder("packet demultiplexing", "packet_filter", ("7", "MPF", "aegis"), ("7", "DPF", "aegis"), (),
           "the same ten filters compiled to MIPS code when they are inserted, against the "
           "interpreter standing in for MPF (both in Aegis; Table 7)",
           residual_name="downloaded code (DPF)"),
)


def ladder(op: str) -> Ladder:
    for lad in LADDERS:
        if lad.op == op:
            return lad
    raise KeyError(f"no ladder {op!r}; known: {', '.join(l.op for l in LADDERS)}")


def cases(lad: Ladder) -> list[Case]:
    """Every rung of the ladder: the baseline variants of lad.subsets() (the first is the
    published baseline case itself) and the published Aegis/ExOS case."""
    return [lad.variant(s) for s in lad.subsets()] + [lad.bottom()]


@dataclass(frozen=True)
class Share:
    mean: float             # cycles saved, averaged over every order of the switches
    lo: float               # the smallest saving over those orders
    hi: float               # the largest


def shares(costs: Mapping[frozenset, float], switches: Sequence[str]) -> dict[str, Share]:
    """Shapley shares of the saving costs[{}] - costs[all]: for every order in
    orders(switches), each one's marginal saving when it is switched on after those before
    it.  The means sum to the whole saving exactly (each order's marginals do); lo/hi are
    each switch's range over the orders."""
    marg: dict[str, list[float]] = {s: [] for s in switches}
    for order in orders(switches):
        on: frozenset = frozenset()
        for s in order:
            marg[s].append(costs[on] - costs[on | {s}])
            on = on | {s}
    return {s: Share(sum(v) / len(v), min(v), max(v)) for s, v in marg.items()}


@dataclass(frozen=True)
class Analysis:
    ladder: Ladder
    chain: list[tuple[str, float, float]]       # (rung label, cycles, instructions) top to bottom
    shares: dict[str, Share]                    # switch -> share of the saving, in cycles
    residual: float                             # cycles: fully switched baseline - Aegis
    total: float                                # cycles: published baseline - published Aegis
    ishares: dict[str, Share]                   # the same in instructions (independent of
    iresidual: float                            # where the linker puts the code, which
    itotal: float                               # moves cycles through the caches)


def analyse(lad: Ladder, cost: Callable[[Case], tuple[float, float] | None]) -> Analysis | None:
    """A ladder's rungs, shares and residual, from cost(case) -> (cycles, instructions) (None
    when a rung did not run: then there is no analysis)."""
    got = {frozenset(s): cost(lad.variant(s)) for s in lad.subsets()}
    exo = cost(lad.bottom())
    if exo is None or any(v is None for v in got.values()):
        return None
    cyc = {k: v[0] for k, v in got.items()}
    chain = [(BASELINE_RUNG, *got[frozenset()])]
    for k in range(1, len(lad.switches) + 1):
        chain.append((f"+ {SWITCHES[lad.switches[k - 1]].technique}", *got[frozenset(lad.switches[:k])]))
    chain.append((f"+ {lad.residual_name} (published {lad.exo.row} row)", *exo))
    ins = {k: v[1] for k, v in got.items()}
    full = frozenset(lad.switches)
    return Analysis(lad, chain, shares(cyc, lad.switches), cyc[full] - exo[0], cyc[frozenset()] - exo[0],
                    shares(ins, lad.switches), ins[full] - exo[1], ins[frozenset()] - exo[1])


def from_suite(suite) -> list[Analysis]:
    """Every ladder whose rungs all ran, from the attribution experiment's pyperf suite, on
    the published preset."""
    from .results import rows as suite_rows
    got = {}
    for r in suite_rows(suite):
        for system, e in r.ours.items():
            m = e.on()
            if m is not None:
                got[(system, r.row)] = (m.cycles, m.insns)
    cost = lambda case: got.get((case.system, case.row))
    return [a for a in (analyse(lad, cost) for lad in LADDERS) if a is not None]


def paragraph(analyses: Sequence[Analysis]) -> str:
    """The summary's answer: of each headline speedup, how much each technique buys, and how
    much of the gain is downloaded code against exposing the hardware."""
    if not analyses:
        return ""
    out = ["## Where the speedup comes from", "",
           "From the attribution ladders (`results/attribution.md`): each operation's gap between "
           "its published rows, split into the mean share of each research switch over every order "
           "(in cycles), and the last rung (what the fully switched build still spends).", ""]
    for a in analyses:
        parts = [f"{SWITCHES[n].name} {100 * a.shares[n].mean / a.total:.0f} %" for n in a.ladder.switches]
        kinds = [f"{kind} {100 * sum(a.shares[n].mean for n in a.ladder.switches if SWITCHES[n].kind == kind) / a.total:.0f} %"
                 for kind in (EXPOSE, AVOID) if any(SWITCHES[n].kind == kind for n in a.ladder.switches)]
        gap = (f"{a.total:.0f} cycles" if a.total >= 0 else
               f"Aegis is {-a.total:.0f} cycles slower, so the shares are of a loss")
        out.append(f"* **{a.ladder.op}** ({a.chain[0][1] / a.chain[-1][1]:.1f}×, {gap}): "
                   + ", ".join([*parts, f"{a.ladder.residual_name} {100 * a.residual / a.total:.0f} %"])
                   + (f" ({'; '.join(kinds)})" if kinds else "") + ".")
    dl = [a for a in analyses if a.ladder.residual_name != RESIDUAL]
    if dl:
        out += ["", "Downloaded code is the whole gain where it is used ("
                + ", ".join(f"{a.ladder.op}: {a.chain[0][1] / a.chain[-1][1]:.0f}×" for a in dl)
                + ") and none of it elsewhere: no other ladder downloads code, so their gains come from "
                "exposing the hardware and avoiding kernel abstractions, in the proportions above, and "
                "from the rest of the kernel."]
    return "\n".join(out) + "\n"
