"""The paper's other open questions (issue 11 item 4), measured on the tree by code: the
"Discussion" section of results/summary.md.

    portability()      the machine-dependent interface an application sees on each system
    effort()           lines an application writes or links per abstraction, ExOS vs baseline
    compatibility()    the share of osapi.h each system implements; benchmark sources that
                       build unchanged for both
    render() -> str    the section

Lines are source lines of code: non-blank lines that are not only a comment (C and
preprocessed assembly comments, /* */ and //).  Nothing here is typed in: every figure is
counted from the files named in the tables below, so it moves when they do.
"""
from __future__ import annotations

import re
from pathlib import Path

from .paths import tree

# Which files implement each abstraction (the component READMEs' file tables).
ABSTRACTIONS = {
    "virtual memory": (("exos/vm.c", "exos/pt.h", "exos/pt_twolevel.c"),
                       ("baseline_monolithic/kernel/vm.c", "baseline_monolithic/kernel/tlb.S",
                        "baseline_monolithic/kernel/copy.S")),
    "IPC (pipes, shm)": (("exos/ipc.c", "exos/pipe.S"), ("baseline_monolithic/kernel/pipe.c",)),
    "exceptions": (("exos/exc.S",), ("baseline_monolithic/kernel/signal.c", "baseline_monolithic/kernel/trap.c")),
    "scheduling": (("exos/slice.S",), ("baseline_monolithic/kernel/sched.c", "baseline_monolithic/kernel/process.S")),
}
# Section 7's application-specific gains: the code an application adds to get each.
GAINS = {"tlrpc (§7.1)": ("exos/lrpc.c", "exos/lrpc.S"),
         "inverted page table (§7.2)": ("exos/optional/ipt.c",),
         "stride scheduler (§7.3)": ("exos/stride.c",)}

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def sloc(path: Path) -> int:
    """Source lines of code in one file (comments and blank lines left out)."""
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text())
    return sum(1 for line in text.splitlines() if line.strip())


def _path(p) -> Path:
    """"exos/vm.c" -> the file in that source tree; a Path as it is."""
    if isinstance(p, Path):
        return p
    top, _, rest = p.partition("/")
    return tree(top) / rest


def _lines(paths) -> int:
    return sum(sloc(_path(p)) for p in paths)


def _defines(header: Path, prefix: str) -> list[str]:
    return re.findall(rf"^#define\s+({prefix}\w+)\s", header.read_text(), re.M)


def portability() -> list[tuple[str, str, str]]:
    """(what, Aegis/ExOS, baseline): the machine-dependent interface an application sees."""
    ae, ua = tree("aegis") / "aegis.h", tree("baseline_monolithic") / "include" / "uabi.h"
    ae_calls = [d for d in _defines(ae, "SYS_")]
    ua_calls = [d for d in _defines(ua, "SYS_") if d != "SYS_NSYSENT"]
    structs = lambda h: len(re.findall(r"^struct\s+\w+\s*\{", h.read_text(), re.M))
    exos_asm = sorted(tree("exos").glob("*.S"))
    base_asm = sorted((tree("baseline_monolithic") / "user").glob("*.S"))
    exos_c = sorted(tree("exos").glob("*.c"))
    inline = lambda files: sum(1 for f in files for line in f.read_text().splitlines() if "__asm__" in line)
    return [
        ("system calls", str(len(ae_calls)), str(len(ua_calls))),
        ("structures in the kernel interface header", f"{structs(ae)} (aegis/aegis.h)",
         f"{structs(ua)} (baseline_monolithic/include/uabi.h)"),
        ("save-area / sigcontext offsets the user side hard-codes",
         str(len(_defines(ae, "SA_")) + len(_defines(ae, "UA_"))), str(len(_defines(ua, "SC_")))),
        ("machine-dependent code in the user runtime (assembly lines)",
         f"{_lines(exos_asm)} in {len(exos_asm)} files",
         f"{_lines(base_asm)} in {len(base_asm)} files"),
        ("inline assembly statements in the runtime's C", str(inline(exos_c)),
         str(inline(sorted((tree("baseline_monolithic") / "user").glob("*.c"))))),
    ]


def effort() -> tuple[list[tuple[str, int, int]], list[tuple[str, int]]]:
    """([(abstraction, ExOS library lines, baseline kernel lines)], [(section-7 gain, lines)])."""
    rows = [(name, _lines(exo), _lines(base)) for name, (exo, base) in ABSTRACTIONS.items()]
    return rows, [(name, _lines(files)) for name, files in GAINS.items()]


_DEF = re.compile(r"^[A-Za-z_][\w \t\*]*\b(os_\w+)\s*\(([^;{)]*)\)\s*\{", re.M)


def _bodies(files) -> dict[str, str]:
    """os_* function name -> its body, from C sources."""
    out = {}
    for f in files:
        text = f.read_text()
        for m in _DEF.finditer(text):
            depth, i = 1, m.end()
            while depth and i < len(text):
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            out[m.group(1)] = text[m.end():i - 1]
    return out


def osapi_functions() -> list[str]:
    text = _COMMENT.sub("", (tree("include") / "osapi.h").read_text())
    return sorted(set(re.findall(r"\b(os_\w+)\s*\(", text)) - {"os_handler_t"})


def _asm_symbols(files) -> set[str]:
    return {m for f in files for m in re.findall(r"^(os_\w+):", f.read_text(), re.M)}


def compatibility() -> dict[str, object]:
    """Per system: osapi.h functions implemented fully, partly (OS_ENOTSUP for some
    arguments) or not at all (only OS_ENOTSUP); and the benchmark programs whose source has
    no system-specific conditional."""
    api = osapi_functions()
    runtimes = {"aegis": sorted(tree("exos").glob("*.[cS]")),
                "baseline": sorted((tree("baseline_monolithic") / "user").glob("*.[cS]"))}
    out: dict[str, object] = {"functions": len(api)}
    for system, files in runtimes.items():
        bodies = _bodies([f for f in files if f.suffix == ".c"])
        asm = _asm_symbols([f for f in files if f.suffix == ".S"])
        full = partly = none = 0
        for fn in api:
            body = bodies.get(fn)
            if body is None:
                full += fn in asm
                none += fn not in asm
            elif re.fullmatch(r"\s*(\(void\)\s*\w+;\s*)*return OS_ENOTSUP;\s*", body):
                none += 1
            elif "OS_ENOTSUP" in body:
                partly += 1
            else:
                full += 1
        out[system] = (full, partly, none)
    progs = sorted(p for p in tree("benchmarks").glob("*/*.c") if p.parent.name != "host")
    unchanged = [p for p in progs if "EXOBENCH_SYSTEM_" not in p.read_text()]
    out["programs"] = (len(unchanged), len(progs))
    return out


def render() -> str:
    lines = ["## Discussion: portability, programmer effort, compatibility", "",
             "Counted from the tree by `exobench/discussion.py` (source lines without comments or blank "
             "lines), so these move with the code.", "",
             "**Portability** — the machine-dependent interface an application sees:", "",
             "| | Aegis / ExOS | baseline (Ultrix-like) |", "|---|---|---|"]
    lines += [f"| {w} | {a} | {b} |" for w, a, b in portability()]
    rows, gains = effort()
    lines += ["", "**Programmer effort** — lines per abstraction: what an ExOS application links "
              "(the library OS, which it may replace) against what the baseline kernel implements "
              "for the same feature (an Ultrix application writes none of it, and can change none):", "",
              "| abstraction | ExOS library | baseline kernel | files (ExOS; baseline) |", "|---|---|---|---|"]
    lines += [f"| {n} | {e} | {b} | {', '.join(ABSTRACTIONS[n][0])}; {', '.join(ABSTRACTIONS[n][1])} |"
              for n, e, b in rows]
    lines += ["", "ExOS's exception row leaves out the demultiplexing to program handlers in `exos/exos.c` "
              "(a file shared with process calls), so it undercounts; `exos/lrpc.*` also hold async PCT."]
    lines += ["", "Section 7's application-specific gains, in the lines an application adds: "
              + ", ".join(f"{n} {k}" for n, k in gains) + " (no kernel change for any of them).", ""]
    c = compatibility()
    fa, pa, na = c["aegis"]
    fb, pb, nb = c["baseline"]
    un, tot = c["programs"]
    lines += [f"**Compatibility** — of the {c['functions']} functions of `include/osapi.h`, ExOS implements "
              f"{fa} fully, {pa} for some arguments and {na} not at all; the baseline {fb}, {pb} and {nb}. "
              f"{un} of the {tot} benchmark programs build from the same source for both systems with no "
              "system-specific conditional (the others use a mechanism only one system has, such as "
              "protected control transfer or Aegis's smallest handler, and report n/a elsewhere).", ""]
    return "\n".join(lines)
