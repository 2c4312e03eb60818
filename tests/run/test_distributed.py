import json

import pytest

from vnnews_nlp.run.batch import run_tag
from vnnews_nlp.run.distributed import Slice, plan_slices, tag_slice

dask_distributed = pytest.importorskip("dask.distributed", reason="install the dask extra: pip install -e '.[dask]'")


def _write(path, n):
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            if i == 3:
                fh.write("{not json\n")
            else:
                fh.write(json.dumps({"id": f"d{i}", "text": f"Bài {i}: Sở TT&TT tỉnh Quảng Trị họp ngày 28/12/2019."},
                                    ensure_ascii=False) + "\n")


def test_plan_slices_cover_every_line(tmp_path):
    src = tmp_path / "a.jsonl"
    _write(src, 23)
    (tmp_path / "b.txt").write_text("Một bài.", encoding="utf-8")
    slices = list(plan_slices([str(tmp_path)], lines_per_slice=10))
    assert slices == [Slice(str(src), 0, 10), Slice(str(src), 10, 20), Slice(str(src), 20, 30), Slice(str(tmp_path / "b.txt"))]


def test_slice_keeps_line_numbers_for_default_ids(tmp_path):
    src = tmp_path / "a.jsonl"
    _write(src, 6)
    recs = tag_slice(Slice(str(src), 2, 5), components=())
    assert [r["id"] for r in recs] == ["d2", "a.jsonl:4", "d4"]
    assert recs[1]["error"] == "invalid_json"


def test_dask_local_cluster_matches_single_machine(tmp_path):
    from vnnews_nlp.run.distributed import tag_with_dask

    src = tmp_path / "in.jsonl"
    _write(src, 30)
    local = tmp_path / "local.jsonl"
    run_tag([str(src)], str(local), progress=False, components=())
    cluster = dask_distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        out = tmp_path / "dask.jsonl"
        written, failed = tag_with_dask([str(src)], str(out), scheduler=cluster.scheduler_address,
                                        components=(), lines_per_slice=7, progress=False)
    finally:
        cluster.close()
    assert (written, failed) == (29, 1)
    assert out.read_text(encoding="utf-8") == local.read_text(encoding="utf-8")
