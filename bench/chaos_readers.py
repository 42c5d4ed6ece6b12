"""
One reader of bench/chaos.py posting one comment: the page read through nginx, its form filled
in, the post sent; pressed again after a failure as a person would, on the next instance, and
what every request saw recorded (`Record`) for the phase's figures.
"""

import re
import threading
import time

import httpx
from serving import COMMENT_ID, CommentFormReader

ATTEMPTS = 4
FLOOD_SECONDS = 5  # the sites' COMMENTS_FLOOD_SECONDS: a reader told to wait waits this long
# Only the form is parsed (HTMLParser over a whole page of comments would cost the readers'
# process more CPU than the servers spend, and inflate every latency it measures).
FORM = re.compile(r'<form [^>]*id="commentform".*?</form>', re.S)


class Record:
    """What the readers saw in one phase."""

    def __init__(self):
        self.lock = threading.Lock()
        self.posts, self.reads, self.statuses, self.errors = [], [], [], []
        self.rendered = []  # the reads nginx passed to gunicorn (not from its cache)
        self.outcomes = {}  # text -> (final outcome, attempts, comment id or None)

    def add(self, kind, seconds, status, *, cache=None):
        with self.lock:
            (self.posts if kind == "post" else self.reads).append(seconds)
            self.statuses.append(status)
            if kind == "read" and cache not in ("HIT", "STALE", "UPDATING"):
                self.rendered.append(seconds)

    def error(self, what):
        with self.lock:
            self.errors.append(what)


def attempt(client, url, body, *, name, email, ip, record):
    """GET the page, fill in its form, POST it. Returns (kind, detail)."""
    headers = {"X-Forwarded-For": ip}
    client.cookies.clear()  # each post is a new reader's browser
    try:
        started = time.perf_counter()
        page = client.get(url, headers=headers)
        cache = page.headers.get("x-cache-status")
        record.add("read", time.perf_counter() - started, page.status_code, cache=cache)
        if page.status_code != 200:
            return "http", page.status_code
        form = CommentFormReader()
        found = FORM.search(page.text)
        form.feed(found.group(0) if found else "")
        if not form.action:
            return "http", "no form"
        data = {**form.fields, "name": name, "email": email, "comment": body, "website": ""}
        started = time.perf_counter()
        referer = str(page.url)  # absolute, as a browser sends it (fitness/core/csrf.py)
        response = client.post(form.action, data=data, headers={**headers, "Referer": referer})
        record.add("post", time.perf_counter() - started, response.status_code)
    except httpx.HTTPError as error:
        record.error(type(error).__name__)
        return "error", type(error).__name__
    match = COMMENT_ID.search(response.headers.get("location", ""))
    if response.status_code == 302 and match:
        return "accepted", int(match.group(1))
    if response.status_code == 400:
        text = response.text.lower()
        if "too quickly" in text:
            return "flood", None
        if "already said that" in text:
            return "duplicate", None
        return "refused", None
    return "http", response.status_code


def post_as_a_reader(clients, url, body, *, name, email, ip, record):
    """Post; press "Post" again after a failure, as a reader would (after 0.5, 1, 2 s). Each
    try goes to the next instance, as a load balancer moves on from one that fails.
    Returns (outcome, tries, comment id or None)."""
    failed_before = False
    for tries in range(1, ATTEMPTS + 1):
        client = clients[(tries - 1) % len(clients)]
        kind, detail = attempt(client, url, body, name=name, email=email, ip=ip, record=record)
        if kind == "accepted":
            return "accepted", tries, detail
        if kind == "duplicate" and failed_before:
            return "accepted-before", tries, None  # an earlier try was stored after all
        if kind == "flood" and failed_before:
            time.sleep(FLOOD_SECONDS + 0.5)  # "please wait a few seconds"; the text is kept
            continue
        if kind in ("flood", "duplicate", "refused"):
            return "refused" if not failed_before else f"refused-after-error-{kind}", tries, None
        failed_before = True
        time.sleep(0.5 * 2 ** (tries - 1))
    return "gave-up", ATTEMPTS, None
