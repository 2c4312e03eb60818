"""Tests for vnnews_nlp.run.record."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from vnnews_nlp.run import analyze as api
from vnnews_nlp.pipeline import load
from vnnews_nlp.run.record import ERROR_SCHEMA, SCHEMA, doc_to_record, error_record


def _nlp():
    return load(("vnnews_figures",))


def test_token_offsets_skip_whitespace_and_match_the_text():
    text = "Hà Nội  ngày 3/4/2024 —  giá xăng tăng 2%.\n\nÔng Trần Văn A nói: “được”."
    rec = doc_to_record(api.analyze(text, _nlp()))
    assert rec["schema"] == SCHEMA
    got = [rec["text"][t["start"]:t["end"]] for t in rec["tokens"]]
    assert all(g.strip() == g and g for g in got)
    assert "3/4/2024" in got and "2" in "".join(got)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aăbcđêôơư ÁÀảạ \n\t.,:0123456789/%")), min_size=1,
               max_size=120).filter(lambda s: s.strip()))
def test_token_offsets_equal_the_token_objects(text):
    doc = api.analyze(text, _nlp())
    want = [{"start": t.idx, "end": t.idx + len(t)} for t in doc if not t.is_space]
    assert doc_to_record(doc)["tokens"] == want


def test_error_record_shape():
    rec = error_record("a1", "in.jsonl:3", "invalid_article", "empty text")
    assert rec == {"schema": ERROR_SCHEMA, "id": "a1", "source": "in.jsonl:3",
                   "error": "invalid_article", "message": "empty text"}
