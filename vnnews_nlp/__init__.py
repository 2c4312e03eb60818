"""vnnews-nlp: a Vietnamese NLP pipeline for news articles.

    >>> import vnnews_nlp
    >>> nlp = vnnews_nlp.load()                 # spaCy Language, built once per process
    >>> doc = vnnews_nlp.analyze({"id": "a1", "text": "..."})
    >>> record = vnnews_nlp.analyze_record("...")   # the `vnnews tag` JSON record

Nothing heavy is imported or loaded here: models load lazily on first use.
"""
__version__ = "0.1.0"

__all__ = ["load", "analyze", "analyze_record", "tag_records", "iter_articles", "__version__"]


def __getattr__(name):
    # Lazy attributes keep `import vnnews_nlp` cheap (no spaCy import until needed).
    if name == "load":
        from vnnews_nlp.pipeline import load

        return load
    if name in ("analyze", "analyze_record"):
        from vnnews_nlp.run import analyze as api

        return getattr(api, name)
    if name == "tag_records":
        from vnnews_nlp.run.pool import tag_records

        return tag_records
    if name == "iter_articles":
        from vnnews_nlp.text.article import iter_articles

        return iter_articles
    raise AttributeError(f"module 'vnnews_nlp' has no attribute {name!r}")
