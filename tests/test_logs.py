"""No personal data in the logs: a commenter's email address and IP address never appear in a
log line, from posting (with Akismet on) through moderation to erasure."""

import logging
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from comments.forms import sign_timestamp
from comments.models import Comment
from tests.akismet_emulator import AkismetEmulator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "private.person@example.org"
IP = "203.0.113.77"
SECRETS = (EMAIL, IP, "private.person")
# Every logger the site and its libraries write to, at their most talkative.
LOGGERS = ("", "django", "django.request", "comments", "fitness", "httpx", "httpcore", "akismet")


@pytest.fixture(scope="module")
def emulator():
    running = AkismetEmulator().start()
    yield running
    running.stop()


@pytest.fixture
def all_logs(caplog):
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.fixture
def akismet_on(settings, emulator):
    emulator.reset()
    settings.AKISMET_API_KEY = "fitness-test-key"
    settings.AKISMET_API_URL = emulator.url
    settings.AKISMET_SITE_URL = "http://fitness.example"
    settings.AKISMET_TIMEOUT = 1
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    return emulator


@pytest.fixture
def moderator(db):
    return UserFactory(username="moderator", is_staff=True, is_superuser=True)


def post_comment(client, article, **overrides):
    data = {
        "comment": "My calves twitch after long runs; magnesium helped.",
        "name": "Private Person",
        "email": EMAIL,
        "website": "",
        "timestamp": sign_timestamp(article.pk, now=time.time() - 30),
        **overrides,
    }
    return client.post(
        reverse("comments:post", args=[article.pk]),
        data,
        REMOTE_ADDR=IP,
        HTTP_USER_AGENT="Mozilla/5.0 (private laptop)",
    )


def leaked(caplog):
    """The log lines (message and traceback) that mention the commenter's email or IP."""
    lines = []
    for record in caplog.records:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        lines += [f"{record.name}: {text}" for secret in SECRETS if secret in text]
    return lines


def test_posting_a_comment_logs_no_email_or_ip(client, article, akismet_on, all_logs):
    response = post_comment(client, article)

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.author_email == EMAIL and comment.ip_address == IP  # it was stored...
    assert akismet_on.requests_to("/1.1/comment-check")  # ...and sent to Akismet
    assert all_logs.records, "nothing was logged at all: the test would prove nothing"
    assert leaked(all_logs) == []  # ...but never logged


def test_a_refused_or_invalid_comment_logs_no_email_or_ip(client, article, all_logs, settings):
    settings.AKISMET_API_KEY = ""
    post_comment(client, article, comment="")  # invalid: the form comes back with a message
    post_comment(client, article, contact_me_by_fax_only="spam")  # the honeypot
    post_comment(client, article, timestamp="tampered")

    assert leaked(all_logs) == []


def test_moderation_and_privacy_requests_log_no_email_or_ip(
    client, article, moderator, akismet_on, all_logs
):
    post_comment(client, article)
    comment = Comment.objects.get()
    client.force_login(moderator)
    changelist = reverse("admin:comments_comment_changelist") + "?status=all"
    for action in ("approve", "mark_spam", "mark_ham", "remove", "restore"):
        client.post(changelist, {"action": action, "_selected_action": [comment.pk]})
    call_command("commenter_data", "export", EMAIL, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("commenter_data", "erase", EMAIL, "--yes", stdout=open("/dev/null", "w"))  # noqa: SIM115

    comment.refresh_from_db()
    assert comment.history.count() >= 6  # the actions did happen
    assert comment.author_name == "Anonymous"
    assert leaked(all_logs) == []
