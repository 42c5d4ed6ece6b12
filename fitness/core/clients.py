"""Who is asking: the client's address, and the network it is counted as.

Rate limits count a network, not an address: one IPv6 customer is given a whole /64 (often
more), so counting single IPv6 addresses lets a script rotate through 2**64 of them. Comments'
flood control and the search's rate limit both count what `network` returns.
"""

import ipaddress

from django.http import HttpRequest


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest, proxy_header: str | None = None) -> str | None:
    """REMOTE_ADDR; behind a trusted proxy (`proxy_header`, a META key such as
    "HTTP_X_FORWARDED_FOR"), the right-most address of its header instead."""
    if proxy_header:
        forwarded = [part for part in request.META.get(proxy_header, "").split(",") if part.strip()]
        if forwarded:
            address = _valid_ip(forwarded[-1])
            if address:
                return address
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def network(ip: str | None, ipv6_prefix: int = 64) -> str:
    """An IPv4 address as itself (an IPv4-mapped IPv6 one too), an IPv6 address as its network
    of `ipv6_prefix` bits; anything else as given ("" for none)."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return ip or ""
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.version == 4:
        return str(address)
    return str(ipaddress.ip_network((address, ipv6_prefix), strict=False))
