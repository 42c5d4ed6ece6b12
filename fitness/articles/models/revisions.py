"""
An article's earlier versions: one `Revision` per save that changed what readers read, and one
autosave per author of an article being edited (the text as it was a few seconds ago).

The editor (fitness/articles/revisions_admin.py) lists them, shows one beside the article as
it is now, and restores one in a click (a restore is a save: it is a revision too). Kept as
plain rows of our own rather than django-reversion: three text fields of one model are all we
keep, the autosave is a row reversion has no idea of, and nothing else needs versioning.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

# What a revision keeps of an article (and restores).
KEPT_FIELDS = ("title", "excerpt", "body")


class Revision(models.Model):
    class Kind(models.TextChoices):
        SAVED = "saved", "Saved"
        AUTOSAVE = "autosave", "Autosaved"

    article = models.ForeignKey(
        "fitness.Article", on_delete=models.CASCADE, related_name="revisions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SAVED)
    title = models.CharField(max_length=200)
    excerpt = models.TextField(blank=True)
    body = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["article", "kind", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}: {self.title}"

    def kept(self):
        return {name: getattr(self, name) for name in KEPT_FIELDS}

    @classmethod
    def record(cls, article, by=None):
        """After a save: a revision of the article as it is now, unless the last one already
        holds this text; `by`'s autosave of it is done with."""
        if by is not None and by.is_authenticated:
            cls.objects.filter(article=article, kind=cls.Kind.AUTOSAVE, by=by).delete()
        now = {name: getattr(article, name) for name in KEPT_FIELDS}
        last = cls.objects.filter(article=article, kind=cls.Kind.SAVED).first()
        if last is not None and last.kept() == now:
            return last
        author = by if by is not None and by.is_authenticated else None
        return cls.objects.create(article=article, kind=cls.Kind.SAVED, by=author, **now)

    @classmethod
    def autosave(cls, article, by, **text):
        """Keep `by`'s unsaved text of the article (one row per author and article)."""
        values = {name: text.get(name, "") or "" for name in KEPT_FIELDS}
        values["title"] = values["title"][:200]
        revision, _ = cls.objects.update_or_create(
            article=article,
            kind=cls.Kind.AUTOSAVE,
            by=by,
            defaults={**values, "created_at": timezone.now()},
        )
        return revision

    def restore(self, by):
        """Put this text back into the article and save it (a new revision)."""
        article = self.article
        for name, value in self.kept().items():
            setattr(article, name, value)
        article.save()
        return Revision.record(article, by)
