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


def _imports(path: Path, package: str) -> set[str]:
    """exobench modules that `path` imports anywhere (module level or inside functions)."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    if module.endswith(".__init__"):
        module = module[: -len(".__init__")]
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith(package)}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                mod = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith(package):
                continue
            for a in node.names:        # "from . import x" may name a submodule
                sub = f"{mod}.{a.name}"
                found.add(sub if (ROOT / Path(*sub.split("."))).with_suffix(".py").is_file()
                          or (ROOT / Path(*sub.split("."))).is_dir() else mod)
    return found - {module}


def test_the_package_has_no_import_cycle():
    """exobench is a straight stack: no module imports one that (directly or not) imports it,
    lazily inside a function included."""
    graph = {}
    for path in (ROOT / "exobench").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        graph[name] = _imports(path, "exobench")
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(dep):] + [dep]))
            if dep not in state:
                visit(dep, stack + [dep])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert "exobench.results" in graph and graph["exobench.breakdown"] >= {"exobench.experiment"}


def test_no_tracked_file_points_outside_the_repo():
    """The design and references live in docs/; nothing may depend on the team's shared folder."""
    import subprocess
    import pytest
    pattern = "|".join(["\\.\\./" + "shared", "shared" + "/reference", "shared" + "/DESIGN"])
    out = subprocess.run(["git", "-C", str(ROOT), "grep", "-n", "-E", pattern], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        pytest.skip("not a git checkout")
    assert out.stdout == ""
