"""Issue 12: training code stays out of the runtime.

Tagging an article runs the category model (numpy only); scikit-learn, the category trainer
and the research training code in `training/` are for `vnnews train`/`eval` and rebuilding
models. Checked in a fresh interpreter, so imports made by other tests cannot leak in.
"""
import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import vnnews_nlp

pytestmark = pytest.mark.issue(12)

TRAINING_ONLY = ("sklearn", "vnnews_nlp.categories.train", "training")

# Written for this test.
ARTICLE = ("Sáng 28/12/2019, Sở Tài chính tỉnh Quảng Trị công khai dự toán ngân sách năm 2020, "
           "tổng chi 470.000 triệu đồng, tăng 5% so với năm trước.")


def test_tagging_an_article_imports_no_training_code():
    code = ("import json, sys, vnnews_nlp\n"
            f"rec = vnnews_nlp.analyze_record({ARTICLE!r})\n"
            f"print(json.dumps({{'loaded': [m for m in {TRAINING_ONLY!r} if m in sys.modules],"
            " 'categories': len(rec['categories'])}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["categories"] > 0  # the category model did run
    assert result["loaded"] == []


def test_the_package_never_imports_the_training_folder():
    package = Path(vnnews_nlp.__file__).resolve().parent
    offenders = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [])
            offenders += [f"{path.relative_to(package)}:{node.lineno} {n}" for n in names
                          if n.split(".")[0] == "training"]
    assert offenders == []
