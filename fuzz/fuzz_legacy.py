"""atheris: byte decoding (UTF-8 / UTF-16 / cp1258 / TCVN3 / VNI guessing) never raises and keeps
valid UTF-8 exactly; legacy conversion edits rebuild the converted line."""
from _common import atheris, run, text

with atheris.instrument_imports(include=["vnnews_nlp"]):
    from vnnews_nlp.text import legacy
    from vnnews_nlp.text.normalize import decode_bytes


def test_one_input(data: bytes) -> None:
    out = decode_bytes(data)
    try:
        exact = data.decode("utf-8")
    except UnicodeDecodeError:
        exact = None
    assert exact is None or out == exact.removeprefix("\ufeff"), repr(data)
    fdp = atheris.FuzzedDataProvider(data)
    enc = ("tcvn3", "vni", "cp1258")[fdp.ConsumeIntInRange(0, 2)]
    line = text(fdp, 500)
    new = legacy.convert(enc, line)
    assert legacy.apply_edits(line, legacy.convert_edits(enc, line, new)) == new, (enc, repr(line))
    legacy.decode_legacy_bytes(data, enc)


if __name__ == "__main__":
    run(test_one_input)
