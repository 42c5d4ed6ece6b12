"""Flood control holds across processes that share one cache backend (as web workers do)."""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# One web process: screen a comment's flood step against the shared cache, print the verdict.
WORKER = """
import json, os, sys, time
import django
django.setup()
from django.conf import settings
settings.CACHES = {"default": json.loads(os.environ["FLOOD_CACHE"])}
from comments.screening import rules
from comments.models import Comment
from comments.screening.pipeline import ScreeningContext
ip, email, start_at = sys.argv[1], sys.argv[2], float(sys.argv[3])
while time.time() < start_at:
    time.sleep(0.001)
verdict = rules.flood(Comment(author_email=email), ScreeningContext(ip=ip))
print(json.dumps(verdict))
"""


def start(cache, ip, email, start_at=0.0):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fitness.settings", "FLOOD_CACHE": cache}
    env.pop("AKISMET_API_KEY", None)
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, ip, email, str(start_at)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def verdict_of(process):
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return json.loads(out)[1:]


@pytest.fixture
def file_cache(tmp_path):
    return json.dumps(
        {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    )


def test_a_second_process_refuses_the_same_ip(file_cache):
    assert verdict_of(start(file_cache, "203.0.113.7", "ada@example.com"))[0] == "pass"
    verdict, reason = verdict_of(start(file_cache, "203.0.113.7", "bea@example.com"))
    assert verdict == "refuse"
    assert reason == ("You are posting comments too quickly. Please wait 15 seconds and try again.")


def test_a_second_process_refuses_the_same_email(file_cache):
    verdict_of(start(file_cache, "203.0.113.7", "ada@example.com"))
    assert verdict_of(start(file_cache, "198.51.100.9", "ADA@example.com"))[0] == "refuse"


def test_a_second_process_lets_someone_else_post(file_cache):
    verdict_of(start(file_cache, "203.0.113.7", "ada@example.com"))
    assert verdict_of(start(file_cache, "198.51.100.9", "bea@example.com"))[0] == "pass"


def test_separate_caches_do_not_share_the_counter(tmp_path, file_cache):
    """Why the cache must be shared in production: per-process caches let floods through."""
    other = file_cache.replace(str(tmp_path / "cache"), str(tmp_path / "other"))
    verdict_of(start(file_cache, "203.0.113.7", "ada@example.com"))
    assert verdict_of(start(other, "203.0.113.7", "ada@example.com"))[0] == "pass"


def redis_url():
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return None
    return url


def test_racing_processes_on_redis_let_exactly_one_through(tmp_path):
    """Two posts at the same instant from two processes: Redis's atomic add admits one."""
    url = redis_url()
    if url is None:
        pytest.skip("Redis is not listening on 127.0.0.1:6379 (CI starts it)")
    cache = json.dumps(
        {
            "BACKEND": "fitness.core.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"flood-test-{uuid.uuid4().hex}",
        }
    )
    start_at = time.time() + 3
    processes = [start(cache, "203.0.113.99", f"racer{n}@example.com", start_at) for n in (1, 2)]
    verdicts = sorted(verdict_of(p)[0] for p in processes)
    assert verdicts == ["pass", "refuse"], verdicts
