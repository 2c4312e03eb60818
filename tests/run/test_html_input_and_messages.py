"""Issue 16 on the pipeline side: `vnnews tag` error records for bad JSON read naturally; an
`html` article loses its menus, header and footer in `prepare()` as a text page does; the
Python API takes the length limit the web service applies."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from vnnews_nlp.cli.main import app
from vnnews_nlp.pipeline import load
from vnnews_nlp.run.analyze import analyze_record, make_doc, prepare
from vnnews_nlp.text.article import MAX_CHARS, ArticleError

pytestmark = pytest.mark.issue(16)

# Written for these tests (not taken from any corpus).
P1 = "Đoàn thanh niên xã Cam Hiếu dọn vệ sinh bờ kênh."
P2 = "Họ thu gom 3 tấn rác thải."
PAGE = ("<html><body><header><p class='logo'>Trang tin xã Cam Hiếu</p></header>"
        "<nav>Trang chủ</nav>"
        f"<article><p>{P1}</p><p>{P2}</p></article>"
        "<footer><p>Ghi rõ nguồn khi phát hành lại thông tin từ trang này</p></footer></body></html>")


@pytest.fixture(scope="module")
def nlp_seg_only():
    return load(components=())


def test_cli_error_record_for_bad_json_has_no_doubled_at(tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_bytes(json.dumps({"id": "ok", "text": P1}, ensure_ascii=False).encode() + b"\n"
                    + b'{"id": "x", "text": "tab\x09here"}\n')
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(app, ["tag", str(src), "-o", str(out), "--no-progress"])
    assert res.exit_code == 1, res.output  # one record failed
    (err,) = [json.loads(ln) for ln in out.with_name("out.jsonl.errors.jsonl").read_text().splitlines()]
    assert err["error"] == "invalid_json", err
    assert "at at" not in err["message"]
    assert err["message"].endswith("line 2: not valid JSON (Invalid control character at column 25)")


def test_prepare_drops_nav_header_and_footer_of_html(nlp_seg_only):
    prep = prepare({"id": "h", "html": PAGE})
    assert prep.body == P1 + "\n" + P2
    doc = make_doc(nlp_seg_only, {"id": "h", "html": PAGE})
    for chrome in ("Trang chủ", "Trang tin", "Ghi rõ nguồn"):
        assert chrome not in doc.text
    i = doc.text.index("3 tấn")  # offsets still point into the extracted page text
    j = doc._.offsets.to_original(i)
    assert doc._.original[j:j + 5] == "3 tấn"


def test_length_limit_of_the_python_api(nlp_seg_only):
    from vnnews_nlp.text.article import TextTooLong

    with pytest.raises(TextTooLong) as info:  # the text cut from the page is over the limit
        make_doc(nlp_seg_only, {"id": "h", "html": PAGE}, max_chars=50)
    assert (info.value.n, info.value.cap) == (len(P1) + 1 + len(P2), 50)
    for n in (60, MAX_CHARS + 1):  # just over, or over the pipeline's own cap: one message
        with pytest.raises(TextTooLong, match=r"the limit is 50;") as info:
            make_doc(nlp_seg_only, "x" * n, max_chars=50)
        assert info.value.n == n
    with pytest.raises(ArticleError, match="the limit is 500,000"):  # default: the pipeline's cap
        analyze_record({"id": "big", "text": "x" * (MAX_CHARS + 1)}, nlp_seg_only)
    assert make_doc(nlp_seg_only, {"id": "h", "html": PAGE}, max_chars=len(P1) + 1 + len(P2)).text
