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


# --- issue 15: an editor's correction, stored from the page, retrains the model ---------------

SPORT = ["Đội tuyển bóng đá thắng trận chung kết với tỷ số 2-0, cầu thủ ghi bàn ở phút cuối.",
         "Huấn luyện viên công bố danh sách cầu thủ dự giải vô địch bóng đá khu vực.",
         "Câu lạc bộ bóng đá ký hợp đồng với tiền đạo mới trước mùa giải.",
         "Vận động viên điền kinh giành huy chương vàng tại đại hội thể thao.",
         "Trận đấu bóng đá tối qua thu hút hàng vạn cổ động viên đến sân.",
         "Đội bóng chuyền nữ giành chức vô địch sau năm séc đấu căng thẳng."]
SCHOOL = ["Nhà trường khai giảng năm học mới, học sinh tựu trường đông đủ.",
          "Bộ Giáo dục công bố lịch thi tốt nghiệp, thí sinh ôn tập môn toán và văn.",
          "Giáo viên tiểu học được tập huấn phương pháp dạy học mới cho học sinh.",
          "Trường đại học tuyển sinh thêm ngành học, sinh viên nhập học tháng chín.",
          "Học sinh giỏi cấp tỉnh được nhà trường khen thưởng cuối năm học.",
          "Sở Giáo dục kiểm tra cơ sở vật chất các trường học trước năm học mới."]
MONEY = ["Giá vàng tăng mạnh, ngân hàng điều chỉnh lãi suất tiền gửi.",
         "Doanh nghiệp xuất khẩu gạo đạt doanh thu cao, lợi nhuận tăng.",
         "Thị trường chứng khoán giảm điểm, nhà đầu tư bán ra cổ phiếu.",
         "Ngân hàng Nhà nước điều hành tỷ giá, lạm phát được kiểm soát.",
         "Công ty công bố báo cáo tài chính, doanh thu quý tăng mạnh.",
         "Giá xăng dầu giảm, chỉ số giá tiêu dùng tháng này đi xuống."]
# written for the test: sport words and school words together; the editor files it under school
MIXED = ("Khai mạc giải bóng đá\nGiải bóng đá khai mạc với trận đấu giữa hai đội, cầu thủ ghi bàn "
         "ở phút cuối trước hàng nghìn cổ động viên trên sân; đội vô địch nhận cúp của nhà trường.")


def _rank(model_dir, text, code):
    from vnnews_nlp.categories.model import TextClassifier
    m = TextClassifier.load(model_dir)
    proba = m.predict_proba([text])[0]
    order = [m.classes[i] for i in proba.argsort()[::-1]]
    return order.index(code) + 1, float(proba[m.classes.index(code)])


@pytest.mark.issue(15)
def test_an_editors_correction_in_the_page_retrains_the_model(page, tmp_path):
    import json

    from vnnews_nlp.categories.feedback import FeedbackStore
    from vnnews_nlp.categories.train import train_paths

    corpus = tmp_path / "base.jsonl"
    corpus.write_text("".join(json.dumps({"text": t, "label": lab}, ensure_ascii=False) + "\n"
                              for lab, texts in (("the-thao", SPORT), ("giao-duc", SCHOOL), ("kinh-te", MONEY))
                              for t in texts), encoding="utf-8")
    base = tmp_path / "base-model"
    train_paths([str(corpus)], out=base, algorithm="logreg", C=1.0)
    nlp = pipeline.build()  # its own pipeline: load() is shared by the other tests
    nlp.replace_pipe("vnnews_categories", "vnnews_categories", config={"model": str(base)})
    db = tmp_path / "feedback.sqlite"
    with server_thread(create_app(nlp, feedback_db=db)) as url:
        page.goto(url + "/")
        page.fill("#text", MIXED)
        page.click("#submit")
        page.wait_for_selector("#suggestions li.suggestion")
        # the page's CSP forbids evaluated scripts: wait on selectors only
        page.wait_for_selector("#menu-select option[value='giao-duc']", state="attached")
        page.select_option("#menu-select", "giao-duc")
        page.click("#choose-other")
        page.wait_for_selector("#choice-status:has-text('giao-duc')")
    (row,) = FeedbackStore(db).choices()
    assert row["chosen"] == "giao-duc" and row["model_version"].startswith("base-model@")
    before = _rank(base, row["text"], "giao-duc")
    assert before[0] > 1  # the base model did not put the editor's menu first

    exported = tmp_path / "editors.jsonl"
    assert FeedbackStore(db).export(exported) == 1
    new = tmp_path / "new-model"
    train_paths([str(corpus), str(exported)], out=new, algorithm="logreg", C=1.0)
    after = _rank(new, row["text"], "giao-duc")
    assert after[0] < before[0] and after[1] > before[1], (before, after)


@pytest.mark.issue(17)
def test_officials_show_role_and_linked_organisation(base_url, page):
    page.goto(base_url + "/")
    page.fill("#text", ARTICLE)
    page.click("#submit")
    page.wait_for_selector("#entities-table .position")
    line = page.locator("#entities-table .position").first
    assert line.locator(".role").inner_text() == "Phó Chủ tịch"
    org = line.locator("a.org")
    assert org.inner_text() == "Ủy ban nhân dân tỉnh Hà Tĩnh"
    target = org.get_attribute("href")[1:]
    assert page.locator(f"[id='{target}']").count() == 1  # the body's own row
