"""The articles app (app label "fitness"): articles, pages, categories, tags, images; their admin,
editor, pages, feeds, search and SEO."""
