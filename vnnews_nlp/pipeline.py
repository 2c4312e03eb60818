"""Building the spaCy pipeline: the tokenizer plus the registered stage components."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from vnnews_nlp import __version__
from vnnews_nlp.segment import tokenizer as tokenize  # noqa: F401  (registers vnnews.Tokenizer.v1)

# Order matters: figures and categories may read entities.
COMPONENTS = ("vnnews_entities", "vnnews_figures", "vnnews_categories")
_MODULES = {
    "vnnews_entities": "vnnews_nlp.entities.component",
    "vnnews_figures": "vnnews_nlp.figures.component",
    "vnnews_categories": "vnnews_nlp.categories.component",
}


def build(components: tuple[str, ...] = COMPONENTS, segment: bool = True, convention: str = "vlsp",
          tones: str | None = None) -> Language:
    """A new pipeline. Components' models load lazily on first use, not here. `tones`: tone-mark
    placement rewrite in normalization ("new", "old"; None keeps it as written)."""
    import importlib

    nlp = spacy.blank(
        "vi",
        config={"nlp": {"tokenizer": {"@tokenizers": "vnnews.Tokenizer.v1", "segment": segment,
                                      "convention": convention, "tones": tones}}},
    )
    for name in components:
        if name not in _MODULES:
            raise ValueError(f"unknown component {name!r}; choose from {', '.join(COMPONENTS)}")
        importlib.import_module(_MODULES[name])  # registers the factory (also an entry point)
        nlp.add_pipe(name)
    # a saved pipeline holds data only; its code is this package, found through entry
    # points, so `spacy package` lists it as a requirement
    nlp.meta["requirements"] = ["vnnews-nlp" + spacy.util.get_minor_version_range(__version__)]
    return nlp


@lru_cache(maxsize=4)
def load(components: tuple[str, ...] = COMPONENTS, segment: bool = True, tones: str | None = None) -> Language:
    """The shared pipeline for this process (built once per argument set)."""
    return build(tuple(components), segment, tones=tones)
