"""docs/deploying.md and deploy/rehearse.sh, the script CI runs to prove the guide, never part:
the guide's rehearsed blocks are in the script word for word, and what the script reads from the
guide (the .env example, the units, the cron line) is there and valid."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "deploying.md").read_text()
SCRIPT = (ROOT / "deploy" / "rehearse.sh").read_text()
NGINX = (ROOT / "deploy" / "nginx.conf.example").read_text()


def guide_blocks():
    """{name: text} of the blocks the guide marks `<!-- rehearsed: name -->`."""
    found = re.findall(r"^<!-- rehearsed: ([\w-]+) -->\n```sh\n(.*?)```$", GUIDE, re.M | re.S)
    return dict(found)


def script_blocks():
    return dict(re.findall(r"^# guide: ([\w-]+)\n(.*?)^# end guide$", SCRIPT, re.M | re.S))


def env_example():
    (block,) = re.findall(r"^<!-- env-example -->\n```sh\n(.*?)```$", GUIDE, re.M | re.S)
    return block


def test_every_rehearsed_block_of_the_guide_runs_word_for_word_in_the_script():
    guide, script = guide_blocks(), script_blocks()

    assert {"user", "install", "check", "first-start", "first-admin"} <= set(guide)
    assert set(guide) == set(script)
    for name, text in guide.items():
        assert script[name] == text, f"block {name!r} differs between the guide and the script"


def test_the_guide_creates_the_user_and_its_home_before_installing():
    blocks = guide_blocks()
    assert "adduser --system --group --home /srv/fitness" in blocks["user"]
    assert list(blocks).index("user") < list(blocks).index("install")


@pytest.mark.parametrize("shell", ["bash", "sh", "dash"])
def test_the_env_example_can_be_sourced(shell, tmp_path):
    if not shutil.which(shell):
        pytest.skip(f"{shell} is not installed")
    example = env_example()
    names = re.findall(r"^([A-Z_]+)=", example, re.M)
    (tmp_path / ".env").write_text(example)
    script = "set -eu; set -a; . ./.env; set +a; " + "; ".join(
        f'printf "%s\\0" "${name}"' for name in names
    )
    result = subprocess.run(
        [shell, "-c", script], cwd=tmp_path, capture_output=True, env={"PATH": os.defpath}
    )

    assert result.returncode == 0, result.stderr.decode()
    values = dict(zip(names, result.stdout.decode().split("\0"), strict=False))
    assert values["DEFAULT_FROM_EMAIL"] == "Fitness <noreply@fitness.example.com>"
    assert values["AKISMET_API_KEY"] == "<your key from akismet.com>"  # the last line: reached
    assert len(values) == len(names) >= 15


def test_the_env_example_is_also_a_systemd_environment_file():
    """systemd's EnvironmentFile takes NAME=value lines with the value in quotes; so does sh."""
    for line in env_example().splitlines():
        assert re.fullmatch(r"[A-Z_]+='[^']*'", line), line


def test_the_systemd_units_name_four_processes_as_the_script_expects():
    starts = re.findall(r"ExecStart=([^`\n]*)", GUIDE)
    assert starts == [
        "/srv/fitness/.venv/bin/gunicorn -c gunicorn.conf.py fitness.wsgi",
        "/srv/fitness/.venv/bin/gunicorn -c gunicorn.conf.py --bind 127.0.0.1:8001 --workers 2 "
        "--threads 16 --env AKISMET_MAX_CONCURRENT=16 fitness.wsgi",
        "/srv/fitness/.venv/bin/python manage.py db_worker",
        "/srv/fitness/.venv/bin/python manage.py run_scheduler",
    ]
    for setting in (
        "User=fitness",
        "WorkingDirectory=/srv/fitness",
        "EnvironmentFile=/srv/fitness/.env",
    ):
        assert f"\n{setting}\n" in GUIDE
    assert "`/etc/systemd/system/fitness-web.service`:" in SCRIPT


def test_the_nginx_example_sends_what_waits_on_akismet_to_the_posting_pool():
    """Every view that asks Akismet while the reader waits (a post, a writer's edit) is routed
    to `upstream fitness_posting`, whose first server is the posting unit's --bind."""
    from django.urls import reverse

    (pattern,) = re.findall(r"location ~ (\S+) \{\s*proxy_pass http://fitness_posting;", NGINX)
    for path in (reverse("comments:post", args=[7]), reverse("comments:edit", args=[7])):
        assert re.match(pattern, path), path
    for path in (reverse("comments:live", args=[7]), reverse("comments:report", args=[7]), "/"):
        assert not re.match(pattern, path), path
    upstream = re.search(r"upstream fitness_posting \{(.*?)\}", NGINX, re.S).group(1)
    assert "server 127.0.0.1:8001 max_fails=0;" in upstream
    assert "server 127.0.0.1:8000 max_fails=0 backup;" in upstream
    assert "--bind 127.0.0.1:8001 " in GUIDE


def test_the_script_runs_a_cron_line_of_the_guide():
    cron = [line for line in GUIDE.splitlines() if line.endswith("--job akismet-retry")]
    assert cron and "set -a && . ./.env &&" in cron[0]
    assert "--job akismet-retry$" in SCRIPT


def test_the_nginx_example_is_for_debian_12s_nginx():
    assert "http2 on;" not in re.sub(r"#.*", "", NGINX)  # nginx 1.25+ only
    assert "listen 443 ssl http2;" in NGINX
    assert "keepalive_timeout 4s;" in NGINX  # below gunicorn's keepalive (5 s)
    # Logged without query strings: every access_log uses the format that leaves them out.
    assert re.findall(r"access_log [^;]*", NGINX) == [
        "access_log /var/log/nginx/fitness.access.log fitness_privacy",
        "access_log /var/log/nginx/fitness.access.log fitness_privacy",
        "access_log off",
    ]
    log_format = NGINX.split("log_format fitness_privacy", 1)[1].split(";", 1)[0]
    assert "$uri" in log_format and "$request " not in log_format and "$args" not in log_format


def test_the_health_probe_the_guide_shows_can_connect():
    """gunicorn listens on 127.0.0.1 behind nginx: a probe from elsewhere goes through nginx."""
    probes = re.findall(r"curl [^\n]*healthz", GUIDE)
    assert probes
    for probe in probes:
        assert ":8000/healthz" not in probe or "127.0.0.1:8000" in probe, probe


def test_ci_runs_the_rehearsal_as_its_own_last_step():
    ci = (ROOT / ".ci" / "run").read_text()
    steps = re.findall(r'^step "([^"]*)"', ci, re.M)
    assert "deploy/rehearse.sh" in steps[-2] and steps[-1] == "CI passed"
    assert os.access(ROOT / "deploy" / "rehearse.sh", os.X_OK)
    assert os.access(ROOT / "deploy" / "manage", os.X_OK)


def test_the_nginx_example_lets_the_wordpress_import_through_up_to_its_limit():
    """The import page's own limit answers in words; nginx's, a bare 413: nginx's is above."""
    from django.conf import settings
    from django.urls import reverse

    path = reverse("admin:wordpress_importrun_add")
    block = re.search(rf"location = {re.escape(path)} \{{(.*?)\}}", NGINX, re.S)
    assert block, f"no `location = {path}` in the nginx example"
    (body_mb,) = re.findall(r"client_max_body_size (\d+)m;", block.group(1))
    assert settings.WORDPRESS_IMPORT_MAX_MB == 64  # the defaults, which the example names
    assert settings.WORDPRESS_UPLOADS_MAX_MB == 1024
    assert f"WORDPRESS_IMPORT_MAX_MB ({settings.WORDPRESS_IMPORT_MAX_MB})" in NGINX
    assert f"WORDPRESS_UPLOADS_MAX_MB ({settings.WORDPRESS_UPLOADS_MAX_MB})" in NGINX
    # The export and the uploads' zip, and room for the form around them, no more.
    assert 64 + 1024 < int(body_mb) <= 64 + 1024 + 2
    assert f"up to {body_mb} MB" in GUIDE and "`WORDPRESS_IMPORT_MAX_MB` (64)" in GUIDE
