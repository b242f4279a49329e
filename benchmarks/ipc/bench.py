"""Table 8: IPC between two processes: pipe and shared-memory ping-pong (ExOS vs baseline)."""
from exobench.experiment import Case, main, renderer

DESCRIPTION = "Table 8: IPC round trips between two processes (pipe, shm)"
TITLE = "Table 8: IPC"
CASES = [Case("8", row, system, "ipc.c", {"kind": kind}, n=500, peers=("ipc_peer.c",))
         for row, kind in (("pipe", 0), ("shm", 1)) for system in ("baseline", "aegis")]
render = renderer(TITLE, "Per round trip of a word-sized message. pipe: kernel pipes on the baseline, "
                         "ExOS's shared-memory rings with yield on Aegis. shm: a shared counter bumped "
                         "in turn; each side yields to the other while it waits.")

BREAKDOWNS = {"aegis/pipe": {}, "baseline/pipe": {}}

if __name__ == "__main__":
    main(CASES, __file__, BREAKDOWNS)
