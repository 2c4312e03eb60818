"""The Doc contract as spaCy sees it (issue 12): every stage declares what it writes, and the
pipeline analysis finds no problem."""
import pytest

from vnnews_nlp.pipeline import build

pytestmark = pytest.mark.issue(12)


def test_analyze_pipes_shows_the_contract():
    nlp = build()
    info = nlp.analyze_pipes()
    assigns = {name: set(s["assigns"]) for name, s in info["summary"].items()}
    assert assigns == {
        "vnnews_entities": {"doc.ents", "span._.canonical", "span._.entity_id", "span._.kind", "span._.title",
                            "span._.successor", "span._.positions"},
        "vnnews_figures": {"doc.spans", "span._.figure", "span._.date"},
        "vnnews_categories": {"doc.cats", "doc._.cat_reasons", "doc._.suggestions", "doc._.cat_evidence"},
    }
    assert not any(info["problems"].values())


def test_stages_write_typed_values():
    from vnnews_nlp.doc import Article, DateValue, Figure, Suggestion
    from vnnews_nlp.run.analyze import analyze

    doc = analyze({"id": "x", "title": "Tựa", "text": "Ngày 28/12/2019, doanh thu đạt 2,5 tỷ đồng, tăng 16%."})
    assert isinstance(doc._.article, Article) and doc._.article.title == "Tựa"
    assert all(isinstance(s._.figure, Figure) for s in doc.spans["figures"]) and doc.spans["figures"]
    assert all(isinstance(s._.date, DateValue) for s in doc.spans["dates"]) and doc.spans["dates"]
    assert doc._.suggestions and all(isinstance(s, Suggestion) for s in doc._.suggestions)
    assert doc._.atoms.text == doc.text


@pytest.mark.issue(17)
def test_entities_write_typed_positions_and_successors():
    from vnnews_nlp.doc import Position, Successor
    from vnnews_nlp.run.analyze import analyze

    doc = analyze({"id": "y", "text": "Năm 2007, Chủ tịch UBND tỉnh Hà Tây Nguyễn Văn Khải họp với Bộ Y tế."})
    people = [e for e in doc.ents if e.label_ == "PER"]
    assert people and all(isinstance(p, Position) for e in people for p in e._.positions)
    assert any(isinstance(e._.successor, Successor) for e in doc.ents)
    assert isinstance(doc._.cat_evidence, bool)
