"""
The article admin's form: every input labelled, tags created by typing.

- Tags are one text input ("Squats, Mobility, warm-up"), with the existing tags offered as
  suggestions (a `<datalist>`); a name that is no tag yet becomes one on save. Select2's
  search boxes (autocomplete_fields) had no label (axe: critical) and a new tag needed a "+"
  popup.
- Categories are checkboxes, each labelled, in a fieldset named by its legend.
- The publish date and time are one `datetime-local` input with one label (Django's split
  widget left the time input unlabelled).
"""

from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify

from fitness.articles.models import Article, Category, Tag

MAX_TAGS = 30


class TagsInput(forms.TextInput):
    """A text input with the existing tags as its suggestions (a `<datalist>`)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {})}
        attrs["list"] = f"{attrs.get('id', 'id_' + name)}-suggestions"
        names = Tag.objects.order_by("name").values_list("name", flat=True)
        return format_html(
            '{}<datalist id="{}">{}</datalist>',
            super().render(name, value, attrs, renderer),
            attrs["list"],
            format_html_join("", '<option value="{}">', ((n,) for n in names)),
        )


def tag_names(text):
    """The names typed, split at commas, trimmed, each once (the first spelling wins)."""
    names, seen = [], set()
    for part in (text or "").split(","):
        name = " ".join(part.split())
        if name and slugify(name) not in seen:
            seen.add(slugify(name))
            names.append(name)
    return names


def tags_named(names):
    """The tags of these names: the existing one of the same address, else a new one."""
    tags = []
    for name in names:
        slug = slugify(name)[:100]
        tag = Tag.objects.filter(slug=slug).first() or Tag.objects.create(name=name, slug=slug)
        tags.append(tag)
    return tags


class ArticleForm(forms.ModelForm):
    may_add_tags = True  # the admin sets it from the user's `fitness.add_tag` permission
    # Declared here, so the admin's own widgets (select2, the split date and time) give way.
    categories = forms.ModelMultipleChoiceField(
        queryset=Category.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    publish_at = forms.DateTimeField(
        label="Publish at",
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "step": 60}, format="%Y-%m-%dT%H:%M"
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"],
        help_text=Article._meta.get_field("publish_at").help_text,
        initial=timezone.now,  # a new article's (a declared field takes no model default)
    )
    tag_names = forms.CharField(
        label="Tags",
        required=False,
        widget=TagsInput(attrs={"class": "vLargeTextField", "autocomplete": "off"}),
        help_text="Separate tags with commas; a new name makes a new tag.",
    )

    class Meta:
        model = Article
        fields = [  # the admin's fieldsets choose among these; tags are `tag_names`
            "title",
            "slug",
            "author",
            "byline",
            "categories",
            "featured_image",
            "excerpt",
            "body",
            "seo_title",
            "meta_description",
            "status",
            "publish_at",
            "comments_open",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            names = self.instance.tags.order_by("name").values_list("name", flat=True)
            self.initial["tag_names"] = ", ".join(names)

    def clean_tag_names(self):
        names = tag_names(self.cleaned_data.get("tag_names"))
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(f"At most {MAX_TAGS} tags, please ({len(names)} given).")
        for name in names:
            if not slugify(name):
                raise forms.ValidationError(
                    f"“{name}” has no letter or digit to make an address from."
                )
        existing = set(
            Tag.objects.filter(slug__in=[slugify(n)[:100] for n in names]).values_list(
                "slug", flat=True
            )
        )
        new = [n for n in names if slugify(n)[:100] not in existing]
        if new and not self.may_add_tags:
            raise forms.ValidationError(
                f"You may pick existing tags only; no tag is named {', '.join(new)}."
            )
        return names

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.tags.set(tags_named(self.cleaned_data.get("tag_names", [])))
