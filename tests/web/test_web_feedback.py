"""`POST /v1/feedback` and `GET /v1/menus`: editors' choices reach the SQLite file (issue 15)."""
import pytest

pytest.importorskip("fastapi", reason="the web service needs the `serve` extra (fastapi)")
from fastapi.testclient import TestClient  # noqa: E402

from vnnews_nlp.categories.feedback import FeedbackStore  # noqa: E402
from vnnews_nlp.web.app import create_app  # noqa: E402

pytestmark = pytest.mark.issue(15)
TEXT = ("Sáng nay, Sở Tài chính tỉnh Quảng Trị tổ chức hội nghị tổng kết công tác thu ngân sách năm "
        "qua; tổng thu đạt 3.200 tỷ đồng, tăng 12% so với năm trước.")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return tmp_path_factory.mktemp("fb") / "feedback.sqlite"


@pytest.fixture(scope="module")
def fclient(nlp, db):
    with TestClient(create_app(nlp, feedback_db=db)) as c:
        yield c


def test_menus_are_the_taxonomy(fclient, nlp):
    menus = fclient.get("/v1/menus").json()
    assert [m["code"] for m in menus] == nlp.get_pipe("vnnews_categories").taxonomy.codes
    assert all(m["label"] for m in menus)


def test_a_correction_is_stored_with_the_model_version(fclient, db):
    rec = fclient.post("/v1/suggest", json={"id": "qt-1", "text": TEXT}).json()
    shown = [s["code"] for s in rec["suggestions"]]
    other = next(m["code"] for m in fclient.get("/v1/menus").json() if m["code"] not in shown)
    got = fclient.post("/v1/feedback", json={"id": "qt-1", "text": TEXT, "chosen": other, "suggested": shown})
    assert got.status_code == 200, got.text
    assert got.json()["accepted"] is False and "@" in got.json()["model_version"]
    row = FeedbackStore(db).choices()[-1]
    assert (row["article_id"], row["chosen"], row["text"]) == ("qt-1", other, TEXT)
    ok = fclient.post("/v1/feedback", json={"id": "qt-1", "text": TEXT, "chosen": shown[0], "suggested": shown})
    assert ok.json()["accepted"] is True


@pytest.mark.parametrize("body,status", [
    ({"text": TEXT, "chosen": "khong-co-menu"}, 422), ({"text": "  ", "chosen": "tin-tuc"}, 422),
    ({"chosen": "tin-tuc"}, 422),
])
def test_bad_choices_get_a_clear_error(fclient, body, status):
    resp = fclient.post("/v1/feedback", json=body)
    assert resp.status_code == status and resp.json()["message"], resp.text
