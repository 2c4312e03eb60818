"""atheris: atoms are ordered, disjoint and cover every visible char; the segmenting tokenizer's
Doc is exactly the normalized text."""
from _common import atheris, run, text

with atheris.instrument_imports(include=["vnnews_nlp"]):
    from vnnews_nlp.text.normalize import normalize
    from vnnews_nlp.pipeline import load
    from vnnews_nlp.segment.tokenizer import atoms, sentence_starts

NLP = load(components=())


def test_one_input(data: bytes) -> None:
    s = text(atheris.FuzzedDataProvider(data))
    pos = 0
    spans = atoms(s)
    for a, b in spans:
        assert pos <= a < b and not s[pos:a].strip(), repr(s)
        pos = b
    assert not s[pos:].strip(), repr(s)
    starts = sentence_starts(s, spans)
    assert not starts or starts[0]
    doc = NLP.make_doc(s)
    assert doc.text == normalize(s).text == "".join(t.text_with_ws for t in doc), repr(s)


if __name__ == "__main__":
    run(test_one_input)
