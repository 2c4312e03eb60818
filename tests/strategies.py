"""Hypothesis strategies shared by the NER tests: short Vietnamese-looking text with the
punctuation, quotes, brackets and line breaks that change how names are tagged."""
from hypothesis import strategies as st

NEWS_CHARS = list("aăâbcdđeêhiklmnoôơpqrstuưvxyÁÀẢÃẠàảãạ ĐHNQTV.,;:!?()[]'\"“”«»0123456789\n")


def news_text(max_size: int):
    return st.text(alphabet=st.sampled_from(NEWS_CHARS), min_size=1, max_size=max_size)
