"""Entity index: a SQLite database of articles, entities, mentions, figures and categories.

Importing this package is cheap; the pipeline loads only when raw articles need tagging.
"""
from . import query  # noqa: F401
from .build import BuildStats, build_index  # noqa: F401
from .export import export_index  # noqa: F401
from .store import connect  # noqa: F401
