"""Tokens that must stay whole and sentences that must not split (issue 16). Every text here
was written for these tests."""
import time

import pytest

from vnnews_nlp.pipeline import build
from vnnews_nlp.segment.atoms import scan
from vnnews_nlp.segment.tokenizer import sentence_starts

pytestmark = pytest.mark.issue(16)


def pieces(text):
    return [text[s:e] for s, e in scan(text).spans]


@pytest.mark.parametrize("unit", [
    "baodautu.vn", "google.com", "vnexpress.net/tin-tuc/a-1", "thu.ha@mail.com.vn", "F-16", "Su-34",
    "49X-6666", "MiG-21", "H'Mông", "M’Nông", "v.v...", "v.v", "30/3", "25/4",
])
def test_units_stay_whole(unit):
    assert pieces(f"Theo {unit} hôm nay") == ["Theo", unit, "hôm", "nay"]


def test_domain_does_not_swallow_final_punctuation_or_names():
    assert pieces("Đọc tại baodautu.vn.") == ["Đọc", "tại", "baodautu.vn", "."]
    assert pieces("Ông Hà.Nam") == ["Ông", "Hà", ".", "Nam"]  # no known top-level domain


def test_day_month_date_is_one_token_in_the_pipeline():
    nlp = build(components=())
    doc = nlp("Ngày 25/4 và đêm 18/4, đoàn đến nơi. Hôm 4/5 trời mưa.")
    assert {"25/4", "18/4", "4/5"} <= {t.text for t in doc}


def sentences(text):
    spans = scan(text).spans
    return [text[s:e] for (s, e), st in zip(spans, sentence_starts(text, spans)) if st]


@pytest.mark.parametrize("text", [
    "Hội nghị diễn ra tại TP. Hồ Chí Minh vào sáng nay.",
    "Báo cáo của ThS. Nguyễn Văn An được khen.",
    "Ý kiến của PGS.TS. Trần Thị Bình rất rõ.",
    "Bài giảng của Dr. Smith kéo dài hai giờ.",
    "Đoàn về tại TP. HCM hôm qua.",
])
def test_no_sentence_break_after_an_abbreviation(text):
    assert len(sentences(text)) == 1


def test_sentence_break_after_etc_and_ordinary_words():
    assert sentences("Có rau, quả v.v... Hôm sau trời nắng.") == ["Có", "Hôm"]
    assert sentences("Xe đi Huế. Ông về nhà.") == ["Xe", "Ông"]


def test_entity_inside_one_sentence():
    nlp = build(components=("vnnews_entities",))
    doc = nlp("Đoàn công tác làm việc tại TP. HCM hôm qua.")
    for ent in doc.ents:
        assert ent.sent == doc[ent.start].sent and ent.end <= ent.sent.end


@pytest.mark.parametrize("unit", ["a.", "a-", "v.v", "F-1", "a@", "1/", "H'"])
def test_scan_stays_linear_on_adversarial_runs(unit):
    # time for 4n characters against n, in the same run: linear is ~4x, quadratic ~16x
    def cost(n):
        text = unit * n
        t0 = time.perf_counter()
        scan(text)
        return time.perf_counter() - t0

    cost(500)
    small, large = min(cost(2_000) for _ in range(3)), min(cost(8_000) for _ in range(3))
    assert large < 9 * small + 0.01
