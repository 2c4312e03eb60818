import gzip
import json

import pytest
from hypothesis import given, settings, strategies as st

from vnnews_nlp.text.article import ArticleError, InputError, iter_articles, validate


def test_validate_keeps_known_fields():
    art = validate({"id": 7, "title": "Tựa", "text": "Nội dung.", "url": None, "extra": 1}, "x")
    assert art == {"id": "7", "text": "Nội dung.", "title": "Tựa", "url": None, "published": None}


@pytest.mark.parametrize(
    "obj, reason",
    [
        ([], "JSON object"),
        ({"id": "a"}, '"text" or an "html"'),
        ({"text": 5}, '"text" must be a string'),
        ({"text": "   "}, "empty"),
        ({"text": "x", "title": 3}, '"title" must be a string'),
        ({"text": "x", "id": {"a": 1}}, '"id" must be'),
    ],
)
def test_validate_explains_what_is_wrong(obj, reason):
    with pytest.raises(ArticleError, match=reason):
        validate(obj, "x")


def test_reads_every_kind_and_reports_bad_records(tmp_path):
    (tmp_path / "a.txt").write_text("Bài viết thứ nhất.", encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body><p>Bài hai.</p></body></html>", encoding="utf-8")
    lines = [json.dumps({"id": "j1", "text": "Một."}, ensure_ascii=False), "{broken", json.dumps({"id": "j3"}), ""]
    (tmp_path / "c.jsonl").write_text("\n".join(lines), encoding="utf-8")
    with gzip.open(tmp_path / "d.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "Nén."}) + "\n")
    (tmp_path / "e.bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "ignored.csv").write_text("a,b")
    items = list(iter_articles([tmp_path, tmp_path / "missing.txt"]))
    ok = {i["id"]: i for i in items if isinstance(i, dict)}
    bad = {i.id: i for i in items if isinstance(i, InputError)}
    assert set(ok) == {"a", "b", "j1", "d.jsonl.gz:1"}
    assert ok["b"]["html"].startswith("<html>")
    assert bad["c.jsonl:2"].error == "invalid_json" and "line 2" in bad["c.jsonl:2"].message
    assert bad["j3"].error == "invalid_article"
    assert bad["e"].error == "binary"
    assert bad[str(tmp_path / "missing.txt")].error == "not_found"


def test_invalid_utf8_is_decoded_not_fatal(tmp_path):
    good = "Hà Nội những ngày đầu thu, phố phường rực rỡ cờ hoa chào mừng ngày lễ lớn. "
    (tmp_path / "x.txt").write_bytes(good.encode() + b"\xff\xfa" + good.encode())
    (item,) = iter_articles([tmp_path / "x.txt"])
    assert isinstance(item, dict) and item["text"].startswith("Hà Nội")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_articles_or_errors(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "f.jsonl"
    path.write_bytes(data)
    for item in iter_articles([path]):
        assert isinstance(item, (dict, InputError))


# --- issue 16 ------------------------------------------------------------------------------

@pytest.mark.issue(16)
@pytest.mark.parametrize("data,reason", [
    (b'{"id": "a", "text": "H\xc3\xa0\x01 N\xe1\xbb\x99i"}\n', "Invalid control character at column 24"),
    (b'{"id": "b", "text": "H\xc3\xa0 N\xe1\xbb\x99i', "Unterminated string starting at column 21"),
], ids=["control-character", "unterminated-string"])
def test_invalid_json_message_reads_naturally(tmp_path, data, reason):
    # json.JSONDecodeError.msg of these ends with "at" already: "... at at column 24" before.
    path = tmp_path / "bad.jsonl"
    path.write_bytes(data)
    (err,) = iter_articles([path])
    assert isinstance(err, InputError) and err.error == "invalid_json"
    assert err.message == f"{path} line 1: not valid JSON ({reason})"


@pytest.mark.issue(16)
def test_over_long_text_is_a_text_too_long_error_that_pickles():
    import pickle

    from vnnews_nlp.text.article import MAX_CHARS, TextTooLong

    with pytest.raises(TextTooLong) as info:
        validate({"text": "x" * (MAX_CHARS + 5)}, "x")
    assert (info.value.n, info.value.cap) == (MAX_CHARS + 5, MAX_CHARS)
    assert isinstance(info.value, ArticleError) and "the limit is 500,000" in str(info.value)
    back = pickle.loads(pickle.dumps(info.value))  # crosses worker processes
    assert (type(back), str(back), back.n, back.cap) == (TextTooLong, str(info.value), MAX_CHARS + 5, MAX_CHARS)
