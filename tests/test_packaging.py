"""A non-editable install must carry every Python package and every guest source tree."""
import ast
from pathlib import Path

from exobench import paths

ROOT = Path(__file__).resolve().parent.parent


def _setup_literal(name: str):
    tree = ast.parse((ROOT / "setup.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not found in setup.py")


def test_every_python_package_is_listed():
    listed = set(_setup_literal("PYTHON_PACKAGES"))
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "exobench").rglob("__init__.py")}
    assert found == listed


def test_every_guest_tree_ships():
    trees = set(_setup_literal("GUEST_TREES"))
    assert trees == set(paths.TREES) - {"tests"}
