"""Atoms: the one scan of an article's text, kept on the Doc for every stage to read.

An atom is the smallest unit the word segmenter sees: a syllable, a punctuation mark, or a
unit that must stay whole: URL or domain (`baodautu.vn`), e-mail, date (`28/12/2019`, `30/3`),
time, number, code (`F-16`, `Su-34`, `49X-6666`), abbreviation (`TT&TT`), `H'Mông`, `v.v...`.
Stages that count finer units (the NER features and the knowledge matcher count "TT", "&",
"TT"; the category features count syllables) read `Atoms.units`, which splits the atoms
further without scanning the text again. `atoms_of(doc)` is what components call: the atoms
the tokenizer stored, or (after another tokenizer) one scan made and stored on first use.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import regex
from spacy.tokens import Doc

from vnnews_nlp.doc import doc_text

# Alternatives are tried left to right, so longer, more specific units come first. Every
# pattern is a sequence of unambiguous classes (no nested quantifiers over the same chars),
# which keeps matching linear on adversarial runs of digits, dots and commas.
_EMAIL = r"[\w.+-]++@[\w-]+(?:\.[\w-]+)+"
_DOMAIN = r"""[\p{L}\p{N}][\p{L}\p{N}-]*+(?:\.[\p{L}\p{N}-]++)*+
      (?<=\.(?i:vn|com|net|org|gov|edu|info|biz|int|io|co|tv|us|uk|fr|de|jp|cn|kr|ru|au))(?![\p{L}\p{N}])
      (?:/[^\s<>"“”]*[^\s<>"“”.,;:!?)\]}…])?"""
# A plain word ends where the next character is not a letter or digit; only a word that runs
# into ".", "@", "-" or an apostrophe and on into a letter or digit ("baodautu.vn", "F-16",
# "H'Mông") is tried against the rarer forms, so most text is read once.
ATOM = regex.compile(
    r"""
    (?P<url>(?:https?|ftp)://[^\s<>"“”]+[^\s<>"“”.,;:!?)\]}…]|www\.[^\s<>"“”]+[^\s<>"“”.,;:!?)\]}…])
  | (?P<email>(?=\d)(?<![\w.+-])""" + _EMAIL + r""")
  | (?P<domain>(?=\d)(?<![\p{L}\p{N}.@-])""" + _DOMAIN + r""")
  | (?P<date>\d{1,2}[/-]\d{1,2}[/-]\d{2,4}(?!\d)|\d{1,2}/\d{4}(?!\d)|(?=\d)(?<![\d/])\d{1,2}/\d{1,2}(?![\d/]))
  | (?P<time>\d{1,2}[:h]\d{2}(?!\d))
  | (?P<code>(?=[\p{Lu}\p{N}])(?<![\p{L}\p{N}-])(?:\p{N}++\p{Lu}[\p{Lu}\p{N}]*+|\p{Lu}\p{Ll}?[\p{Lu}\p{N}]*+)-\p{N}[\p{L}\p{N}]*+(?![\p{L}\p{N}]))
  | (?P<alnum>\d+\p{L}[\p{L}\p{N}]*)
  | (?P<num>\d+(?:[.,]\d+)*(?:%|‰)?)
  | (?P<abbr>(?:\p{Lu}+|\p{Lu}\p{Ll})(?:[.&/-]\p{Lu}+)+(?![\p{L}\p{N}]))
  | (?P<word>[\p{L}\p{M}\p{N}_]++(?![.@+\-'’][\p{L}\p{N}]))
  | (?P<email2>(?<![\w.+-])""" + _EMAIL + r""")
  | (?P<domain2>(?<![\p{L}\p{N}.@-])""" + _DOMAIN + r""")
  | (?P<apos>(?=\p{Lu})(?<![\p{L}\p{N}])\p{Lu}['’]\p{Lu}\p{Ll}*+(?![\p{L}\p{N}]))
  | (?P<etc>(?=v)(?<![\p{L}\p{N}])v\.v(?:\.++|…)?)
  | (?P<word2>[\p{L}\p{M}\p{N}_]+)
  | (?P<ellipsis>\.{2,}|…)
  | (?P<punct>\S)
    """,
    regex.VERBOSE,
)
# Inside one atom: runs of word characters (combining marks included, so decomposed
# syllables stay whole) and single other marks.
UNIT = re.compile(r"[\w\u0300-\u036f]+|[^\w\s]")
_WORDS = re.compile(r"[\w\u0300-\u036f]+")


@dataclass
class Atoms:
    """Atom spans of `text`; finer views are derived once, on first use."""

    text: str
    spans: list[tuple[int, int]]
    _units: list | None = field(default=None, repr=False)
    _words: list | None = field(default=None, repr=False)

    def units(self) -> list[tuple[int, int]]:
        """Runs of word characters and single other marks, in order: the atoms split at
        their marks, with a run that continues across two touching atoms ("1.5tr": "1",
        ".", "5tr") whole. Read with the sub-unit pattern in one pass (the same spans as
        splitting each atom, tests/segment/test_atoms.py, at a fifth of the cost)."""
        if self._units is None:
            self._units = [m.span() for m in UNIT.finditer(self.text)]
        return self._units

    def words(self) -> list[tuple[int, int]]:
        """The units that are runs of word characters (syllables, numbers)."""
        if self._words is None:  # the units that start with a word character, read in one pass
            self._words = [m.span() for m in _WORDS.finditer(self.text)]
        return self._words


def scan(text: str) -> Atoms:
    return Atoms(text, [m.span() for m in ATOM.finditer(text)])


def atoms_of(doc: Doc) -> Atoms:
    """The Doc's atoms: the tokenizer's, or one scan of `doc.text` stored on first use."""
    got = doc._.atoms
    if got is None:
        got = doc._.atoms = scan(doc_text(doc))
    return got
