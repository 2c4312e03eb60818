"""Training code, outside the installed package and never imported by it.

`python -m training.wordseg` and `python -m training.ner` rebuild models/wordseg and
models/ner from ../shared (read by path). The category models are trained by
`vnnews_nlp.categories.train`, behind `vnnews train` and `python bench/categories.py`.
Needs the `train` extra: `pip install -e ".[train]"`.
"""
