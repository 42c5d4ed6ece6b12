"""Amy, the commenter the privacy tests export and erase, and what her comment stored."""

from datetime import timedelta

from django.utils import timezone

AMY = "amy_loft@hotmail.com"
AMY_IP = "203.0.113.7"
AMY_AGENT = "Mozilla/5.0 (Amy's laptop) Firefox/130.0"
AMY_REFERRER = "https://search.example/?q=muscle+twitch"


def akismet_request(**overrides):
    """What the screening stores: exactly what was sent to Akismet."""
    return {
        "blog": "http://testserver",
        "user_ip": AMY_IP,
        "user_agent": AMY_AGENT,
        "referrer": AMY_REFERRER,
        "permalink": "http://testserver/articles/why/",
        "comment_type": "comment",
        "comment_author": "amy_lofthotmail.com",
        "comment_author_email": AMY,
        "comment_author_url": "https://amy.example",
        "comment_content": "My calves twitch for hours after a run.",
        **overrides,
    }


def days_ago(days):
    return timezone.now() - timedelta(days=days)
