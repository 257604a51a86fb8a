"""Layers (DESIGN "The house"): data enters through ledger/ and scan/, is analysed in flows/, assess/ and stress/,
and leaves through the faces (cli/, report/, app/). Nothing imports backwards, and no module takes another's
private names. The import graph is read from the source with ``ast`` (every import, also inside functions and under
``TYPE_CHECKING``), so a lazy import cannot hide an edge."""

from __future__ import annotations

import ast
from pathlib import Path

import junkan

SRC = Path(junkan.__file__).parent
ANALYSES = ("flows", "assess", "stress")
FACES = ("cli", "report", "app")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, tuple[str, ...], int]]:
    """``(module, names, line)`` of every ``junkan`` import in a file, relative imports resolved."""
    mod = _module_name(path)
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
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
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private:
                bad.append(f"{mod} line {line}: takes {', '.join(private)} from {target}")
            for i, part in enumerate(target.split(".")):
                if part.startswith("_") and not part.startswith("__"):
                    owner = ".".join(target.split(".")[:i])
                    if not (mod == owner or mod.startswith(owner + ".")):
                        bad.append(f"{mod} line {line}: imports private module {target}")
    assert bad == []
