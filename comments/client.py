"""Who is posting: the client's network address, and the privacy-preserving fingerprint kept
instead of it."""

import ipaddress

from django.conf import settings
from django.utils.crypto import salted_hmac


def client_ip(request) -> str:
    """The address of the reader's machine as far as this server can trust it.

    By default the socket address (REMOTE_ADDR): X-Forwarded-For is written by whoever sends
    the request, so trusting it would let anyone dodge the rate limit. Behind N reverse proxies
    (NEWSROOM_TRUSTED_PROXY_COUNT = N), each proxy appends the address it saw, so the N-th
    entry from the right was written by our outermost proxy and is the reader's address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.NEWSROOM_TRUSTED_PROXY_COUNT
    if trusted > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        # Fewer entries than proxies: the request did not come through all of them.
        if len(forwarded) >= trusted:
            candidate = forwarded[-trusted]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


def address_fingerprint(ip: str) -> str:
    """A keyed SHA-256 of the address, so rate limits and spam review work without storing
    the address. IPv6 is reduced to its /64 network first: one subscriber usually holds a
    whole /64 and could otherwise rotate addresses freely. Empty when there is no address."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.version == 6:
        key = str(ipaddress.ip_network(f"{address}/64", strict=False))
    else:
        key = str(address)
    return salted_hmac("comments.address", key, algorithm="sha256").hexdigest()
