"""Constants shared with the emulator and the guests, read from their C headers.

include/r3000.h and include/board.h are the single source of truth; this module
parses their object-like ``#define`` lines so Python never restates a number.
"""
from __future__ import annotations

import ast
import operator
import re
from pathlib import Path

from .paths import tree

_DEFINE = re.compile(r"^\s*#define\s+([A-Z_][A-Z0-9_]*)\s+(.+?)\s*(?:/\*.*)?$")
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.LShift: operator.lshift, ast.RShift: operator.rshift, ast.BitOr: operator.or_,
        ast.BitAnd: operator.and_, ast.FloorDiv: operator.floordiv, ast.Div: operator.floordiv}


def _eval(node: ast.AST, env: dict[str, int]) -> int:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.left, env), _eval(node.right, env))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, env)
    raise ValueError("unsupported expression")


def parse_header(path: Path, env: dict[str, int] | None = None) -> dict[str, int]:
    """Return {NAME: value} for every integer-valued object-like #define in path."""
    env = dict(env or {})
    for line in path.read_text().splitlines():
        m = _DEFINE.match(line)
        if not m or "(" in m.group(1):
            continue
        expr = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", m.group(2))
        try:
            env[m.group(1)] = _eval(ast.parse(expr, mode="eval").body, env)
        except (SyntaxError, ValueError, KeyError):
            continue
    return env


def _load() -> dict[str, int]:
    env = parse_header(tree("include") / "r3000.h")
    env = parse_header(tree("include") / "board.h", env)
    env = parse_header(tree("include") / "lance.h", env)
    return parse_header(tree("include") / "netproto.h", env)


C = _load()
globals().update(C)

EXC_NAMES = {C["EXC_" + n]: n for n in
             ("INT", "MOD", "TLBL", "TLBS", "ADEL", "ADES", "IBE", "DBE", "SYS", "BP", "RI", "CPU", "OV")}
EXC_DESCRIPTIONS = {
    "INT": "interrupt", "MOD": "TLB modified", "TLBL": "TLB miss (load/fetch)",
    "TLBS": "TLB miss (store)", "ADEL": "address error (load/fetch)", "ADES": "address error (store)",
    "IBE": "bus error (fetch)", "DBE": "bus error (data)", "SYS": "syscall", "BP": "breakpoint",
    "RI": "reserved instruction", "CPU": "coprocessor unusable", "OV": "arithmetic overflow",
}
