"""
What the articles app tells other apps, so that it never imports them.

`demo_articles_loaded`: `manage.py load_demo` has made the demo articles, inside its
transaction. A receiver adds its own demo content (recording each row with
`fitness.articles.demo.records.record`) and returns the lines to print.

`demo_removing`: `manage.py remove_demo` (or an import that removes the demo first) is about to
delete the demo `articles`, inside its transaction. A receiver deletes its own demo rows, keeping
what a person wrote or changed, and returns {"lines": [...], "keep": {article_pk: reason}}: an
article a person's row still needs is kept.
"""

from django.dispatch import Signal

demo_articles_loaded = Signal()
demo_removing = Signal()
