"""
What the articles app tells other apps, so that it never imports them.

`demo_articles_loaded`: `manage.py load_demo` has made (or kept) the demo articles, inside its
transaction. A receiver adds its own demo content and returns the lines to print.
"""

from django.dispatch import Signal

demo_articles_loaded = Signal()
