"""Amy's comment and Stephen's reply to it, for the privacy tests (privacy_people.py)."""

import pytest

from tests.comments.services.privacy_people import (
    AMY,
    AMY_AGENT,
    AMY_IP,
    AMY_REFERRER,
    akismet_request,
    days_ago,
)
from tests.factories import CommentFactory


@pytest.fixture
def amy_comment(article):
    return CommentFactory(
        article=article,
        author_name="amy_lofthotmail.com",
        author_email=AMY,
        author_url="https://amy.example",
        body="My calves twitch for hours after a run.",
        ip_address=AMY_IP,
        user_agent=AMY_AGENT,
        referrer=AMY_REFERRER,
        status="approved",
        created_at=days_ago(90),
        screening=[{"step": "flood", "verdict": "pass", "reason": f"{AMY} posted once", "ms": 1}],
        akismet_verdict="ham",
        akismet_request=akismet_request(),
        akismet_response={"body": "false", "headers": {"X-akismet-guid": "abc"}},
    )


@pytest.fixture
def stephen_reply(amy_comment):
    return CommentFactory(
        parent=amy_comment,
        author_name="Stephen",
        author_email="stephen@example.com",
        body="@amy_lofthotmail.com: magnesium helped me.",
        status="approved",
        created_at=days_ago(89),
    )
