"""
The "Leave a Reply" form: what a reader may send, checked field by field with clear messages.

Besides the visible fields it carries what screening needs: a honeypot (HONEYPOT_FIELD, hidden
from people by CSS) and a signed timestamp from which the form's age is computed. Errors on
hidden fields (parent, timestamp) are shown above the form, never lost.
"""

import time
import unicodedata
from functools import lru_cache

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.core import signing
from django.core.validators import MaxLengthValidator, URLValidator

from comments.conf import settings
from comments.models import Comment, CommentReport
from comments.text.clean import HONEYPOT_FIELD, clean_text
from comments.text.formatting import FORMATTING_HINT

TIMESTAMP_SALT = "comments.form-timestamp"
TAMPERED = "This form was tampered with or has expired; please send it again."
CLOSED = "Comments are closed."


def fresh_timestamp(article_id):
    """The new form's timestamp: the same token for every reader all through one second.

    So the page is the same bytes for every anonymous reader, and an HTTP cache may share it
    (fitness.core.http_cache); a form needs no finer age than a second. Signing once a second, not
    once a page, also saves as much time as the rest of a small page takes.
    """
    return _timestamp_of_second(int(article_id), int(time.time()), settings.SECRET_KEY)


@lru_cache(maxsize=64)
def _timestamp_of_second(article_id, second, secret_key):
    # secret_key is only part of the cache key: a token signed with a replaced key is not reused.
    return sign_timestamp(article_id, second)


def sign_timestamp(article_id, now=None):
    return signing.dumps({"a": article_id, "t": now or time.time()}, salt=TIMESTAMP_SALT)


def read_timestamp(token, article_id):
    """When the form was rendered (epoch seconds), or None if the token is not ours."""
    try:
        data = signing.loads(token, salt=TIMESTAMP_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != article_id:
        return None
    rendered = data.get("t")
    return rendered if isinstance(rendered, int | float) else None


EMAIL_BOXES = ("notify_replies", "notify_published")


class WebAddressField(forms.URLField):
    """A URL field that only accepts http(s): no javascript:, data: or ftp: addresses."""

    default_validators = [URLValidator(schemes=["http", "https"])]


def comment_field(label):
    """The text of a comment, as a new comment and its writer's edit both take it."""
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
        strip=False,
        help_text=FORMATTING_HINT,
        error_messages={"required": "Please type a comment."},
    )


class CommentForm(forms.Form):
    comment = comment_field("Comment")
    name = forms.CharField(
        label="Name",
        error_messages={"required": "Please give a name (any name you like)."},
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="",
        error_messages={
            "required": "Please give your email address; it will not be published.",
            "invalid": "Please enter a valid email address, like name@example.com.",
        },
    )
    website = WebAddressField(
        label="Website",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Please enter a web address starting with http:// or https://."},
    )
    remember = forms.BooleanField(
        label="Save my name, email, and website in this browser for the next time I comment.",
        required=False,
    )
    notify_replies = forms.BooleanField(
        label="Email me replies to this comment",
        required=False,
    )
    notify_published = forms.BooleanField(
        label="Email me when my comment is published",
        required=False,
    )
    parent = forms.CharField(required=False, widget=forms.HiddenInput)
    timestamp = forms.CharField(required=False, widget=forms.HiddenInput)
    contact_me_by_fax_only = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    hidden_fields_with_errors = ("parent", "timestamp")

    def __init__(self, *args, article, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.user = user if user is not None and user.is_authenticated else None
        self.parent_comment = None
        self.form_age = None
        self.fields["comment"].max_length = settings.COMMENTS_MAX_LENGTH
        self.fields["comment"].widget.attrs["maxlength"] = settings.COMMENTS_MAX_LENGTH
        self.fields["name"].max_length = settings.COMMENTS_NAME_MAX_LENGTH
        self.fields["name"].validators.append(MaxLengthValidator(settings.COMMENTS_NAME_MAX_LENGTH))
        self.fields["name"].widget.attrs["maxlength"] = settings.COMMENTS_NAME_MAX_LENGTH
        for name, field in self.fields.items():
            if name in ("comment", "name", "email"):
                field.label_suffix = ""
        if self.user is not None:
            # A logged-in reader posts under their account.
            for name in ("name", "email", "website", "remember"):
                del self.fields[name]
            if not self.user.email:
                del self.fields["notify_replies"]  # nowhere to send them
                del self.fields["notify_published"]
        if not settings.COMMENTS_REPLY_EMAILS:
            self.fields.pop("notify_replies", None)  # the site owner turned them off
        self.helper = self._helper()

    def _helper(self):
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        visible = [Field("comment")]
        if self.user is None:
            visible += [
                Field("name", autocomplete="name"),
                Field("email", autocomplete="email"),
                Field("website", autocomplete="url"),
                Field("remember"),
            ]
        # The emails about one's comment, together: both need the address confirmed once.
        visible += [Field(name) for name in EMAIL_BOXES if name in self.fields]
        helper.layout = Layout(
            *visible,
            Div(Field(HONEYPOT_FIELD), css_class="comments-hp", aria_hidden="true"),
            Field("parent"),
            Field("timestamp"),
        )
        return helper

    # --- fields ---------------------------------------------------------------------------

    def clean_comment(self):
        value = clean_text(
            self.cleaned_data["comment"], multiline=True, empty_message="Please type a comment."
        )
        limit = settings.COMMENTS_MAX_LENGTH
        if len(value) > limit:
            raise forms.ValidationError(
                f"Please keep your comment under {limit:,} characters (it has {len(value):,}).",
                code="max_length",
            )
        return value

    def clean_name(self):
        name = clean_text(self.cleaned_data["name"], multiline=False)
        # Invisible characters (zero-width space, joiners, soft hyphen) make one name look
        # like another's; they have no place in a name.
        if any(unicodedata.category(char) == "Cf" for char in name):
            raise forms.ValidationError(
                "Please remove the invisible characters from your name.",
                code="format_characters",
            )
        return name

    def clean_parent(self):
        raw = self.cleaned_data["parent"].strip()
        if not raw:
            return None
        if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
            raise forms.ValidationError(
                "The comment you are replying to could not be found.", code="parent_invalid"
            )
        parent = (
            Comment.objects.filter(pk=int(raw), article=self.article)
            .only("id", "article_id", "status", "depth", "thread_id", "path", "author_name")
            .first()
        )
        if parent is None or parent.status != Comment.Status.APPROVED:
            raise forms.ValidationError(
                "The comment you are replying to could not be found on this article; "
                "it may have been removed.",
                code="parent_missing",
            )
        if not parent.takes_replies:
            raise forms.ValidationError(
                "This conversation is nested as deep as it can go; "
                "please reply to an earlier comment instead.",
                code="parent_too_deep",
            )
        self.parent_comment = parent
        return parent

    def clean_timestamp(self):
        rendered = read_timestamp(self.cleaned_data["timestamp"], self.article.pk)
        if rendered is None:
            raise forms.ValidationError(TAMPERED, code="tampered")
        self.form_age = max(0.0, time.time() - rendered)
        return rendered

    def clean(self):
        cleaned = super().clean()
        if not self.article.accepts_comments():
            raise forms.ValidationError(CLOSED, code="closed")
        # Hidden fields cannot show an error next to themselves: show it above the form.
        for name in self.hidden_fields_with_errors:
            for error in self.errors.pop(name, []):
                self.add_error(None, error)
        return cleaned


class CommentEditForm(forms.Form):
    """The writer's new text for their own comment (`own_edits.edit_own_comment`)."""

    comment = comment_field("Your comment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].max_length = settings.COMMENTS_MAX_LENGTH
        self.fields["comment"].widget.attrs["maxlength"] = settings.COMMENTS_MAX_LENGTH
        self.fields["comment"].widget.attrs["aria-describedby"] = "id_comment_helptext"

    clean_comment = CommentForm.clean_comment


# --- Reporting a comment ----------------------------------------------------------------------

NOTICE_REQUIRED = {
    "explanation": "Please explain why the comment is illegal: which law or right it breaks.",
    "name": "Please give your name: the law asks for it in a notice of illegal content.",
    "email": "Please give your email address: we send the confirmation and our decision there.",
    "good_faith": "Please confirm that you believe the notice is accurate and complete.",
}


def optional_text(value, *, multiline):
    """clean_text for a field that may be left empty: "" when nothing visible was typed."""
    try:
        return clean_text(value, multiline=multiline)
    except forms.ValidationError as error:
        if error.code == "required":
            return ""
        raise


class ReportForm(forms.Form):
    """A reader's report on a comment; "illegal content" also asks what the EU Digital Services
    Act asks of a notice (Art. 16(2)): why, who (name and email), and good faith."""

    reason = forms.ChoiceField(
        label="What is wrong with this comment?",
        choices=CommentReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose what is wrong with the comment."},
    )
    note = forms.CharField(
        label="Anything a moderator should know (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )
    explanation = forms.CharField(
        label="Why is it illegal? Which law or right does it break, and where?",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 3000}),
    )
    name = forms.CharField(label="Your name", required=False, max_length=100)
    email = forms.EmailField(
        label="Your email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Please enter a valid email address, like name@example.com."},
    )
    good_faith = forms.BooleanField(
        label="I believe in good faith that the information and allegations in this notice are "
        "accurate and complete.",
        required=False,
    )

    def clean_note(self):
        return optional_text(self.cleaned_data["note"], multiline=True)

    def clean_explanation(self):
        return optional_text(self.cleaned_data["explanation"], multiline=True)

    def clean_name(self):
        return optional_text(self.cleaned_data["name"], multiline=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == CommentReport.Reason.ILLEGAL:
            for name, message in NOTICE_REQUIRED.items():
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, forms.ValidationError(message, code="notice_required"))
        return cleaned

    @property
    def is_notice(self):
        return self.data.get("reason") == CommentReport.Reason.ILLEGAL
