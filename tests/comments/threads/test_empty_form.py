"""The empty comment form rendered once per process gives the same bytes as {% crispy form %}."""

import re

import pytest
from crispy_forms.utils import render_crispy_form
from django.contrib.auth.models import AnonymousUser

from comments.templatetags import comment_tags
from comments.templatetags.comment_tags import form_html
from comments.web.forms import CommentForm, sign_timestamp
from tests.factories import CommentFactory

# --- The empty comment form, rendered once per process -----------------------------------------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def page(client, article, **query):
    html = client.get(article.get_absolute_url(), query).content.decode()
    return CSRF.sub('name="csrfmiddlewaretoken" value="-"', html)


def crispy(form):
    return str(render_crispy_form(form))


@pytest.mark.django_db
@pytest.mark.parametrize("parent", [None, "", 42])
@pytest.mark.parametrize("logged_in", [False, True])
def test_the_empty_form_is_the_crispy_render_with_this_readers_values(
    article, reader, parent, logged_in
):
    user = reader if logged_in else AnonymousUser()
    for now in (1_700_000_000.5, 1_700_000_123.25):  # the second one comes from the copy
        initial = {"timestamp": sign_timestamp(article.pk, now)}
        if parent is not None:
            initial["parent"] = parent
        form = CommentForm(initial=initial, article=article, user=user)
        html = form_html(form)
        assert html == crispy(CommentForm(initial=initial, article=article, user=user))
        assert f'value="{initial["timestamp"]}"' in html


@pytest.mark.django_db
def test_bound_and_remembered_forms_are_rendered_as_usual(article):
    remembered = {"timestamp": sign_timestamp(article.pk), "name": "Ann", "remember": True}
    assert form_html(CommentForm(initial=remembered, article=article)) is None
    assert form_html(CommentForm({"comment": ""}, article=article)) is None


@pytest.mark.django_db
def test_a_changed_setting_renders_the_empty_form_again(article, settings):
    initial = {"timestamp": sign_timestamp(article.pk)}
    assert 'maxlength="5000"' in form_html(CommentForm(initial=initial, article=article))
    settings.COMMENTS_MAX_LENGTH = 1234
    assert 'maxlength="1234"' in form_html(CommentForm(initial=initial, article=article))


@pytest.mark.django_db
@pytest.mark.parametrize("reply", [None, "comment", "x<"])
def test_the_page_with_the_copied_form_is_the_page_crispy_renders(
    client, article, monkeypatch, reply
):
    comment = CommentFactory(article=article, author_name="<Ann & 'Bo'>", status="approved")
    query = {} if reply is None else {"replytocom": comment.pk if reply == "comment" else reply}
    monkeypatch.setattr("time.time", lambda: 1_700_000_000.5)
    comment_tags._empty_forms.clear()
    first = page(client, article, **query)
    assert comment_tags._empty_forms  # the second page comes from the copy
    second = page(client, article, **query)
    monkeypatch.setattr(comment_tags, "form_html", lambda form: None)  # {% crispy form %}
    assert first == second == page(client, article, **query)
    assert f'name="timestamp" value="{sign_timestamp(article.pk, 1_700_000_000)}"' in first
    if reply == "comment":
        assert f'name="parent" value="{comment.pk}"' in first
