"""Two taggers' spans made one list: the way the CRF and the CNN tagger are combined."""
from __future__ import annotations

Spans = list[tuple[int, int, str]]

HOWS = ("cnn-first", "crf-first", "agree")


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _add_free(first: Spans, second: Spans) -> Spans:
    """`first`, plus the spans of `second` that overlap none of `first`."""
    out = list(first)
    for s in second:
        if not any(_overlaps(s, f) for f in first):
            out.append(s)
    return sorted(out)


def combine(text: str, cnn: Spans, crf: Spans, how: str) -> Spans:
    """cnn-first: every CNN span plus the CRF's that overlap none; crf-first: the reverse;
    agree: the spans (with label) both found."""
    if how == "cnn-first":
        return _add_free(cnn, crf)
    if how == "crf-first":
        return _add_free(crf, cnn)
    if how == "agree":
        return sorted(set(cnn) & set(crf))
    raise ValueError(f"unknown combination {how!r}; use one of {', '.join(HOWS)}")


class CombinedTagger:
    """A CNN tagger and a CRF model behind the one `predict` the entity stage calls."""

    takes_context = True

    def __init__(self, cnn, crf, how: str = "cnn-first"):
        if how not in HOWS:
            raise ValueError(f"unknown combination {how!r}; use one of {', '.join(HOWS)}")
        self.cnn, self.crf, self.how = cnn, crf, how

    def predict(self, text, toks=None, known=None, kb=None, units=None) -> Spans:
        return combine(text, self.cnn.predict(text, toks, known, kb, units),
                       self.crf.predict(text, toks, known, kb, units), self.how)
