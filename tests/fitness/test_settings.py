import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from comments.conf import DEFAULTS

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "fitness" / "settings.py"
# Not inherited from the test run (tests/settings.py sets the first two): what a production
# machine would not have.
NOT_INHERITED = {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}


def _start(env_overrides, command="check"):
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _start({"DEBUG": "0", "ALLOWED_HOSTS": "example.com"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("command", ["run_scheduler", "db_worker"])
def test_debug_is_off_unless_asked_so_a_worker_without_a_key_refuses(command):
    result = _start({}, command)  # neither DEBUG nor SECRET_KEY

    assert result.returncode != 0
    assert "SECRET_KEY is not set. With DEBUG off Fitness refuses to start" in result.stderr


def test_production_starts_with_a_secret_key():
    result = _start({"DEBUG": "0", "ALLOWED_HOSTS": "example.com", "SECRET_KEY": "x" * 60})
    assert result.returncode == 0, result.stderr


def _project_settings(monkeypatch, **env):
    for name in {*NOT_INHERITED, *DEFAULTS}:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_debug_defaults_off(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not set"):
        _project_settings(monkeypatch)

    assert _project_settings(monkeypatch, SECRET_KEY="x" * 60)["DEBUG"] is False
    assert _project_settings(monkeypatch, DEBUG="1")["DEBUG"] is True


def test_the_project_sets_only_what_the_environment_gives_the_comments_app(monkeypatch):
    project = _project_settings(monkeypatch, DEBUG="1")
    assert set(project) & set(DEFAULTS) == set()

    project = _project_settings(
        monkeypatch, DEBUG="1", COMMENTS_MAX_LINKS="4", AKISMET_RECHECK_SCHEDULE="10, 20"
    )
    assert project["COMMENTS_MAX_LINKS"] == 4
    assert project["AKISMET_RECHECK_SCHEDULE"] == [10, 20]


def test_every_environment_variable_read_is_in_the_readme():
    source = SETTINGS.read_text()
    read = set(re.findall(r"env_\w+\(\s*\"([A-Z_]+)\"", source))
    read |= set(re.findall(r"^\s+([A-Z_]+)=env_\w+,$", source, re.MULTILINE))
    readme = (ROOT / "README.md").read_text()

    assert len(read) > 50
    assert sorted(name for name in read if f"`{name}`" not in readme) == []
