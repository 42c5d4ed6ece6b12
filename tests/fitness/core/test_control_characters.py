"""Control characters in the path or a query parameter: a 404 or a 400 page, never a 500
(issue 28). On PostgreSQL each of these addresses raised DataError (a NUL in a query): the old
addresses' lookup (/?p=, /?page_id=, /?cat=, any 404's path), the search, the author's page.
CI runs this module on PostgreSQL too; on SQLite the same addresses answered 200 or a 404 that
had still looked the NUL up."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client

from fitness.core.control_characters import bad_parameters, bad_path
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db

BAD_PARAMETERS = [
    "/?p=%00",
    "/?p=5%00",
    "/?page_id=%00",
    "/?cat=%00",
    "/?tag=%00",
    "/?feed=rss2%00",
    "/?p%00=5",  # in the name
    "/search/?q=%00",
    "/search/?q=squat%00press",
    "/search/?q=squat%02",  # search.py marks its matches with \x02 and \x03
    "/search/?q=squat%7f",
    "/category/recovery/?page=%00",
    "/admin/login/?next=%00",
]

BAD_PATHS = [
    "/no-such-page%00/",
    "/%00/",
    "/tag/cramps%00/",
    "/tag/%00/",
    "/category/recovery%00/",
    "/author/ann%00/",
    "/articles/squats%00/",
    "/comments/replies/stop/%00/",
    "/static/css/site%00.css",
    "/page%0a/",
    "/page%1b/",
    "/page%7f/",
]


@pytest.fixture
def site(db):
    tag = TagFactory(name="cramps", slug="cramps")
    return ArticleFactory(title="Squat press", slug="squats", tags=[tag])


def get(url):
    """The reader's response, and the parameters of every SQL statement its request made."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append(repr(params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = Client(raise_request_exception=False).get(url)
    return response, sent


def assert_never_queried(sent):
    """No control character reached the database (PostgreSQL's DataError on a NUL)."""
    assert not any(code in params for params in sent for code in ("\\x00", "\\x02")), sent


@pytest.mark.parametrize("url", BAD_PARAMETERS)
def test_a_control_character_in_a_parameter_is_a_bad_request_page(site, url):
    response, statements = get(url)

    assert response.status_code == 400
    assert "We could not read what your browser sent" in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert_never_queried(statements)


@pytest.mark.parametrize("url", BAD_PATHS)
def test_a_control_character_in_the_path_is_a_missing_page(site, url):
    response, statements = get(url)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert_never_queried(statements)


def test_tabs_and_newlines_pasted_into_the_search_are_spaces(site):
    response, _ = get("/search/?q=squat%09%0D%0Apress")

    assert response.status_code == 200
    assert 'value="squat press"' in response.content.decode()


def test_addresses_without_control_characters_are_answered_as_before(site):
    assert get("/tag/cramps/")[0].status_code == 200
    # No such old address: looked up and not found (issue 31: a 404, never the home page).
    assert get("/?p=5")[0].status_code == 404
    assert get("/?s=cramps")[0].status_code == 301  # WordPress's search: ours
    assert get("/no-such-page/")[0].status_code == 404
    assert get("/search/?q=caf%C3%A9")[0].status_code == 200


def test_which_characters_are_refused():
    assert bad_path("/a\x00/") and bad_path("/a\t/") and bad_path("/a\x7f/")
    assert not bad_path("/café/") and not bad_path("/a%00/")  # already decoded by then
    assert bad_parameters(QueryDict("q=a%0bb")) and bad_parameters(QueryDict("a%0a=1"))
    assert not bad_parameters(QueryDict("q=a%09b%0ac%0dd&page=2"))
    assert not bad_parameters(QueryDict("q=%C2%85"))  # C1 controls: PostgreSQL stores them
