"""Entities on the sample portal page: what the component finds vs what a reader expects.

    python bench/entities_portal.py [--no-model] [--vlsp dev]

Reads ../shared/data/portal/sample_page.txt, keeps the article body as the API does
(`vnnews_nlp.text.portal.clean_page`: paragraphs and photo captions; menu, counter, title,
byline, related links and footer dropped), runs the
entities stage and compares with EXPECTED below, written by reading the page. With
`--vlsp dev` it also scores the CRF alone and CRF + knowledge on VLSP 2018 dev (outermost
level, PER/LOC/ORG, exact spans) to show what the knowledge layer changes. Writes
docs/entities-portal.md.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout without installing

from vnnews_nlp.entities.component import article_date, find_entities  # noqa: E402
from vnnews_nlp.paths import shared_dir  # noqa: E402

OUT = REPO / "docs" / "entities-portal.md"

# (text, label, kind, entity_id, title, mentions in the body)
PER = "PER"
EXPECTED = [
    ("Nguyễn Xuân Phúc", PER, None, "per:nguyen-xuan-phuc", "Thủ tướng Chính phủ", 1),
    ("Nguyễn Xuân Phúc", PER, None, "per:nguyen-xuan-phuc", "Thủ tướng", 4),
    ("Sơn Minh Thắng", PER, None, "per:son-minh-thang",
     "Bí thư Đảng ủy Khối các cơ quan Trung ương", 1),
    ("Phan Xuân Dũng", PER, None, "per:phan-xuan-dung",
     "Chủ nhiệm Ủy ban Khoa học công nghệ và Môi trường của Quốc hội", 1),
    ("Phùng Xuân Nhạ", PER, None, "per:phung-xuan-nha", "Bộ trưởng Bộ GD&ĐT", 1),
    ("Trần Hồng Hà", PER, None, "per:tran-hong-ha", "Bộ trưởng Bộ Tài nguyên và Môi trường", 1),
    ("Nguyễn Hoàng Anh", PER, None, "per:nguyen-hoang-anh",
     "Chủ tịch Ủy ban Quản lý vốn Nhà nước tại doanh nghiệp", 1),
    ("Phan Văn Giang", PER, None, "per:phan-van-giang",
     "Ủy viên Thường vụ Quân ủy Trung ương, Tổng tham mưu trưởng Quân đội Nhân dân Việt Nam, "
     "Thứ trưởng Thường trực Bộ Quốc phòng", 1),
    ("Bùi Văn Nam", PER, None, "per:bui-van-nam", "Thứ trưởng Bộ Công an", 1),
    ("Hoàng Nam", PER, None, "per:hoang-nam", "Phó Chủ tịch UBND tỉnh", 2),
    ("Nguyễn Mạnh Hùng", PER, None, "per:nguyen-manh-hung",
     "Bộ trưởng Bộ Thông tin và Truyền thông", 1),
    ("Nguyễn Mạnh Hùng", PER, None, "per:nguyen-manh-hung", "Bộ trưởng", 4),
    ("Bộ Thông tin và Truyền thông", "ORG", "ministry", "org:bo-thong-tin-va-truyen-thong",
     None, 2),
    ("Bộ TT&TT", "ORG", "ministry", "org:bo-thong-tin-va-truyen-thong", None, 17),
    ("Bộ GD&ĐT", "ORG", "ministry", "org:bo-giao-duc-va-dao-tao", None, 1),
    ("Bộ Tài nguyên và Môi trường", "ORG", "ministry", "org:bo-tai-nguyen-va-moi-truong",
     None, 1),
    ("Bộ Quốc phòng", "ORG", "ministry", "org:bo-quoc-phong", None, 1),
    ("Bộ Công an", "ORG", "ministry", "org:bo-cong-an", None, 1),
    ("Chính phủ", "ORG", "government_body", "org:chinh-phu", None, 2),
    ("Ủy ban Khoa học công nghệ và Môi trường của Quốc hội", "ORG", "government_body",
     "org:uy-ban-khoa-hoc-cong-nghe-va-moi-truong", None, 1),
    ("Ủy ban Quản lý vốn Nhà nước tại doanh nghiệp", "ORG", "government_body",
     "org:uy-ban-quan-ly-von-nha-nuoc-tai-doanh-nghiep", None, 1),
    ("Trung ương Đảng", "ORG", "party_mass_org", "org:ban-chap-hanh-trung-uong-dang", None, 1),
    ("Đảng ủy Khối các cơ quan Trung ương", "ORG", "party_mass_org",
     "org:dang-uy-khoi-cac-co-quan-trung-uong", None, 1),
    ("Quân ủy Trung ương", "ORG", "party_mass_org", "org:quan-uy-trung-uong", None, 1),
    ("Quân đội Nhân dân Việt Nam", "ORG", "other", "org:quan-doi-nhan-dan-viet-nam", None, 1),
    ("UBND tỉnh", "ORG", "peoples_committee", "org:ubnd-tinh-quang-tri", None, 2),
    ("Vingroup", "ORG", "enterprise", "org:vingroup", None, 1),
    ("Viettel", "ORG", "enterprise", "org:viettel", None, 1),
    ("ASEAN", "ORG", "other", "org:asean", None, 1),
    ("WEF", "ORG", "other", "org:wef", None, 1),
    ("Liên minh phát triển Hệ sinh thái sản phẩm an toàn, an ninh mạng Việt Nam", "ORG", None,
     None, None, 1),
    ("Hà Nội", "LOC", "province", "loc:thanh-pho-ha-noi", None, 1),
    ("thành phố Hà Nội", "LOC", "province", "loc:thanh-pho-ha-noi", None, 1),
    ("Quảng Trị", "LOC", "province", "loc:tinh-quang-tri", None, 2),
    ("Việt Nam", "LOC", "country", "loc:viet-nam", None, 14),
]


def article_body(raw: str) -> str:
    """The article's paragraphs and captions, from the portal cleaner (`vnnews_nlp.text.portal`);
    without it, a simple rule for this page: after the visitor counter and the title line,
    up to the related-links list, minus the byline ("…, ảnh: …")."""
    try:
        from vnnews_nlp.text.portal import clean_page
    except ImportError:
        clean_page = None
    if clean_page is not None:
        page = clean_page(raw)  # the same body the API builds: paragraphs, then captions
        return "\n".join(p.text for p in list(page.paragraphs) + list(page.captions))
    lines = raw.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith("Tổng lượt truy cập")) + 2
    end = next(k for k in range(start, len(lines)) if lines[k].startswith("- "))
    body = [line for line in lines[start:end] if ", ảnh:" not in line]
    return "\n".join(body)


def score(found, text):
    got = Counter((text[f.start:f.end], f.label, f.kind, f.entity_id, f.title) for f in found)
    rows, hit, want = [], 0, 0
    for t, label, kind, eid, title, n in EXPECTED:
        k = got.pop((t, label, kind, eid, title), 0)
        rows.append((t, label, kind or "", eid or "", title or "", n, k))
        hit += min(n, k)
        want += n
    extra = [(k, n) for k, n in got.items()]
    return rows, hit, want, extra


def vlsp_compare(split: str) -> list[str]:
    """Exact-span micro P/R/F1 of the model alone and of the whole stage on a VLSP split."""
    import gzip
    import json

    from vnnews_nlp.entities.model import load_ner
    model = load_ner()
    types = {"PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG"}
    counts = {"model": Counter(), "stage": Counter()}
    path = shared_dir() / "data" / "vlsp2018_ner" / f"{split}.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            gold = {(e["start"], e["end"], types[e["type"]]) for e in d["entities"]
                    if e["depth"] == 0 and e["type"] in types}
            spans = model.predict(d["text"])
            preds = {"model": {x for x in spans if x[2] in types.values()},
                     "stage": {(x.start, x.end, x.label) for x in find_entities(
                         d["text"], None, spans) if x.label in types.values()}}
            for name, pred in preds.items():
                for x in pred:
                    counts[name]["tp" if x in gold else "fp", x[2]] += 1
                for x in gold - pred:
                    counts[name]["fn", x[2]] += 1
    rows = [f"## VLSP 2018 {split}: model alone vs whole entities stage", "",
            "Outermost level, exact spans. The stage adds linking, kinds and titles; where it",
            "differs in spans it follows the issue's wishes, not VLSP's annotation (e.g. it",
            "reports \"Chính phủ\", \"Quốc hội\" and a bare \"UBND tỉnh\" as ORG, which VLSP",
            "leaves untagged).", "", "| | label | P | R | F1 |", "|---|---|---|---|---|"]
    for name, c in counts.items():
        for label in ("PER", "LOC", "ORG", "all"):
            keys = ("PER", "LOC", "ORG") if label == "all" else (label,)
            tp, fp, fn = (sum(c[k, x] for x in keys) for k in ("tp", "fp", "fn"))
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            rows.append(f"| {name} | {label} | {p:.3f} | {r:.3f} | {f1:.3f} |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-model", action="store_true", help="knowledge and patterns only")
    ap.add_argument("--vlsp", choices=["dev"], help="also compare with the model on VLSP dev")
    args = ap.parse_args()
    page = shared_dir() / "data" / "portal" / "sample_page.txt"
    if not page.exists():
        sys.exit(f"{page} not found: this bench needs ../shared (see /work/shared/README.md)")
    text = article_body(page.read_text(encoding="utf-8"))
    spans = []
    model_note = "knowledge + title patterns only (--no-model)"
    t_model = 0.0
    if not args.no_model:
        from vnnews_nlp.entities.model import load_ner
        model = load_ner()
        model.predict(text)  # warm-up
        t0 = time.perf_counter()
        spans = model.predict(text)
        t_model = time.perf_counter() - t0
        model_note = f"CRF model `models/ner` ({model.meta.get('version', '?')}) + knowledge"
    find_entities(text, None, spans)  # loads the knowledge once
    reps = 5
    t0 = time.perf_counter()
    for _ in range(reps):
        found = find_entities(text, article_date(text), spans)
    t_kb = (time.perf_counter() - t0) / reps
    rows, hit, want, extra = score(found, text)
    speed = len(text) / (t_kb + t_model)
    lines = [
        "# Entities on the sample portal page",
        "",
        "Command: `python bench/entities_portal.py"
        f"{' --no-model' if args.no_model else ''}{' --vlsp ' + args.vlsp if args.vlsp else ''}`  ",
        f"Input: `../shared/data/portal/sample_page.txt`, article body only ({len(text)} chars,"
        f" paragraphs + captions). Components: {model_note}.",
        "",
        f"**{hit}/{want} expected mentions found with the right type, kind, link and title; "
        f"{len(extra)} distinct unexpected entities.** Speed of the entities stage on this "
        f"text: {speed:,.0f} chars/s (model {t_model * 1000:.1f} ms, knowledge/linking "
        f"{t_kb * 1000:.1f} ms).",
        "",
        "| text | label | kind | entity_id | title | expected | found |",
        "|---|---|---|---|---|---|---|",
    ]
    for t, label, kind, eid, title, n, k in rows:
        mark = "" if k == n else " ✗"
        lines.append(f"| {t} | {label} | {kind} | {eid} | {title} | {n} | {k}{mark} |")
    if extra:
        lines += ["", "Found but not expected (text, label, kind, entity_id, title) × count:", ""]
        lines += [f"- {k} × {n}" for k, n in sorted(extra, key=str)]
    if args.vlsp and not args.no_model:
        lines += [""] + vlsp_compare(args.vlsp)
    report = "\n".join(lines) + "\n"
    print(report)
    OUT.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
