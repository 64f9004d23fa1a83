"""The address a request came from, as login throttling (django-axes) keys its lockouts.

Behind a proxy every request arrives from the proxy's address, so a lockout keyed on it would
lock a username out for everyone. The proxy says whom it forwarded for in X-Forwarded-For,
but any client can send that header too, so it is believed only as far as the settings say:

- `NCT_TRUSTED_PROXY_COUNT` = N: N proxies stand in front of the application, each adding
  the address it was connected from to X-Forwarded-For. The client is the N-th address from
  the right of X-Forwarded-For followed by REMOTE_ADDR; whatever a client wrote further left
  is ignored.
- `NCT_TRUSTED_PROXIES` = addresses or networks: a request from one of them is forwarded, and
  the client is the right-most address of X-Forwarded-For that is not one of them.

With neither (the default), X-Forwarded-For is ignored and the client is REMOTE_ADDR.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> str | None:
    """`text` as a normalised IP address, or None when it is not one."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


@cache
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy, strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"NCT_TRUSTED_PROXIES: {proxy!r} is not an IP address or network."
            ) from error
    return tuple(networks)


def _is_trusted(address: str, networks: Sequence[Network]) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR unless a trusted proxy forwarded the request."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    count: int = getattr(settings, "NCT_TRUSTED_PROXY_COUNT", 0)
    proxies: tuple[str, ...] = tuple(getattr(settings, "NCT_TRUSTED_PROXIES", ()))
    if remote is None or not (count or proxies):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    hops = [*(_address(part) for part in forwarded if part.strip()), remote]
    if count:
        if len(hops) <= count:
            # Not forwarded by as many proxies as there are: nothing here can be trusted.
            return remote
        # An entry our own proxy wrote that is not an address: the proxy is misconfigured.
        return hops[-(count + 1)] or remote
    networks = _networks(proxies)
    client = remote
    # From the right: each hop our proxies vouch for says who connected to it.
    for hop in reversed(hops[:-1]):
        if not _is_trusted(client, networks) or hop is None:
            break
        client = hop
    return client
