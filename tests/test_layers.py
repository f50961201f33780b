"""The package's layering, read from the source with ``ast`` (nothing imported):

- no run-time module (``src/remarks``) imports the training package ``remarks_training``, except
  the ``remarks train`` / ``remarks eval`` command bodies, which import it when they run;
- no import cycle among the modules of ``src/remarks`` (imports executed when a module loads).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "remarks"
TRAINING = "remarks_training"

# (module, function) pairs allowed to import remarks_training, inside the function body only.
LAZY_TRAINING_IMPORTS = {
    ("remarks.cli.checks", "_training"),
    ("remarks.cli.checks", "train"),
    ("remarks.cli.checks", "evaluate"),
}


@cache
def modules(package: str = PACKAGE) -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / package).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imported_names(module: str, path: Path, node: ast.AST) -> list[str]:
    """Full module names an import statement brings in (``from a import b`` -> ``a.b`` when that is
    a module of the package, else ``a``)."""
    if not isinstance(node, ast.Import | ast.ImportFrom):
        return []
    known = {**modules(), **modules(TRAINING)}
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom):
        base = _resolve(module, path.name == "__init__.py", node)
        return [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
    return []


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def load_time_imports(tree: ast.Module) -> list[ast.stmt]:
    """Import statements run when the module loads: top level, and inside top-level if/try/with
    and class bodies; not inside functions, not under ``if TYPE_CHECKING``."""
    found: list[ast.stmt] = []

    def walk(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.append(node)
            elif isinstance(node, ast.If):
                if not _is_type_checking(node):
                    walk(node.body)
                walk(node.orelse)
            elif isinstance(node, ast.Try):
                walk(node.body)
                for h in node.handlers:
                    walk(h.body)
                walk(node.orelse)
                walk(node.finalbody)
            elif isinstance(node, ast.With | ast.ClassDef):
                walk(node.body)

    walk(tree.body)
    return found


def training_imports() -> list[tuple[str, str, int]]:
    """(module, enclosing function or '<module>', line) of every import of remarks_training."""
    out = []
    for module, path in modules().items():
        tree = ast.parse(path.read_text("utf-8"))
        scopes: dict[ast.AST, str] = {}
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(fn):
                    scopes.setdefault(inner, fn.name)
        for node in ast.walk(tree):
            for name in imported_names(module, path, node):
                if name == TRAINING or name.startswith(TRAINING + "."):
                    out.append((module, scopes.get(node, "<module>"), node.lineno))
    return out


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {m: set() for m in known}
    for module, path in known.items():
        for node in load_time_imports(ast.parse(path.read_text("utf-8"))):
            for name in imported_names(module, path, node):
                # Importing a.b.c loads a, a.b and a.b.c; a module's own parents are already loading.
                parts = name.split(".")
                for i in range(1, len(parts) + 1):
                    target = ".".join(parts[:i])
                    if target in known and target != module and not module.startswith(target + "."):
                        graph[module].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_runtime_module_imports_training():
    bad = [(m, f, line) for m, f, line in training_imports() if (m, f) not in LAZY_TRAINING_IMPORTS]
    assert not bad, "run-time modules importing remarks_training: " + ", ".join(
        f"{m}:{line} (in {f})" for m, f, line in bad)


def test_the_allowed_lazy_imports_exist():
    # The exception list names real places: the train/eval commands still import lazily from there.
    found = {(m, f) for m, f, _ in training_imports()}
    assert found <= LAZY_TRAINING_IMPORTS and found, found


def test_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_training_package_does_not_cycle_either():
    graph = import_graph()
    for module, path in modules(TRAINING).items():
        graph[module] = set()
        for node in load_time_imports(ast.parse(path.read_text("utf-8"))):
            graph[module] |= {n for n in imported_names(module, path, node) if n.startswith(TRAINING)}
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_cycle_finder_reports_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_installed_code_points_at_shared():
    for package in (PACKAGE, TRAINING):
        for module, path in modules(package).items():
            tree = ast.parse(path.read_text("utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) \
                        and node.value.attr == "parents":
                    # Path(__file__).parents[N] climbing out of the installed package.
                    index = node.slice.value if isinstance(node.slice, ast.Constant) else 0
                    depth = module.count(".") + (1 if path.name == "__init__.py" else 0)
                    assert index <= depth, f"{module}:{node.lineno} climbs out of the package"
