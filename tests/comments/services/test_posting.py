import pytest

from comments.services.posting import client_ip

pytestmark = pytest.mark.django_db


def test_client_ip_is_remote_addr_by_default(rf, settings):
    settings.COMMENTS_TRUSTED_PROXY_HEADER = ""
    request = rf.post("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "203.0.113.5"


def test_behind_a_trusted_proxy_the_right_most_forwarded_address_counts(rf, settings):
    settings.COMMENTS_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


def test_a_garbage_forwarded_header_falls_back_to_remote_addr(rf, settings):
    settings.COMMENTS_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(request) == "10.0.0.1"


def test_the_screening_context_gets_the_request_details(client, article, comment_form_data):
    from comments.models import Comment

    data = comment_form_data(article, comment="Hello there")
    long_referrer = "https://example.org/" + "r" * 700
    client.post(
        f"/comments/post/{article.pk}/",
        data,
        HTTP_USER_AGENT="TestAgent/1.0",
        HTTP_REFERER=long_referrer,
        REMOTE_ADDR="192.0.2.44",
    )
    comment = Comment.objects.get()
    assert comment.ip_address == "192.0.2.44"
    assert comment.user_agent == "TestAgent/1.0"
    assert comment.referrer == long_referrer[:500]
    assert comment.body_html == "<p>Hello there</p>"


def test_the_honeypot_value_reaches_screening(client, article, comment_form_data):
    from comments.models import Comment
    from comments.web.forms import HONEYPOT_FIELD

    data = comment_form_data(article, comment="Buy now", **{HONEYPOT_FIELD: "filled by a bot"})
    client.post(f"/comments/post/{article.pk}/", data)
    assert Comment.objects.get().status == "spam"
    client.cookies.clear()
    assert "Buy now" not in client.get(article.get_absolute_url()).content.decode()


def test_a_refusal_saves_nothing_and_shows_the_message_with_the_text_kept(
    client, article, comment_form_data, monkeypatch
):
    from comments.models import Comment
    from comments.screening import pipeline as screening

    monkeypatch.setattr(
        screening, "screen", lambda comment, context: screening.Decision(refusal="Slow down.")
    )
    response = client.post(
        f"/comments/post/{article.pk}/", comment_form_data(article, comment="Mine")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Slow down." in html and "Mine" in html
    assert not Comment.objects.exists()
