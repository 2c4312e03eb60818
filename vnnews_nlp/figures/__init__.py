"""The `vnnews_figures` component: key figures and dates."""
