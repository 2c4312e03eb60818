"""Issue 16, web service: one length limit with one status (413) and one message naming the
limit `/healthz` reports; JSON errors that read naturally; menus and footers of an `html`
article dropped like those of a text page."""
from __future__ import annotations

import re

import pytest

pytest.importorskip("fastapi", reason="the web service needs the `serve` extra (fastapi)")
pytest.importorskip("multipart", reason="the web service needs python-multipart (`serve` extra)")
from fastapi.testclient import TestClient  # noqa: E402

from vnnews_nlp import pipeline  # noqa: E402
from vnnews_nlp.text.article import MAX_CHARS, MAX_HTML_CHARS  # noqa: E402
from vnnews_nlp.web.app import create_app  # noqa: E402
from vnnews_nlp.web.limits import Limits  # noqa: E402

pytestmark = pytest.mark.issue(16)

JSON = {"content-type": "application/json"}
# Written for these tests (not taken from any corpus).
BODY_1 = "Sáng 12/9, xã Triệu Phong khánh thành trường mầm non mới với sáu phòng học."
BODY_2 = "Công trình có vốn gần 7 tỷ đồng, đón 180 cháu ngay trong năm học này."
# A very short article: trafilatura fell back to the whole body, "Trang chủ" and the logo too.
SHORT_1 = "Xã Triệu Phong vừa có trường mầm non mới."
SHORT_2 = "Trường đón 180 cháu từ năm học này."
NAV_PAGE = (
    "<html><body><header><div class='logo'>Cổng thông tin xã Triệu Phong</div></header>"
    "<nav>Trang chủ</nav>"
    f"<article><p>{SHORT_1}</p><p>{SHORT_2}</p></article>"
    "<footer><p>Bản quyền thuộc Ủy ban nhân dân xã Triệu Phong</p>"
    "<p>Đơn vị quản lý: Văn phòng xã</p></footer></body></html>")
# With a title, a menu, related links and a visitor counter: the logo text was kept.
TITLED_PAGE = (
    "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>Triệu Phong có trường "
    "mầm non mới</title></head><body>"
    "<header><div class='logo'>Cổng thông tin xã Triệu Phong</div></header>"
    "<nav><ul><li><a href='/'>Trang chủ</a></li><li><a href='/gt'>Giới thiệu</a></li></ul></nav>"
    "<div class='content'><article><h1>Triệu Phong có trường mầm non mới</h1>"
    f"<p>{BODY_1}</p><p>{BODY_2}</p></article>"
    "<div class='related'><h3>Tin liên quan</h3><ul><li><a href='/a'>Xã tổ chức ngày hội đọc "
    "sách</a></li></ul></div>"
    "<div id='thongke'>Đang truy cập: 12<br>Tổng lượt truy cập: 34.567</div></div>"
    "<footer><p>Bản quyền thuộc Ủy ban nhân dân xã Triệu Phong</p></footer></body></html>")
CHROME = ("Trang chủ", "Giới thiệu", "Cổng thông tin", "Bản quyền", "Đơn vị quản lý", "Tin liên quan",
          "ngày hội đọc sách", "truy cập")




def _error(resp, status: int, error: str) -> str:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["error"] == error, body
    return body["message"]


# --- 1. one text limit, one status --------------------------------------------------------

@pytest.mark.parametrize("n", [150_000, 1_780_000], ids=["150k", "1.78M"])
def test_every_over_limit_text_gets_413_naming_the_service_limit(client, n):
    limit = client.get("/healthz").json()["limits"]["max_chars"]
    assert limit == 100_000
    message = _error(client.post("/v1/analyze", json={"id": "long", "text": "ab " * (n // 3)}),
                     413, "text_too_long")
    assert "the limit is 100,000" in message and "500,000" not in message


def test_limit_message_is_the_same_however_far_over(nlp):
    with TestClient(create_app(nlp, Limits(max_chars=200))) as c:
        messages = []
        for n in (300, MAX_CHARS + 3):
            msg = _error(c.post("/v1/analyze", json={"text": "x" * n}), 413, "text_too_long")
            messages.append(re.sub(r"has [\d,]+ characters", "has N characters", msg))
        assert messages[0] == messages[1] and "the limit is 200;" in messages[0]
        assert _error(c.post("/v1/view", data={"text": "x" * (MAX_CHARS + 3)}), 413,
                      "text_too_long") == _error(c.post("/v1/view", data={"text": "x" * 300}), 413,
                                                 "text_too_long").replace("300", f"{MAX_CHARS + 3:,}")


def test_html_over_its_limit_gets_413_naming_the_service_limit(nlp):
    with TestClient(create_app(nlp, Limits(max_html_chars=1_000, max_body_bytes=6_000_000))) as c:
        assert c.get("/healthz").json()["limits"]["max_html_chars"] == 1_000
        for n in (2_000, MAX_HTML_CHARS + 10):
            html = "<p>" + "y" * n + "</p>"
            msg = _error(c.post("/v1/analyze", json={"html": html}), 413, "text_too_long")
            assert '"html"' in msg and "the limit is 1,000;" in msg, msg


def test_text_cut_from_an_html_page_is_held_to_max_chars(nlp):
    # The page is under max_html_chars but its article text is over max_chars: the same 413
    # as for a text that long, not an analysis of a text the service would refuse.
    text_len = len("Triệu Phong có trường mầm non mới\n" + BODY_1 + "\n" + BODY_2)  # the headline is text too
    with TestClient(create_app(nlp, Limits(max_chars=100))) as c:
        assert text_len > 100 and len(TITLED_PAGE) < Limits().max_html_chars
        msg = _error(c.post("/v1/analyze", json={"html": TITLED_PAGE}), 413, "text_too_long")
        assert f"has {text_len} characters; the limit is 100;" in msg, msg
        msg = _error(c.post("/v1/view", files={"file": ("trang.html", TITLED_PAGE.encode())}), 413,
                     "text_too_long")
        assert "the limit is 100;" in msg, msg
    with TestClient(create_app(nlp, Limits(max_chars=text_len))) as c:  # at the limit: analysed
        assert c.post("/v1/analyze", json={"html": TITLED_PAGE}).status_code == 200


def test_limits_above_the_pipeline_caps_are_refused():
    # The pipeline's own caps would answer first (422, naming another number).
    with pytest.raises(ValueError, match="500,000"):
        Limits(max_chars=MAX_CHARS + 1)
    with pytest.raises(ValueError, match="5,000,000"):
        Limits(max_html_chars=MAX_HTML_CHARS + 1)


def test_body_cap_keeps_its_own_message(nlp):
    with TestClient(create_app(nlp, Limits(max_body_bytes=2_000))) as c:
        msg = _error(c.post("/v1/analyze", json={"text": "a " * 2_000}), 413, "body_too_large")
        assert "2,000 bytes" in msg and "characters" not in msg


# --- 2. JSON errors read naturally --------------------------------------------------------

@pytest.mark.parametrize("body", [b'{"text": "a\x01b"}', b'{"text": "abc'],
                         ids=["control-character", "unterminated-string"])
def test_invalid_json_message_has_no_doubled_at(client, body):
    msg = _error(client.post("/v1/analyze", content=body, headers=JSON), 400, "invalid_json")
    assert not re.search(r"\bat at\b", msg), msg
    assert re.search(r"(Invalid control character|Unterminated string starting) at character \d+$", msg), msg


# --- 3. menus and footers of an html article -----------------------------------------------

@pytest.mark.parametrize("page,title,text", [
    (NAV_PAGE, None, SHORT_1 + "\n" + SHORT_2),
    (TITLED_PAGE, "Triệu Phong có trường mầm non mới",
     "Triệu Phong có trường mầm non mới\n" + BODY_1 + "\n" + BODY_2),  # the headline stays in the text
], ids=["short", "titled"])
def test_html_article_drops_nav_header_and_footer(client, page, title, text):
    rec = client.post("/v1/analyze", json={"id": "nav", "html": page}).json()
    assert rec.get("schema") == "vnnews-record/2", rec
    for chrome in CHROME:
        assert chrome not in rec["text"], rec["text"]
    assert rec["text"] == text
    assert rec["title"] == title
    view = client.post("/v1/view", files={"file": ("trang.html", page.encode())}).json()
    assert view["record"]["text"] == rec["text"]
