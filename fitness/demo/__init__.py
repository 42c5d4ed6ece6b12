"""The demo content: the two seed articles, as Markdown files beside this module, with the
categories and tags the old WordPress site gave them (/work/shared/wordpress/README.md)."""

from datetime import UTC, datetime
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent

ARTICLES = [
    {
        "slug": "why-do-muscles-twitch-after-a-workout",
        "title": "Why Do Muscles Twitch After a Workout?",
        "categories": ["fitness"],
        "tags": ["cramps", "electrolytes", "walking"],
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
        "categories": ["fitness", "health"],
        "tags": ["cramps", "sleep"],
        "byline": "Fitness editors",
        "publish_at": datetime(2024, 5, 20, 9, 0, tzinfo=UTC),
        "excerpt": (
            "What muscle twitching is, its types and causes, when it is normal, and when "
            "to see a doctor: a simple guide with a table of symptoms and actions."
        ),
    },
]


# slug -> (name, description)
CATEGORIES = {
    "fitness": (
        "Fitness",
        "Training, workouts and what your muscles do after them, explained by people who study it.",
    ),
    "health": (
        "Health",
        "When a symptom is normal, when it is not, and when to see a doctor.",
    ),
}
TAGS = {
    "cramps": ("cramps", "Muscle cramps: why they come and how to ease them."),
    "electrolytes": ("electrolytes", "Sodium, potassium, magnesium: the salts muscles run on."),
    "walking": ("walking", "The easiest workout there is, and what it does to your legs."),
    "sleep": ("sleep", "Rest and recovery: what sleep does for muscles."),
}


def article_body(slug):
    return (DEMO_DIR / f"{slug}.md").read_text(encoding="utf-8")
