"""Issue 4: every figure in the article body of the portal sample page, with unit, kind, subject.

The body is cut by a simple rule until vnnews_nlp.text.portal.clean_page lands: the lines after the
visitor counter, up to the first related-links line ("- ...")."""
from decimal import Decimal

import pytest

from vnnews_nlp.figures.component import find_figures
from vnnews_nlp.paths import shared_dir

PAGE = shared_dir() / "data" / "portal" / "sample_page.txt"
pytestmark = [pytest.mark.issue(4), pytest.mark.skipif(not PAGE.exists(), reason="needs ../shared/data/portal/sample_page.txt")]

GBR = "băng rộng di động (3G, 4G)"
GCI = "chỉ số GCI"
ICT = "chỉ số thành phần về ứng dụng CNTT-TT (ICT adoption)"
# (value, unit, kind, subject, approx, change), in text order; written from reading the page.
EXPECTED = [
    (470_000 * 10**9, "VND", "money", "Tổng doanh thu viễn thông", "gần", None),
    (61_300_000, "thuê bao", "count", GBR, None, None),
    ("48.7", "%", "percent", GBR, None, None),
    ("16.1", "%", "percent", GBR, None, "increase"),
    ("29.08", "MBps", "measure", "Tốc độ băng rộng di động tải xuống", None, None),
    ("30.93", "Mbps", "measure", "tốc độ trung bình của thế giới", None, None),
    (3, "công nghệ", "count", None, None, None),
    (140, "quốc gia", "count", None, None, None),
    (10, "bậc", "rank", GCI, None, "increase"),
    (77, None, "rank", GCI, None, None),
    (67, None, "rank", GCI, None, None),
    (50, "bậc", "rank", ICT, "hơn", "increase"),
    (95, None, "rank", ICT, None, None),
    (41, None, "rank", ICT, None, None),
    (30, "năm", "measure", None, None, None),
    (100, "%", "percent", "máy điện thoại thông minh", None, None),
    (19, "%", "percent", "viễn thông", "gần", "increase"),
    (50_000, "doanh nghiệp", "count", None, None, None),
    (10, "%", "percent", "Công nghiệp CNTT", None, "increase"),
    (100, "chuyên gia", "count", None, None, None),
    (5, "năm", "measure", None, None, None),
    (5, "năm", "measure", None, None, None),
    (10, "năm", "measure", None, None, None),
    (24_000_000, "hộ gia đình", "count", None, None, None),
    (100, "năm", "measure", None, None, None),
    (100, "chuyên gia", "count", None, None, None),
]


def body(page: str) -> str:
    lines = page.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Tổng lượt truy cập")) + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("- "))
    return "\n".join(lines[start:end])


def test_every_figure_in_the_body():
    text = body(PAGE.read_text(encoding="utf-8"))
    got = [(f.value, f.unit, f.kind, text[f.subject[0]:f.subject[1]] if f.subject else None,
            f.approx, f.change) for f in find_figures(text)]
    want = [(Decimal(v), u, k, s, a, c) for v, u, k, s, a, c in EXPECTED]
    assert got == want


def test_page_dates_and_noise():
    from vnnews_nlp.text.dates import find_dates
    page = PAGE.read_text(encoding="utf-8")
    values = {d.value for d in find_dates(page)}
    assert {"2019-12-28", "2019-Q4", "2022-09-12", "2020", "2018"} <= values
    assert "2019-04" not in values  # "quý 4/2019" is a quarter
    # the footer's phone and fax numbers are not figures
    footer = page[page.index("Điện thoại:"):]
    assert find_figures(footer.split("\n")[0]) == []
