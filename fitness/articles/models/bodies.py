"""A Markdown body kept rendered (articles and pages share it)."""

import re
from html import unescape

from django.utils.html import strip_tags
from django.utils.text import Truncator

from fitness.articles.markdown import render
from fitness.articles.models.images import Image

PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.IGNORECASE | re.DOTALL)


def summarize(html, words=40):
    """The first `words` words of the body's paragraphs, as plain text. Only paragraphs: a
    whole body flattened ran headings, list items and table cells into one sentence ("...in one
    move. How to swing Stand with feet..."). A body with no paragraph gives its first words."""
    texts = []
    for paragraph in PARAGRAPH.findall(html):
        text = " ".join(unescape(strip_tags(paragraph)).split())
        if text:
            texts.append(text)
        if sum(len(t.split()) for t in texts) > words:
            break
    if not texts:
        texts = [" ".join(unescape(strip_tags(html.replace("<", " <"))).split())]
    return Truncator(" ".join(texts)).words(words)


class RenderedBody:
    """A model with a Markdown `body` kept rendered in `body_html` and `body_summary` (articles
    and pages): rendered once at save, not on every request (as djangoproject.com's blog does);
    stripping the tags of a long body for its summary takes about 0.4 ms. Put it before
    models.Model among the bases, so that its save() runs first."""

    def save(self, *args, **kwargs):
        kwargs = self._render_body_fields(kwargs)
        super().save(*args, **kwargs)

    def render_body(self):
        """The body as readers see it (and what they will not see), for the page and the
        admin's preview alike."""
        return render(self.body, library=Image.objects.in_bulk)

    def render_again(self, *, save=True) -> bool:
        """Render the stored body with today's renderer (a body keeps the HTML it was saved
        with until it is saved again). True when what readers see would change; then, with
        `save`, it is written and `updated_at` moves (the page's ETag with it)."""
        html = self.render_body().html
        if html == self.body_html and summarize(html) == self.body_summary:
            return False
        if save:
            self.save(update_fields=["body", "updated_at"])
        return True

    def _render_body_fields(self, save_kwargs):
        rendered = self.render_body()
        self.body_html = rendered.html
        # What the reader will not see as written; the admin shows it after the save.
        self.body_problems = rendered.problems
        self.body_summary = summarize(self.body_html)
        fields = save_kwargs.get("update_fields")
        if fields is not None and "body" in fields:
            save_kwargs = {**save_kwargs, "update_fields": {*fields, "body_html", "body_summary"}}
        return save_kwargs
