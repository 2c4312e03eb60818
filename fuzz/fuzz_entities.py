"""atheris: entities (gazetteer, person rules, merging) are sorted, disjoint, inside the text and
carry a known label, for any normalized text."""
from _common import atheris, run, text

with atheris.instrument_imports(include=["vnnews_nlp"]):
    from vnnews_nlp.entities.component import find_entities
    from vnnews_nlp.text.normalize import normalize


def test_one_input(data: bytes) -> None:
    s = normalize(text(atheris.FuzzedDataProvider(data))).text
    end = 0
    for e in find_entities(s):
        assert end <= e.start < e.end <= len(s), repr(s)
        assert e.label in ("PER", "ORG", "LOC", "MISC"), repr(s)
        end = e.end


if __name__ == "__main__":
    run(test_one_input)
