"""The demo content: the two seed articles, as Markdown files beside this module, with the
categories and tags the old WordPress site gave them (/work/shared/wordpress/README.md), and a
featured image for each, drawn here with Pillow (nothing is fetched from outside)."""

import io
import math
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
        "image": {
            "alt": "Green waves crossing a dark green field, like a muscle's fibres at rest",
            "colours": ((12, 84, 52), (25, 135, 84), (200, 240, 215)),
            "waves": 7,
        },
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
        "image": {
            "alt": "Pale green circles rippling out on a teal field, like a twitch spreading",
            "colours": ((10, 70, 80), (20, 120, 110), (210, 245, 235)),
            "waves": 0,
        },
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


def demo_image(spec, width=1600, height=840):
    """A featured image for a demo article, as PNG bytes: a vertical gradient with waves (or
    rings when `waves` is 0) in the article's colours."""
    from PIL import Image, ImageDraw

    dark, mid, light = spec["colours"]
    picture = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / (height - 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(dark, mid, strict=True)),
        )
    if spec["waves"]:
        for n in range(spec["waves"]):
            base = height * (n + 1) / (spec["waves"] + 1)
            points = [
                (x, base + 40 * math.sin(x / 130 + n * 0.9) + 18 * math.sin(x / 47 + n))
                for x in range(0, width + 8, 8)
            ]
            draw.line(points, fill=light, width=6 - n % 3 * 2)
    else:
        cx, cy = width * 0.62, height * 0.5
        for n in range(1, 12):
            r = n * 58
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=light, width=max(2, 9 - n))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()
