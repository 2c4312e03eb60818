"""Tokenizer: normalized text -> atoms -> words, with sentence boundaries.

Atoms are the smallest units the word segmenter sees: a Vietnamese syllable, a punctuation mark,
or a unit that must stay whole (URL, e-mail, date, number, percentage, abbreviation such as
`TT&TT` or `TP.HCM`). The word segmenter (`vnnews_nlp.segment.wordseg`) then joins runs of syllables
separated by one space into words ("Hà Nội" is one token whose text contains a space).

`doc.text` is always the normalized text exactly: every character belongs to a token or to a
token's trailing space, and runs of other whitespace become whitespace tokens.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

import regex
import srsly
from spacy import util as spacy_util
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from vnnews_nlp.doc import TEXT_KEY
from vnnews_nlp.paths import cfg_from_bytes, cfg_to_bytes
from vnnews_nlp.segment.atoms import scan
from vnnews_nlp.text.normalize import normalize


_SYLLABLE = regex.compile(r"[\p{L}\p{M}]+")
_SENT_END = {".", "!", "?", "…", "...", "?!", "!?"}
_CLOSERS = set("\"'”’)]}»")
_UPPER_START = regex.compile(r"[\p{Lu}\p{N}\"“'‘(\[«*•\-–]")
# Abbreviations written with a period that never end a sentence there: "TP. Hồ Chí Minh",
# "ThS. Nguyễn …", "PGS.TS. Trần …" (the last part of a dotted abbreviation counts).
ABBREV_PERIOD = frozenset("""TP Tp tp Q P TX TT Dr Mr Mrs Ms Mme St Prof ThS Ths TS Ts PGS GS BS
    Bs KS CN NXB Th NCS ĐH TS.BS PGS.TS GS.TS ThS.BS""".split())



def atoms(text: str) -> list[tuple[int, int]]:
    """Character spans of the atoms of `text`, in order (whitespace is not an atom)."""
    return scan(text).spans


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
            # ...unless the period closes an abbreviation it touches ("TP. HCM", "PGS.TS.")
            pending_end = not (prev == "." and i >= 2 and spans[i - 2][1] == prev_s and _abbrev(
                text[spans[i - 2][0]:spans[i - 2][1]]))
        elif prev[0] == "v" and prev[-1] in ".…" and prev.startswith("v.v"):
            pending_end = True  # "v.v..." ends a sentence like "..." does
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


def _abbrev(atom: str) -> bool:
    return atom in ABBREV_PERIOD or atom.rsplit(".", 1)[-1] in ABBREV_PERIOD


class Tokenizer:
    """spaCy tokenizer: normalizes, splits into atoms, joins syllables into words.

    `segment=False` leaves every syllable its own token (useful to compare segmenters).
    The word segmenter loads on first use from `model_path` (None: the shipped
    models/wordseg); `to_disk` saves the settings and a copy of the segmenter model.
    """

    def __init__(self, vocab: Vocab, segment: bool = True, convention: str = "vlsp",
                 model_path: str | None = None, tones: str | None = None):
        self.vocab = vocab
        self.segment = segment
        self.convention = convention  # "vlsp" (VLSP 2013 words) or "ud" (UD Vietnamese-VTB)
        self.model_path = str(model_path) if model_path else None
        self.tones = tones  # tone-mark placement rewrite: None (as written), "new" or "old"

    def __reduce__(self):
        return (Tokenizer, (self.vocab, self.segment, self.convention, self.model_path, self.tones))

    def __call__(self, text: str) -> Doc:
        norm = normalize(text, tones=self.tones)
        doc = self.tokenize_normalized(norm.text)
        doc._.original = norm.original
        doc._.offsets = norm.offsets
        doc._.encoding = norm.encoding
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # -- saving and loading (spaCy's tokenizer interface) ------------------------------
    def _settings(self) -> dict:
        return {"segment": self.segment, "convention": self.convention, "tones": self.tones}

    def _set(self, cfg: dict) -> None:
        self.segment, self.convention = bool(cfg["segment"]), str(cfg["convention"])
        self.tones = cfg.get("tones")

    def to_disk(self, path, *, exclude=tuple()) -> None:
        """A folder: `cfg` (the settings, JSON) and `wordseg/` (a copy of the segmenter
        model, when segmenting)."""
        from vnnews_nlp.paths import copy_model, models_dir
        from vnnews_nlp.segment.wordseg import MODEL_NAME

        writers = {"cfg": lambda p: srsly.write_json(p, self._settings())}
        if self.segment:
            src = Path(self.model_path) if self.model_path else models_dir() / MODEL_NAME
            writers["wordseg"] = lambda p: copy_model(src, p)
        spacy_util.to_disk(path, writers, exclude)

    def from_disk(self, path, *, exclude=tuple()) -> "Tokenizer":
        """The saved settings, and the saved segmenter model (loaded on first use)."""
        path = spacy_util.ensure_path(path)
        if (path / "cfg").is_file() and "cfg" not in exclude:
            self._set(srsly.read_json(path / "cfg"))
        if (path / "wordseg").is_dir() and "wordseg" not in exclude:
            self.model_path = str((path / "wordseg").resolve())
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        """The settings and where the segmenter model is (its files go with `to_disk`)."""
        return cfg_to_bytes({**self._settings(), "model_path": self.model_path}, exclude)

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "Tokenizer":
        cfg = cfg_from_bytes(data, exclude)
        if cfg is not None:
            self._set(cfg)
            self.model_path = cfg.get("model_path")
        return self

    def tokenize_normalized(self, text: str) -> Doc:
        scanned = scan(text)  # the one scan of this text; every stage reads doc._.atoms
        spans = scanned.spans
        starts = sentence_starts(text, spans)
        words_spans, word_starts = self._join_words(text, spans, starts)
        doc = _make_doc(self.vocab, text, words_spans, word_starts)
        doc._.atoms = scanned
        return doc

    def _join_words(self, text, spans, starts):
        if not self.segment or not spans:
            return spans, starts
        from vnnews_nlp.segment.wordseg import load_segmenter

        # Segment one sentence at a time; only syllables separated by exactly one space may
        # join, so punctuation, numbers and line breaks always stay word boundaries.
        bounds = [i for i, st in enumerate(starts) if st] + [len(spans)]
        sents = [[text[s:e] for s, e in spans[a:b]] for a, b in zip(bounds, bounds[1:])]
        seg = (load_segmenter(self.model_path, convention=self.convention) if self.model_path
               else load_segmenter(convention=self.convention))
        flags = seg.join_flags_batch(sents)
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
    doc.user_data[TEXT_KEY] = text
    return doc


@registry.tokenizers("vnnews.Tokenizer.v1")
def create_tokenizer(segment: bool = True, convention: str = "vlsp", tones: str | None = None) -> Callable:
    def make(nlp):
        return Tokenizer(nlp.vocab, segment=segment, convention=convention, tones=tones)

    return make
