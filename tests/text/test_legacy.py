import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from vnnews_nlp.text import legacy as L

SENTENCE = "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. Người dân được hưởng lợi."


def test_there_are_134_letters():
    assert len(L.LETTERS) == len(set(L.LETTERS)) == 134
    assert all(unicodedata.is_normalized("NFC", c) for c in L.LETTERS)


@pytest.mark.parametrize("letter", L.LETTERS)
def test_vni_round_trip(letter):
    assert L.vni_decode(L.vni_encode(letter)) == letter


@pytest.mark.parametrize("letter", L.LETTERS)
def test_tcvn3_round_trip(letter):
    # TCVN3 has codes for the 67 lowercase letters and 7 capitals (Ă Â Ê Ô Ơ Ư Đ) only.
    expected = letter if letter.islower() or letter in "ĂÂÊÔƠƯĐ" else letter.lower()
    assert L.tcvn3_decode(L.tcvn3_encode(letter)) == expected


@pytest.mark.parametrize("letter", L.LETTERS)
def test_cp1258_round_trip(letter):
    assert L.decode_legacy_bytes(L.cp1258_encode(letter), "cp1258") == letter


def test_known_legacy_spellings():
    # how these encodings look when read as Latin-1, as seen in old documents
    assert L.tcvn3_encode("Việt Nam") == "ViÖt Nam"
    assert L.tcvn3_encode("Hà Nội") == "Hµ Néi"
    assert L.vni_encode("Việt Nam") == "Vieät Nam"
    assert L.vni_encode("được") == "ñöôïc"


def test_sentences_round_trip():
    assert L.vni_decode(L.vni_encode(SENTENCE)) == SENTENCE
    assert L.decode_legacy_bytes(L.vni_encode(SENTENCE).encode("latin-1"), "vni") == SENTENCE
    lower = SENTENCE.lower()
    assert L.tcvn3_decode(L.tcvn3_encode(lower)) == lower


def test_tcvn3_restores_capitals_in_all_caps_text():
    line = L.tcvn3_encode("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert L.convert("tcvn3", line) == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert L.convert("tcvn3", L.tcvn3_encode("Hà Nội")) == "Hà Nội"


@pytest.mark.parametrize("word", "việt nam được người khuỷu quốc gì giữa thuở hòa hoà thủy nghiêng anh ếch oanh kiến".split())
def test_real_syllables(word):
    assert L.is_syllable(word)


@pytest.mark.parametrize("word", ["ViÖt", "céng", "héi", "chñ", "Vieät", "café", "ka", "ngi", "cát̀", "bát" + "\u0300"])
def test_not_syllables(word):
    assert not L.is_syllable(word)


def test_stopped_syllables_take_only_two_tones():
    assert L.is_syllable("học") and L.is_syllable("hóc")
    assert not L.is_syllable("hòc") and not L.is_syllable("hỏc")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(L.LETTERS + tuple("abcdđ ,.")), max_size=40))
def test_vni_decode_inverts_encode(s):
    assert L.vni_decode(L.vni_encode(s)) == unicodedata.normalize("NFC", s)
