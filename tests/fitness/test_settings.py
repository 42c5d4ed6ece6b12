import ast
import os
import re
import runpy
import shlex
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


def test_the_project_gives_the_comments_app_only_what_the_environment_gives(monkeypatch):
    """Unset in the environment, a comments setting is None: comments.conf's default applies."""
    project = _project_settings(monkeypatch, DEBUG="1")
    given = {name: project[name] for name in DEFAULTS if project.get(name) is not None}
    assert given == {}

    project = _project_settings(
        monkeypatch,
        DEBUG="1",
        COMMENTS_MAX_LINKS="4",
        AKISMET_RECHECK_SCHEDULE="10, 20",
        COMMENTS_NOTIFY_AUTHOR=" ",  # blank: not given
    )
    assert project["COMMENTS_MAX_LINKS"] == 4
    assert project["AKISMET_RECHECK_SCHEDULE"] == [10, 20]
    assert project["COMMENTS_NOTIFY_AUTHOR"] is None


def test_every_setting_is_a_plain_assignment(monkeypatch):
    """`grep "^NAME =" fitness/settings.py` finds every setting the project makes."""
    project = _project_settings(monkeypatch, DEBUG="1")
    assigned = set(re.findall(r"^([A-Z][A-Z0-9_]*) = ", SETTINGS.read_text(), re.MULTILINE))
    made = {name for name in project if name.isupper() and not name.startswith("_")}

    assert {"COMMENTS_MAX_LINKS", "CACHES", "SESSION_ENGINE"} <= made
    assert sorted(made - assigned) == []


def test_every_environment_variable_read_is_in_the_readme():
    read = read_by_settings()
    readme = (ROOT / "README.md").read_text()

    assert len(read) > 50
    assert sorted(name for name in read if f"`{name}`" not in readme) == []


# --- Every variable the code reads is in the README, and every row there is read -------------

GUNICORN_CONF = ROOT / "gunicorn.conf.py"
MAKEFILE = ROOT / "Makefile"
# Django's own: how a process finds the settings, not a setting of ours.
NOT_OURS = {"DJANGO_SETTINGS_MODULE"}


def read_by_settings():
    return set(re.findall(r"env_\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", SETTINGS.read_text()))


def read_by_gunicorn():
    source = GUNICORN_CONF.read_text()
    pattern = r"""(?:_int|os\.environ\.get|os\.environ\.setdefault)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    return set(re.findall(pattern, source))


def read_by_make():
    """The variables a `make` command line or the environment may set (`NAME ?= default`)."""
    return set(
        re.findall(r"^(?:export\s+)?([A-Z][A-Z0-9_]*)\s*\?=", MAKEFILE.read_text(), re.MULTILINE)
    )


def readme_table_variables(text):
    """The names in the first column of the README's tables."""
    names = set()
    for cell in re.findall(r"^\| ([^|]+) \|", text, re.MULTILINE):
        names |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", cell))
    return names


def test_gunicorn_conf_docstring_lists_every_variable_it_reads():
    read = read_by_gunicorn()
    docstring = ast.get_docstring(ast.parse(GUNICORN_CONF.read_text()))

    assert {"HOST", "PORT", "GUNICORN_KEEPALIVE", "FORWARDED_ALLOW_IPS"} <= read
    assert sorted(name for name in read if not re.search(rf"\b{name}\b", docstring)) == []


def test_every_variable_gunicorn_and_make_read_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    read = (read_by_gunicorn() | read_by_make()) - NOT_OURS

    assert {"EMULATOR_PORT", "PORT", "HOST", "PYTHON"} <= read_by_make()
    assert sorted(name for name in read if f"`{name}`" not in readme) == []


def test_every_variable_in_the_readmes_tables_is_read_by_the_code():
    listed = readme_table_variables((ROOT / "README.md").read_text())
    read = read_by_settings() | read_by_gunicorn() | read_by_make()

    assert len(listed) > 50
    assert sorted(listed - read) == []


def test_log_level_governs_the_django_logger(monkeypatch):
    project = _project_settings(monkeypatch, DEBUG="1", LOG_LEVEL="warning")
    assert project["LOGGING"]["root"]["level"] == "WARNING"
    assert project["LOGGING"]["loggers"]["django"]["level"] == "WARNING"


def test_site_url_follows_host_and_port_unless_set(monkeypatch):
    for name in ("HOST", "PORT", "SITE_URL"):
        monkeypatch.delenv(name, raising=False)
    assert _project_settings(monkeypatch, DEBUG="1")["SITE_URL"] == "http://127.0.0.1:8000"
    project = _project_settings(monkeypatch, DEBUG="1", PORT="8101")
    assert project["SITE_URL"] == "http://127.0.0.1:8101"
    project = _project_settings(monkeypatch, DEBUG="1", HOST="::1", PORT="8101")
    assert project["SITE_URL"] == "http://[::1]:8101"
    project = _project_settings(monkeypatch, DEBUG="1", PORT="8101", SITE_URL="https://x.example/")
    assert project["SITE_URL"] == "https://x.example"


def test_make_run_passes_its_port_to_the_settings():
    """`make run PORT=8101` serves there, and exports PORT, which the default SITE_URL reads."""
    # Not a sub-make of `make test` (which would print "Entering directory" lines).
    ignored = {"HOST", "PORT", "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"}
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8101"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "runserver 127.0.0.1:8101" in dry_run.stdout
    probe = subprocess.run(
        ["make", "--eval", "probe: ; @echo port=$$PORT host=$$HOST", "probe", "PORT=8101"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert probe.stdout.strip() == "port=8101 host=127.0.0.1", probe.stderr


def test_database_url_default_is_the_checkouts_db_sqlite3(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    project = _project_settings(monkeypatch, DEBUG="1")
    assert project["DATABASES"]["default"]["NAME"] == str(ROOT / "db.sqlite3")
    assert "SQLite in `db.sqlite3` at the top of the checkout" in (ROOT / "README.md").read_text()


# --- The README's admin recipes, run as written -------------------------------------------------


def readme_block(containing):
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)
    (block,) = [block for block in blocks if containing in block]
    return block.replace(".venv/bin/python", shlex.quote(sys.executable))


def test_the_readmes_first_admin_and_moderator_recipes_work(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env.pop("REDIS_URL", None)

    def sh(script):
        result = subprocess.run(
            ["sh", "-ec", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    sh(f"DEBUG=1 {shlex.quote(sys.executable)} manage.py migrate -v0")
    sh(readme_block("createsuperuser --no-input"))
    sh(readme_block("createsuperuser --no-input").replace("admin", "ana"))
    sh(readme_block('Group.objects.get(name="Moderators")'))
    check = (
        "from django.contrib.auth.models import User\n"
        "admin, ana = User.objects.get(username='admin'), User.objects.get(username='ana')\n"
        "print(admin.is_superuser, admin.check_password('choose-a-long-one'), ana.is_staff,\n"
        "      ana.has_perm('comments.moderate_comment'))"
    )
    out = sh(f"DEBUG=1 {shlex.quote(sys.executable)} manage.py shell -c {shlex.quote(check)}")
    assert out.split()[-4:] == ["True", "True", "True", "True"]


def test_every_variable_in_the_deployment_guides_tables_is_read_by_the_code():
    listed = readme_table_variables((ROOT / "docs" / "deploying.md").read_text())
    read = read_by_settings() | read_by_gunicorn() | read_by_make()

    assert len(listed) > 40
    assert sorted(listed - read) == []
