"""The web package's shape: routers never import each other or the app (shared helpers live in
responses, deps, permissions, uow, schemas), and no module keeps a template environment of its own."""

from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).parents[2] / "src" / "remarks" / "web"
ROUTERS = {"api", "pages", "desk", "insight", "publisher", "readers"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def test_routers_import_no_other_router_nor_the_app():
    routers = {p.stem for p in WEB.glob("*.py")} & ROUTERS
    assert routers == ROUTERS  # a renamed router should be renamed here too
    wrong = {r: sorted(m for m in _imports(WEB / f"{r}.py")
                       if m in {f"remarks.web.{o}" for o in (ROUTERS | {"app"}) - {r}})
             for r in ROUTERS}
    assert not any(wrong.values()), wrong


def test_no_module_global_template_environment():
    for path in WEB.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only: the environment is made per app
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                called = ast.unparse(node.value.func)
                assert "Jinja2Templates" not in called and "Environment" not in called, f"{path.name}: {called}"
