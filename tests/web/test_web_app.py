"""The web service through FastAPI's test client: every endpoint, every limit, bad input."""
from __future__ import annotations

import json
import threading

import pytest

pytest.importorskip("fastapi", reason="the web service needs the `serve` extra (fastapi)")
pytest.importorskip("multipart", reason="the web service needs python-multipart (`serve` extra)")
from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from vnnews_nlp.run import analyze as api
from vnnews_nlp import pipeline
from vnnews_nlp.web.app import SUGGEST_KEYS, create_app  # noqa: E402
from vnnews_nlp.web.limits import Limits  # noqa: E402
from vnnews_nlp.web.schemas import Record, SuggestRecord, View  # noqa: E402

# Written for these tests (not taken from any corpus).
ARTICLE = (
    "Quảng Trị đẩy mạnh thu hút đầu tư vào khu kinh tế\n"
    "Chiều 15/3/2025, tại thành phố Đông Hà, Chủ tịch UBND tỉnh Quảng Trị Võ Văn Hưng chủ trì "
    "buổi làm việc với Bộ Kế hoạch và Đầu tư về kế hoạch phát triển Khu kinh tế Đông Nam.\n"
    "Theo báo cáo của Sở Kế hoạch và Đầu tư tỉnh, trong năm 2024 toàn tỉnh đã thu hút 45 dự án "
    "với tổng vốn đăng ký khoảng 12.300 tỷ đồng, tăng 18% so với năm 2023.\n"
    "Giám đốc Sở Công Thương Lê Văn Bảo cho biết kim ngạch xuất khẩu đạt 320 triệu USD, trong "
    "đó hàng nông sản chiếm gần 40%.\n"
    "Tỉnh đặt mục tiêu đến năm 2030 giải quyết việc làm cho 25.000 lao động và nâng thu nhập "
    "bình quân đầu người lên 120 triệu đồng mỗi năm."
)
PAGE = ("<html><head><title>Tin Quảng Trị</title></head><body><nav><a href='/'>Trang chủ</a>"
        "</nav><article><h1>Hội nghị tổng kết ngành y tế</h1><p>Sáng 20/1/2025, Sở Y tế tỉnh "
        "Quảng Trị tổ chức hội nghị tổng kết công tác năm 2024. Toàn ngành đã khám cho hơn "
        "1,2 triệu lượt người, tăng 7% so với năm trước.</p><p>Giám đốc Sở Y tế cho biết tỉnh "
        "sẽ đầu tư 150 tỷ đồng nâng cấp các trạm y tế xã.</p></article><footer>Bản quyền "
        "thuộc Cổng thông tin điện tử</footer></body></html>")




def small_client(nlp, **limits) -> TestClient:
    return TestClient(create_app(nlp, Limits(**limits)))


def assert_error(resp, status: int, error: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error", "message"} and body["message"]
    if error is not None:
        assert body["error"] == error, body
    return body


def expected_record(article: dict, nlp) -> dict:
    return json.loads(json.dumps(api.analyze_record(article, nlp)))


# --- endpoints ---------------------------------------------------------------------------

def test_healthz_reports_the_full_pipeline_and_limits(client, nlp):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["components"] == list(nlp.pipe_names) == list(pipeline.COMPONENTS)
    assert body["limits"] == Limits().as_dict()


def test_analyze_answers_the_tag_record(client, nlp):
    article = {"id": "qt-1", "text": ARTICLE}
    resp = client.post("/v1/analyze", json=article)
    assert resp.status_code == 200, resp.text
    rec = resp.json()
    Record.model_validate(rec)
    assert rec == expected_record(article, nlp)
    assert rec["schema"] == "vnnews-record/2" and rec["id"] == "qt-1"
    assert rec["entities"] and rec["figures"] and rec["suggestions"]
    for span in rec["entities"] + rec["figures"] + rec["dates"]:
        assert rec["text"][span["start"]:span["end"]] == span["text"]


def test_analyze_keeps_given_title_and_numeric_id(client):
    rec = client.post("/v1/analyze", json={"id": 7, "title": "Tiêu đề riêng", "text": ARTICLE}).json()
    assert rec["id"] == "7" and rec["title"] == "Tiêu đề riêng"


def test_analyze_html_page_drops_boilerplate(client, nlp):
    resp = client.post("/v1/analyze", json={"id": "p", "html": PAGE})
    assert resp.status_code == 200, resp.text
    rec = resp.json()
    assert rec == expected_record({"id": "p", "html": PAGE}, nlp)
    assert "<" not in rec["text"] and "Bản quyền" not in rec["text"]


def test_suggest_is_the_record_restricted(client):
    article = {"id": "s", "text": ARTICLE}
    full = client.post("/v1/analyze", json=article).json()
    resp = client.post("/v1/suggest", json=article)
    assert resp.status_code == 200, resp.text
    sug = resp.json()
    SuggestRecord.model_validate(sug)
    assert tuple(sug) == SUGGEST_KEYS
    assert sug == {k: full[k] for k in SUGGEST_KEYS}
    probs = [s["probability"] for s in sug["suggestions"]]
    assert probs == sorted(probs, reverse=True)
    assert all(0 <= p <= 1 for p in list(sug["categories"].values()) + probs)


def test_view_renders_entities_with_displacy(client):
    resp = client.post("/v1/view", data={"text": ARTICLE + "\n<script>alert(1)</script>"})
    assert resp.status_code == 200, resp.text
    view = resp.json()
    View.model_validate(view)
    html = view["entities_html"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<mark") == len(view["record"]["entities"]) > 0
    for label in {e["label"] for e in view["record"]["entities"]}:
        assert {"PER": "NGƯỜI", "ORG": "TỔ CHỨC", "LOC": "ĐỊA DANH", "MISC": "KHÁC"}[label] in html


@pytest.mark.parametrize("name,data", [
    ("bai.txt", ARTICLE.encode("utf-8")),
    ("bai-bom.txt", b"\xef\xbb\xbf" + ARTICLE.encode("utf-8")),
    ("bai-utf16.txt", ARTICLE.encode("utf-16")),
    ("trang.html", PAGE.encode("utf-8")),
], ids=["utf8", "utf8-bom", "utf16", "html"])
def test_view_reads_uploaded_files(client, nlp, name, data):
    resp = client.post("/v1/view", files={"file": (name, data)}, data={"title": "Tải lên"})
    assert resp.status_code == 200, resp.text
    rec = resp.json()["record"]
    assert rec["title"] == "Tải lên" and rec["id"] == name.split(".")[0]
    field = "html" if name.endswith(".html") else "text"
    body = PAGE if field == "html" else ARTICLE
    assert rec["text"] == expected_record({"id": "x", field: body, "title": "Tải lên"}, nlp)["text"]


def test_page_is_self_contained_and_vietnamese(client):
    resp = client.get("/")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    page = resp.text
    for label in ("Phân tích", "Gợi ý chuyên mục", "Số liệu chính", "Tên chuẩn", "Chức vụ"):
        assert label in page
    for asset in ("/static/app.js", "/static/style.css"):
        assert asset in page
        served = client.get(asset)
        assert served.status_code == 200
        assert "http://" not in served.text and "https://" not in served.text  # no CDN
    assert "http://" not in page and "https://" not in page
    assert "default-src 'self'" in resp.headers["content-security-policy"]


def test_openapi_documents_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/v1/analyze", "/v1/suggest", "/v1/view", "/healthz"):
        assert path in spec["paths"]
    schemas = spec["components"]["schemas"]
    assert {"ArticleIn", "Record", "SuggestRecord", "ErrorOut"} <= set(schemas)
    assert {"413", "422", "504"} <= set(spec["paths"]["/v1/analyze"]["post"]["responses"])
    assert "schema" in schemas["Record"]["properties"]


def test_unknown_paths_and_methods_answer_json(client):
    assert_error(client.get("/nowhere"), 404)
    assert_error(client.get("/v1/analyze"), 405)


# --- limits ------------------------------------------------------------------------------

def test_body_cap_on_content_length(nlp):
    with small_client(nlp, max_body_bytes=2_000) as c:
        body = assert_error(c.post("/v1/analyze", json={"text": "a " * 2_000}), 413, "body_too_large")
        assert "2,000 bytes" in body["message"]
        assert c.post("/v1/analyze", json={"text": ARTICLE[:300]}).status_code == 200


def test_body_cap_on_streamed_body_without_or_with_lying_length(nlp):
    chunks = [json.dumps({"text": "b " * 3_000}).encode()[i:i + 500] for i in range(0, 6_100, 500)]
    with small_client(nlp, max_body_bytes=2_000) as c:
        assert_error(c.post("/v1/analyze", content=iter(chunks),
                            headers={"content-type": "application/json"}), 413, "body_too_large")
        assert_error(c.post("/v1/analyze", content=b"".join(chunks),
                            headers={"content-type": "application/json", "content-length": "10"}),
                     413, "body_too_large")


def test_body_cap_on_uploads(nlp):
    with small_client(nlp, max_body_bytes=2_000) as c:
        assert_error(c.post("/v1/view", files={"file": ("a.txt", ARTICLE.encode() * 3)}),
                     413, "body_too_large")


def test_text_length_cap(nlp):
    with small_client(nlp, max_chars=200, max_html_chars=300) as c:
        body = assert_error(c.post("/v1/analyze", json={"text": ARTICLE}), 413, "text_too_long")
        assert "200" in body["message"]
        assert_error(c.post("/v1/suggest", json={"html": PAGE}), 413, "text_too_long")
        assert_error(c.post("/v1/view", data={"text": ARTICLE}), 413, "text_too_long")
        assert c.post("/v1/analyze", json={"text": ARTICLE[:150]}).status_code == 200


def test_time_limit_answers_504(nlp):
    with small_client(nlp, timeout=1e-4) as c:
        body = assert_error(c.post("/v1/analyze", json={"text": ARTICLE * 20}), 504, "timeout")
        assert "longer than" in body["message"]
        assert c.get("/healthz").status_code == 200  # the server still answers


def test_full_queue_answers_503(nlp):
    with small_client(nlp, max_pending=0) as c:
        assert_error(c.post("/v1/suggest", json={"text": ARTICLE}), 503, "busy")


def test_loading_state_answers_503():
    app = create_app()  # no lifespan run: the pipeline is not loaded yet
    c = TestClient(app)
    assert_error(c.get("/healthz"), 503, "loading")
    assert_error(c.post("/v1/analyze", json={"text": ARTICLE}), 503, "loading")


def test_concurrent_requests_share_one_pipeline(monkeypatch, nlp):
    calls = []
    real_load = pipeline.load

    def counting_load(*args, **kwargs):
        calls.append(args)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(pipeline, "load", counting_load)
    articles = [{"id": str(i), "text": ARTICLE.split("\n", 1)[1] * (1 + i % 3)} for i in range(12)]
    wanted = [expected_record(a, nlp) for a in articles]
    results: dict[int, object] = {}
    with TestClient(create_app(limits=Limits(workers=4))) as c:
        def send(i):
            results[i] = c.post("/v1/analyze", json=articles[i])

        threads = [threading.Thread(target=send, args=(i,)) for i in range(len(articles))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    assert len(calls) == 1  # loaded once at startup, not per request
    for i, want in enumerate(wanted):
        assert results[i].status_code == 200, results[i].text
        assert results[i].json() == want  # threads did not disturb each other


# --- bad input ---------------------------------------------------------------------------

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize("body,status,error", [
    (b'{"text": "Bi\xe1\xbb ng"}', 400, "invalid_utf8"),
    (b'{"text": ', 400, "invalid_json"),
    (b"", 422, "invalid_request"),
    (b"[1, 2]", 422, "invalid_request"),
    (b'"text"', 422, "invalid_request"),
    (b'{"text": 5}', 422, "invalid_request"),
    (b'{"text": ["a"]}', 422, "invalid_request"),
    (b'{"html": {"p": 1}}', 422, "invalid_request"),
    ('{"text": "Hà Nội", "title": 3}'.encode(), 422, "invalid_request"),
    ('{"text": "Hà Nội", "id": {"a": 1}}'.encode(), 422, "invalid_request"),
    ('{"title": "Chỉ có tiêu đề"}'.encode(), 422, "invalid_article"),
    (b'{"text": "   \\n "}', 422, "invalid_article"),
    (b'{"text": "\\u0000\\u0001\\u0002 ELF"}', 422, "binary"),
])
def test_bad_json_input_answers_4xx_with_reason(client, body, status, error):
    for path in ("/v1/analyze", "/v1/suggest"):
        got = assert_error(client.post(path, content=body, headers=JSON), status, error)
        if error == "invalid_request" and b"{" in body and b":" in body:
            field = json.loads(body.decode()).keys() - {"text"} or {"text"}
            assert any(f'"{f}"' in got["message"] for f in field)


def test_json_endpoints_want_a_json_content_type(client):
    for ctype in ("text/plain", "application/octet-stream"):
        assert_error(client.post("/v1/analyze", content='{"text": "Hà Nội"}'.encode(),
                                 headers={"content-type": ctype}), 415, "unsupported_media_type")


@pytest.mark.parametrize("name,data,status,error", [
    ("anh.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 415, "unsupported_file"),
    ("bai.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00binary", 415, "binary"),
    ("bai.txt", ARTICLE.encode("utf-8")[:200] + b"\xc3\x28" + ARTICLE.encode("utf-8")[200:], 422,
     "invalid_encoding"),
    ("rong.txt", b"  \n\t ", 422, "invalid_article"),
    ("trang.html", "<html><body><nav><a href=/>Trang chủ</a> | <a href=/b>Tin tức</a></nav>"
     "<footer>Bản quyền 2025</footer></body></html>".encode(), 422, "invalid_article"),
    ("khong-duoi", b"abc", 415, "unsupported_file"),
], ids=["png", "elf", "bad-utf8", "blank", "menu-only-page", "no-suffix"])
def test_bad_uploads_answer_4xx_with_reason(client, name, data, status, error):
    assert_error(client.post("/v1/view", files={"file": (name, data)}), status, error)


def test_view_without_text_or_file(client):
    assert_error(client.post("/v1/view", data={}), 422, "invalid_article")
    assert_error(client.post("/v1/view", data={"text": " "}), 422, "invalid_article")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_never_answers_5xx(client, text):
    resp = client.post("/v1/analyze", json={"text": text})
    assert resp.status_code < 500, resp.text
    if resp.status_code == 200:
        Record.model_validate(resp.json())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300), st.sampled_from(["a.txt", "a.html", "a.bin"]))
def test_any_bytes_never_answer_5xx(client, data, name):
    assert client.post("/v1/analyze", content=data, headers=JSON).status_code < 500
    assert client.post("/v1/view", files={"file": (name, data)}).status_code < 500


# --- the command -------------------------------------------------------------------------

def test_serve_command_starts_uvicorn_on_loopback(monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from vnnews_nlp.cli.main import app

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda asgi, **kw: seen.update(kw, app=asgi))
    result = CliRunner().invoke(app, ["serve", "--port", "8123", "--timeout", "5"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["app"].state.service["analyzer"] is None  # loads at startup, not before
