"""Reading pages of threads and writing them as HTML: one query per page, the thread cache, a
comment's markup, schema.org items, avatars."""
