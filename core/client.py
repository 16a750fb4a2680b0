"""Who is on the other end of a request: the client's network address as far as this server
can trust it, and the privacy-preserving fingerprint kept instead of it. The comment rate
limit, the sign-in lockout and the password-reset throttle all read the address here."""

import ipaddress

from django.conf import settings
from django.utils.crypto import salted_hmac


def _address(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


# Stands for every client whose address cannot be known (behind a unix socket with no proxy
# header, say): no real client sends from the unspecified address, and all of them together
# are limited as one client rather than not at all.
UNKNOWN_CLIENT = "0.0.0.0"


def client_ip(request) -> str:
    """The address of the reader's machine, or UNKNOWN_CLIENT when it cannot be known.

    With NEWSROOM_TRUSTED_PROXY_COUNT = 0 the socket address (REMOTE_ADDR): X-Forwarded-For
    is written by whoever sends the request, so trusting it would let anyone dodge the rate
    limit. Behind N reverse proxies, each proxy appends the address it saw (the shipped nginx
    replaces the header with it), so the N-th entry from the right was written by our
    outermost proxy and is the reader's address. A request that did not come through all N
    proxies falls back to the socket address, which is empty behind a unix socket.
    """
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    trusted = settings.NEWSROOM_TRUSTED_PROXY_COUNT
    if trusted > 0:
        forwarded = [
            part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        # Fewer entries than proxies: the request did not come through all of them.
        if len(forwarded) >= trusted:
            candidate = _address(forwarded[-trusted])
            if candidate:
                return candidate
    return remote or UNKNOWN_CLIENT


def address_fingerprint(ip: str) -> str:
    """A keyed SHA-256 of the address, so rate limits and spam review work without storing
    the address. IPv6 is reduced to its /64 network first: one subscriber usually holds a
    whole /64 and could otherwise rotate addresses freely. An unreadable address counts as
    UNKNOWN_CLIENT: limited with every other unknown client, never skipped."""
    address = ipaddress.ip_address(_address(ip) or UNKNOWN_CLIENT)
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.version == 6:
        key = str(ipaddress.ip_network(f"{address}/64", strict=False))
    else:
        key = str(address)
    return salted_hmac("comments.address", key, algorithm="sha256").hexdigest()
