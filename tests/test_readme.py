"""README.md's examples run as written (issue 31): every command line of its ```sh blocks is run
against a temporary database through `./manage` (in README's order, on one database, as a reader
following it would: a test first runs the lines before it that its process has not), from a
folder holding the files it names, or, where running it would serve, block or change a real
account, checked against `./manage help COMMAND` (its options must be the command's); `make`
lines are dry-run (`make -n`).
"""

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.wordpress.conftest import EXPORT, UPLOADS

REPO = Path(__file__).resolve().parent.parent
# Run as written. Anything else is checked against the command's help.
EXECUTED = {
    "migrate",
    "check",
    "help",
    "createsuperuser",
    "load_demo",
    "remove_demo",
    "import_wordpress",
    "export_wordpress",
    "akismet_status",
    "commenter_data",
}


def command_lines(text):
    """[(line number, [words])] of every command in README's ```sh blocks: continuations joined,
    a quoted string over several lines kept whole, comments dropped."""
    found = []
    for block in re.finditer(r"^```sh\n(.*?)^```", text, re.S | re.M):
        first = text[: block.start()].count("\n") + 2
        pending, start = "", None
        for number, line in enumerate(block.group(1).splitlines(), first):
            start = start or number
            pending += line + "\n"
            if pending.rstrip().endswith("\\"):
                continue
            try:
                words = shlex.split(pending.replace("\\\n", " "), comments=True)
            except ValueError:  # an open quote: the string goes on
                continue
            if words:
                found.append((start, words))
            pending, start = "", None
    return found


def split_env(words):
    env = {}
    while words and re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]):
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    return env, words


LINES = command_lines((REPO / "README.md").read_text(encoding="utf-8"))


def test_the_readme_has_commands_and_runs_them_one_way():
    programs = {split_env(list(words))[1][0] for _, words in LINES}
    assert programs == {"./manage", "make"}, programs
    assert sum(words[0] == "./manage" or "./manage" in words for _, words in LINES) >= 10


@pytest.fixture(scope="module")
def laptop(tmp_path_factory):
    """A folder as a reader's: `./manage` (the repository's), the WordPress export and its
    uploads under the names README uses; a migrated SQLite database of its own."""
    if not EXPORT.is_file():
        pytest.skip(f"the shared WordPress export is not at {EXPORT}")
    folder = tmp_path_factory.mktemp("laptop")
    (folder / "manage").symlink_to(REPO / "manage")
    (folder / "fitness.wordpress.xml").symlink_to(EXPORT)
    (folder / "wp-content").mkdir()
    (folder / "wp-content" / "uploads").symlink_to(UPLOADS)
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PYTEST", "DEBUG"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        TASKS_BACKEND="immediate",
    )
    run(folder, env, ["./manage", "migrate", "--no-input", "-v0"])
    return folder, env, set()  # the README lines run in it


def run(folder, env, words, extra_env=None):
    result = subprocess.run(
        words,
        cwd=folder,
        env={**env, **(extra_env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, f"{shlex.join(words)}\n{result.stdout}\n{result.stderr}"
    return result


def executed(words):
    """Whether README's command line `words` is run as written (else checked against help)."""
    words = split_env(list(words))[1]
    return words[0] == "./manage" and words[1] in EXECUTED


@pytest.mark.parametrize(("number", "words"), LINES, ids=[f"line {n}" for n, _ in LINES])
def test_a_readme_command_runs_as_written(laptop, number, words):
    folder, env, ran = laptop
    # The lines before it first, in README's order, where this process has not run them: with
    # pytest-xdist (make test) another worker may have run them in its own folder.
    for earlier, earlier_words in LINES:
        if earlier < number and earlier not in ran and executed(earlier_words):
            earlier_extra, earlier_words = split_env(list(earlier_words))
            run(folder, env, earlier_words, earlier_extra)
            ran.add(earlier)
    extra, words = split_env(list(words))
    if words[0] == "make":
        result = run(REPO, env, ["make", "-n", *words[1:]], extra)
        assert result.stdout.strip()
        return
    assert words[0] == "./manage", f"README line {number}: {shlex.join(words)}"
    command = words[1]
    if command in EXECUTED:
        ran.add(number)
        run(folder, env, words, extra)
        return
    help_text = run(folder, env, ["./manage", "help", command]).stdout
    for word in words[2:]:
        if word.startswith("-"):
            assert word.split("=")[0] in help_text, f"{command} has no option {word}"


def test_the_wrapper_says_what_to_do_on_an_unmigrated_database(tmp_path):
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"}
    result = subprocess.run(
        [str(REPO / "manage"), "remove_demo"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert result.stderr.startswith("The database is not migrated (")
    assert result.stderr.count("\n") == 1, result.stderr  # one line, no traceback
    assert "run `./manage migrate` first" in result.stderr
