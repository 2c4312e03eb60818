"""Tokenizer: normalized text -> atoms -> words, with sentence boundaries.

Atoms are the smallest units the word segmenter sees: a Vietnamese syllable, a punctuation mark,
or a unit that must stay whole (URL, e-mail, date, number, percentage, abbreviation such as
`TT&TT` or `TP.HCM`). The word segmenter (`vnnews_nlp.segment.wordseg`) then joins runs of syllables
separated by one space into words ("Hà Nội" is one token whose text contains a space).

`doc.text` is always the normalized text exactly: every character belongs to a token or to a
token's trailing space, and runs of other whitespace become whitespace tokens.
"""
from __future__ import annotations

from typing import Callable, Iterable

import regex
from spacy.tokens import Doc, Token
from spacy.util import registry
from spacy.vocab import Vocab

from vnnews_nlp.text.normalize import fold_key, normalize

if not Doc.has_extension("original"):
    Doc.set_extension("original", default=None)
    Doc.set_extension("offsets", default=None)
    Doc.set_extension("article", default=None)
    Doc.set_extension("encoding", default=None)
if not Token.has_extension("key"):
    Token.set_extension("key", getter=lambda t: fold_key(t.text))

# Alternatives are tried left to right, so longer, more specific units come first. Every
# pattern is a sequence of unambiguous classes (no nested quantifiers over the same chars),
# which keeps matching linear on adversarial runs of digits, dots and commas.
_ATOM = regex.compile(
    r"""
    (?P<url>(?:https?|ftp)://[^\s<>"“”]+[^\s<>"“”.,;:!?)\]}…]|www\.[^\s<>"“”]+[^\s<>"“”.,;:!?)\]}…])
  | (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
  | (?P<date>\d{1,2}[/-]\d{1,2}[/-]\d{2,4}(?!\d)|\d{1,2}/\d{4}(?!\d))
  | (?P<time>\d{1,2}[:h]\d{2}(?!\d))
  | (?P<alnum>\d+\p{L}[\p{L}\p{N}]*)
  | (?P<num>\d+(?:[.,]\d+)*(?:%|‰)?)
  | (?P<abbr>(?:\p{Lu}+|\p{Lu}\p{Ll})(?:[.&/-]\p{Lu}+)+(?![\p{L}\p{N}]))
  | (?P<word>[\p{L}\p{M}\p{N}_]+)
  | (?P<ellipsis>\.{2,}|…)
  | (?P<punct>\S)
    """,
    regex.VERBOSE,
)
_SYLLABLE = regex.compile(r"[\p{L}\p{M}]+")
_SENT_END = {".", "!", "?", "…", "...", "?!", "!?"}
_CLOSERS = set("\"'”’)]}»")
_UPPER_START = regex.compile(r"[\p{Lu}\p{N}\"“'‘(\[«*•\-–]")


_TEXT_KEY = "vnnews_text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, cached: spaCy rebuilds `doc.text` from every token on each access, which
    cost several ms per article when each stage read it."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def atoms(text: str) -> list[tuple[int, int]]:
    """Character spans of the atoms of `text`, in order (whitespace is not an atom)."""
    return [m.span() for m in _ATOM.finditer(text)]


def sentence_starts(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """Rule-based sentence split over atoms: a break after final punctuation (plus closing
    quotes/brackets) when whitespace and an upper-case letter, digit or opening mark follow,
    and always at a line break."""
    starts = [False] * len(spans)
    if not spans:
        return starts
    starts[0] = True
    pending_end = False
    for i in range(1, len(spans)):
        prev_s, prev_e = spans[i - 1]
        s, _ = spans[i]
        gap = text[prev_e:s]
        prev = text[prev_s:prev_e]
        if prev in _SENT_END:
            pending_end = True
        elif pending_end and prev in _CLOSERS:
            pass
        else:
            pending_end = False
        if "\n" in gap:
            starts[i] = True
            pending_end = False
        elif pending_end and gap and _UPPER_START.match(text, s):
            starts[i] = True
            pending_end = False
    return starts


class Tokenizer:
    """spaCy tokenizer: normalizes, splits into atoms, joins syllables into words.

    `segment=False` leaves every syllable its own token (useful to compare segmenters).
    """

    def __init__(self, vocab: Vocab, segment: bool = True, convention: str = "vlsp"):
        self.vocab = vocab
        self.segment = segment
        self.convention = convention  # "vlsp" (VLSP 2013 words) or "ud" (UD Vietnamese-VTB)

    def __call__(self, text: str) -> Doc:
        norm = normalize(text)
        doc = self.tokenize_normalized(norm.text)
        doc._.original = norm.original
        doc._.offsets = norm.offsets
        doc._.encoding = norm.encoding
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def tokenize_normalized(self, text: str) -> Doc:
        spans = atoms(text)
        starts = sentence_starts(text, spans)
        words_spans, word_starts = self._join_words(text, spans, starts)
        return _make_doc(self.vocab, text, words_spans, word_starts)

    def _join_words(self, text, spans, starts):
        if not self.segment or not spans:
            return spans, starts
        from vnnews_nlp.segment.wordseg import load_segmenter

        # Segment one sentence at a time; only syllables separated by exactly one space may
        # join, so punctuation, numbers and line breaks always stay word boundaries.
        bounds = [i for i, st in enumerate(starts) if st] + [len(spans)]
        sents = [[text[s:e] for s, e in spans[a:b]] for a, b in zip(bounds, bounds[1:])]
        flags = load_segmenter(convention=self.convention).join_flags_batch(sents)
        out_spans, out_starts = [], []
        k = 0
        for sent_flags in flags:
            for j, join in enumerate(sent_flags):
                s, e = spans[k]
                if (
                    join
                    and j > 0
                    and out_spans
                    and text[out_spans[-1][1] : s] == " "
                    and _SYLLABLE.fullmatch(text, s, e)
                    and _SYLLABLE.fullmatch(text, *_last_syllable(text, out_spans[-1]))
                ):
                    out_spans[-1] = (out_spans[-1][0], e)
                else:
                    out_spans.append((s, e))
                    out_starts.append(starts[k])
                k += 1
        return out_spans, out_starts


def _last_syllable(text: str, span: tuple[int, int]) -> tuple[int, int]:
    s, e = span
    cut = text.rfind(" ", s, e)
    return (cut + 1 if cut >= 0 else s), e


def _make_doc(vocab: Vocab, text: str, spans, starts) -> Doc:
    """Build a Doc whose text is `text` exactly: one space after a word is its trailing
    space; any other whitespace becomes a whitespace token."""
    words, spaces, sent = [], [], []

    def add_gap(gap: str) -> None:
        if words and gap[0] == " " and not spaces[-1]:
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
            sent.append(not words[:-1])

    pos = 0
    for (s, e), st in zip(spans, starts):
        if s > pos:
            add_gap(text[pos:s])
        words.append(text[s:e])
        spaces.append(False)
        sent.append(st)
        pos = e
    if pos < len(text):
        add_gap(text[pos:])
    if not words:
        doc = Doc(vocab, words=[], spaces=[])
    else:
        sent[0] = True
        doc = Doc(vocab, words=words, spaces=spaces, sent_starts=sent)
    doc.user_data[_TEXT_KEY] = text
    return doc


@registry.tokenizers("vnnews.Tokenizer.v1")
def create_tokenizer(segment: bool = True, convention: str = "vlsp") -> Callable:
    def make(nlp):
        return Tokenizer(nlp.vocab, segment=segment, convention=convention)

    return make
