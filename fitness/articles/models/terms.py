"""Categories and tags: what an article is filed under, each with its archive page."""

from django.db import models

from fitness.core.reversing import reverse_cached


class Term(models.Model):
    """What categories and tags share: a name, the slug of its archive page, a description."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, help_text="Shown at the top of its archive page.")

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Category(Term):
    class Meta(Term.Meta):
        verbose_name_plural = "categories"

    def get_absolute_url(self):
        return reverse_cached("articles:category", kwargs={"slug": self.slug})


class Tag(Term):
    def get_absolute_url(self):
        return reverse_cached("articles:tag", kwargs={"slug": self.slug})
