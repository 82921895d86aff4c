"""The architecture page's generated parts: the import layers of the package, figures and tables.

Read from the sources by the same reader as ``tests/test_architecture.py`` (every ``import`` of
the package, at module level or inside a function, is an edge), so the page cannot drift from
the code. A module's layer is the length of the longest chain of package imports below it: layer
0 imports nothing of the package, and every arrow points down. Two figures: the library, with
the kernel packages, the input checks and the trainer each drawn as one box, and the trainer's
own modules.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path


def _rooms(collapse: Callable[[str], str | None]) -> tuple[dict[str, set[str]], dict[str, Path]]:
    """The import graph with each module renamed by ``collapse`` (None drops it)."""
    from tests.test_architecture import import_edges, package_modules

    modules = package_modules()
    graph: dict[str, set[str]] = {}
    paths: dict[str, Path] = {}
    for name, edges in import_edges().items():
        room = collapse(name)
        if room is None:
            continue
        graph.setdefault(room, set())
        # a room that is a package is described by its __init__'s docstring
        package = modules.get("divergences." + room.rstrip("/").replace("/", "."))
        paths.setdefault(room, package if room.endswith("/") and package else modules[name])
        for target, _ in edges:
            if target not in modules:
                continue
            other = collapse(target)
            if other is not None and other != room:
                graph[room].add(other)
    return graph, paths


def _library_room(name: str) -> str | None:
    parts = name.split(".")
    if name in ("divergences", "divergences.__main__"):
        return None  # the package's front door imports everything; the CLI sits on top
    if len(parts) >= 2 and parts[1] in ("_kernels", "_checks", "trainer"):
        return f"{parts[1]}/"
    return parts[-1]


def _trainer_room(name: str) -> str | None:
    parts = name.split(".")
    if parts[:2] != ["divergences", "trainer"] or len(parts) < 3 or parts[2] == "__main__":
        return None
    return parts[2]


def layers(graph: dict[str, set[str]]) -> dict[str, int]:
    """Longest-path depth of each node of an acyclic graph (0: imports nothing of the package)."""
    depth: dict[str, int] = {}

    def visit(node: str) -> int:
        if node not in depth:
            depth[node] = 1 + max((visit(d) for d in graph[node]), default=-1)
        return depth[node]

    for node in graph:
        visit(node)
    return depth


def _summary(path: Path) -> str:
    """The first paragraph of a module's docstring, with reST roles as Markdown code."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    text = " ".join(doc.split("\n\n")[0].split()).replace("|", "\\|")
    text = re.sub(r":\w+:`~?([^`]+)`", r"`\1`", text)
    return text.replace("``", "`")


def draw(graph: dict[str, set[str]], path: Path, title: str, foundation: frozenset[str]) -> None:
    """Boxes by layer (bottom: layer 0), arrows from importer to imported; SVG and PNG.

    Modules of ``foundation`` (used by nearly everything) are shaded and the arrows into them
    left out, so the arrows that remain show the structure.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    depth = layers(graph)
    rows: dict[int, list[str]] = {}
    for node in sorted(graph):
        rows.setdefault(depth[node], []).append(node)
    position: dict[str, tuple[float, float]] = {}
    for level in sorted(rows):
        names = rows[level]
        if level > 0:  # order a row by the mean position of what it imports: fewer crossings
            names.sort(key=lambda n: sum(position[d][0] for d in graph[n]) / max(len(graph[n]), 1))
        for i, node in enumerate(names):
            position[node] = ((i + 0.5) / len(names), float(level))
    widest = max(len(r) for r in rows.values())
    fig, ax = plt.subplots(figsize=(max(8.0, 1.6 * widest + 2.0), 0.8 * (len(rows) + 1)))
    for node, targets in graph.items():
        x0, y0 = position[node]
        for target in sorted(targets - foundation):
            x1, y1 = position[target]
            ax.annotate(
                "",
                xy=(x1, y1 + 0.18),
                xytext=(x0, y0 - 0.18),
                arrowprops={"arrowstyle": "->", "color": "0.6", "lw": 0.7},
            )
    for node, (x, y) in position.items():
        ax.text(
            x,
            y,
            node,
            ha="center",
            va="center",
            fontsize=8,
            bbox={
                "boxstyle": "round,pad=0.3",
                "fc": "0.85" if node in foundation else "white",
                "ec": "0.3",
            },
        )
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.6, max(rows) + 0.6)
    ax.set_yticks(sorted(rows), [f"layer {r}" for r in sorted(rows)])
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path.with_suffix(".svg"))
    fig.savefig(path.with_suffix(".png"), dpi=200)
    plt.close(fig)


def table(graph: dict[str, set[str]], paths: dict[str, Path]) -> str:
    """A Markdown table: layer, module, what its docstring says it holds, what it imports."""
    depth = layers(graph)
    lines = ["| layer | module | what it holds | imports |", "|---|---|---|---|"]
    for node in sorted(graph, key=lambda n: (depth[n], n)):
        imports = ", ".join(f"`{d}`" for d in sorted(graph[node])) or "—"
        lines.append(f"| {depth[node]} | `{node}` | {_summary(paths[node])} | {imports} |")
    return "\n".join(lines) + "\n"


def write(out: Path) -> None:
    """The two figures and the two tables, into ``out``."""
    for name, collapse, title, foundation in (
        (
            "library",
            _library_room,
            "divergences by import layer; arrows into the shaded foundation left out",
            frozenset({"_checks/", "_compiled", "_extended", "_lazy", "_layout", "_kernels/"}),
        ),
        (
            "trainer",
            _trainer_room,
            "divergences.trainer by import layer; arrows into the shaded checks left out",
            frozenset({"_checks"}),
        ),
    ):
        graph, paths = _rooms(collapse)
        draw(graph, out / name, title, foundation)
        (out / f"{name}.md").write_text(table(graph, paths), encoding="utf-8")
