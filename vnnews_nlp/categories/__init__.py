"""The `vnnews_categories` component: menu classifier (inference) and taxonomy."""
