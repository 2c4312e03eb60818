"""End to end: a real uvicorn server on loopback, the page driven in headless Chromium.

Set VNNEWS_WEB_SCREENSHOT=docs/web-screenshot.png to refresh the screenshot in the docs.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium: apt-get install -y chromium chromium-driver"),
]
pytest.importorskip("fastapi", reason="the web service needs the `serve` extra (fastapi)")
sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright for Python: pip install playwright")
httpx = pytest.importorskip("httpx")

from vnnews_nlp import pipeline  # noqa: E402
from vnnews_nlp.web.app import create_app  # noqa: E402
from vnnews_nlp.web.server import server_thread  # noqa: E402

# Offline-safe flags: no GPU, no sandbox (containers), nothing fetched from the network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Written for this test (not taken from any corpus).
ARTICLE = (
    "Hà Tĩnh hoàn thành 300 km đường giao thông nông thôn\n"
    "Ngày 8/11/2025, tại huyện Cẩm Xuyên, Phó Chủ tịch UBND tỉnh Hà Tĩnh Nguyễn Hồng Lĩnh dự lễ "
    "khánh thành tuyến đường liên xã do Sở Giao thông vận tải làm chủ đầu tư.\n"
    "Trong 10 tháng năm 2025, toàn tỉnh đã cứng hóa hơn 300 km đường giao thông nông thôn với "
    "tổng kinh phí khoảng 1.150 tỷ đồng, tăng 15% so với cùng kỳ năm trước; người dân đóng góp "
    "gần 210 tỷ đồng và hiến 45 ha đất.\n"
    "Bộ Xây dựng đánh giá cao cách làm của Hà Tĩnh và đề nghị nhân rộng mô hình ở các tỉnh "
    "miền Trung."
)


@pytest.fixture(scope="module")
def base_url():
    with server_thread(create_app(pipeline.load())) as url:
        yield url


@pytest.fixture(scope="module")
def page():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        yield pg
        browser.close()


def test_paste_submit_shows_suggestions_and_highlighted_entities(base_url, page, tmp_path):
    page.goto(base_url + "/")
    assert page.title().startswith("Phân tích bài viết")
    page.fill("#text", ARTICLE)
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden])")
    page.wait_for_selector("#suggestions li.suggestion")

    record = httpx.post(base_url + "/v1/analyze", json={"id": "pasted", "text": ARTICLE}, timeout=60).json()
    assert page.inner_text("#doc-title") == record["title"]
    marks = page.locator("#doc-body mark.entity")
    assert marks.count() == len(record["entities"]) > 0
    first = record["entities"][0]
    assert first["text"] in marks.first.inner_text()
    labels = page.locator("#suggestions li.suggestion .sugg-head span:first-child").all_inner_texts()
    assert len(labels) == len(record["suggestions"]) > 0
    assert record["suggestions"][0]["label"] in labels[0]
    assert "%" in page.inner_text("#suggestions li.suggestion .prob")
    assert page.locator("#entities-table tbody tr").count() >= 1
    assert page.locator("#figures-table tbody tr").count() == max(1, len(record["figures"]))
    assert page.locator("#error").is_hidden()

    shot = tmp_path / "web.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("VNNEWS_WEB_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["VNNEWS_WEB_SCREENSHOT"])


def test_upload_a_text_file(base_url, page, tmp_path):
    path = tmp_path / "bai-viet.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    page.goto(base_url + "/")
    page.set_input_files("#file", str(path))
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden])")
    assert page.inner_text("#doc-title") == ARTICLE.split("\n")[0]
    assert page.locator("#doc-body mark.entity").count() > 0


def test_errors_are_shown_in_vietnamese(base_url, page, tmp_path):
    page.goto(base_url + "/")
    page.click("#submit")
    assert "Hãy dán nội dung" in page.inner_text("#error")
    binary = tmp_path / "anh.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    page.set_input_files("#file", str(binary))
    page.click("#submit")
    page.wait_for_function("document.querySelector('#error').textContent.includes('415')")
    assert ".txt or .html" in page.inner_text("#error")
