"""The queue's script and the admin agree on their names and facts, which are written once.

comments/admin/cells.py writes the queue's markup and names the ids, classes and data
attributes static/js/admin-queue.js reads (SCRIPT_NAMES); the script declares each once at its
top. The server's facts (its keys, the fetch and CSRF headers, the status filter's parameter
and views) are data attributes of the row buttons' form (`queue.script_facts`), read by the
script in one place (`readFacts`); the inline editor's fields are the edit form's. These tests
hold the script and the admin together, check that real pages carry the names and facts where
the script looks, and that the answers carry what the script reads from them.
"""

import re

import pytest
from django.urls import reverse

from comments.admin import cells, people, queue
from comments.services import moderation
from tests.comments.web.test_security import Markup
from tests.factories import CommentFactory
from tests.script_helpers import Script

SCRIPT = Script("admin-queue.js")
CODE, LITERALS = SCRIPT.code, SCRIPT.literals
QUEUE = reverse("admin:comments_comment_changelist")
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def dataset_name(attribute):
    """The name `element.dataset` gives data-<attribute>: "fetch-header" -> "fetchHeader"."""
    return re.sub(r"-([a-z])", lambda match: match.group(1).upper(), attribute)


def parse(response):
    parser = Markup()
    parser.feed(response.content.decode())
    return [(tag, attrs, set((attrs.get("class") or "").split())) for tag, attrs in parser.tags]


def test_the_script_declares_exactly_the_names_the_admin_writes():
    assert SCRIPT.declared == cells.SCRIPT_NAMES


@pytest.mark.parametrize("name", sorted(cells.SCRIPT_NAMES))
def test_the_script_spells_each_name_only_in_its_declaration(name):
    SCRIPT.assert_spelled_once(name, cells.SCRIPT_NAMES[name])


def test_the_script_reads_every_fact_the_admin_writes_and_no_other():
    read = set(re.findall(r"\bdata\.(\w+)", CODE))  # readFacts: `const data = root.dataset`
    assert read == {dataset_name(name) for name in queue.script_facts()}


def test_no_fact_is_written_into_the_script():
    keys = {op.key for op in moderation.OPERATIONS.values() if op.key}
    for value in {*queue.script_facts().values(), *keys}:
        assert value not in LITERALS, f"{value!r} is the server's: read it from the page"


def test_the_keys_list_and_the_facts_name_the_same_keys():
    listed = [key for key, _ in queue.keyboard_shortcuts()]
    facts = queue.script_facts()
    own = [facts[f"key-{name}"] for name in queue.KEYS]
    operations = [op.key for op in moderation.OPERATIONS.values() if op.key]
    author = [key for key, _ in people.KEYS.values()]  # on the author's links (admin-people.js)
    assert sorted(listed) == sorted(own + operations + author)
    assert len(set(listed)) == len(listed), "one key, one thing"


@pytest.mark.django_db
def test_the_queue_carries_the_names_and_facts_where_the_script_looks(moderator_client, article):
    held = CommentFactory(article=article)
    CommentFactory(article=article, parent=held, status="approved")
    moderator_client.post(  # an action without JavaScript: the next page offers its Undo
        reverse("admin:comments_comment_act", args=[held.pk]) + "?expected=pending",
        {"operation": "mark_spam", "next": f"{QUEUE}?status=all"},
    )
    tags = parse(moderator_client.get(QUEUE, {"status": "all"}))
    by_id = {attrs["id"]: (tag, attrs, c) for tag, attrs, c in tags if "id" in attrs}

    _, root, _ = by_id[cells.ROOT_ID]  # the facts, as data-* of the row buttons' form
    assert {name: root[f"data-{name}"] for name in queue.script_facts()} == queue.script_facts()
    tag, cell, classes = by_id[f"{cells.ROW_ID_PREFIX}{held.pk}"]
    assert tag == "div" and cells.CELL_CLASS in classes
    assert cell[cells.PK_ATTR] == str(held.pk) and cell[cells.STATUS_ATTR] == "spam"
    assert cell[cells.EDIT_URL_ATTR] == reverse("admin:comments_comment_edit", args=[held.pk])
    classes_seen = set().union(*(c for _, _, c in tags))
    for name in ("TEXT_CLASS", "ACTIONS_CLASS", "STATE_CELL_CLASS", "UNDO_CLASS"):
        assert cells.SCRIPT_NAMES[name] in classes_seen, name
    undo = next(attrs for _, attrs, c in tags if cells.UNDO_CLASS in c)
    assert undo[cells.UNDO_URL_ATTR].startswith("/admin/comments/comment/undo/")
    keys = {attrs[cells.KEY_ATTR] for tag, attrs, _ in tags if cells.KEY_ATTR in attrs}
    buttons = {a[cells.KEY_ATTR] for t, a, _ in tags if t == "button" and cells.KEY_ATTR in a}
    assert buttons <= {op.key for op in moderation.OPERATIONS.values()} and "a" in buttons
    # The author's links carry the people keys (static/js/admin-people.js reads them there).
    assert keys - buttons == {key for key, _ in people.KEYS.values()}
    assert {cells.MESSAGES_ID, cells.KEYS_ID, cells.EDITOR_ID} <= set(by_id)
    # The inline editor's fields are the ones the edit view answers and saves.
    start = tags.index(by_id[cells.EDITOR_ID])
    fields = [a["name"] for t, a, _ in tags[start:] if t in ("input", "textarea") and "name" in a]
    assert fields[: len(moderation.EDITABLE)] == list(moderation.EDITABLE)
    # A row's Reply link lands on the change page's reply box, where the script looks.
    reply = next(a["href"] for _, a, _ in tags if a.get("href", "").endswith("#reply"))
    assert reply.endswith(f"#{cells.REPLY_BOX_ID}")
    page = {a.get("id") for _, a, _ in parse(moderator_client.get(reply.split("#")[0]))}
    assert {cells.REPLY_BOX_ID, cells.REPLY_FIELD_ID, cells.REPLYING_TO_ID} <= page


@pytest.mark.django_db
def test_the_answers_carry_what_the_script_reads_from_them(moderator_client, article):
    held = CommentFactory(article=article)
    act = reverse("admin:comments_comment_act", args=[held.pk]) + "?expected=pending"
    acted = moderator_client.post(act, {"operation": "approve"}, **FETCH).json()
    edit = reverse("admin:comments_comment_edit", args=[held.pk])
    values = moderator_client.get(edit, **FETCH).json()
    edited = moderator_client.post(edit, {**values, "author_name": "Sam"}, **FETCH).json()
    refused = moderator_client.post(edit, {**values, "author_url": "nope"}, **FETCH).json()
    undone = moderator_client.post(acted["undo_url"], **FETCH).json()
    reply = reverse("admin:comments_comment_reply", args=[held.pk])
    replied = moderator_client.post(reply, {"reply": "Thanks!"}, **FETCH).json()

    answered = set(acted) | set(edited) | set(refused) | set(undone) | set(replied)
    assert set(re.findall(r"\banswer\.(\w+)", CODE)) <= answered
    rows = [acted["row"], edited["row"], *undone["rows"].values(), replied["row"]]
    assert set(re.findall(r"\browAnswer\.(\w+)", CODE)) <= set.intersection(*map(set, rows))
    assert set(values) == set(moderation.EDITABLE)


# --- static/js/admin-people.js: the author's keys and the ban dialog ---------------------------

PEOPLE_SCRIPT = Script("admin-people.js")


def test_the_people_script_declares_the_names_the_admin_writes():
    assert PEOPLE_SCRIPT.declared["BAN_LINK_CLASS"] == people.BAN_LINK_CLASS
    assert PEOPLE_SCRIPT.declared["ROOT_ID"] == cells.ROOT_ID
    assert PEOPLE_SCRIPT.declared["KEY_ATTR"] == cells.KEY_ATTR


def test_the_people_script_reads_its_keys_from_the_page():
    for key, _ in people.KEYS.values():
        assert key not in PEOPLE_SCRIPT.literals, f"{key!r} is the server's: read it from data-key"
