"""Where shipped models and corpora live.

In a source checkout (editable install) they are the top-level `models/` and `corpora/`
folders; in a wheel they are copied into the package as `_models/` and `_corpora/`.
`VNNEWS_MODELS` overrides the models folder (e.g. to try a freshly trained model).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

_PKG = Path(__file__).resolve().parent
_REPO = _PKG.parent


def _pick(env: str, repo_dir: str, pkg_dir: str) -> Path:
    if os.environ.get(env):
        return Path(os.environ[env])
    if (_REPO / repo_dir).is_dir() and (_REPO / "pyproject.toml").is_file():
        return _REPO / repo_dir
    return _PKG / pkg_dir


def models_dir() -> Path:
    return _pick("VNNEWS_MODELS", "models", "_models")


def corpora_dir() -> Path:
    return _pick("VNNEWS_CORPORA", "corpora", "_corpora")


def shared_dir() -> Path:
    """The read-only shared data folder (`../shared` beside the repo); may not exist."""
    return Path(os.environ.get("VNNEWS_SHARED", _REPO.parent / "shared"))


def copy_model(src: str | Path, dest: str | Path) -> Path:
    """Copy the model or data folder `src` to `dest` (a saved pipeline's own copy, see
    `Language.to_disk`): its files, not Python code. An old `dest` is replaced; when `dest`
    already is `src` (a pipeline saved where it was loaded from) nothing is copied."""
    src, dest = Path(src), Path(dest)
    if not src.is_dir():
        raise FileNotFoundError(f"cannot save the pipeline: model folder {src} not found")
    if dest.exists() and dest.resolve() == src.resolve():
        return dest
    if dest.is_dir():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.py", "*.pyc", "__pycache__"))
    return dest


def cfg_to_bytes(cfg: dict, exclude=tuple()) -> bytes:
    """A component's settings and model paths as spaCy bytes (the model files themselves go
    with `to_disk`); shared by the tokenizer and the stages that load models."""
    import srsly
    from spacy import util

    return util.to_bytes({"cfg": lambda: srsly.json_dumps(cfg)}, exclude)


def cfg_from_bytes(data: bytes, exclude=tuple()) -> dict | None:
    """The settings written by `cfg_to_bytes`, or None when `cfg` is excluded."""
    import srsly
    from spacy import util

    got: dict = {}
    util.from_bytes(data, {"cfg": lambda b: got.update(srsly.json_loads(b))}, exclude)
    return got if "cfg" not in exclude else None
