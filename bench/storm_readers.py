"""
bench/storm.py's readers: each a browser with its own address and cookies, reading the
article, polling its live endpoint as static/js/comments.js does, and posting the form of the
page it last read (the script's landing and its private request included); `Storm` drives
them and `Stats` keeps what they saw.
"""

import asyncio
import json
import random
import re
import time
from collections import Counter
from urllib.parse import parse_qs, urlencode, urlsplit

from http_client import Connections
from serving import CommentFormReader

LIVE_EVERY = 5.0  # static/js/comments.js: `every`
WARM_UP = 5.0  # readers open the page over this many seconds before the storm
FORM = re.compile(rb'<form [^>]*id="commentform".*?</form>', re.S)
PERSONAL_COOKIES = ("comment_author", "comments_pending", "comments_editable")


class Stats:
    def __init__(self):
        self.reads = []  # (kind, seconds, X-Cache-Status)
        self.mine = []  # seconds of each private request (`comments:mine`), apart from reads
        self.landings = Counter()  # after a post: "lacked" its comment; "brought" by mine
        self.posts = []  # seconds
        self.last_post_answered = None
        self.answers = []  # (reader, started, ended, comments_version) of every live answer
        self.outcomes = {}  # text -> status of its POST, or the error
        self.errors = Counter()
        self.measuring = False

    def read(self, kind, seconds, cache):
        if self.measuring:
            self.reads.append((kind, seconds, cache))


class Reader:
    def __init__(self, number, *, returning):
        self.number = number
        self.returning = returning
        self.ip = f"10.{number // 250 % 250}.{number % 250 + 1}.{number // 62500 + 1}"
        self.name = f"Storm Reader {number}"
        self.email = f"storm-{number}@example.com"
        self.cookies = {}
        self.form = None  # (action, fields) of the page last read
        self.page_read_at = 0.0
        self.count = None  # comments the page last read showed
        self.version = None  # the live endpoint's, with its ETag
        self.etag = None

    def cookie_header(self):
        if not self.cookies:
            return []
        return ["Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items())]

    def keep_cookies(self, headers):
        for line in headers.get("set-cookie", []):
            pair, *attributes = line.split(";")
            name, _, value = pair.strip().partition("=")
            gone = value in ("", '""') or any(a.strip().lower() == "max-age=0" for a in attributes)
            if gone:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    @property
    def personal(self):
        return any(name in self.cookies for name in PERSONAL_COOKIES)


class Storm:
    def __init__(self, options, site, article, stats):
        self.options = options
        self.site = site
        self.article = article
        self.path = article.get_absolute_url()
        self.live = f"/comments/live/{article.pk}/"
        from django.urls import reverse

        from comments.readers.cookies import HINT_COOKIE
        from comments.web.views import LANDING_FIELD, SHARED_LANDING

        self.mine = reverse("comments:mine", args=[article.pk])
        # The hint the script asks `mine` on; the field it adds to the form (and its value).
        self.hint, self.landing = HINT_COOKIE, {LANDING_FIELD: SHARED_LANDING}
        self.stats = stats
        self.reads = Connections(site.nginx.port, options.connections)
        self.writes = Connections(site.nginx.port, options.post_connections)
        self.origin = site.url
        readers = options.readers
        returning = set(random.Random(29).sample(range(readers), int(readers * options.returning)))
        self.readers = [Reader(n, returning=n in returning) for n in range(readers)]

    async def read_page(self, reader, path=None, kind="page"):
        """GET the article page with the reader's cookies; (status, body)."""
        headers = [f"X-Forwarded-For: {reader.ip}", *reader.cookie_header()]
        status, answer, body, seconds = await self.reads.request("GET", path or self.path, headers)
        reader.keep_cookies(answer)
        self.stats.read(kind, seconds, answer.get("x-cache-status", ["-"])[0])
        if status == 200:
            found = FORM.search(body)
            form = CommentFormReader()
            form.feed(found.group(0).decode() if found else "")
            if form.action:
                reader.form = (form.action, form.fields)
            count = re.search(rb'id="comments"[^>]*data-count="(\d+)"', body)
            if count:
                reader.count = int(count.group(1))
            reader.page_read_at = time.monotonic()
        return status, body

    async def open_page(self, reader, path=None, kind="page"):
        """The page as a browser opens it: then, when the hint cookie is there, the script's
        private request for the reader's part (`ask_mine`). (status, body, their part)."""
        status, body = await self.read_page(reader, path, kind)
        mine = await self.ask_mine(reader, path or self.path) if status == 200 else None
        return status, body, mine

    async def ask_mine(self, reader, path):
        """GET comments:mine with the page's `page` and `sort`, as static/js/comments.js does
        when the comments_mine hint is set; the parsed JSON, or None without the hint."""
        if self.hint not in reader.cookies:
            return None
        query = parse_qs(urlsplit(path).query)
        asked = {key: query[key][0] for key in ("page", "sort") if key in query}
        url = self.mine + (f"?{urlencode(asked)}" if asked else "")
        headers = [f"X-Forwarded-For: {reader.ip}", "Accept: application/json"]
        headers += reader.cookie_header()
        status, answer, body, seconds = await self.reads.request("GET", url, headers)
        reader.keep_cookies(answer)
        if self.stats.measuring:
            self.stats.mine.append(seconds)
        return json.loads(body) if status == 200 else None

    async def poll(self, reader):
        headers = ["Accept: application/json"]
        if reader.etag:
            headers.append(f"If-None-Match: {reader.etag}")
        started = time.monotonic()
        status, answer, body, seconds = await self.reads.request("GET", self.live, headers)
        self.stats.read("live", seconds, answer.get("x-cache-status", ["-"])[0])
        if status == 200:
            data = json.loads(body)
            reader.version, reader.etag = data["version"], answer.get("etag", [None])[0]
            offered = reader.count is not None and data["count"] > reader.count
        else:
            offered = False
        if self.stats.measuring and reader.version is not None:
            self.stats.answers.append((reader.number, started, time.monotonic(), reader.version))
        return offered

    async def post(self, reader, text):
        if reader.form is None:
            await self.open_page(reader)
        action, fields = reader.form
        data = {**fields, "name": reader.name, "email": reader.email, "comment": text}
        data["website"] = ""
        data.update(self.landing)  # the script's: land on the shared page
        if reader.returning:
            data["remember"] = "on"
        body = urlencode(data).encode()
        headers = [
            "Content-Type: application/x-www-form-urlencoded",
            f"X-Forwarded-For: {reader.ip}",
            f"Origin: {self.origin}",
            "Sec-Fetch-Site: same-origin",
            f"Referer: {self.origin}{self.path}",
            *reader.cookie_header(),
        ]
        try:
            status, answer, _, seconds = await self.writes.request("POST", action, headers, body)
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            self.stats.outcomes[text] = type(error).__name__
            self.stats.errors[type(error).__name__] += 1
            return None
        reader.keep_cookies(answer)
        self.stats.outcomes[text] = status
        self.stats.last_post_answered = time.monotonic()
        if self.stats.measuring:
            self.stats.posts.append(seconds)
        location = answer.get("location", [""])[0]
        if status == 302 and location:
            # The browser follows the redirect to its comment, with the cookies just set; the
            # script asks for the reader's part, which brings the comment if the copy lacks it.
            path, _, anchor = location.removeprefix(self.origin).partition("#")
            try:
                _, body, mine = await self.open_page(reader, path, kind="after post")
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                self.stats.errors[type(error).__name__] += 1
                return status
            self.count_landing(anchor, body, mine)
        return status

    def count_landing(self, anchor, body, mine):
        """Whether the landed page lacked the writer's comment, and whether `mine` brought it
        (as a published row, or held: "pending"). It does not when the comment's page of
        threads changed in between (others' comments filled the last page): it belongs on
        another page now, and the script leaves it out of this one."""
        if not self.stats.measuring or not anchor or f'id="{anchor}"'.encode() in (body or b""):
            return
        self.stats.landings["lacked"] += 1
        mine = mine or {}
        published = {f"comment-{row['id']}" for row in mine.get("published", [])}
        if anchor in published or f'id="{anchor}"' in mine.get("pending", ""):
            self.stats.landings["brought"] += 1

    async def reader_loop(self, reader, stop_at):
        await asyncio.sleep(random.uniform(0, WARM_UP))
        try:
            await self.open_page(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            self.stats.errors[type(error).__name__] += 1
        while time.monotonic() < stop_at:
            await asyncio.sleep(LIVE_EVERY * random.uniform(0.8, 1.2))
            try:
                offered = await self.poll(reader)
                stale = time.monotonic() - reader.page_read_at >= self.options.show_every
                if offered and stale:
                    await self.read_page(reader)  # "N new comments: show"
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                self.stats.errors[type(error).__name__] += 1

    async def posting(self, started, texts):
        tasks = []
        interval = 1 / self.options.rate
        for index, text in enumerate(texts):
            await asyncio.sleep(max(0.0, started + index * interval - time.monotonic()))
            reader = self.readers[index % len(self.readers)]
            tasks.append(asyncio.create_task(self.post(reader, text)))
        await asyncio.gather(*tasks)
