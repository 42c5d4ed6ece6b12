"""Production readiness: /healthz, security headers, the scheduler, one-line logs."""

import json
import logging
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.test import override_settings
from django.urls import reverse
from django.utils.module_loading import import_string

from comments.services.counts import refresh_article_counts
from fitness.core import scheduler as jobs
from fitness.core import security_headers as middleware
from fitness.core.scheduler import Job, Scheduler
from tests.factories import CommentFactory
from tools.akismet_emulator import AkismetEmulator

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "fitness.core.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


# --- /healthz ---------------------------------------------------------------------------------


def test_healthz_answers_ok_for_database_and_cache(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_names_the_cache_when_it_is_down(client):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["cache"].startswith("error: ")


def test_healthz_names_the_database_when_it_is_down(client, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "error: OperationalError", "cache": "ok"}


def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("articles:list")).status_code == 301


def test_minimal_bench_view_does_not_exist_by_default(client):
    assert client.get("/_bench/minimal/").status_code == 404


# --- Content-Security-Policy ------------------------------------------------------------------


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, <style>, style= and on*=."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # A data block (JSON, the article's JSON-LD) is never run, so the CSP does not apply.
        data_block = attrs.get("type") in ("application/json", "application/ld+json")
        if tag == "script" and not attrs.get("src") and not data_block:
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        allowed = middleware.ALLOWED_STYLE_ATTRIBUTES
        if "style" in attrs and attrs["style"] not in allowed:
            self.problems.append(f"<{tag} style={attrs['style']!r}>")
        self.problems += [f"<{tag} {name}=...>" for name in attrs if name.startswith("on")]


def directives(policy):
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_article_page_has_a_strict_csp_and_nothing_inline(client, article):
    CommentFactory(article=article, status="approved", body="First!")
    refresh_article_counts([article.pk])

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    finder = InlineFinder()
    finder.feed(response.content.decode())
    assert finder.problems == []
    assert response["Permissions-Policy"].startswith("accelerometer=()")


def test_markdown_table_alignment_is_the_only_inline_style_allowed():
    policy = directives(middleware.build_policy())

    hashes = [source for source in policy["style-src"] if source.startswith("'sha256-")]

    assert len(hashes) == len(middleware.ALLOWED_STYLE_ATTRIBUTES) == 3
    assert "'unsafe-hashes'" in policy["style-src"]


def test_images_come_from_the_site_unless_the_owner_names_another_host(settings):
    settings.CSP_IMG_SRC = []
    assert directives(middleware.build_policy())["img-src"] == ["'self'", "data:"]

    settings.CSP_IMG_SRC = ["https://images.example.com"]
    policy = directives(middleware.build_policy())
    assert policy["img-src"] == ["'self'", "data:", "https://images.example.com"]


def test_admin_pages_have_the_policy_too(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assert "script-src 'self';" in response["Content-Security-Policy"]


# --- Production settings, in a fresh process ------------------------------------------------

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "production-test-" + "k" * 50,
    "ALLOWED_HOSTS": "fitness.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://fitness.example.com",
    "SITE_URL": "https://fitness.example.com",
    "AKISMET_API_KEY": "production-test-key",
}


def run_with_production_settings(args, **extra_env):
    # Not inherited: what a production machine would not have (the browser tests set the last).
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(PRODUCTION_ENV, **extra_env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    with AkismetEmulator() as emulator:
        result = run_with_production_settings(
            ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            AKISMET_API_URL=emulator.url,
        )

    assert result.returncode == 0, result.stdout + result.stderr


HEADERS_SCRIPT = """
import json, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fitness.settings")
django.setup()
from django.test import Client
client = Client(HTTP_HOST="fitness.example.com")
plain = client.get("/feed/")
secure = client.get("/healthz", secure=True)
health = client.get("/healthz")
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "secure_status": secure.status_code,
    "headers": dict(secure.headers),
    "health_status": health.status_code,
}))
"""


def test_production_responses_carry_the_security_headers(tmp_path):
    # An empty database of its own: the checks must not depend on the developer's data.
    result = run_with_production_settings(
        ["-c", HEADERS_SCRIPT],
        CACHE_KEY_PREFIX="prodtest",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://fitness.example.com/feed/"
    assert seen["health_status"] != 301  # probed over plain HTTP by the load balancer
    assert seen["secure_status"] == 200
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self';" in headers["Content-Security-Policy"]


def test_gunicorn_config_defaults_debug_off_and_binds_from_the_environment():
    script = (
        "import os, runpy; c = runpy.run_path('gunicorn.conf.py'); "
        "print(os.environ['DEBUG'], c['bind'], c['workers'], c['accesslog'], c['errorlog'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(HOST="0.0.0.0", PORT="9123", WEB_CONCURRENCY="3")

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.stdout.split() == ["0", "0.0.0.0:9123", "3", "-", "-"], result.stderr


# --- The scheduler ----------------------------------------------------------------------------

calls = []


def succeed():
    calls.append("succeed")
    return 3


def fail():
    calls.append("fail")
    raise RuntimeError("the mail server is down")


def test_run_scheduler_once_runs_every_registered_job(caplog):
    caplog.set_level(logging.INFO, logger="fitness.scheduler")

    call_command("run_scheduler", "--once")

    outcomes = [record.getMessage() for record in caplog.records]
    for job in jobs.JOBS:
        assert any(line.startswith(f"job {job.name} ") for line in outcomes), outcomes
    assert not any(" failed " in line for line in outcomes), outcomes


def test_run_scheduler_survives_a_failing_and_a_missing_job(monkeypatch, caplog):
    calls.clear()
    monkeypatch.setattr(
        jobs,
        "JOBS",
        [
            Job("broken", 60, "tests.test_production.fail"),
            Job("missing", 60, "comments.no_such_module.run"),
            Job("fine", 60, "tests.test_production.succeed"),
        ],
    )

    with pytest.raises(CommandError, match="broken, missing"):
        call_command("run_scheduler", "--once")

    assert calls == ["fail", "succeed"]
    lines = [record.getMessage() for record in caplog.records]
    assert any("job broken failed" in line and "the mail server is down" in line for line in lines)
    assert any("job missing failed" in line and "ModuleNotFoundError" in line for line in lines)
    assert any(line.startswith("job fine ok") and "result=3" in line for line in lines)


def test_run_scheduler_refuses_an_unknown_job_name():
    with pytest.raises(CommandError, match="Unknown job: nope"):
        call_command("run_scheduler", "--once", "--job", "nope")


def test_digest_job_waits_for_digest_mode(settings, caplog):
    caplog.set_level(logging.INFO, logger="fitness.scheduler")
    settings.COMMENTS_NOTIFY_MODERATORS = "each"

    call_command("run_scheduler", "--once", "--job", "moderation-digest")

    assert "job moderation-digest skipped" in caplog.text


def test_scheduler_runs_each_job_on_its_interval():
    calls.clear()
    now = [1000.0]
    scheduler = Scheduler(
        [Job("often", 60, "tests.test_production.succeed")],
        clock=lambda: now[0],
        claim=lambda job: True,
    )

    scheduler.run_pending()  # due at start
    now[0] += 30
    scheduler.run_pending()  # not yet
    now[0] += 31
    scheduler.run_pending()  # 61 s later

    assert calls == ["succeed", "succeed"]
    assert scheduler.seconds_until_next() == 60


def test_two_schedulers_sharing_a_cache_do_not_both_run_a_job():
    calls.clear()
    job = Job("once-per-interval", 3600, "tests.test_production.succeed")

    first = Scheduler([job]).run_pending()
    second = Scheduler([job]).run_pending()

    assert first == {"once-per-interval": True}
    assert second == {}
    assert calls == ["succeed"]


# --- Logs -------------------------------------------------------------------------------------


def test_log_events_are_one_line_each_even_with_a_traceback(settings):
    config = settings.LOGGING["formatters"]["line"]
    formatter = import_string(config["class"])(config["format"])
    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        record = logging.getLogger("test").makeRecord(
            "test", logging.ERROR, __file__, 1, "job %s failed", ("x",), sys.exc_info()
        )

    line = formatter.format(record)

    assert "\n" not in line
    assert "job x failed" in line
    assert "Traceback" in line and "second line" in line
