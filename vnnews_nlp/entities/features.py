"""What the NER features are made of: labels, sentence and quote marks, atom shapes.

Shared by the string featurizer (`model.Featurizer`, also used in training) and the id
featurizer (`ids.IdFeaturizer`, inference), so that neither imports the other.
"""
from __future__ import annotations

SENT_END = frozenset(".!?…:;")
OPEN_QUOTE = frozenset("\"“«‘'")
CLOSE_QUOTE = frozenset("\"”»’'")
LABELS = ("PER", "LOC", "ORG", "MISC")


def shape(w: str) -> str:
    if w.isdigit():
        return "D"
    if not w[0].isalnum():
        return "P"
    if w.isupper():
        return "U" if len(w) > 1 else "T"
    if w.islower():
        return "L"
    if w[0].isupper() and w[1:].islower():
        return "T"
    return "A" if any(c.isdigit() for c in w) else "M"
