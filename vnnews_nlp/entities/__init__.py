"""The `vnnews_entities` component: CRF tagger, curated knowledge, linking."""
