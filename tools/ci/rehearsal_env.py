"""
Write the rehearsal's .env: the guide's example with its placeholders filled, then the lines
only the rehearsal needs (its ports, the local Akismet emulator, its own cache keys).

    python3 tools/ci/rehearsal_env.py EXAMPLE TARGET <<VALUES
    SECRET_KEY=...
    DATABASE_URL=postgres://...
    # rehearsal only
    PORT=18000
    VALUES

Each NAME=VALUE line before the "# rehearsal only" line replaces the example's line for NAME,
which must be there; each after it is added below that line. Values are written single-quoted,
so that sh, bash and systemd read them alike. The values come on standard input, not as
arguments, because they hold the database password (arguments are visible in `ps`). Fails when
a name to fill is not in the example, or when a placeholder (`<your key>`, `'...'`) is left.

Standard library only: deploy/rehearse.sh runs it with the system's python3 (as root).
"""

import argparse
import re
import sys

MARKER = "# rehearsal only"
# <your key>, '...'; not <noreply@...>, a real address in DEFAULT_FROM_EMAIL.
PLACEHOLDER = re.compile(r"<[^>@]*>|'\.\.\.'")


def quote(value):
    return "'" + value.replace("'", "'\\''") + "'"


def parse_values(text):
    """({name: value} to fill in, {name: value} to add), from NAME=VALUE lines."""
    fill, extra = {}, {}
    target = fill
    for line in text.splitlines():
        if line.strip() == MARKER:
            target = extra
        elif line.strip():
            name, sep, value = line.partition("=")
            if not sep or not re.fullmatch(r"[A-Z_][A-Z0-9_]*", name):
                raise ValueError(f"not a NAME=VALUE line: {line!r}")
            target[name] = value
    return fill, extra


def render(example, fill, extra):
    fill = dict(fill)
    lines = []
    for line in example.splitlines():
        name = line.split("=", 1)[0]
        lines.append(f"{name}={quote(fill.pop(name))}" if name in fill else line)
    if fill:
        raise ValueError(f"the example lost {sorted(fill)}")
    lines += [MARKER] + [f"{name}={quote(value)}" for name, value in extra.items()]
    text = "\n".join(lines) + "\n"
    left = PLACEHOLDER.findall(text)
    if left:
        raise ValueError(f"placeholders left in .env: {left}")
    return text


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[0])
    parser.add_argument("example", help="the guide's .env example")
    parser.add_argument("target", help="the .env to write")
    args = parser.parse_args(argv)
    try:
        fill, extra = parse_values(sys.stdin.read())
        with open(args.example) as example:
            text = render(example.read(), fill, extra)
    except ValueError as error:
        print(f"rehearsal_env: {error}", file=sys.stderr)
        return 1
    with open(args.target, "w") as target:
        target.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
