"""The article body with its entities highlighted by type (spaCy's displaCy, served inline)."""
from __future__ import annotations

from spacy import displacy

# Vietnamese labels for editors; colours stay readable on white and in print.
LABELS = {"PER": "NGƯỜI", "ORG": "TỔ CHỨC", "LOC": "ĐỊA DANH", "MISC": "KHÁC"}
COLORS = {"NGƯỜI": "#ffd59e", "TỔ CHỨC": "#b9dcff", "ĐỊA DANH": "#c7f0c1", "KHÁC": "#e6d4f7"}


def entities_html(record: dict) -> str:
    """displaCy "ent" markup of `record["text"]`; displaCy escapes the text itself."""
    ents, last = [], 0
    for e in sorted(record["entities"], key=lambda e: (e["start"], -e["end"])):
        if e["start"] < last:  # displaCy cannot draw overlapping spans; keep the first
            continue
        ents.append({"start": e["start"], "end": e["end"], "label": LABELS.get(e["label"], e["label"])})
        last = e["end"]
    data = {"text": record["text"], "ents": ents, "title": None}
    return displacy.render(data, style="ent", manual=True, page=False, jupyter=False,
                           options={"colors": COLORS})
