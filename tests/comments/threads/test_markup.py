"""The page's script and the comment markup agree on their names, which are written once.

comments/threads/rendering.py writes every comment's HTML and names the ids, classes and data
attributes static/js/comments.js reads (SCRIPT_NAMES); the script declares each once at its
top. These tests hold the two together and check a real page carries the names where the
script looks for them.
"""

import pytest
from django.urls import reverse

from comments.threads import rendering
from tests.comments.web.test_security import Markup
from tests.factories import CommentFactory
from tests.script_helpers import Script

SCRIPT = Script("comments.js")


def old_site_names():
    """The two names the script declares for old WordPress links (not the markup's)."""
    from django.urls import reverse

    from fitness.articles.models import FROM_OLD_SITE

    permalink = reverse("wordpress:comment_permalink", args=[9]).removesuffix("9/")
    return {"FROM_OLD_SITE": FROM_OLD_SITE, "WORDPRESS_PERMALINK": permalink}


def own_part_names():
    """The names the script declares for the reader's own part (comments.web.own): the hint
    cookie it looks for, the parameter of the reader's own page it drops, and the field that
    tells the post view to land on the shared page."""
    from comments.readers.cookies import HINT_COOKIE
    from comments.web.views import LANDING_FIELD, SHARED_LANDING
    from fitness.core.http_cache import PERSONAL_PARAMETER

    return {
        "MINE_COOKIE": HINT_COOKIE,
        "MINE_PARAMETER": f"{PERSONAL_PARAMETER}=1",
        "LANDING_FIELD": LANDING_FIELD,
        "SHARED_LANDING": SHARED_LANDING,
    }


def test_the_script_declares_exactly_the_names_the_markup_is_written_with():
    assert SCRIPT.declared == rendering.SCRIPT_NAMES | old_site_names() | own_part_names()


@pytest.mark.parametrize("name", sorted(own_part_names()))
def test_the_script_spells_each_own_part_name_only_in_its_declaration(name):
    SCRIPT.assert_spelled_once(name, own_part_names()[name])


@pytest.mark.parametrize("name", sorted(rendering.SCRIPT_NAMES))
def test_the_script_spells_each_name_only_in_its_declaration(name):
    SCRIPT.assert_spelled_once(name, rendering.SCRIPT_NAMES[name])


@pytest.mark.django_db
def test_a_page_carries_the_names_where_the_script_looks_for_them(
    client, article, comment_form_data
):
    top = CommentFactory(article=article, status="approved", author_name="Tina <Shute>")
    CommentFactory(article=article, status="approved", parent=top)
    data = comment_form_data(article, parent=str(top.pk), comment="My held reply")
    assert client.post(reverse("comments:post", args=[article.pk]), data).status_code == 302

    parser = Markup()
    # The reader's own page (where their post lands), whose held reply the script moves.
    parser.feed(client.get(article.get_absolute_url() + "?mine=1").content.decode())
    tags = parser.tags
    item_id = f"{rendering.ITEM_ID_PREFIX}{top.pk}"
    item = next(i for i, (_, a) in enumerate(tags) if a.get("id") == item_id)
    classes = [set((attrs.get("class") or "").split()) for _, attrs in tags]
    tagged = [(tag, attrs, classes[i]) for i, (tag, attrs) in enumerate(tags)]

    # replyTo(): the item by id, its first .comment-body, and the Reply link's two attributes.
    assert item_id == top.anchor  # where a permalink (#comment-<id>) lands
    assert tags[item + 1][0] == "article" and rendering.BODY_CLASS in classes[item + 1]
    link = next(a for _, a in tags[item:] if rendering.REPLY_TO_ATTR in a)
    assert link[rendering.REPLY_TO_ATTR] == str(top.pk)
    assert link[rendering.AUTHOR_ATTR] == "Tina <Shute>"  # the script shows it as text
    # The replies under a comment are an <ol class="children"> right inside its <li>.
    assert any(tag == "ol" and rendering.CHILDREN_CLASS in c for tag, _, c in tagged)
    # The reader's held reply names the comment it answers.
    held = [attrs for _, attrs, c in tagged if rendering.PENDING_CLASS in c]
    assert [a.get(rendering.PARENT_ATTR) for a in held] == [str(top.pk)]
