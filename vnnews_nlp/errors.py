"""Coded error messages that say what went wrong and what to do (as spaCy's `errors.py`).

`Errors.E101.format(path=...)` gives "[E101] NER model not found at …". The code lets a user
search the docs and the issue tracker; the text names the fix.
"""
from __future__ import annotations


class _Coded(type):
    def __getattribute__(cls, code: str) -> str:
        msg = super().__getattribute__(code)
        return f"[{code}] {msg}" if code[:1] in "EW" and code[1:].isdigit() else msg


class Errors(metaclass=_Coded):
    # articles (text/article.py): each becomes an `invalid_article` error record
    E001 = "expected a JSON object, got {type}"
    E002 = 'field "{key}" must be a string, got {type}'
    E003 = 'an article needs a "text" or an "html" field (a string)'
    E004 = "the article is empty"
    E005 = ("the article has {n:,} characters; the limit is {cap:,}; split it into parts with "
            "their own ids")
    E006 = 'field "id" must be a string or a number'
    # models: which file is missing and how to rebuild it
    E101 = ("NER model not found at {path}; rebuild it with `python -m training.ner` or point "
            "VNNEWS_MODELS at a folder that has ner/ner.crfsuite")
    E102 = ("word segmentation model not found at {path}; rebuild it with "
            "`python -m training.wordseg`")
    E103 = ("no classifier in {path} (needs model.json and {file}); train one with "
            "`vnnews train CORPUS -o DIR`")
    E104 = ("the word segmentation model uses underthesea's Viet74K word list; install "
            "underthesea (`pip install underthesea`)")
    E105 = ("vnnews_entities needs the statistical NER model: {err}. Build it, or add the "
            "component with config={{'use_model': False}} to run on the curated knowledge and "
            "title patterns alone")
    E106 = ("unknown entity tagger {tagger!r}: use one of {taggers}")
    E107 = ("CNN entity tagger not found at {path}; build it with `spacy train "
            "training/configs/ner.cfg` (steps in docs/ner-dev.md) or use tagger 'crf'")
    # pipeline use
    E201 = "doc has no categories; run the vnnews_categories component first"
