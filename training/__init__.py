"""Training code (outside the installed package): `python -m training.wordseg`, `python -m training.ner`, `python -m training.categories`. Reads ../shared by path."""
