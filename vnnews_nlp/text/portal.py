"""Boilerplate removal for scraped portal pages.

A scraped page is a list of lines: site title, menus, visitor counters, the article (title,
paragraphs, photo captions, byline), related links and a footer. The article is found as the
densest run of paragraph-like lines; everything else is classified by layout cues that hold
across Vietnamese government and news portals (bullets, counters, date-suffixed link lists,
footer keywords), never by the text of one particular site.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Piece:
    text: str
    start: int
    end: int


@dataclass
class CleanPage:
    title: Piece | None
    paragraphs: list[Piece]
    captions: list[Piece]
    byline: Piece | None
    dropped: list[Piece] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    source: str = ""  # the string every Piece offset refers to


_BULLET = re.compile(r"^[-•·*+–—»›>]\s*")
_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
_DATED_LINK = re.compile(rf"(\(\s*{_DATE}[^)]*\)|[-–|]\s*{_DATE}(\s+\d{{1,2}}:\d{{2}})?)\s*$|^{_DATE}\s*[-–|:]")
_DATE_LINE = re.compile(rf"^(thứ\s+\w+|chủ nhật|ngày|cập nhật|đăng ngày|đăng lúc)?[\s,:]*{_DATE}([\s,|-]*\d{{1,2}}[:h]\d{{2}}.*)?$", re.I)
_COUNTER = re.compile(
    r"^(đang truy cập|đang online|online|trực tuyến|hôm nay|hôm qua|tuần này|tuần trước|tháng này|"
    r"tháng trước|năm nay|tổng (số )?lượt (truy cập|xem)|lượt (truy cập|xem)|tổng cộng|"
    r"số lượt truy cập|thành viên|khách)\s*:?\s*[\d.,\s]+$", re.I)
_FOOTER = re.compile(
    r"^(địa chỉ|điện thoại|đt|tel|fax|e-?mail|hộp thư|website|bản quyền|copyright|©|"
    r"người chịu trách nhiệm|chịu trách nhiệm|trưởng ban biên tập|đơn vị vận hành|cơ quan chủ quản|"
    r"giấy phép|ghi rõ nguồn|thiết kế bởi|phát triển bởi|design by)\b|©|bản quyền thuộc", re.I)
_HEADING = re.compile(
    r"^(tin liên quan|các tin (khác|đã đưa|liên quan)|tin (khác|mới|mới nhất|đọc nhiều|nổi bật|cùng chuyên mục)|"
    r"bài viết liên quan|xem thêm|địa chỉ liên hệ|thông tin liên hệ|liên kết website|liên kết|"
    r"chia sẻ|in bài|bình luận|gửi bình luận|ý kiến bạn đọc|từ khóa|từ khoá|tags?|thống kê truy cập|"
    r"lượt truy cập|quay lại|về đầu trang|trở về)\s*:?\s*$", re.I)
_BREADCRUMB = re.compile(r"^trang chủ\s*[>»›/|]", re.I)
_SITE_TITLE = re.compile(r"^(chi tiết tin|chi tiết bài viết|tin tức|trang chủ)\s*[-|:]", re.I)
_END_MARK = re.compile(r"(\./\.|/\.)\s*$")
_SENT_END = re.compile(r"[.!?…:;]['\"”»)]*\s*$|\./\.\s*$")
_PHOTO = re.compile(r"(^|[\s(\[])(ảnh|photo|nguồn ảnh)\s*:|\((ảnh|photo)\b|^ảnh\b|ảnh minh họa|ảnh minh hoạ|ảnh:", re.I)
_BYLINE_CUE = re.compile(r"(ảnh|photo)\s*:|\((ttxvn|vna|tto|vov|vtv)[^)]*\)\s*$|^theo\s+\S|^nguồn\s*:|[-–]\s*ttxvn\s*$", re.I)


def _lines(text: str) -> list[Piece]:
    out, pos = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            a = pos + raw.index(stripped[0])
            out.append(Piece(stripped, a, a + len(stripped)))
        pos += len(raw) + 1
    return out


def _chrome(line: str) -> str | None:
    """Why a line is page furniture, or None."""
    if _COUNTER.match(line):
        return "counter"
    if len(line) < 300 and _FOOTER.search(line):
        return "footer"
    if _HEADING.match(line):
        return "heading"
    if _BREADCRUMB.match(line):
        return "breadcrumb"
    if len(line) < 300 and _DATED_LINK.search(line):
        return "related"
    if len(line) < 200 and _BULLET.match(line):
        return "menu"
    if _DATE_LINE.match(line):
        return "date"
    return None


def _paragraph_like(line: str) -> bool:
    return len(line) >= 250 or (len(line) >= 120 and bool(_SENT_END.search(line)))


def _name_like(line: str) -> bool:
    """A byline: a few capitalised words, maybe with "ảnh:", "(TTXVN)" or "Theo …"."""
    if len(line) > 90 or _SENT_END.search(line) and not line.endswith(")"):
        return False
    if _BYLINE_CUE.search(line):
        return True
    words = re.findall(r"[^\W\d_]+", line)
    return 1 <= len(words) <= 6 and all(w[0].isupper() for w in words)


def _article_span(lines: list[Piece], chrome: list[str | None]) -> tuple[int, int] | None:
    """(first, last) index of the densest run of paragraph-like lines (gaps of 3 allowed)."""
    best, cur = None, None
    for i, p in enumerate(lines):
        if chrome[i] is None and _paragraph_like(p.text):
            if cur and i - cur[1] <= 4 and all(chrome[j] is None for j in range(cur[1] + 1, i)):
                cur = [cur[0], i, cur[2] + len(p.text)]
            else:
                cur = [i, i, len(p.text)]
            if best is None or cur[2] > best[2]:
                best = list(cur)
    return (best[0], best[1]) if best else None


def _segment(source: str, lines: list[Piece], captions_known: set[str] = frozenset()) -> CleanPage:
    chrome = [_chrome(p.text) for p in lines]
    page = CleanPage(None, [], [], None, source=source)
    span = _article_span(lines, chrome)
    if span is None:
        page.dropped, page.reasons = list(lines), [c or "no-article" for c in chrome]
        return page
    first, last = span
    ends = [i for i in range(first, last + 1) if _END_MARK.search(lines[i].text)]
    if ends:  # "./." closes a Vietnamese article: what follows is captions and byline
        last = ends[-1]
    # title: nearest plain line before the article
    t = first - 1
    while t >= 0 and chrome[t] == "date":
        t -= 1
    if t >= 0 and chrome[t] is None and len(lines[t].text) <= 300 and not _paragraph_like(lines[t].text) \
            and not _SITE_TITLE.match(lines[t].text):
        page.title = lines[t]
    for i in range(first, last + 1):
        p = lines[i]
        if chrome[i] is not None and not _paragraph_like(p.text):
            page.dropped.append(p)
            page.reasons.append(chrome[i])
        elif p.text in captions_known or (len(p.text) < 300 and _PHOTO.search(p.text)):
            page.captions.append(p)
        else:
            page.paragraphs.append(p)
    # after the article: captions, then a byline, until the first piece of furniture
    tail, j = [], last + 1
    while j < len(lines) and chrome[j] is None and len(lines[j].text) < 400 and len(tail) < 8:
        tail.append(lines[j])
        j += 1
    if tail and _name_like(tail[-1].text):
        page.byline = tail.pop()
    for p in tail:
        # without the "./." mark a full sentence with no photo cue is still the article
        if ends or p.text in captions_known or _PHOTO.search(p.text) or not _SENT_END.search(p.text):
            page.captions.append(p)
        else:
            page.paragraphs.append(p)
    kept = {id(p) for p in page.paragraphs + page.captions + [page.title, page.byline] if p}
    dropped_ids, in_footer = {id(p) for p in page.dropped}, False
    for i, p in enumerate(lines):
        in_footer = in_footer or (i > last and chrome[i] == "footer")
        if id(p) not in kept and id(p) not in dropped_ids:
            page.dropped.append(p)
            page.reasons.append(chrome[i] or ("page-title" if i < first else "footer" if in_footer else "after-article"))
    order = sorted(range(len(page.dropped)), key=lambda k: page.dropped[k].start)
    page.dropped = [page.dropped[k] for k in order]
    page.reasons = [page.reasons[k] for k in order]
    return page


def looks_like_page(text: str) -> bool:
    """True when text carries portal furniture (menus, counters, footer), not a bare article."""
    lines = _lines(text)
    kinds = [_chrome(p.text) for p in lines]
    score = sum(k in ("counter", "footer", "heading", "breadcrumb") for k in kinds)
    run = best_run = 0
    for k in kinds:
        run = run + 1 if k in ("menu", "related") else 0
        best_run = max(best_run, run)
    return score >= 2 or best_run >= 3 or (score >= 1 and best_run >= 2)


def clean_page(page: str) -> CleanPage:
    """Article title, paragraphs, captions and byline of a page scraped as text."""
    lines = _lines(page)
    if not looks_like_page(page):  # a bare article comes out as it went in
        return CleanPage(None, lines, [], None, source=page)
    return _segment(page, lines)


def clean_html(html: str) -> CleanPage:
    """Main content of an HTML page via trafilatura, then the same caption/byline logic.

    trafilatura drops figure captions and author lines, so those are read from the HTML and
    appended as lines after its text. Offsets refer to `CleanPage.source`."""
    import trafilatura
    from lxml import html as lxml_html

    text = trafilatura.extract(_without_chrome(html), output_format="txt", include_comments=False,
                               include_tables=False, include_images=False, include_links=False,
                               favor_recall=True) or ""
    meta = trafilatura.extract_metadata(html)
    title = " ".join((meta.title or "").split()) if meta else ""
    try:
        tree = lxml_html.fromstring(html)
        captions = _texts(tree, "//figcaption | //*[contains(@class, 'caption') or contains(@class, 'image-desc')]")
        authors = _texts(tree, "//*[contains(@class, 'author') or contains(@class, 'byline')] | //*[@rel='author']")
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        captions, authors = [], []
    extra = [c for c in captions if c not in text] + [a for a in authors[:1] if a not in text]
    source = "\n".join(([title] if title and not text.startswith(title) else []) + [text] + extra)
    lines = _lines(source)
    page = CleanPage(None, [], [], None, source=source)
    body = lines
    if title and lines and lines[0].text == title:
        page.title, body = lines[0], lines[1:]
    for i, p in enumerate(body):
        reason = _chrome(p.text)
        if p.text in captions or (len(p.text) < 300 and _PHOTO.search(p.text)):
            page.captions.append(p)
        elif p.text in authors or (i == len(body) - 1 and i > 0 and _name_like(p.text)):
            page.byline = p
        elif reason is not None and not _paragraph_like(p.text):
            page.dropped.append(p)
            page.reasons.append(reason)
        else:
            page.paragraphs.append(p)
    return page


# Page furniture of an HTML page, removed before trafilatura sees the page. trafilatura drops
# most of it itself, but on a short article (under ~250 characters) it falls back to a dump of
# the whole body, menus included, and its other paths keep a header's logo text; removing the
# elements first makes every path see the article alone.
_CHROME_TAGS = {"nav", "aside", "menu"}
_CHROME_ROLES = {"navigation", "complementary", "search", "menu", "menubar"}
_PAGE_PART_TAGS = {"header", "footer"}  # the page's own; inside <article>/<main>: title, byline
_PAGE_PART_ROLES = {"banner", "contentinfo"}
# whole class or id names only ("no-sidebar" on a content column is not a sidebar)
_CHROME_NAMES = {"menu", "mainmenu", "main-menu", "topmenu", "top-menu", "nav", "navbar", "navigation",
                 "breadcrumb", "breadcrumbs", "sidebar", "related", "related-news", "tin-lien-quan",
                 "tinlienquan", "other-news", "counter", "visitor", "visitors", "thongke", "thong-ke"}
_PAGE_PART_NAMES = {"header", "footer", "site-header", "site-footer"}
_CONTENT = ".//article | .//main | .//*[@role='main' or @role='article']"
_PLAIN_TEXT = ".//text()[not(ancestor::a or ancestor::script or ancestor::style)]"


def _chrome_element(el) -> bool:
    tag = el.tag.lower()
    role = (el.get("role") or "").strip().lower()
    names = set((el.get("class") or "").lower().split()) | set((el.get("id") or "").lower().split())
    if tag in _CHROME_TAGS or role in _CHROME_ROLES or names & _CHROME_NAMES:
        return True
    if tag in _PAGE_PART_TAGS or role in _PAGE_PART_ROLES or names & _PAGE_PART_NAMES:
        return not any(a.tag in ("article", "main") or a.get("role") in ("main", "article")
                       for a in el.iterancestors())
    return False


def _plain_len(el) -> int:
    """Characters of text outside links, scripts and styles (whitespace runs count as one)."""
    return len(" ".join(" ".join(el.xpath(_PLAIN_TEXT)).split()))


def _without_chrome(html: str):
    """The page as a tree without its menus, page header and footer, sidebars, related links
    and counters; the string itself when there is nothing to remove or it does not parse.

    An element that holds the article (<article>, <main>) is kept, and so is one whose own
    text (outside links) is long and most of the page: an unclosed <nav> or <header> swallows
    the rest of the page, and removing it would lose the article."""
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
    except Exception:  # noqa: BLE001 - trafilatura parses it again and reports on its own
        return html
    if tree is None:
        return html
    found = [el for el in tree.iter() if isinstance(el.tag, str) and el.tag not in ("html", "body")
             and _chrome_element(el)]
    if not found:
        return html
    page_len, doomed = None, set()
    for el in found:
        if any(a in doomed for a in el.iterancestors()) or el.xpath(_CONTENT):
            continue
        own = _plain_len(el)
        if own > 200:
            page_len = _plain_len(tree) if page_len is None else page_len
            if 2 * own > page_len:
                continue
        doomed.add(el)
    if not doomed:
        return html
    for el in doomed:
        el.drop_tree()  # keeps the element's tail text, which belongs to its parent
    return tree


def _texts(tree, xpath: str) -> list[str]:
    out = []
    for e in tree.xpath(xpath):
        t = " ".join(e.text_content().split())
        if t and t not in out:
            out.append(t)
    return out
