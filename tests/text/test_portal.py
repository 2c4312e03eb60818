import re

import pytest
from hypothesis import given, settings, strategies as st

from vnnews_nlp.paths import corpora_dir, shared_dir
from vnnews_nlp.text.portal import CleanPage, clean_html, clean_page, looks_like_page

SAMPLE = shared_dir() / "data" / "portal" / "sample_page.txt"
SAMPLES = corpora_dir() / "samples"


def _kept(page: CleanPage):
    return [p for p in [page.title, page.byline, *page.paragraphs, *page.captions] if p]


def _check_offsets(page: CleanPage, source: str):
    for p in _kept(page) + page.dropped:
        assert source[p.start:p.end] == p.text
    assert len(page.dropped) == len(page.reasons)
    spans = sorted((p.start, p.end) for p in _kept(page) + page.dropped)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # no line is used twice


@pytest.mark.shared
@pytest.mark.skipif(not SAMPLE.exists(), reason="needs ../shared/data/portal/sample_page.txt")
def test_sample_portal_page():
    text = SAMPLE.read_text(encoding="utf-8")
    page = clean_page(text)
    assert looks_like_page(text)
    assert page.title.text.startswith("Bộ Thông tin và Truyền thông: Tổng kết công tác năm 2019")
    assert page.paragraphs[0].text.startswith("* Ngày 28/12/2019")
    assert page.paragraphs[-1].text.startswith("Bộ trưởng nêu rõ")
    assert len(page.captions) == 3
    assert page.byline.text == "Phương Nam, ảnh: Tường Vân"
    kept = [p.text for p in _kept(page)]
    assert not any(t.startswith("- ") for t in kept)                       # menu, related links
    assert not any(re.search(r"\(\d\d/\d\d/\d{4}\)$", t) for t in kept)      # related links
    assert not any(re.match(r"(Đang truy cập|Hôm nay|Tổng lượt truy cập):", t) for t in kept)
    assert not any(t.startswith(("Địa chỉ", "Điện thoại", "Email", "Người chịu trách nhiệm", "Đơn vị vận hành"))
                   for t in kept)
    # every non-empty line is either kept or dropped
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    assert len(kept) + len(page.dropped) == len(lines)
    assert {"menu", "counter", "related", "footer"} <= set(page.reasons)
    _check_offsets(page, text)


def test_portal_with_breadcrumb_and_related_heading():
    text = (SAMPLES / "page_portal_breadcrumb.txt").read_text(encoding="utf-8")
    page = clean_page(text)
    assert page.title.text == "Gio Linh ra quân trồng 200 ha rừng gỗ lớn"
    assert [p.text[:20] for p in page.paragraphs] == [
        "Sáng 14/4, Ủy ban nh", "Theo kế hoạch, trong", "Ông Lê Văn Hòa, Phó ", "Trong ba năm qua, di"]
    assert [p.text for p in page.captions] == ["Người dân xã Gio An trồng cây keo lai trên đồi (Ảnh: Minh Khang)"]
    assert page.byline.text == "Minh Khang"
    reasons = dict(zip((p.text for p in page.dropped), page.reasons))
    assert reasons["Trang chủ > Tin tức - Sự kiện > Kinh tế"] == "breadcrumb"
    assert reasons["Tin liên quan"] == "heading"
    assert reasons["Xã Gio Mỹ nghiệm thu công trình nước sạch - 10/04/2024"] == "related"
    assert reasons["Lượt xem: 1.204"] == "counter"
    assert reasons["Giấy phép số 12/GP-TTĐT do Sở Thông tin và Truyền thông cấp"] == "footer"
    _check_offsets(page, text)


def test_html_page_with_nav_aside_footer():
    html = (SAMPLES / "page_news.html").read_text(encoding="utf-8")
    page = clean_html(html)
    assert page.title.text == "Cam Lộ đưa hồ tiêu lên sàn thương mại điện tử"
    assert len(page.paragraphs) == 4
    assert page.paragraphs[0].text.startswith("Hợp tác xã nông nghiệp Cam Thành")
    assert page.paragraphs[-1].text.startswith("Huyện Cam Lộ đặt mục tiêu")
    assert [p.text for p in page.captions] == ["Xã viên đóng gói hồ tiêu trước khi giao cho đơn vị vận chuyển"]
    assert page.byline.text == "Hoài Thu"
    everything = " ".join(p.text for p in _kept(page))
    for chrome in ("Trang chủ", "Tin đọc nhiều", "Giá cà phê", "Điện thoại", "bản quyền"):
        assert chrome not in everything
    _check_offsets(page, page.source)


def test_plain_article_comes_out_unchanged():
    text = (SAMPLES / "page_plain.txt").read_text(encoding="utf-8")
    assert not looks_like_page(text)
    page = clean_page(text)
    assert [p.text for p in page.paragraphs] == [ln for ln in text.split("\n") if ln]
    assert page.dropped == [] and page.captions == [] and page.byline is None


def test_page_without_article_drops_everything():
    text = "- Trang chủ\n- Giới thiệu\n- Liên hệ\nHôm nay: 12\nĐiện thoại: 0233 111 222\n"
    page = clean_page(text)
    assert page.paragraphs == [] and page.title is None
    assert len(page.dropped) == 5


lines = st.one_of(
    st.sampled_from(["- Trang chủ", "Hôm nay: 5", "Email: a@b.vn", "Tin liên quan", "Minh Anh", "",
                     "Ảnh: Thu Hà", "Bài viết mới (01/02/2023)", "Kết thúc./."]),
    st.text(st.sampled_from(list("abc đêạ ,.\n-:")), max_size=300),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(lines, max_size=20).map("\n".join))
def test_any_text_gives_consistent_pieces(text):
    page = clean_page(text)
    _check_offsets(page, text)
    if not looks_like_page(text):
        assert [p.text for p in page.paragraphs] == [ln.strip() for ln in text.split("\n") if ln.strip()]
