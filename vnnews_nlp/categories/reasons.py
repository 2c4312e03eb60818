"""Reasons an editor reads as evidence: the model's n-grams grown to the words of the article.

The classifier scores syllable n-grams, so its strongest terms can cut a word in two ("hội
đảng" from "Đại hội | Đảng") or be a lone letter. Each reason is mapped back to where it
occurs in the Doc, widened to the segmenter's whole words ("Đại hội Đảng") and written as the
article writes it; phrases made only of function words, single letters or numbers are dropped,
and a phrase that two n-grams grew into is listed once with their weights added.
"""
from __future__ import annotations

import numpy as np
from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

from vnnews_nlp.doc import doc_text

# function words and fillers that explain nothing about a menu
STOP = frozenset("""và của là có được cho các những với trong này đã sẽ không một người đến từ
    tại theo về khi thì mà như để cũng đó nhiều hơn còn ra vào lên nên nhưng hay hoặc nếu bị do
    vì bởi rằng tới trên dưới sau trước giữa ngoài cùng đều vẫn chỉ rồi đang vừa mới nay năm
    tháng ngày số ông bà anh chị em họ chúng tôi ta mình này kia ấy nào gì sự việc cái chiếc
    lại thêm nữa rất quá lắm đây đấy thế vậy nhất hết mọi mỗi từng qua""".split())


def word_reasons(doc: Doc, sylls: list[str], words: list[tuple[int, int]],
                 reasons: dict[str, list], k: int) -> dict[str, list]:
    """`reasons` as whole-word phrases of `doc`. `sylls`: the lower-cased syllables the model
    read (title syllables first when the title is not in the text); `words`: the character
    spans of the body syllables, the last len(words) of `sylls`."""
    offset = len(sylls) - len(words)
    starts = text = None
    out = {}
    for code, items in reasons.items():
        merged: dict[str, list] = {}
        for phrase, weight in items:
            if not phrase.split():  # nothing to find in the text
                continue
            if starts is None:  # token starts and ends and the text, read once per doc if needed
                arr = doc.to_array([IDX, LENGTH]) if len(doc) else np.zeros((0, 2), dtype=np.int64)
                starts, ends, text = arr[:, 0], arr[:, 0] + arr[:, 1], doc_text(doc)
            phrase_text = _whole_words(text, starts, ends, sylls, words, offset, phrase.split())
            phrase_text = _trim(phrase_text) if phrase_text else None
            if not phrase_text or not _tells(phrase_text):
                continue
            key = f" {phrase_text.lower()} "
            # a phrase inside one already listed adds its weight there ("Đại hội" in "Đại hội Đảng")
            home = next((h for h in merged if key in h), None)
            if home is not None:
                merged[home][1] = round(merged[home][1] + weight, 4)
                continue
            # the longer phrase is the one to show: the shorter ones it holds add their weight
            inside = [h for h in merged if h in key]
            merged[key] = [phrase_text, round(weight + sum(merged.pop(h)[1] for h in inside), 4)]
        out[code] = sorted(merged.values(), key=lambda x: -x[1])[:k]
    return out


def _whole_words(text, starts, ends, sylls, words, offset, ph) -> str | None:
    n, i = len(ph), offset - 1
    while True:
        try:
            i = sylls.index(ph[0], i + 1)  # a C-speed scan: no per-doc index to build
        except ValueError:
            return None
        if sylls[i:i + n] == ph:  # the first occurrence in the body
            a, b = words[i - offset][0], words[i - offset + n - 1][1]
            t0 = int(np.searchsorted(starts, a, side="right")) - 1
            t1 = int(np.searchsorted(starts, b - 1, side="right")) - 1
            if t0 < 0 or t1 < t0:
                return None
            return text[int(starts[t0]):int(ends[t1])]


def _trim(phrase: str) -> str:
    """Without function words and numbers at either end ("và công nghệ" -> "công nghệ")."""
    ws = phrase.split()
    while ws and (ws[0].lower() in STOP or not any(c.isalpha() for c in ws[0])):
        ws.pop(0)
    while ws and (ws[-1].lower() in STOP or not any(c.isalpha() for c in ws[-1])):
        ws.pop()
    return " ".join(ws)


def _tells(phrase: str) -> bool:
    """Not a lone letter, a number or function words only."""
    ws = [w for w in phrase.lower().split() if any(c.isalpha() for c in w)]
    return bool(ws) and len(phrase.strip()) > 1 and not all(w in STOP or len(w) == 1 for w in ws)
