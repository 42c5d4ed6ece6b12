"""
The people behind the queue's rows: each row's commenter fragment (their counts, linking to
their page; their trust level; Ban…), the email and IP made filter links, and the filters those
links use. Every fragment is written once, with `format_html`.

The counts come from one query for the whole page (`attach_standings`, called by the queue's
ChangeList once its rows are read), never one per row.
"""

from functools import lru_cache
from urllib.parse import urlencode

from django.contrib import admin
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html

from comments.admin.privacy import scrubbed
from comments.readers import commenters as recognise
from comments.readers.people import network_of

STANDING_ATTR = "_commenter_standing"
COMMENTER_LINK_CLASS = "queue-commenter"  # static/js/admin-people.js: "p" follows it
BAN_LINK_CLASS = "queue-ban"  # static/js/admin-people.js: "b" opens its dialog
QUEUE_STATUS_ALL = {"status": "all"}
# {name: (key, what the "?" list says)}: written on the links as data-key, read by the script.
KEYS = {
    "ban": ("b", "ban or suspend the author (a dialog)"),
    "commenter": ("p", "the author's page: every comment, notes, bans"),
}


def attach_standings(comments) -> None:
    """Give each comment its commenter's standing (counts, trust), in one query."""
    comments = list(comments)
    found = recognise.standings({c.commenter for c in comments if c.commenter_id})
    for comment in comments:
        setattr(comment, STANDING_ATTR, found.get(comment.commenter_id))


def standing_of(comment):
    if not hasattr(comment, STANDING_ATTR):  # a single row (the script's answer, a page)
        attach_standings([comment])
    return getattr(comment, STANDING_ATTR)


PK_MARK = "__pk__"


@lru_cache(maxsize=32)
def _url_template(name, prefix):
    return reverse(f"admin:comments_commenter_{name}", args=[PK_MARK])


def commenter_url(commenter_id) -> str:
    """Reversed once per script prefix, then filled in: a page of rows asks for two a row."""
    return _url_template("change", get_script_prefix()).replace(PK_MARK, str(commenter_id))


def ban_url(commenter_id, comment=None) -> str:
    url = _url_template("ban", get_script_prefix()).replace(PK_MARK, str(commenter_id))
    return f"{url}?{urlencode({'comment': comment.pk})}" if comment is not None else url


def queue_filter_url(**params) -> str:
    """The queue in every status, filtered: `?status=all&email=...`."""
    query = urlencode({**QUEUE_STATUS_ALL, **params})
    return f"{reverse('admin:comments_comment_changelist')}?{query}"


def trust_fragment(comment):
    """The author's trust level, beside their name."""
    if not comment.commenter_id:
        return ""
    standing = standing_of(comment)
    return format_html(
        ' <span class="queue-trust queue-trust-{}">{}</span>', standing.level, standing.level_words
    )


def commenter_fragment(comment):
    """ "4 approved · 1 spam" (a link to their page: everything else is there) and Ban…"""
    if not comment.commenter_id:
        return ""
    return format_html(
        '<span class="queue-person">'
        '<a class="{}" href="{}" data-key="{}" title="Everything by this commenter">{}</a>'
        ' · <a class="{}" href="{}" data-key="{}">Ban…</a></span>',
        COMMENTER_LINK_CLASS,
        commenter_url(comment.commenter_id),
        KEYS["commenter"][0],
        standing_of(comment).row_summary,
        BAN_LINK_CLASS,
        ban_url(comment.commenter_id, comment),
        KEYS["ban"][0],
    )


def email_link(email):
    if not email:
        return "no email"
    return format_html(
        '<a href="{}" title="Every comment with {}">{}</a>',
        queue_filter_url(email=recognise.email_key(email)),
        email,
        email,
    )


def ip_link(ip):
    if not ip:
        return "no IP"
    network = network_of(ip)
    return format_html(
        '<a href="{}" title="Every comment from {}">{}</a>',
        queue_filter_url(network=network),
        network,
        ip,
    )


@admin.display(description="author", ordering="author_name")
def author(obj):
    """The queue's author cell: name, email and IP as filter links, whether the personal data
    is still kept, and the commenter."""
    personal = scrubbed(obj) if obj.erased_at or obj.scrubbed_at else ""
    return format_html(
        '<span class="queue-author">{}{}</span><span class="moderation-meta">{} · {}</span>{}{}',
        obj.author_name,
        trust_fragment(obj),
        email_link(obj.author_email),
        ip_link(obj.ip_address),
        personal,
        commenter_fragment(obj),
    )


# --- The filters the links use (each shown in the sidebar only while it is on) ---------------


class ValueFilter(admin.SimpleListFilter):
    """A filter that takes any value from its link and shows itself only when on."""

    def lookups(self, request, model_admin):
        value = self.value()
        return [(value, value)] if value else []


class EmailFilter(ValueFilter):
    title = "email"
    parameter_name = "email"

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(author_email__iexact=value.strip()) if value else queryset


class NetworkFilter(ValueFilter):
    """An address, or an IPv6 network as flood control counts it (`2001:db8:1::/64`)."""

    title = "network"
    parameter_name = "network"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        address = value.split("/")[0]
        if "/" not in value:
            return queryset.filter(ip_address=address)
        # The commenters seen there, then only their comments from that network.
        candidates = queryset.filter(commenter__networks__network=value)
        pks = [
            pk
            for pk, ip in candidates.values_list("pk", "ip_address")
            if ip and network_of(ip) == value
        ]
        return queryset.filter(pk__in=pks)


class CommenterFilter(ValueFilter):
    title = "commenter"
    parameter_name = "commenter"

    def lookups(self, request, model_admin):
        value = self.value()
        return [(value, f"#{value}")] if value else []

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            return queryset.filter(commenter_id=int(value))
        except ValueError:
            return queryset.none()
