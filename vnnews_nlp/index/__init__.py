"""Entity index: a SQLite database of articles, entities, mentions, figures and categories.

Importing this package is cheap; the pipeline loads only when raw articles need tagging.
"""
from vnnews_nlp.index import query  # noqa: F401
from vnnews_nlp.index.build import BuildStats, build_index  # noqa: F401
from vnnews_nlp.index.export import export_index  # noqa: F401
from vnnews_nlp.index.store import connect  # noqa: F401
