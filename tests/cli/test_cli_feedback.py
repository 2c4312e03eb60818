"""`vnnews feedback export` (issue 15)."""
import json

import pytest
from typer.testing import CliRunner

from vnnews_nlp.categories.feedback import FeedbackStore
from vnnews_nlp.cli.main import app

pytestmark = pytest.mark.issue(15)


def test_export_writes_training_jsonl(tmp_path):
    db = tmp_path / "f.sqlite"
    FeedbackStore(db).record("a1", "Bài viết một.", "tin-tuc", ["kinh-te", "tin-tuc"])
    out = tmp_path / "editors.jsonl"
    res = CliRunner().invoke(app, ["feedback", "export", str(db), "-o", str(out)])
    assert res.exit_code == 0, res.output
    (rec,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rec["labels"] == ["tin-tuc"] and rec["source"] == "editor"
    assert "1 editor choices" in res.stderr


def test_missing_database_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(app, ["feedback", "export", str(tmp_path / "none.sqlite"), "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 2 and "no feedback database" in res.stderr


def test_output_is_required(tmp_path):
    db = tmp_path / "f.sqlite"
    FeedbackStore(db)
    res = CliRunner().invoke(app, ["feedback", "export", str(db)])
    assert res.exit_code == 2 and "-o/--output" in res.stderr
