"""atheris: reading any bytes as .txt, .html or .jsonl gives articles or error items, never an
exception; every article is writable as UTF-8 JSON."""
import json

from _common import atheris, run

with atheris.instrument_imports(include=["vnnews_nlp"]):
    from vnnews_nlp.text.article import InputError, _read_stream


def test_one_input(data: bytes) -> None:
    for kind in ("text", "html", "jsonl", None):
        for item in _read_stream(data, "fuzz", "fuzz", kind):
            if isinstance(item, InputError):
                assert item.message
            else:
                json.dumps(item, ensure_ascii=False).encode("utf-8")


if __name__ == "__main__":
    run(test_one_input)
