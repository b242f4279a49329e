"""Where the guest source trees live, in a checkout and in an installed package.

Guest images are built from C and assembly at run time, so the host side needs the sources:
from a checkout they are the top-level directories; a non-editable install ships them as
package data under ``exobench/_tree/<name>`` (see setup.py).
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

__all__ = ["TREES", "repo_root", "tree"]

TREES = ("include", "guestlib", "aegis", "exos", "baseline_monolithic", "benchmarks", "tests")

_PACKAGE_DIR = Path(__file__).resolve().parent


def repo_root() -> Optional[Path]:
    """The checkout's root when running from one (it holds pyproject.toml), else None."""
    root = _PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() else None


def tree(name: str) -> Path:
    """The directory of source tree ``name`` (one of TREES)."""
    if name not in TREES:
        raise ValueError(f"unknown source tree {name!r}; expected one of {', '.join(TREES)}")
    root = repo_root()
    path = root / name if root is not None else _PACKAGE_DIR / "_tree" / name
    if not path.is_dir():
        where = "checkout" if root is not None else "installed package"
        raise FileNotFoundError(f"source tree {name!r} is missing from the {where}: {path}")
    return path
