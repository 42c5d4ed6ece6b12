"""The demo content: the two seed articles, as Markdown files beside this module."""

from datetime import UTC, datetime
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent

ARTICLES = [
    {
        "slug": "why-do-muscles-twitch-after-a-workout",
        "title": "Why Do Muscles Twitch After a Workout?",
        "category": "Fitness",
        "byline": "Fitness editors",
        "publish_at": datetime(2010, 3, 15, 9, 0, tzinfo=UTC),
        "excerpt": (
            "Why do muscles twitch after a workout? Lots of reasons: a sports medicine "
            "physician and a kinesiology professor explain energy, electrolytes and the "
            "neural side of recovery."
        ),
    },
    {
        "slug": "understanding-muscle-twitching-guide",
        "title": "Understanding Muscle Twitching – A Simple Guide",
        "category": "Fitness",
        "byline": "Fitness editors",
        "publish_at": datetime(2024, 5, 20, 9, 0, tzinfo=UTC),
        "excerpt": (
            "What muscle twitching is, its types and causes, when it is normal, and when "
            "to see a doctor: a simple guide with a table of symptoms and actions."
        ),
    },
]


def article_body(slug):
    return (DEMO_DIR / f"{slug}.md").read_text(encoding="utf-8")
