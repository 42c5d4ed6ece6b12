"""
The requests tests/test_fuzz.py sends: every URL pattern of the site read from the resolver,
hostile and known values for its parameters, query strings, form fields and a comment form,
as Hypothesis strategies (`requests(routes, known)`), and `send` (its docstring says what each
draws from).
"""

import re
import time
from dataclasses import dataclass, field
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import strategies as st

from comments.models import Comment
from comments.notifications.optin import CONFIRM_SALT, STOP_ALL_SALT
from comments.notifications.replies import STOP_SALT
from comments.notifications.sending import sign_id
from comments.services.moderation import OPERATIONS
from comments.text.clean import HONEYPOT_FIELD
from comments.web.forms import sign_timestamp
from fitness.articles.models import Article, Category, Page, Tag

# --- The site's addresses, from the resolver --------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    """A captured part of a pattern: its name and the regex its converter (or group) matches."""

    name: str
    regex: str


@dataclass(frozen=True)
class Route:
    """A pattern flattened: literal text and parameters, in order, after the leading "/";
    `name` is its URL name with the namespaces ("comments:post"; "" for an unnamed one)."""

    name: str
    parts: tuple

    def __str__(self):
        shown = "".join(p if isinstance(p, str) else f"<{p.name}>" for p in self.parts)
        return f"/{shown}" + (f" ({self.name})" if self.name else "")


_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<regex>[^()]*)\)")


def _parts(pattern):
    """The literal text and parameters of one RoutePattern or RegexPattern."""
    if isinstance(pattern, RoutePattern):
        route, matcher = str(pattern), _ROUTE_PARAMETER
        regex_of = {name: converter.regex for name, converter in pattern.converters.items()}
    else:
        assert isinstance(pattern, RegexPattern), pattern
        route, matcher = pattern._regex.removeprefix("^").removesuffix("$"), _REGEX_GROUP
        regex_of = {}
    parts, start = [], 0
    for match in matcher.finditer(route):
        parts.append(route[start : match.start()])
        name = match["name"]
        parts.append(Parameter(name, regex_of.get(name) or match["regex"]))
        start = match.end()
    parts.append(route[start:])
    literals = [part for part in parts if isinstance(part, str)]
    if isinstance(pattern, RegexPattern):
        # A regex pattern this flattening does not understand must be taught, not half-fuzzed.
        assert not any(re.search(r"[\\()\[\]*+?|^$]", text) for text in literals), route
    return [part for part in parts if part != ""]


def site_routes():
    """Every URL pattern the site answers, flattened (admin included, in resolver order)."""

    def walk(patterns, prefix, names):
        for pattern in patterns:
            parts = prefix + _parts(pattern.pattern)
            if isinstance(pattern, URLResolver):
                namespace = [pattern.namespace] if pattern.namespace else []
                yield from walk(pattern.url_patterns, parts, names + namespace)
            else:
                name = ":".join([*names, pattern.name]) if pattern.name else ""
                yield Route(name, tuple(parts))

    routes = list(walk(get_resolver().url_patterns, [], []))
    # And addresses no pattern matches: the 404 page, which looks up old addresses first.
    routes.append(Route("", (Parameter("anything", r".+"),)))
    return routes


# --- Values -----------------------------------------------------------------------------------

NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**100]),
)

ODD_TEXTS = [
    "\x00",
    "a\x00b",
    "\x7f",
    "\r\n",
    "\t",
    ".",
    "..",
    "%",
    "%zz",
    "%c3",
    "%ff%fe",
    "%2F",
    "%25",
    "0x1F",
    "1e9",
    "+1",
    " 1",
    "٣",  # ARABIC-INDIC DIGIT THREE: int() reads it, [0-9] does not
    "１２３",  # FULLWIDTH digits
    "²",
    "ǅ",
    "İ",
    "ß",
    "\u202e",
    "\ufeff",
    "\U0001f4aa",
    "<script>",
    "' OR 1=1 --",
    "null",
    "None",
    "[]",
    "{}",
    "true",
    "-",
    "_",
    "a/b",
    "../..",
]

HOSTILE = st.one_of(
    NUMBERS.map(str),
    NUMBERS.map(lambda n: f"-{abs(n)}"),
    st.sampled_from(ODD_TEXTS),
    st.text(max_size=30),  # any unicode but surrogates, which no URL can carry
    st.text(st.characters(max_codepoint=0x7F), max_size=20),  # ASCII, controls and NUL too
    st.tuples(st.integers(200, 4_000), st.sampled_from("a9-é€\x00 /")).map(
        lambda length_char: length_char[1] * length_char[0]
    ),
)


def _percent_escaped(data):
    return "".join(f"%{byte:02X}" for byte in data)


# Already in URL form: any bytes escaped, valid UTF-8 or not.
PERCENT_BYTES = st.binary(min_size=1, max_size=12).map(_percent_escaped)


def _encoded(text_and_way, *, slash=False):
    """`text` as it goes into a URL: percent-encoded, or raw but for what would end the part."""
    text, way = text_and_way
    if way == "quoted":
        return quote(text, safe="/" if slash else "")
    text = text.replace("%", "%25").replace("?", "%3F").replace("#", "%23")
    return text if slash else text.replace("/", "%2F")


def in_url(values, *, slash=False):
    """Values drawn from `values`, in URL form; or arbitrary escaped bytes."""
    ways = st.sampled_from(["quoted", "raw"])
    return st.one_of(
        st.tuples(values, ways).map(lambda pair: _encoded(pair, slash=slash)), PERCENT_BYTES
    )


@dataclass
class Known:
    """What the demo content holds, by the parameter names that refer to it."""

    by_name: dict = field(default_factory=dict)
    everything: list = field(default_factory=list)

    def values(self, name):
        return st.sampled_from(self.by_name.get(name) or self.everything)


def known_values(moderator):
    """The slugs, ids, names and tokens of the demo content, as the patterns name them."""
    slugs = [
        *Article.objects.values_list("slug", flat=True),
        *Category.objects.values_list("slug", flat=True),
        *Tag.objects.values_list("slug", flat=True),
        *Page.objects.values_list("slug", flat=True),
    ]
    comment_ids = list(Comment.objects.values_list("pk", flat=True))
    ids = sorted(
        {
            *comment_ids,
            *Article.objects.values_list("pk", flat=True),
            *Category.objects.values_list("pk", flat=True),
            *Tag.objects.values_list("pk", flat=True),
            moderator.pk,
        }
    )
    ids = [str(pk) for pk in ids]
    # Signed as the reply emails sign them (stop: the id; confirm: the id, with the time), for
    # rows that exist and that cannot; the confirm link with payloads no email carries, too.
    numbers = [*comment_ids[:5], 0, 2**63, 10**30]
    tokens = [
        *(sign_id(pk, salt=salt) for pk in numbers for salt in (STOP_SALT, STOP_ALL_SALT)),
        *(signing.dumps(pk, salt=CONFIRM_SALT) for pk in numbers),
        *(signing.dumps(odd, salt=CONFIRM_SALT) for odd in (True, -1, "1", [1], {"pk": 1}, None)),
    ]
    by_name = {
        "slug": slugs,
        "username": list(get_user_model().objects.values_list("username", flat=True)),
        "token": tokens,
        "content_type_id": [str(pk) for pk in ContentType.objects.values_list("pk", flat=True)],
        "app_label": ["auth", "fitness", "comments", "wordpress", "django_tasks_database"],
        "url": ["comments/comment/", "fitness/article/add/", "nowhere/"],
        "path": ["images/", "nothing.png"],
        "anything": ["wp-login.php", "index.php", "feed", "2019/05/squats/", "?p=1", "wp-admin/"],
    }
    for name in ("pk", "id", "source_id", "object_id"):
        by_name[name] = ids
    by_name["article_id"] = [str(pk) for pk in Article.objects.values_list("pk", flat=True)]
    return Known(by_name, sorted({*slugs, *ids}))


def parameter_values(parameter, known):
    """What goes in one path parameter: existing (half the time, so that pages are found and
    rendered), fitting its converter, or hostile."""
    fitting = st.from_regex(parameter.regex, fullmatch=True).filter(lambda text: len(text) < 300)
    values = st.one_of(known.values(parameter.name), st.one_of(fitting, HOSTILE))
    return in_url(values, slash=parameter.regex in (".+", ".*"))


# --- Query strings and forms ------------------------------------------------------------------

QUERY_NAMES = [
    # WordPress's old addresses and search
    *("p", "page_id", "cat", "tag", "feed", "attachment_id", "s", "paged", "m", "author"),
    # the site's
    *("q", "page", "preview", "replytocom", "next", "expected", "return_to"),
    # the admin's changelists and filters
    *("o", "e", "all", "status", "_to_field", "_popup", "_changelist_filters", "akismet_verdict"),
    *("article__id__exact", "created_at__gte", "created_at__lt", "publish_at__year"),
    *("publish_at__month", "publish_at__day", "categories__id__exact", "tags__id__exact"),
    *("status__exact", "comments_open__exact", "source__exact", "in_footer__exact", "scrubbed"),
]

COMMENT_FORM_NAMES = [
    *("comment", "name", "email", "website", "parent", "timestamp", "remember"),
    *("notify_replies", "preview", HONEYPOT_FIELD),
]

FORM_NAMES = [
    *COMMENT_FORM_NAMES,
    # the moderation admin's views and actions
    *("operation", "expected", "_moderate_next", "next", "reply", "return_to", "body"),
    *("action", "_selected_action", "select_across", "index", "post", "remove_text"),
    # the admin's own forms
    *("username", "password", "old_password", "new_password1", "new_password2", "title", "slug"),
]


def query_strings(known):
    names = st.one_of(st.sampled_from(QUERY_NAMES), st.text(max_size=10))
    values = st.one_of(known.values("pk"), known.values("slug"), HOSTILE)
    pair = st.one_of(
        st.tuples(in_url(names), in_url(values)).map("=".join),
        in_url(names),  # a name alone, no "="
    )
    return st.one_of(
        st.just(""),  # half the time none
        st.one_of(
            st.lists(pair, min_size=1, max_size=4).map(lambda pairs: "?" + "&".join(pairs)),
            PERCENT_BYTES.map(lambda escaped: "?" + escaped),
        ),
    )


def form_fields(known):
    names = st.one_of(st.sampled_from(FORM_NAMES), st.text(max_size=10))
    values = st.one_of(
        known.values("pk"),
        st.sampled_from(sorted(OPERATIONS)),
        st.sampled_from(["yes", "on", "1", "", "ada@example.com", "https://example.com/"]),
        HOSTILE,
    )
    return st.dictionaries(names, values, max_size=6)


def valid_comment(article_id):
    """A comment form as the article page gives it, sent 10 s later."""
    return {
        "comment": "Thanks, the part about recovery helped me.",
        "name": "Ada Reader",
        "email": "ada@example.com",
        "website": "",
        "parent": "",
        "timestamp": sign_timestamp(article_id, time.time() - 10),
        HONEYPOT_FIELD: "",
    }


# --- Requests ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    who: str
    method: str
    url: str
    data: dict | None
    route: str

    def __str__(self):
        data = f" data={self.data!r}" if self.data is not None else ""
        return f"{self.method} {self.url!r} as {self.who}{data} (pattern {self.route})"


WHO = st.sampled_from(["anonymous", "moderator"])


def requests(routes, known):
    """Requests of three kinds, drawn about evenly: to the site's own patterns, to the admin's
    (three in four of all patterns, which would otherwise crowd out the readers' pages), and
    comments posted to an article, valid but for the fields spoiled. Every strategy is built
    once, here: building them is slower than drawing from them."""
    paths = {
        route: st.tuples(
            *(
                st.just(quote(part, safe="/"))
                if isinstance(part, str)
                else parameter_values(part, known)
                for part in route.parts
            )
        )
        for route in routes
    }
    queries, forms = query_strings(known), form_fields(known)

    @st.composite
    def to(draw, routes):
        route = draw(st.sampled_from(routes))
        url = "/" + "".join(draw(paths[route])) + draw(queries)
        method = draw(st.sampled_from(["GET", "HEAD", "POST"]))
        data = draw(forms) if method == "POST" else None
        return Request(draw(WHO), method, url, data, str(route))

    (posting,) = (route for route in routes if route.name == "comments:post")
    articles = st.one_of(known.values("article_id"), parameter_values(posting.parts[-2], known))
    spoilers = st.dictionaries(
        st.sampled_from(COMMENT_FORM_NAMES), st.one_of(known.values("pk"), HOSTILE), max_size=3
    )

    @st.composite
    def comment_posted(draw):
        article = draw(articles)
        data = valid_comment(int(article) if article.isdecimal() else 0) | draw(spoilers)
        url = reverse(posting.name, args=[0]).replace("/0/", f"/{article}/")
        return Request(draw(WHO), "POST", url, data, str(posting))

    admin = [route for route in routes if str(route).startswith("/admin/")]
    site = [route for route in routes if route not in admin]
    return st.one_of(to(site), to(admin), comment_posted())


def send(client, request):
    if request.method == "POST":
        return client.post(request.url, data=request.data)
    return client.generic(request.method, request.url)
