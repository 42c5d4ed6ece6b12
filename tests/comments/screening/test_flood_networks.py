"""Flood control counts an IPv6 customer's whole /64, not each address in it (issue 15)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from comments.models import Comment
from comments.screening.flood import FLOOD_MESSAGE_FRAGMENT, address_key
from tests.comments.test_cache_down import UNREACHABLE_REDIS

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_the_proxy(settings):
    settings.COMMENTS_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.COMMENTS_FLOOD_SECONDS = 15
    return settings


def burst(client, article, comment_form_data, addresses):
    """One post per address, each with its own email and text; the status codes."""
    codes = []
    for n, address in enumerate(addresses):
        data = comment_form_data(article, comment=f"Comment {n}.", email=f"r{n}@example.com")
        response = client.post(
            reverse("comments:post", args=[article.pk]),
            data,
            HTTP_X_FORWARDED_FOR=f"203.0.113.50, {address}",
        )
        if response.status_code == 400:
            assert FLOOD_MESSAGE_FRAGMENT in response.content.decode()
        codes.append(response.status_code)
    return codes


ROTATING = [f"2001:db8:1::{n:x}" for n in range(1, 41)]  # 40 addresses of one /64


def test_rotating_ipv6_addresses_inside_one_64_is_one_poster(
    behind_the_proxy, client, article, comment_form_data
):
    codes = burst(client, article, comment_form_data, ROTATING)

    assert codes == [302] + [400] * 39
    assert Comment.objects.count() == 1


def test_another_network_and_ipv4_neighbours_are_not_slowed(
    behind_the_proxy, client, article, comment_form_data
):
    addresses = ["2001:db8:1::1", "2001:db8:2::1", "198.51.100.1", "198.51.100.2"]

    assert burst(client, article, comment_form_data, addresses) == [302] * 4


def test_the_prefix_length_is_a_setting(behind_the_proxy, client, article, comment_form_data):
    behind_the_proxy.COMMENTS_FLOOD_IPV6_PREFIX = 128

    assert burst(client, article, comment_form_data, ROTATING[:5]) == [302] * 5


def test_the_database_check_counts_networks_too(
    behind_the_proxy, client, article, comment_form_data
):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        codes = burst(client, article, comment_form_data, ROTATING[:10])

    assert codes == [302] + [400] * 9


def test_an_ipv4_mapped_address_counts_as_its_ipv4_address():
    assert address_key("::ffff:198.51.100.7") == address_key("198.51.100.7") == "198.51.100.7"
    assert address_key("2001:db8:1::abcd") == "2001:db8:1::/64"
