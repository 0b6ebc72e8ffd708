"""Imports only go down the layers (README, Layout): a newcomer reads the code bottom up,
and a stage can be tested without the ones above it."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

# lowest first; a module may import its own layer and those before it
LAYERS = ["pipeline.core", "pipeline.read", "pipeline.ocr", "pipeline.language",
          "pipeline.write", "extractors", "models", "pipeline.app"]


def _layer(module: str) -> int | None:
    for rank, layer in reversed(list(enumerate(LAYERS))):
        if module == layer or module.startswith(layer + "."):
            return rank
    return None


def _imports(path: Path) -> list[tuple[str, int]]:
    found = []
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            found.append((base, node.lineno))
            # "from pipeline import ocr": the names are modules too
            found += [(f"{base}.{alias.name}", node.lineno) for alias in node.names]
    return found


def test_imports_only_go_down():
    upward = []
    for top in ("pipeline", "extractors", "models"):
        for path in sorted((ROOT / top).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            own = _layer(module)
            if own is None:
                continue  # pipeline/__init__, __main__: the package's doors
            for name, line in _imports(path):
                other = _layer(name)
                if other is not None and other > own:
                    upward.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert upward == []


def test_every_module_has_a_layer():
    loose = [p.name for p in (ROOT / "pipeline").glob("*.py")
             if p.name not in ("__init__.py", "__main__.py")]
    assert loose == []
