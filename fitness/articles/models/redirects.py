"""Addresses of the old site and where they lead now (answered by fitness.articles.redirects)."""

from urllib.parse import unquote

from django.db import models

from fitness.articles.models.articles import Article


def redirect_key(path: str, query: str = "") -> str:
    """How an old address is stored and looked up: the decoded path without its trailing
    slash ("/" stays "/"), then "?query" when the old site needed one (`?p=5`)."""
    path = unquote(path or "/").rstrip("/") or "/"
    return f"{path}?{query}" if query else path


FROM_OLD_SITE = "from=wordpress"


class Redirect(models.Model):
    """An address of the old site that answers 301 with its new one
    (`fitness.articles.redirects`)."""

    old_path = models.CharField(max_length=500, unique=True, help_text="See redirect_key().")
    # Where it goes: the article (its address as it is now), or a fixed path on this site.
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="old_addresses"
    )
    target = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="The old site's address.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(article__isnull=True, target=""),
                name="redirect_has_a_target",
            ),
        ]

    def __str__(self):
        return f"{self.old_path} -> {self.location()}"

    def location(self) -> str:
        if self.target:
            return self.target
        if self.source:
            # The old link may end in WordPress's #comment-5, which the browser keeps across
            # the 301 and which is not our comment 5: the flag lets static/js/comments.js
            # send it to /comments/wordpress/5/, which knows where that comment is now.
            return f"{self.article.get_absolute_url()}?{FROM_OLD_SITE}"
        return self.article.get_absolute_url()
