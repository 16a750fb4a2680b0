"""Writes of the security app: the password-reset throttle's record. The views call these."""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from security.models import PasswordResetRequest

# Any fixed number: the key of the PostgreSQL advisory lock that makes password-reset
# requests wait for each other, so two processes cannot both take the last allowed one.
_RESET_LOCK = 7_460_311


def account_fingerprint(email: str) -> str:
    """A keyed SHA-256 of the e-mail address, compared as the reset form looks accounts up
    (without regard to case)."""
    return salted_hmac(
        "security.password_reset.account", email.strip().casefold(), algorithm="sha256"
    ).hexdigest()


@transaction.atomic
def password_reset_request(
    *, email: str, address: str, at: datetime.datetime | None = None
) -> bool:
    """Count a request for a reset link to `email` from `address` (a fingerprint, see
    core.client.address_fingerprint); True if a link may be sent.

    False once NEWSROOM_PASSWORD_RESET_ACCOUNT_LIMIT links were let through for this e-mail
    address, or NEWSROOM_PASSWORD_RESET_ADDRESS_LIMIT requests from this address, within
    NEWSROOM_PASSWORD_RESET_WINDOW seconds. Only requests let through are counted: a flood
    does not prolong its own pause, and the owner of the account holds the links it sent.
    The counts live in the database, which every server process shares.
    """
    at = at or timezone.now()
    since = at - datetime.timedelta(seconds=settings.NEWSROOM_PASSWORD_RESET_WINDOW)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_RESET_LOCK])
    # SQLite runs one writer at a time already (transaction_mode IMMEDIATE).
    PasswordResetRequest.objects.filter(requested_at__lt=since).delete()
    account = account_fingerprint(email)
    recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
    if (
        recent.filter(account=account).count() >= settings.NEWSROOM_PASSWORD_RESET_ACCOUNT_LIMIT
        or recent.filter(address=address).count() >= settings.NEWSROOM_PASSWORD_RESET_ADDRESS_LIMIT
    ):
        return False
    request = PasswordResetRequest(address=address, account=account, requested_at=at)
    request.full_clean()
    request.save()
    return True
