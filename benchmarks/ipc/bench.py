"""Table 8: IPC between two processes: pipe and shared-memory ping-pong (ExOS vs baseline)."""
from exobench.experiment import Case
from exobench.harness import main
from exobench.tables import renderer

DESCRIPTION = "Table 8: IPC round trips between two processes (pipe, shm)"
TITLE = "Table 8: IPC"
CASES = [Case("8", row, system, "ipc.c", {"kind": kind}, n=500, peers=("ipc_peer.c",))
         for row, kind in (("pipe", 0), ("pipe'", 2), ("shm", 1), ("lrpc", 3))
         for system in ("baseline", "aegis")]
render = renderer(TITLE, "Per round trip of a word-sized message. pipe: kernel pipes on the baseline, "
                         "ExOS's shared-memory rings with yield on Aegis; pipe': the same rings with "
                         "read and write inlined (ExOS only). shm: a shared counter bumped in turn; each "
                         "side yields to the other while it waits. lrpc: a call with three words and a "
                         "one-word result; ExOS uses synchronous PCT, the server saving the callee-saved "
                         "registers; the baseline sends a request and a reply through two pipes. "
                         "The baseline's mechanisms are the fastest a 1995 Ultrix programmer had "
                         "(baseline_monolithic/README.md, yardsticks): pipes (FIFO gnodes) beat "
                         "socketpairs, which go through sosend/soreceive and mbufs; kill + sigpause is "
                         "the cheapest wake-up (a pipe doorbell costs a pipe round trip, SysV semop two "
                         "calls a side with allocation and copyin, spinning loses a 100 ms quantum); "
                         "an RPC needs two pipes, one cannot carry both directions.")

BREAKDOWNS = {"aegis/pipe": {}, "baseline/pipe": {}}

if __name__ == "__main__":
    main(CASES, __file__, BREAKDOWNS)
