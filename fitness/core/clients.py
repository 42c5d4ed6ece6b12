"""Who is asking, as far as the network tells: the client's address (behind a trusted proxy,
the right-most address of its header) and the network a limit counts it as (an IPv4 address,
an IPv6 /64: one customer holds a whole /64)."""

import ipaddress

from django.http import HttpRequest


def valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest, proxy_header: str = "") -> str | None:
    """REMOTE_ADDR; behind a trusted proxy (`proxy_header`, a META key such as
    HTTP_X_FORWARDED_FOR), the right-most address of that header instead."""
    if proxy_header:
        forwarded = [part for part in request.META.get(proxy_header, "").split(",") if part.strip()]
        if forwarded:
            address = valid_ip(forwarded[-1])
            if address:
                return address
    return valid_ip(request.META.get("REMOTE_ADDR", ""))


def network_of(ip: str | None, ipv6_prefix: int = 64) -> str:
    """What a per-network limit counts `ip` as: itself for IPv4, its /`ipv6_prefix` for IPv6
    ("" when there is no address)."""
    if not ip:
        return ""
    address = ipaddress.ip_address(ip)
    if address.version == 4:
        return str(address)
    return str(ipaddress.ip_network((address, ipv6_prefix), strict=False))
