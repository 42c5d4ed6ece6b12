"""
A page's shell: everything of a shared page but its per-request parts, kept in this process's
memory, so that a page whose per-request part is small renders only that part.

An article page is the same for every anonymous reader but for its comment section (the form's
signed timestamp, the reply target, the page of threads from the thread cache) and the JSON-LD
built from that section. The rest (base template, header, menus, the article, its terms, its
footer) was most of the time Django spent on a page around a cached thread: template work with
no single part left to take out. A template marks its per-request parts:

    {% load page_shells %}{% per_request %}{% comment_section article %}{% end_per_request %}

and a view renders through `render(request, template_name, context, key)`: the first request
for `key` renders the whole template once with a marker where each part goes and keeps the
pieces between them; every request (that one included) renders only the parts and joins them
with the kept pieces. Without `render` (any other view, a personal page) the tag renders its
content in place, as if it were not there.

A part's long texts (the thread of a discussion, its JSON-LD: megabytes at thousands of
comments) go through `deferred(context, html)`: a marker in the templates, the text spliced
into the page's bytes here, so that no template on the way copies it.

`key` must name everything the shell shows that can change (the view's ETag version does: the
article's `updated_at`, which every change to what the page shows moves, its discussion's
version, the site's settings and menus), plus the request's path and query. Bounded: emptied
when PAGE_SHELLS_KEPT (default 256) are kept, and whenever settings or templates change; 0 turns
shells off. Per process, nothing shared: a deploy starts with none.
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.template import loader
from django.template.context import make_context
from django.utils.autoreload import file_changed
from django.utils.safestring import mark_safe

# Where a per-request part goes in the rendered shell. NUL: no template of ours holds it and no
# text can (PostgreSQL stores none, the control-character middleware refuses it in requests);
# a shell whose markers do not come out one per part is not kept (the page is rendered whole).
MARKER = "\x00per-request\x00"
# The context variable through which the shell's render collects the parts' nodes.
RECORDER = "page_shells_recorder"
# A long text in a part (a discussion of thousands of comments is megabytes) is copied by each
# template around it and by the page's encoding: `deferred()` leaves this marker in its place
# and `render` puts the text, encoded alone, straight into the page's bytes.
DEFERRED_MARKER = "\x00deferred\x00"
DEFERRED = "page_shells_deferred"
DEFAULT_KEPT = 256

_shells = {}  # key -> (the pieces between the parts, the parts' nodes)


def clear(**kwargs):
    """Settings and templates shape every shell: render them again."""
    _shells.clear()


setting_changed.connect(clear, dispatch_uid="fitness.core.page_shells")
file_changed.connect(clear, dispatch_uid="fitness.core.page_shells")


def kept():
    return getattr(settings, "PAGE_SHELLS_KEPT", DEFAULT_KEPT)


def deferred(context, html):
    """`html` (safe HTML) for a template to place: a marker when the page is joined by
    `render` (the text is spliced in there, copied once), else `html` itself, marked safe."""
    texts = context.get(DEFERRED)
    if texts is None:
        return mark_safe(html)
    texts.append(html)
    return mark_safe(DEFERRED_MARKER)


def _encoded(text, texts, charset):
    """The bytes of a part's `text` with `texts` (what `deferred` kept, in order) in place of
    its markers; `texts` is emptied of those used."""
    pieces = text.split(DEFERRED_MARKER)
    if len(pieces) - 1 > len(texts):
        raise ValueError("a deferred text's marker without its text")
    out = [pieces[0].encode(charset)]
    for piece in pieces[1:]:
        out.append(texts.pop(0).encode(charset))
        out.append(piece.encode(charset))
    return out


def _shell(template, context, request, key, charset):
    """(pieces, nodes) for `key`: kept, or rendered now with markers (None: not possible).
    The pieces are kept encoded: a page is bytes in the end, and a page of thousands of
    comments encoded whole cost more than its render when one character of the shell (the
    title's "·") was not ASCII."""
    shell = _shells.get(key)
    if shell is not None:
        return shell
    nodes = []
    text = template.render({**context, RECORDER: nodes}, request)
    pieces = text.split(MARKER)
    if not nodes or len(pieces) != len(nodes) + 1:
        return None
    if len(_shells) >= kept():
        _shells.clear()
    shell = _shells[key] = ([piece.encode(charset) for piece in pieces], nodes)
    return shell


def render(request, template_name, context, key, *, content_type=None):
    """The page of `template_name` with `context` (a dict), an HttpResponse: its per-request
    parts rendered now, the rest from the shell kept under `key` (see the module's docstring).
    With shells off, or a template without parts, the whole template is rendered."""
    template = loader.get_template(template_name)
    response = HttpResponse(content_type=content_type)
    charset = response.charset
    shell = _shell(template, context, request, (key, charset), charset) if kept() > 0 else None
    if shell is None:
        response.content = template.render(context, request)
        return response
    pieces, nodes = shell
    inner = template.template  # the engine's Template behind the backend's wrapper
    texts = []
    page_context = make_context(
        {**context, DEFERRED: texts}, request, autoescape=inner.engine.autoescape
    )
    out = [pieces[0]]
    with page_context.render_context.push_state(inner), page_context.bind_template(inner):
        for node, piece in zip(nodes, pieces[1:], strict=True):
            # Each of the part's nodes encoded apart: no copy of the part joined first.
            for bit in node.nodelist:
                out.extend(_encoded(bit.render_annotated(page_context), texts, charset))
            out.append(piece)
    if texts:
        raise ValueError("a deferred text whose marker did not reach the page")
    response.content = b"".join(out)
    return response
