"""§7.3: an application-level stride scheduler on ExOS (exos/stride.c).

A scheduler environment (sched.c) hands the CPU time of its group -- its own slot and its
clients' in Aegis's round robin -- to three CPU-bound clients (worker.c) by stride scheduling,
through directed yield; the clients give every slice end back through ExOS's end-of-slice upcall.
Each case runs n decisions (one quantum each, Aegis's 256 Hz tick) and validates every client's
work against stride scheduling's bound.  The framework's per-operation cost is the cost of one
scheduling decision (stride_next between markers); the custom table adds the shares.
"""
from __future__ import annotations

from exobench.experiment import Case
from exobench.harness import main
from exobench.results import REFERENCE, rows as suite_rows
from exobench.systems.aegis import AE_TIMER_PERIOD
from exobench.tables import clock_mhz, published, render_csv

DESCRIPTION = "§7.3: application-level stride scheduling on Aegis/ExOS (shares and cost per decision)"
TITLE = "§7.3: application-level stride scheduler"
TICKETS = {"3:2:1": (3, 2, 1), "1:1": (1, 1), "10:1": (10, 1)}
CASES = [Case("7.3", f"stride {label}", "aegis", "sched.c", {f"t{i}": t for i, t in enumerate(tickets)},
              n=600, peers=("worker.c",))
         for label, tickets in TICKETS.items()]
NOTE = ("Shares are of the work the clients did (units of 16 xorshift steps, about 102 cycles each), "
        f"over n scheduling decisions of one quantum each (Aegis's 256 Hz tick: {AE_TIMER_PERIOD:,} cycles). "
        "Error: the client's work minus its ticket share of the total, in quanta (the most units one "
        "quantum held). Bound: stride scheduling's, from pass_i - stride_i q <= pass_j at every decision "
        "(summed over j with weights t_j/T): -(n-1) t_i/T <= error <= (T - t_i)/T quanta -- at most one "
        "quantum either way; the guest refuses the run if any client is outside it (plus 2 units). "
        "Charged: the scheduler's own accounting (cycles from its grant to the client's release). "
        "Decision: stride_next between two markers (their stores included) -- charge the quantum that "
        "ended (cycle counter, the release time from the shared page, 64-bit pass += stride x cycles), "
        "pick the least pass (3 or 2 clients); no kernel entry. Per quantum not spent on work: the cycles of the whole run minus the "
        "units done at the cost the scheduler measured for the same code uninterrupted, per quantum: "
        "the tick, the end-of-slice upcall, the client's undirected yield back to the kernel, the "
        "forwarding of the next slot to the scheduler, the decision, the directed yield to the chosen "
        "client and its resuming its interrupted context. Aegis's round robin alone: the same work in "
        "three plain environments (no upcall, no stride client) preempted by the kernel, and the "
        "scheduler's environment yielding its slot at once, per timer tick. The paper gives no numbers for §7.3 "
        "(its figure, recalled as three processes at 3:2:1, was not recovered).")


def analyse(results: dict) -> dict:
    """Shares, errors in quanta and their bounds, from one run's results."""
    names = [c for c in "ABC" if f"tickets_{c}" in results]
    t = [results[f"tickets_{c}"] for c in names]
    w = [results[f"units_{c}"] for c in names]
    cyc = [results[f"cycles_{c}"] for c in names]
    n, T, W, uq = len(names), sum(t), sum(w), results["uq"]
    quanta = sum(results[f"quanta_{c}"] for c in names)
    unit = results["calib"] / results["calib_units"]
    return {"clients": [{"name": c, "tickets": ti, "expected": ti / T, "share": wi / W,
                         "charged": ci / sum(cyc), "error": (wi - W * ti / T) / uq,
                         "lo": -(n - 1) * ti / T, "hi": (T - ti) / T,
                         "quanta": results[f"quanta_{c}"]}
                        for c, ti, wi, ci in zip(names, t, w, cyc)],
            "unit_cycles": unit, "uq": uq,
            "overhead_per_quantum": (results["window"] - W * unit) / quanta,
            "rr_overhead_per_quantum": (results["rr_window"] - results["rr_units"] * unit) / results["rr_ticks"]}


def render(suite, fmt: str = "md") -> str:
    rows = suite_rows(suite)
    if fmt == "csv":
        return render_csv(rows)
    lines = [f"# {TITLE}", "",
             f"Aegis/ExOS on the {published(rows)} ({clock_mhz(rows):g} MHz); shares from that run.", "",
             "| case | client | tickets | expected share | measured share | error (quanta) | bound (quanta) "
             "| charged share | quanta |", "|---|---|---|---|---|---|---|---|---|"]
    costs = []
    for r in rows:
        m = r.on("aegis")
        if m is None:
            continue
        a = analyse(m.results)
        label = r.row.replace("stride ", "")
        for c in a["clients"]:
            lines.append(f"| {label} | {c['name']} | {c['tickets']} | {c['expected']:.4f} | {c['share']:.4f} | "
                         f"{c['error']:+.2f} | [{c['lo']:.2f}, {c['hi']:.2f}] | {c['charged']:.4f} | {c['quanta']} |")
        mi = r.on("aegis", REFERENCE)
        costs.append((label, m, mi, a, analyse(mi.results) if mi else None))
    lines += ["", "| case | decision (cycles) | decision (insns; kernel) | decision, `ideal` (cycles) "
              "| per quantum not spent on work (cycles) | same, `ideal` | Aegis's round robin alone: same |",
              "|---|---|---|---|---|---|---|"]
    for label, m, mi, a, ai in costs:
        ohi = "–" if ai is None else f"{ai['overhead_per_quantum']:.0f}"
        lines.append(f"| {label} | {m.cycles:.0f} ({m.us:.2f} µs) | {m.insns:.0f}; {m.kernel_insns:.1f} | "
                     f"{'–' if mi is None else f'{mi.cycles:.0f}'} | {a['overhead_per_quantum']:.0f} "
                     f"({a['overhead_per_quantum'] / AE_TIMER_PERIOD * 100:.2f}% of a quantum) | "
                     f"{ohi} | {a['rr_overhead_per_quantum']:.0f} |")
    lines += ["", NOTE]
    return "\n".join(lines) + "\n"

if __name__ == "__main__":
    main(CASES, __file__)
