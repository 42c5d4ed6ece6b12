"""
The earlier versions of what readers read, for articles and for pages: one `Revision` per save
that changed the text, and one autosave per writer of an article or page being edited (the text
as it was a few seconds ago).

The editor (fitness/articles/revisions_admin.py) lists them, shows one beside the article or
page as it is now, and restores one in a click (a restore is a save: it is a revision too).
Kept as plain rows of our own rather than django-reversion: a few text fields of two models are
all we keep, the autosave is a row reversion has no idea of, and nothing else needs versioning.

One table for both, with a key to each (`article`, `page`) and a constraint that exactly one is
set: the database keeps every revision tied to a row that cascades its deletion, which a
generic foreign key (a content type and an id) would not, and the article's revisions stay the
rows they were. What a revision keeps of each is `KEPT_FIELDS`, by the name of that key; the
fields a model does not have (a page's excerpt) stay empty.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

# What a revision keeps (and restores) of each model it versions, by the name of its key.
KEPT_FIELDS = {
    "article": ("title", "excerpt", "body"),
    "page": ("title", "body"),
}


def key_for(obj) -> str:
    """The name of the `Revision` key that points at `obj` ("article" or "page"); `obj` is an
    article or a page, or either model. Anything else is a TypeError."""
    name = obj._meta.model_name
    if name not in KEPT_FIELDS:
        raise TypeError(f"{type(obj).__name__} is not kept in revisions.")
    return name


def kept_fields(obj) -> tuple[str, ...]:
    """The fields a revision keeps of `obj`, an article or a page (or either model)."""
    return KEPT_FIELDS[key_for(obj)]


def kept_text(obj) -> dict[str, str]:
    """`obj`'s text as a revision keeps it."""
    return {name: getattr(obj, name) for name in kept_fields(obj)}


class RevisionQuerySet(models.QuerySet):
    def of(self, obj):
        """The revisions of `obj`, an article or a page."""
        return self.filter(**{key_for(obj): obj})

    def saved(self):
        return self.filter(kind=Revision.Kind.SAVED)

    def autosaves(self):
        return self.filter(kind=Revision.Kind.AUTOSAVE)


class Revision(models.Model):
    class Kind(models.TextChoices):
        SAVED = "saved", "Saved"
        AUTOSAVE = "autosave", "Autosaved"

    article = models.ForeignKey(
        "fitness.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    page = models.ForeignKey(
        "fitness.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SAVED)
    title = models.CharField(max_length=200)
    excerpt = models.TextField(blank=True)
    body = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["article", "kind", "-created_at"]),
            models.Index(fields=["page", "kind", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(article__isnull=False, page__isnull=True)
                    | models.Q(article__isnull=True, page__isnull=False)
                ),
                name="revision_of_an_article_or_a_page",
                violation_error_message="A revision is of one article or of one page.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}: {self.title}"

    @property
    def owner_key(self) -> str:
        """Which key is set, "article" or "page" (read without loading either)."""
        return "article" if self.article_id is not None else "page"

    @property
    def owner(self):
        """The article or the page this is a revision of."""
        return getattr(self, self.owner_key)

    def kept(self):
        """The text this revision holds, in the fields its article or page has."""
        return {name: getattr(self, name) for name in KEPT_FIELDS[self.owner_key]}

    @classmethod
    def record(cls, obj, by=None):
        """After a save of `obj` (an article or a page): a revision of it as it is now, unless
        the last one already holds this text; `by`'s autosave of it is done with."""
        revisions = cls.objects.of(obj)
        if by is not None and by.is_authenticated:
            revisions.autosaves().filter(by=by).delete()
        now = kept_text(obj)
        last = revisions.saved().first()
        if last is not None and last.kept() == now:
            return last
        author = by if by is not None and by.is_authenticated else None
        return cls.objects.create(**{key_for(obj): obj}, kind=cls.Kind.SAVED, by=author, **now)

    @classmethod
    def autosave(cls, obj, by, **text):
        """Keep `by`'s unsaved text of `obj`, an article or a page (one row per writer and
        article or page); fields `obj` does not have are ignored."""
        values = {name: text.get(name, "") or "" for name in kept_fields(obj)}
        values["title"] = values["title"][:200]
        revision, _ = cls.objects.update_or_create(
            **{key_for(obj): obj},
            kind=cls.Kind.AUTOSAVE,
            by=by,
            defaults={**values, "created_at": timezone.now()},
        )
        return revision

    def restore(self, by):
        """Put this text back into its article or page and save it (a new revision)."""
        owner = self.owner
        for name, value in self.kept().items():
            setattr(owner, name, value)
        owner.save()
        return Revision.record(owner, by)
