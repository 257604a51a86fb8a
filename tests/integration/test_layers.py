"""Layers (DESIGN "The house"): data enters through ledger/ and scan/, is analysed in flows/, assess/ and stress/,
and leaves through the faces (cli/, report/, app/). Nothing imports backwards, and no module takes another's
private names. The import graph is read from the source with ``ast`` (every import, also inside functions and under
``TYPE_CHECKING``), so a lazy import cannot hide an edge."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import junkan

SRC = Path(junkan.__file__).parent
ANALYSES = ("flows", "assess", "stress")
FACES = ("cli", "report", "app")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _nodes(tree: ast.AST, runtime: bool) -> list[ast.AST]:
    """Every node of ``tree``; with ``runtime``, without the bodies of ``if TYPE_CHECKING:`` (never executed)."""
    out, todo = [], [tree]
    while todo:
        node = todo.pop()
        out.append(node)
        if runtime and _is_type_checking(node):
            todo.extend(node.orelse)  # type: ignore[attr-defined]
            continue
        todo.extend(ast.iter_child_nodes(node))
    return out


def _imports(path: Path, runtime: bool = False) -> list[tuple[str, tuple[str, ...], int]]:
    """``(module, names, line)`` of every ``junkan`` import in a file (at module level, in functions, and unless
    ``runtime``, under ``TYPE_CHECKING``), relative imports resolved."""
    mod = _module_name(path)
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out = []
    for node in _nodes(ast.parse(path.read_text(encoding="utf-8")), runtime):
        if isinstance(node, ast.Import):
            out += [(a.name, (), node.lineno) for a in node.names if a.name.split(".")[0] == "junkan"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] == "junkan":
                out.append((target, tuple(a.name for a in node.names), node.lineno))
    return out


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _import_graph() -> nx.DiGraph:
    """Module -> module it imports at run time (``from pkg import sub`` counts as importing ``pkg.sub``; a name
    that is not a submodule as importing the package's ``__init__``)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    for mod, path in MODULES.items():
        for target, names, _ in _imports(path, runtime=True):
            while target not in MODULES:  # ``import junkan.x.y`` of a name, not a module
                target = target.rpartition(".")[0]
            subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]
            for t in subs if subs and len(subs) == len(names) else [*subs, target]:
                if t != mod:
                    graph.add_edge(mod, t)
    return graph


def test_import_graph_is_acyclic() -> None:
    """No two modules import each other, directly or round a loop, not even from inside a function."""
    graph = _import_graph()
    for a, b in [("junkan.scan.detect", "junkan.scan.spark"), ("junkan.scan.patterns", "junkan.scan.pattern_kernels")]:
        assert graph.has_edge(a, b)  # the graph sees imports inside functions (the optional engine, numba) ...
        assert not graph.has_edge(b, a)  # ... and the way back, once a circle, is gone
    loops = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert loops == [], "modules in an import circle; move what both need into a module both import"


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_ledger_imports_no_analysis_and_no_face() -> None:
    banned = {*ANALYSES, "scan", *FACES}
    bad = [
        f"{mod} line {line}: imports {target}"
        for mod, path in MODULES.items()
        if _layer(mod) == "ledger"
        for target, _, line in _imports(path)
        if _layer(target) in banned
    ]
    assert bad == []


def test_core_imports_no_face() -> None:
    bad = [
        f"{mod} line {line}: imports {target}"
        for mod, path in MODULES.items()
        if _layer(mod) not in FACES
        for target, _, line in _imports(path)
        if _layer(target) in FACES
    ]
    assert bad == []


def test_no_private_names_across_modules() -> None:
    """``from junkan.x import _y`` only where ``_y`` is x's own business, i.e. never from another module.

    Private *modules* of a package (``junkan.stress._backend``) may be used inside that package only."""
    bad = []
    for mod, path in MODULES.items():
        for target, names, line in _imports(path):
            # ``_`` alone is gettext's translation function (junkan.app.lang), a name meant to be imported
            private = [n for n in names if n.startswith("_") and not n.startswith("__") and n != "_"]
            if private:
                bad.append(f"{mod} line {line}: takes {', '.join(private)} from {target}")
            for i, part in enumerate(target.split(".")):
                if part.startswith("_") and not part.startswith("__"):
                    owner = ".".join(target.split(".")[:i])
                    if not (mod == owner or mod.startswith(owner + ".")):
                        bad.append(f"{mod} line {line}: imports private module {target}")
    assert bad == []
