"""Text in: reading articles, portal/HTML cleaning, normalization, legacy codecs, numbers, dates."""
