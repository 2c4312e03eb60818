"""Editors' menu choices (categories/feedback.py): stored, exported, read by `vnnews train`."""
import json
import sqlite3

import pytest

from vnnews_nlp.categories.feedback import EDITOR_WEIGHT, FeedbackStore, text_hash
from vnnews_nlp.categories.train import read_corpus

pytestmark = pytest.mark.issue(15)


def test_a_choice_is_stored_with_what_was_shown(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite")
    row = store.record("a1", "Bài viết về thuế.", "kinh-te", ["tin-tuc", "kinh-te"], "m@abc", ["tin-tuc", "kinh-te"])
    assert row["accepted"] is False
    (got,) = store.choices()
    assert (got["article_id"], got["chosen"], got["model_version"]) == ("a1", "kinh-te", "m@abc")
    assert got["text_hash"] == text_hash("Bài viết về thuế.") and json.loads(got["suggested"]) == ["tin-tuc", "kinh-te"]
    assert store.record("a1", "Bài viết về thuế.", "tin-tuc", ["tin-tuc"])["accepted"] is True


@pytest.mark.parametrize("text,chosen,error", [("", "tin-tuc", "empty"), ("Bài.", "khong-co", "unknown menu")])
def test_bad_choices_are_refused(tmp_path, text, chosen, error):
    with pytest.raises(ValueError, match=error):
        FeedbackStore(tmp_path / "f.sqlite").record("a", text, chosen, [], codes=["tin-tuc"])


def test_export_keeps_the_latest_choice_per_article_and_train_reads_it(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite")
    store.record("a1", "Bài một.", "tin-tuc", ["tin-tuc"])
    store.record("a1", "Bài một.", "kinh-te", ["tin-tuc"])  # changed their mind
    store.record("a2", "Bài hai.", "tin-tuc", ["kinh-te"])
    out = tmp_path / "editors.jsonl"
    assert store.export(out) == 2
    recs = {r["text"]: r for r in read_corpus([out])}
    assert recs["Bài một."]["labels"] == ["kinh-te"] and recs["Bài một."]["weight"] == EDITOR_WEIGHT


def test_the_file_is_plain_sqlite(tmp_path):
    FeedbackStore(tmp_path / "f.sqlite").record("a", "Bài.", "x", [])
    with sqlite3.connect(tmp_path / "f.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM choices").fetchone() == (1,)
