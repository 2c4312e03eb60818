"""atheris: normalize() never raises; output is NFC, surrogate- and NUL-free; offsets map back."""
import unicodedata

from _common import atheris, run, text

with atheris.instrument_imports(include=["vnnews_nlp"]):
    from vnnews_nlp.text.normalize import normalize


def test_one_input(data: bytes) -> None:
    s = text(atheris.FuzzedDataProvider(data))
    n = normalize(s)
    assert unicodedata.is_normalized("NFC", n.text), repr(s)
    assert not any("\ud800" <= c <= "\udfff" or c == "\x00" for c in n.text), repr(s)
    prev = 0
    for i in range(len(n.text) + 1):
        o = n.offsets.to_original(i)
        assert prev <= o <= len(s), (repr(s), i, o)
        prev = o


if __name__ == "__main__":
    run(test_one_input)
