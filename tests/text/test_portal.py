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


# Issue 16. Written for these tests (not taken from any corpus).
_P1 = "Sáng 3/10, Hội Nông dân xã Vĩnh Long trao 20 con bò giống cho các hộ khó khăn."
_P2 = "Mỗi hộ được vay thêm 30 triệu đồng để làm chuồng trại."
_TINY = ("Xã Vĩnh Long trao 20 con bò giống cho hộ khó khăn.", "Mỗi hộ được vay thêm 30 triệu đồng.")


def _nav_page(head: str = "", title: str = "", body: tuple = (_P1, _P2)) -> str:
    return (f"<html>{head}<body><header><div class='logo'>Cổng thông tin xã Vĩnh Long</div></header>"
            "<nav>Trang chủ</nav>"
            f"<article>{title}<p>{body[0]}</p><p>{body[1]}</p></article>"
            "<aside><h3>Tin đọc nhiều</h3><a href='/a'>Xã ra quân làm đường giao thông</a></aside>"
            "<footer><p>Bản quyền thuộc Ủy ban nhân dân xã Vĩnh Long</p></footer></body></html>")


@pytest.mark.issue(16)
@pytest.mark.parametrize("head,title,body", [
    ("", "", (_P1, _P2)),
    ("", "", _TINY),  # under 100 characters: "Trang chủ" came back too
    ("<head><title>Xã Vĩnh Long trao bò giống</title></head>", "<h1>Xã Vĩnh Long trao bò giống</h1>", (_P1, _P2)),
], ids=["short-untitled", "tiny-untitled", "short-titled"])
def test_html_short_article_drops_nav_header_aside_and_footer(head, title, body):
    # trafilatura falls back to the whole body on a short article: menus came back with it
    page = clean_html(_nav_page(head, title, body))
    assert [p.text for p in page.paragraphs] == list(body)
    everything = " ".join(p.text for p in _kept(page))
    for chrome in ("Trang chủ", "Cổng thông tin", "Tin đọc nhiều", "làm đường", "Bản quyền"):
        assert chrome not in everything
    assert (page.title.text if page.title else None) == ("Xã Vĩnh Long trao bò giống" if title else None)
    _check_offsets(page, page.source)


@pytest.mark.issue(16)
def test_html_chrome_removal_keeps_the_article_and_its_own_header():
    # an <article>'s header and footer are its title and byline; an unclosed <nav> that
    # swallows the article is not removed with it
    html = ("<html><head><title>Bò giống cho hộ nghèo</title></head><body><nav>Trang chủ</nav>"
            "<article><header><h1>Bò giống cho hộ nghèo</h1></header>"
            f"<p>{_P1}</p><p>{_P2}</p><footer class='author'>Minh Châu</footer></article></body></html>")
    page = clean_html(html)
    assert [p.text for p in page.paragraphs] == [_P1, _P2]
    assert page.title.text == "Bò giống cho hộ nghèo" and page.byline.text == "Minh Châu"
    unclosed = ("<html><body><nav><a href='/'>Trang chủ</a> <a href='/t'>Tin tức</a>"
                f"<div><p>{_P1} {_P1}</p><p>{_P2} {_P2}</p></div></body></html>")
    assert [p.text for p in clean_html(unclosed).paragraphs][-2:] == [f"{_P1} {_P1}", f"{_P2} {_P2}"]


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
