"""No module imports from a layer above its own (docs/ARCHITECTURE.md), and the runtime
package never imports the training code."""
import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "vnnews_nlp"
pytestmark = pytest.mark.issue(12)

LAYERS = {
    "paths": 0, "errors": 0, "crf": 0, "text": 0, "doc": 1, "segment": 2,
    "entities": 3, "figures": 3, "categories": 3, "pipeline": 4, "run": 5,
    "cli": 6, "index": 6, "web": 6,
}


def _layer(module: str):
    parts = module.split(".")
    return LAYERS.get(parts[1]) if parts[0] == "vnnews_nlp" and len(parts) > 1 else None


def imports():
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG).with_suffix("")
        module = ".".join(("vnnews_nlp", *rel.parts))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield module, node.module
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield module, alias.name


def test_no_module_imports_from_a_higher_layer():
    bad = [(m, t) for m, t in imports()
           if _layer(m) is not None and _layer(t) is not None and _layer(t) > _layer(m)]
    assert bad == []


def test_runtime_never_imports_training():
    assert [(m, t) for m, t in imports() if t == "training" or t.startswith("training.")] == []


def test_every_package_has_a_layer():
    assert {p.name for p in PKG.iterdir() if p.is_dir() and (p / "__init__.py").exists()} <= set(LAYERS)
