import pytest

from vnnews_nlp.run.analyze import analyze, analyze_record, make_doc, prepare
from vnnews_nlp.text.article import ArticleError
from vnnews_nlp.pipeline import load

PAGE = """Trang chủ - Cổng thông tin
- Trang chủ
- Tin tức
- Liên hệ
Đang truy cập: 5
Tổng lượt truy cập: 10.234
Tỉnh tổ chức hội nghị chuyển đổi số
Sáng nay, UBND tỉnh tổ chức hội nghị về chuyển đổi số với sự tham dự của đại diện các sở, ngành và địa phương trong tỉnh.
Hội nghị thống nhất mục tiêu đưa 80% hồ sơ hành chính lên môi trường mạng trong năm tới, đồng thời tăng cường bảo đảm an toàn thông tin.
Minh An
- Tin cũ hơn về hội nghị tập huấn (01/02/2020)
- Thông báo lịch tiếp công dân (02/02/2020)
Địa chỉ: 12 Lê Lợi, thành phố Đông Hà
Điện thoại: (0233) 3123456
"""


@pytest.fixture(scope="module")
def nlp_seg_only():
    return load(components=())


@pytest.mark.issue(13)
def test_plain_text_first_line_becomes_title_and_stays_in_the_text(nlp_seg_only):
    # names in a headline are the article's own entities
    doc = make_doc(nlp_seg_only, {"id": "a", "text": "Tựa đề bài viết\nNội dung bài viết ở đây."})
    assert doc._.article.title == "Tựa đề bài viết"
    assert doc.text == "Tựa đề bài viết\nNội dung bài viết ở đây."
    assert doc._.offsets.to_original(len("Tựa đề bài viết\n")) == len("Tựa đề bài viết\n")


def test_page_boilerplate_is_dropped_and_offsets_point_into_the_page(nlp_seg_only):
    doc = make_doc(nlp_seg_only, {"id": "p", "text": PAGE})
    assert doc._.article.title == "Tỉnh tổ chức hội nghị chuyển đổi số"
    assert doc.text.startswith("Tỉnh tổ chức hội nghị chuyển đổi số\nSáng nay, UBND tỉnh")  # headline kept
    for junk in ("Trang chủ", "Đang truy cập", "Điện thoại", "Tin cũ hơn"):
        assert junk not in doc.text
    i = doc.text.index("80%")
    j = doc._.offsets.to_original(i)
    assert doc._.original[j:j + 3] == "80%"


def test_normalized_text_maps_back_to_original(nlp_seg_only):
    raw = "Bo\u0323\u0302 TT&amp;TT ho\u0323p ta\u0323i Ha\u0300 N\u00f4\u0323i.\u200b"
    doc = make_doc(nlp_seg_only, raw)
    assert doc.text == "Bộ TT&TT họp tại Hà Nội."
    s = doc.text.index("Hà Nội")
    a, b = doc._.offsets.span_to_original(s, s + len("Hà Nội"))
    assert raw[a:b] == "Ha\u0300 N\u00f4\u0323i"


def test_empty_page_is_a_clear_error(nlp_seg_only):
    with pytest.raises(ArticleError):
        make_doc(nlp_seg_only, {"id": "x", "html": "<html><body><script>var a = 1;</script><div> </div></body></html>"})


def test_record_has_every_stage_key(nlp_seg_only):
    rec = analyze_record({"id": "r1", "title": "Tựa", "text": "Hội nghị tại Hà Nội. Tăng 5%."}, nlp_seg_only)
    for key in ("schema", "id", "title", "text", "sentences", "tokens", "entities", "figures", "dates", "categories", "suggestions"):
        assert key in rec
    assert rec["schema"] == "vnnews-record/2"
    assert [rec["text"][s["start"]:s["end"]] for s in rec["sentences"]] == ["Hội nghị tại Hà Nội.", "Tăng 5%."]
    assert all(rec["text"][t["start"]:t["end"]].strip() for t in rec["tokens"])


def test_full_pipeline_on_own_article():
    doc = analyze({"id": "full", "text": "Ngày 28/12/2019, Bộ trưởng Bộ TT&TT Nguyễn Mạnh Hùng làm việc tại tỉnh Quảng Trị. "
                                         "Doanh thu đạt gần 470.000 tỷ đồng."})
    rec = analyze_record({"id": "full", "text": doc._.original})
    per = [e for e in rec["entities"] if e["label"] == "PER"]
    assert per and per[0]["text"] == "Nguyễn Mạnh Hùng" and "Bộ trưởng" in per[0]["title"]
    money = [f for f in rec["figures"] if f["unit"] == "VND"]
    assert money and money[0]["value"] == 470_000_000_000_000 and money[0]["approx"] == "gần"
    assert rec["dates"][0]["value"] == "2019-12-28"
    assert {"tin-tuc", "qlnn", "cchc"} <= set(rec["categories"])
    probs = [s["probability"] for s in rec["suggestions"]]
    assert probs and probs == sorted(probs, reverse=True)


def test_issue7_list_shaped_article_is_kept_not_dropped_as_chrome(nlp_seg_only):
    # Written for the project: an announcement made of bullet lists and contact lines,
    # shaped like portal chrome, with a real sentence in it.
    text = ("Trường Cao đẳng Sông Hồng tuyển sinh\n"
            "Ngày 5/4, trường sẽ tư vấn tuyển sinh cho học sinh có nhu cầu học nghề tại hội trường của Sở Lao động tỉnh\n"
            "- Điện tử\n- Cơ khí\n- Kế toán\n"
            "Liên hệ: phòng đào tạo, ĐT: (0211) 3860 123, E-mail: tuyensinh@example.vn\n")
    doc = make_doc(nlp_seg_only, {"id": "ad", "text": text})
    assert "tư vấn tuyển sinh" in doc.text
