"""Table 6: protected control transfer on Aegis (sync, async); L3 from the literature."""
from exobench.experiment import Case
from exobench.harness import main
from exobench.tables import renderer

DESCRIPTION = "Table 6: protected control transfer (sync, async) on Aegis; L3 as a reference"
TITLE = "Table 6: protected control transfer"
CASES = [Case("6", row, "aegis", "pct.c", {"kind": kind}, n=1000, peers=("pct_peer.c",))
         for row, kind in (("sync PCT", 0), ("async PCT", 1))]
render = renderer(TITLE, "Aegis only: Ultrix has no protected control transfer. sync PCT: one way, "
                         "measured as half of a null call and its return through ExOS's trusted lrpc "
                         "path (which saves nothing). async PCT: one asynchronous transfer carrying "
                         "three words plus the receiver's handler and its giving the CPU back. "
                         "L3 (Liedtke, SOSP'93): 5 µs for a short-message IPC on a 50 MHz 486, "
                         "shown for reference only. The summary sets sync PCT against the fastest "
                         "transfer Ultrix has between address spaces: half a round trip of kill + "
                         "sigpause over shared memory (cheaper than half a pipe round trip).")

if __name__ == "__main__":
    main(CASES, __file__)
