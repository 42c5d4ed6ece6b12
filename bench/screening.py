"""
How much time does screening add to posting a comment?

    .venv/bin/python bench/screening.py          # 200 posts per configuration
    .venv/bin/python bench/screening.py 500

Posts comments through the real view (Django's test client, DEBUG off, a throw-away SQLite file
under /tmp), each from its own address and email so flood and duplicate rules pass, in three
configurations:

  1. no screening      screen() replaced by "hold, no steps" (the baseline)
  2. local rules       the whole pipeline, Akismet off (no key)
  3. rules + Akismet   the whole pipeline, Akismet = the local emulator answering at once

Every reader is new, so all three hold the comment and take the same path after screening.
It prints the median (and 90th percentile) time of a POST, the extra time over the baseline,
and the median time screen() itself recorded (sum of the steps' ms, and the Akismet step).
"""

import statistics
import sys
import time
from unittest import mock

import bootstrap

bootstrap.setup(
    DATABASE_URL=bootstrap.sqlite_url("bench.sqlite3"),
    ALLOWED_HOSTS="testserver",
    AKISMET_API_KEY="",
)

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from comments.models import Comment  # noqa: E402
from comments.screening import pipeline as screening  # noqa: E402
from comments.web.forms import HONEYPOT_FIELD, sign_timestamp  # noqa: E402
from fitness.articles.models import Article  # noqa: E402
from tools import akismet_emulator  # noqa: E402

POSTS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
STATIC_FILES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


# The emulator writes headers and body separately; with Nagle's algorithm on, the body waits
# for the client's delayed ACK (~40 ms on Linux). "Answering at once" means without that.
akismet_emulator._Handler.disable_nagle_algorithm = True


def no_screening(comment, context):
    # Held, like the first-time readers of the other runs, so every run takes the same path
    # after screening (session note, moderator notification) and only screening differs.
    return screening.Decision(status=Comment.Status.PENDING, decided_by="bench")


def run(label, article, client, offset):
    url = reverse("comments:post", args=[article.pk])
    timings, screened, akismet_ms = [], [], []
    for n in range(POSTS):
        i = offset + n
        data = {
            "comment": f"Post {i}: warming up first made my knees stop aching.",
            "name": f"Reader {i}",
            "email": f"reader{i}@example.com",
            "website": "",
            "parent": "",
            "timestamp": sign_timestamp(article.pk, time.time() - 10),
            HONEYPOT_FIELD: "",
        }
        address = f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"
        started = time.perf_counter()
        response = client.post(url, data, REMOTE_ADDR=address, HTTP_USER_AGENT="bench")
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 302:
            raise SystemExit(f"{label}: post {i} answered {response.status_code}")
        comment = Comment.objects.latest("pk")
        screened.append(sum(step["ms"] for step in comment.screening))
        akismet_ms += [s["ms"] for s in comment.screening if s["step"] == "akismet"]
    return timings, screened, akismet_ms


def p90(values):
    return statistics.quantiles(values, n=10)[-1]


def main():
    call_command("migrate", verbosity=0)
    article = Article.objects.create(
        title="Bench article",
        slug="bench-screening",
        body="A short article body.",
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() - timezone.timedelta(days=1),
    )
    client = Client()
    results = {}
    with (
        override_settings(STORAGES=STATIC_FILES, SECURE_SSL_REDIRECT=False),
        akismet_emulator.AkismetEmulator() as emulator,
    ):
        with mock.patch.object(screening, "screen", no_screening):
            run("warm-up", article, client, 3 * POSTS)
            results["no screening"] = run("baseline", article, client, 0)
        results["local rules"] = run("rules", article, client, POSTS)
        with override_settings(
            AKISMET_API_KEY="bench-key",
            AKISMET_API_URL=emulator.url,
            AKISMET_SITE_URL="http://bench.example",
        ):
            results["rules + Akismet"] = run("akismet", article, client, 2 * POSTS)
        assert len(emulator.requests_to("/1.1/comment-check")) == POSTS

    baseline = statistics.median(results["no screening"][0])
    print(f"Comment POST, {POSTS} posts per configuration (median / p90, ms)")
    for label, (timings, screened, akismet_ms) in results.items():
        median = statistics.median(timings)
        line = f"  {label:16} {median:7.2f} / {p90(timings):7.2f}   extra {median - baseline:+6.2f}"
        if any(screened):
            line += f"   screen() steps {statistics.median(screened):5.2f}"
        if akismet_ms:
            line += f" (Akismet call {statistics.median(akismet_ms):5.2f})"
        print(line)


if __name__ == "__main__":
    main()
