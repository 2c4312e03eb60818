"""The records of the bundled samples (and of the sample portal page, by hash) stay identical
through refactors; regenerate with `python tests/fixtures/golden_make.py` only for an intended
output change."""
from pathlib import Path

import pytest

import golden_make

GOLDEN = Path(golden_make.__file__).parent / "golden"

pytestmark = pytest.mark.issue(12)


def test_sample_records_unchanged():
    want = (GOLDEN / "samples.jsonl").read_text(encoding="utf-8").splitlines()
    got = golden_make.sample_records()
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g == w


@pytest.mark.skipif(not golden_make.PAGE.exists(), reason="needs ../shared/data/portal/sample_page.txt")
def test_sample_page_record_unchanged():
    assert golden_make.page_hash() == (GOLDEN / "sample_page.sha256").read_text().strip()
