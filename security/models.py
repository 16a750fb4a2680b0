from django.db import models
from django.utils import timezone


class PasswordResetRequest(models.Model):
    """A password-reset request that was let through, kept for the throttle's window
    (NEWSROOM_PASSWORD_RESET_WINDOW) so every server process counts the same requests.

    Neither the client's address nor the e-mail address typed is stored, only keyed
    fingerprints of them."""

    address = models.CharField(
        max_length=64, help_text="Keyed fingerprint of the address the request came from."
    )
    account = models.CharField(
        max_length=64, help_text="Keyed fingerprint of the e-mail address asked for."
    )
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at"]
        get_latest_by = "requested_at"
        indexes = [
            models.Index(fields=["address", "requested_at"], name="pwreset_address_idx"),
            models.Index(fields=["account", "requested_at"], name="pwreset_account_idx"),
            models.Index(fields=["requested_at"], name="pwreset_requested_idx"),
        ]

    def __str__(self):
        return f"Password reset requested at {self.requested_at:%Y-%m-%d %H:%M}"
