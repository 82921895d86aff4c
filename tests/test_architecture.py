"""The package's structure, read from its sources: one-way imports, no private reach-ins.

Every ``import`` of the package (at module level or inside a function) is an edge between two
modules; the graph must have no cycle. No module imports a private name (``_x``) from another
module (private modules such as ``_compiled`` are fine: their names are the package's own). numba
is imported only by the two kernel packages, which the rest reaches through lazy namespaces.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "divergences"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def import_edges() -> dict[str, list[tuple[str, str]]]:
    """Per module: (imported module, imported name or '') for every import of the package."""
    modules = package_modules()
    found: dict[str, list[tuple[str, str]]] = {}
    for name, path in modules.items():
        edges = []
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                edges += [(a.name, "") for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(name, node, path.name == "__init__.py")
                for alias in node.names:
                    child = f"{target}.{alias.name}"
                    edges.append((child, "") if child in modules else (target, alias.name))
        found[name] = edges
    return found


def _type_checking_only(path: Path) -> set[int]:
    """Line numbers of imports under ``if TYPE_CHECKING:`` (never run)."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for inner in ast.walk(node):
                lines.add(getattr(inner, "lineno", -1))
    return lines


def test_the_import_graph_has_no_cycle():
    modules = package_modules()
    graph = {
        name: {t for t, _ in edges if t in modules and t != name}
        for name, edges in import_edges().items()
    }
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    # a package's __init__ importing its own submodules is how packages work, not a cycle
    real = [c for c in cycles if not all(m.startswith(c[0] + ".") or m == c[0] for m in c)]
    assert real == []


def test_no_module_imports_another_modules_private_names():
    modules = package_modules()
    reach_ins = [
        f"{name} imports {target}.{imported}"
        for name, edges in import_edges().items()
        for target, imported in edges
        if imported.startswith("_")
        and target in modules
        and target != name
        # a kernel package's modules share their helpers; so may a namespace's type stubs
        and not (
            target.startswith("divergences._kernels") and name.startswith("divergences._kernels")
        )
    ]
    assert reach_ins == []


def test_numba_is_imported_only_by_the_kernel_packages():
    allowed = ("divergences._kernels", "divergences.trainer._engine_kernels")
    importers = []
    for name, path in package_modules().items():
        hidden = _type_checking_only(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom) and node.lineno not in hidden:
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                if any(n.split(".")[0] in ("numba", "llvmlite") for n in names):
                    importers.append(name)
    assert sorted(set(importers)) == sorted({n for n in importers if n.startswith(allowed)}), (
        importers
    )
    assert importers  # the check reads the imports it is about
