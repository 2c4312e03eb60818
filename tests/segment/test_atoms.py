"""Atoms, the one scan of an article, and the finer views derived from them (issue 12)."""
import re

import pytest
from hypothesis import given, settings, strategies as st

from vnnews_nlp.segment.atoms import UNIT, scan
from strategies import news_text

pytestmark = pytest.mark.issue(12)
WORDCHAR = re.compile(r"[\w\u0300-\u036f]")


def split_atoms(text, spans):
    """The definition of units: each atom split at its marks, runs of word characters that
    continue across touching atoms joined again."""
    out = []
    for s, e in spans:
        for m in UNIT.finditer(text, s, e):
            a, b = m.span()
            if out and out[-1][1] == a and WORDCHAR.match(text, a) and WORDCHAR.match(text, a - 1):
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
    return out


@settings(max_examples=300, deadline=None)
@given(news_text(200))
def test_units_are_the_atoms_split_at_their_marks(text):
    atoms = scan(text)
    assert atoms.units() == split_atoms(text, atoms.spans)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aZ1.,-/@'’ \nđĐ%&vv:h", max_size=60))
def test_units_on_punctuation_heavy_text(text):
    atoms = scan(text)
    assert atoms.units() == split_atoms(text, atoms.spans)
    assert atoms.words() == [u for u in atoms.units() if WORDCHAR.match(text, u[0])]


def test_units_and_words():
    atoms = scan("Bộ TT&TT chi 1.5tr đồng, ngày 28/12/2019.")
    text = atoms.text
    assert [text[s:e] for s, e in atoms.spans][:3] == ["Bộ", "TT&TT", "chi"]
    assert [text[s:e] for s, e in atoms.units()][:6] == ["Bộ", "TT", "&", "TT", "chi", "1"]
    assert "5tr" in [text[s:e] for s, e in atoms.words()]
