"""Atoms (the one scan of an article), the spaCy tokenizer and the word segmenter."""
