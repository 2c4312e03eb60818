"""Shared set-up for the atheris harnesses: repo on sys.path, instrumentation of our code only.

Run a harness as `python fuzz/fuzz_normalize.py -atheris_runs=20000` (libFuzzer flags work:
`-max_len=4096`, `-runs=`, a corpus folder as argument). A crash prints the input and writes
`crash-<sha1>`; replay it with `python fuzz/fuzz_normalize.py crash-<sha1>`, then add it as an
`@example` and a regression test in tests/test_issue7_fuzz.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import atheris  # noqa: E402

# Fragments near the edges of the parsers; the fuzzer splices them with raw input.
FRAGMENTS = [
    "Hà Nội", "TP.HCM", "Chủ tịch UBND tỉnh", "Bộ Y tế", "Nguyễn Văn An", "1.234,5", "18%",
    "tỷ đồng", "ngày 28/12/2019", "quý IV", "9h30", "&amp;", "&#7897;", "Ã¡", "\xb5\xb8",
    "a\u0301", "\r\n", "\u200b", "<div>", "http://a.vn/x", "a@b.vn", "…", "\n", " ", "(", "“",
    ".000.000.000", "000", " tỷ", " nghìn", ",5", " USD", "12", "/",
]


def text(fdp: "atheris.FuzzedDataProvider", limit: int = 2000) -> str:
    """A str from the fuzzer's bytes: raw code points mixed with known fragments."""
    parts = []
    while fdp.remaining_bytes() and sum(map(len, parts)) < limit:
        if fdp.ConsumeBool():
            parts.append(FRAGMENTS[fdp.ConsumeIntInRange(0, len(FRAGMENTS) - 1)])
        else:
            parts.append(fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 16)))
    return "".join(parts)


def run(test_one_input) -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
