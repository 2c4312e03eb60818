"""atheris: portal cleaning of scraped text and of HTML never raises; every piece's offsets lie
inside the source it refers to."""
from _common import atheris, run, text

with atheris.instrument_imports(include=["vnnews_nlp"]):
    from vnnews_nlp.text import portal

TAGS = ["<div>", "</div>", "<p>", "</p>", "<figcaption>", "<span class='author'>", "<script>",
        "<!--", "<html>", "<title>", "</title>", "<", ">", "&", "<a href='x'>", "\n- Trang chủ\n",
        "Đang truy cập: 5\n", "Bản quyền thuộc UBND\n", "Ảnh: Minh An\n"]


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    parts = []
    while fdp.remaining_bytes():
        parts.append(TAGS[fdp.ConsumeIntInRange(0, len(TAGS) - 1)] if fdp.ConsumeBool() else text(fdp, 80))
    s = "".join(parts)
    for page in (portal.clean_page(s), portal.clean_html(s) if s.strip() else None):
        if page is None:
            continue
        pieces = page.paragraphs + page.captions + page.dropped + [p for p in (page.title, page.byline) if p]
        for p in pieces:
            assert 0 <= p.start <= p.end <= len(page.source), repr(s)


if __name__ == "__main__":
    run(test_one_input)
