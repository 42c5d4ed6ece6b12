"""
No request gets a 500 (issue 28): Hypothesis sends thousands of hostile requests at every URL
pattern of the site and every answer is below 500.

The patterns are read from `get_resolver()`, so a new page is fuzzed without a change here: the
articles, categories, tags, authors and search, the feeds, the comments (post, permalink, edit,
delete, the reply-email links), the WordPress links, the admin (anonymous: its login; a
moderator: the queue, the comment pages and their actions, the other changelists), the sitemap,
robots.txt, /healthz, the pages at the root, and paths that match nothing.

Each request is drawn from:
* a path parameter: an existing slug, id, username or signed token (of the demo content,
  `load_demo`), a value that fits the converter, or a hostile one (huge or negative-looking
  numbers, unicode digits, any unicode, ASCII controls and NUL, percent-escapes of arbitrary
  bytes, thousands of characters), percent-encoded or sent raw;
* a query string: WordPress's names (?p=, ?page_id=, ?cat=, ?s=), the site's (?q=, ?page=),
  the admin's (?o=, ?status=, lookups), any name at all, with the same values;
* GET, HEAD or POST; a POST carries random form fields (the test client skips CSRF checks,
  so that they reach the views);
* an anonymous reader or a staff moderator (of the Moderators group).

A third of the requests go to the site's own patterns, a third to the admin's, a third post a
comment to an article: a valid form (signed timestamp and all) with none, some or all of its
fields spoiled, so that screening, saving and the form's errors run too.

Every request runs in a savepoint rolled back after it, so each is independent of the others
and Hypothesis can shrink a failing one. The run is derandomized (the same requests in CI as on
a laptop); a 500 fails with the request, shrunk, and the server's traceback. The count of
requests sent is printed and must reach MIN_REQUESTS.
"""

import io
import time
import traceback
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings

from tests.fuzz_requests import known_values, requests, send, site_routes

pytestmark = pytest.mark.django_db

MIN_REQUESTS = 5_000
# One request an example; a few more than the minimum, for any Hypothesis discards.
EXAMPLES = 5_100

# --- The fuzz ---------------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    """The demo articles, their terms and images, and the seed comments, loaded once."""
    call_command("load_demo", stdout=io.StringIO())


def test_no_request_gets_a_500(client, moderator, demo):
    routes = site_routes()
    known = known_values(moderator)
    client.raise_request_exception = False
    moderator_client = Client(raise_request_exception=False)
    moderator_client.force_login(moderator)
    clients = {"anonymous": client, "moderator": moderator_client}
    sent = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(request=requests(routes, known))
    def fuzz(request):
        with transaction.atomic():
            response = send(clients[request.who], request)
            transaction.set_rollback(True)
        sent.append((request, response.status_code))
        if request.route.endswith("(admin:logout)") and request.who == "moderator":
            moderator_client.force_login(moderator)  # logged out: log in again
        if response.status_code >= 500:
            trace = "".join(traceback.format_exception(*response.exc_info or (None,) * 3))
            pytest.fail(f"{response.status_code} for {request}\n{trace}")

    started = time.monotonic()
    fuzz()
    seconds = time.monotonic() - started
    covered = Counter(request.route for request, _ in sent)
    statuses = Counter(f"{status // 100}xx" for _, status in sent)
    print(
        f"\nfuzz: {len(sent)} requests, none answered 500, over {len(covered)} of"
        f" {len(routes)} patterns, in {seconds:.1f} s; {dict(sorted(statuses.items()))}"
    )
    print("patterns not drawn:", [str(route) for route in routes if str(route) not in covered])
    assert len(sent) >= MIN_REQUESTS
