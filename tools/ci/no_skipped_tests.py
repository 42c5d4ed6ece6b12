"""
Fail unless each junit report ran its kind of test, none of them skipped.

    python -m tools.ci.no_skipped_tests test-artifacts/sqlite.xml:browser \\
        test-artifacts/postgres.xml:scaleout

A KIND is a package under tests/ (`browser` is tests/browser/...). CI needs this because those
tests skip themselves where their tools are missing (Chromium; PostgreSQL and Redis): on a
laptop that is a convenience, in CI it would be a green run that proved nothing.
"""

import argparse
import sys
import xml.etree.ElementTree as ET


def report(path, kind):
    """(how many tests of `kind` ran, problems found) in the junit XML at `path`."""
    ran, problems = 0, []
    for case in ET.parse(path).iter("testcase"):
        classname = case.get("classname", "")
        if classname != f"tests.{kind}" and not classname.startswith(f"tests.{kind}."):
            continue
        if case.find("skipped") is not None:
            problems.append(f"{classname}.{case.get('name')} was skipped in {path}")
        else:
            ran += 1
    if not ran:
        problems.append(f"no {kind} test ran in {path}")
    return ran, problems


def spec(text):
    path, sep, kind = text.rpartition(":")
    if not sep or not path or not kind:
        raise argparse.ArgumentTypeError(f"expected PATH:KIND, got {text!r}")
    return path, kind


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[0])
    parser.add_argument(
        "specs", nargs="+", type=spec, metavar="PATH:KIND", help="a junit XML file and a kind"
    )
    args = parser.parse_args(argv)
    problems = []
    for path, kind in args.specs:
        ran, found = report(path, kind)
        print(f"{kind} tests run in {path}: {ran}")
        problems += found
    if problems:
        print("FAIL:\n  " + "\n  ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
