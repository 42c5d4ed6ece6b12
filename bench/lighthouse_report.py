"""
The table bench/lighthouse.sh prints: each page's four Lighthouse scores and bytes transferred,
then every weighted audit short of full marks.

    python bench/lighthouse_report.py /=bench/results/lighthouse/home.report.json [PAGE=REPORT ...]
"""

import argparse
import json
import sys


def page_report(text):
    page, sep, path = text.partition("=")
    if not sep or not page or not path:
        raise argparse.ArgumentTypeError(f"expected PAGE=REPORT, got {text!r}")
    return page, path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[0])
    parser.add_argument(
        "reports", nargs="+", type=page_report, metavar="PAGE=REPORT",
        help="a page's path and its Lighthouse JSON report",
    )  # fmt: skip
    args = parser.parse_args(argv)
    print(
        "| page | performance | accessibility | best practices | SEO "
        "| transferred before images | with images |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    failures = []
    for page, path in args.reports:
        with open(path) as file:
            report = json.load(file)
        scores = {key: round(cat["score"] * 100) for key, cat in report["categories"].items()}
        requests = report["audits"]["network-requests"]["details"]["items"]
        total = sum(r.get("transferSize", 0) for r in requests)
        before_images = sum(
            r.get("transferSize", 0) for r in requests if r.get("resourceType") != "Image"
        )
        print(
            f"| `{page}` | {scores['performance']} | {scores['accessibility']} | "
            f"{scores['best-practices']} | {scores['seo']} | {before_images / 1024:.1f} KB | "
            f"{total / 1024:.1f} KB |"
        )
        for key, cat in report["categories"].items():
            for ref in cat["auditRefs"]:
                audit = report["audits"][ref["id"]]
                if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                    failures.append(
                        f"{page}: {key}: {audit['id']} ({audit['score']}): {audit['title']}"
                    )
    if failures:
        print("\nAudits not at full marks:")
        print("\n".join(f"  {line}" for line in failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
