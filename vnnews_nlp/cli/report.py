"""`vnnews analyze`: one article's record shown as rich tables for a person to read."""
from __future__ import annotations

import json
import sys
from decimal import Decimal

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from vnnews_nlp.cli.options import missing_inputs, not_found_message
from vnnews_nlp.pipeline import load
from vnnews_nlp.run.analyze import analyze_record
from vnnews_nlp.text.article import InputError, iter_articles
from vnnews_nlp.run.record import error_record


def analyze_file(path: str, as_json: bool = False, console: Console | None = None,
                 tones: str | None = None) -> int:
    """Print the first article of `path`; return the exit code (0 ok, 1 the article failed,
    2 `path` does not exist: a usage error, as in `vnnews suggest`)."""
    if missing_inputs([path]):
        sys.stderr.write(not_found_message(path) + "\n")
        return 2
    console = console or Console()
    item = next(iter(iter_articles([path])), None)
    if item is None:
        Console(stderr=True).print(f"[red]no article found in {escape(path)}[/red]")
        return 1
    if isinstance(item, InputError):
        rec = error_record(item.id, item.source, item.error, item.message)
    else:
        try:
            rec = analyze_record(item, load(tones=tones)) if tones else analyze_record(item)
        except ValueError as exc:
            rec = error_record(item["id"], path, "invalid_article", str(exc))
    if as_json:
        sys.stdout.write(json.dumps(rec, ensure_ascii=False, indent=2) + "\n")
        return 0 if "text" in rec else 1
    if "text" not in rec:
        Console(stderr=True).print(f"[red]{rec['message']}[/red]")
        return 1
    render(rec, console)
    return 0


def render(rec: dict, console: Console) -> None:
    text = rec["text"]
    console.rule(f"[bold]{escape(str(rec.get('title') or rec['id']))}")
    console.print(f"{len(text):,} characters, {len(rec['sentences'])} sentences, "
                  f"{len(rec['tokens'])} words" + (f" — {rec['byline']}" if rec.get("byline") else ""))
    if rec.get("suggestions"):
        _table(console, "Chuyên mục đề xuất (category suggestions)", ("menu", "probability", "reasons"),
               ([Text.assemble(s["label"], (f" ({s['code']})", "dim")), f"{s['probability']:.2f}",
                 ", ".join(r[0] for r in s.get("reasons", [])[:6])] for s in rec["suggestions"]))
    # one row per entity (linked id, else canonical name, else text), not per mention
    _table(console, "Thực thể (entities)", ("entity", "label", "kind", "mentions", "written as", "title"),
           ([r["entity"], r["label"], r["kind"], str(r["count"]), ", ".join(r["surfaces"]),
             ", ".join(r["titles"])] for r in entity_rows(rec.get("entities", []))))
    _table(console, "Số liệu (key figures)", ("text", "value", "kind", "subject"),
           ([f["text"], figure_value(f), f.get("kind"), f.get("subject")] for f in rec.get("figures", [])))
    _table(console, "Ngày tháng (dates)", ("text", "value"),
           ([d["text"], d["value"]] for d in rec.get("dates", [])))


def entity_rows(entities: list[dict]) -> list[dict]:
    """Mentions grouped by entity, in order of first mention: `entity` (canonical name, else
    the text), `label`, `kind`, `entity_id`, `count`, distinct `surfaces` and `titles`."""
    groups: dict[tuple, dict] = {}
    for e in entities:
        if e.get("entity_id"):
            key = ("id", e["entity_id"])
        elif e.get("canonical"):
            key = ("canonical", e.get("label"), e["canonical"])
        else:
            key = ("text", e.get("label"), e.get("kind"), e["text"])
        row = groups.setdefault(key, {"entity": e.get("canonical") or e["text"], "label": e.get("label"),
                                      "kind": e.get("kind"), "entity_id": e.get("entity_id"),
                                      "count": 0, "surfaces": [], "titles": []})
        row["count"] += 1
        if e["text"] not in row["surfaces"]:
            row["surfaces"].append(e["text"])
        if e.get("title") and e["title"] not in row["titles"]:
            row["titles"].append(e["title"])
    return list(groups.values())


# the qualifier words of the figures stage (`approx`) as signs; any other reads as "≈"
APPROX_SIGNS = {"hơn": ">", "trên": ">", "ít nhất": "≥", "tối thiểu": "≥", "trở lên": "≥",
                "trở đi": "≥", "dưới": "<", "chưa đến": "<", "chưa tới": "<", "tối đa": "≤",
                "trở xuống": "≤"}
CHANGE_SIGNS = {"increase": "+", "decrease": "\u2212"}
_GROUP = "\u00a0"  # thousands separator: a no-break space, so a table never wraps a number


def _number(value) -> str:
    d = Decimal(str(value))
    sign = "\u2212" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    whole = f"{int(whole):,}".replace(",", _GROUP)
    return sign + whole + (f".{frac}" if frac else "")


def figure_value(fig: dict) -> str:
    """A figure's value as a person reads it: qualifier, change, range and unit included.

    `≈ 470 000 000 000 000 VND` (gần 470.000 tỷ đồng), `4 000 000–6 000 000 VND` (4-6 triệu
    đồng), `+16.1 %` (tăng 16,1%).
    """
    if fig.get("value") is None:
        return ""
    rng = fig.get("range")
    number = "–".join(_number(v) for v in rng) if rng else _number(fig["value"])
    text = CHANGE_SIGNS.get(fig.get("change") or "", "") + number
    if fig.get("approx"):
        text = APPROX_SIGNS.get(fig["approx"], "≈") + " " + text
    return f"{text} {fig['unit']}" if fig.get("unit") else text


def _table(console: Console, title: str, columns, rows) -> None:
    # cells are plain text (a "[word]" in an article is not rich markup), or rich Text
    rows = [[cell if isinstance(cell, Text) else Text(str(cell or "")) for cell in row] for row in rows]
    if not rows:
        return
    t = Table(title=title)
    for col in columns:
        t.add_column(col)
    for row in rows:
        t.add_row(*row)
    console.print(t)
