"""No personal data in the logs: a commenter's email address and IP address never appear in a
log line, from posting (with Akismet on) through moderation to erasure; and a real gunicorn's
output (access log and Django's logs) holds no email address, not even in a traceback."""

import logging
import os
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from django.core.management import call_command
from django.urls import reverse

from comments.models import Comment
from comments.web.forms import sign_timestamp

pytestmark = pytest.mark.django_db

EMAIL = "private.person@example.org"
IP = "203.0.113.77"
NAME = "Private Person"
TEXT = "magnesium helped"
# The privacy page: the logs never hold the email address, the name or the comment's text.
SECRETS = (EMAIL, IP, "private.person", NAME, TEXT)
# Every logger the site and its libraries write to, at their most talkative.
LOGGERS = ("", "django", "django.request", "comments", "fitness", "httpx", "httpcore", "akismet")


@pytest.fixture
def all_logs(caplog):
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.fixture
def akismet_on(akismet_emulator, settings):
    settings.AKISMET_TIMEOUT = 1
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    return akismet_emulator


def post_comment(client, article, **overrides):
    data = {
        "comment": f"My calves twitch after long runs; {TEXT}.",
        "name": NAME,
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
    client, article, admin_user, akismet_on, all_logs
):
    post_comment(client, article)
    comment = Comment.objects.get()
    client.force_login(admin_user)  # a superuser: the privacy requests too
    changelist = reverse("admin:comments_comment_changelist") + "?status=all"
    for action in ("approve", "mark_spam", "mark_ham", "remove", "restore"):
        client.post(changelist, {"action": action, "_selected_action": [comment.pk]})
    call_command("commenter_data", "export", EMAIL, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("commenter_data", "erase", EMAIL, "--yes", stdout=open("/dev/null", "w"))  # noqa: SIM115

    comment.refresh_from_db()
    assert comment.history.count() >= 6  # the actions did happen
    assert comment.author_name == "Anonymous"
    assert leaked(all_logs) == []


# --- A real gunicorn's output: access log and Django's logs, on its stdout -------------------

SEED = """
from django.utils import timezone
from comments.models import Comment, ReplyAddress
from comments.services.posting import create_comment
from tests.factories import ArticleFactory
article = ArticleFactory(title="Twitching")
# Double opt-in: the parent's writer confirmed their address
# (tests/comments/notifications/test_reply_optin.py).
ReplyAddress.objects.create(email="reader@example.org", confirmed_at=timezone.now())
parent = Comment(article=article, author_name="Reader", author_email="reader@example.org",
                 body="Why do my calves twitch?", notify_replies=True)
create_comment(parent, status="approved", announce=False)
print("SEEDED", article.pk, parent.pk, article.get_absolute_url())
"""


class RefusingSMTP(socketserver.StreamRequestHandler):
    """An SMTP server that refuses every recipient, naming it, as a real one does."""

    def handle(self):
        self.wfile.write(b"220 refusing.example ESMTP\r\n")
        for line in self.rfile:
            command = line.decode().strip()
            verb = command.split(" ")[0].upper()
            if verb == "RCPT":
                address = command.split(":", 1)[1].strip()
                self.wfile.write(f"550 5.1.1 {address}: no such user here\r\n".encode())
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def refusing_smtp():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RefusingSMTP)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def gunicorn(tmp_path, refusing_smtp):
    """A real gunicorn with the project's gunicorn.conf.py, its stdout and stderr in a file."""
    root = Path(__file__).resolve().parents[3]
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}},
        "DEBUG": "1",  # static files from the finders, no collectstatic needed
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "LOG_LEVEL": "DEBUG",
        "TASKS_BACKEND": "immediate",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(refusing_smtp),
        "COMMENTS_HOLD_FIRST_TIME": "0",
        "COMMENTS_MIN_SUBMIT_SECONDS": "0",
        "COMMENTS_NOTIFY_MODERATORS": "off",
        "COMMENTS_NOTIFY_AUTHOR": "0",
        "PAGE_CACHE_SECONDS": "0",
    }
    for name in ("REDIS_URL", "AKISMET_API_KEY"):
        env.pop(name, None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=root, env=env, check=True, timeout=120)
    seeded = subprocess.run(
        [*manage, "shell", "-c", SEED], cwd=root, env=env, check=True, timeout=60,
        capture_output=True, text=True,
    )  # fmt: skip
    (seed,) = [line for line in seeded.stdout.splitlines() if line.startswith("SEEDED ")]
    _, article_id, parent_id, path = seed.split()
    output = open(tmp_path / "gunicorn.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "fitness.wsgi"],
        cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(base + "/healthz", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    try:
        yield SimpleNamespace(
            url=base, article_id=int(article_id), parent_id=int(parent_id), path=path,
            stop=lambda: (process.terminate(), process.wait(20)), log=tmp_path / "gunicorn.log",
        )  # fmt: skip
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        output.close()


def test_a_real_gunicorns_output_holds_no_email_address(gunicorn):
    """The admin search's query string stays out of the access log, and a refused recipient in
    a reply email's traceback is redacted in Django's log, on what gunicorn really writes."""
    with httpx.Client(base_url=gunicorn.url, timeout=10) as browser:
        search = browser.get("/admin/comments/comment/?q=someone%40example.org")
        assert search.status_code == 302  # to the login page; the request line was logged
        browser.get(gunicorn.path)  # the reader's page: no token (fitness/core/csrf.py)
        reply = browser.post(
            f"/comments/post/{gunicorn.article_id}/",
            data={
                "comment": "Magnesium helped me.",
                "name": "Replier",
                "email": "replier@example.net",
                "website": "",
                "parent": str(gunicorn.parent_id),
                "timestamp": sign_timestamp(gunicorn.article_id, now=time.time() - 30),
            },
        )
        assert reply.status_code == 302, reply.text[:2000]
    gunicorn.stop()
    log = gunicorn.log.read_text()

    # The test saw what it is about: both requests, and the email that failed, with traceback.
    assert '"GET /admin/comments/comment/ HTTP/1.1" 302' in log
    assert f'"POST /comments/post/{gunicorn.article_id}/ HTTP/1.1" 302' in log
    assert "Email about comment" in log and "SMTPRecipientsRefused" in log
    assert "[email]" in log
    for secret in ("someone", "reader@example.org", "replier@example.net", "%40", "@example"):
        assert secret not in log, [line for line in log.splitlines() if secret in line]
