"""Section 7.1: extensible RPC on ExOS: lrpc (the server saves the callee-saved registers)
against tlrpc (a trusted server that saves nothing), both over Aegis's synchronous PCT."""
from exobench.experiment import Case
from exobench.harness import main
from exobench.tables import renderer

DESCRIPTION = "Section 7.1: lrpc vs trusted lrpc (tlrpc) on ExOS"
TITLE = "Section 7.1: extensible RPC (lrpc vs tlrpc)"
CASES = [Case("7.1", row, "aegis", "../ipc/ipc.c", {"kind": kind}, n=500, peers=("../ipc/ipc_peer.c",))
         for row, kind in (("lrpc", 3), ("tlrpc", 4))]
render = renderer(TITLE, "Both rows run on Aegis/ExOS; compare them with each other (the paper's point is "
                         "that an application may pick the cheaper trusted variant). The programs are "
                         "Table 8's (benchmarks/ipc/).")

if __name__ == "__main__":
    main(CASES, __file__)
