from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm


class SiteURLPasswordResetForm(PasswordResetForm):
    """Reset links point at `NEWSROOM_SITE_URL`, whatever Host header the request carried:
    a link built from the request could send a staff member's token to another host."""

    def save(self, **kwargs):
        site = urlsplit(settings.NEWSROOM_SITE_URL)
        kwargs["domain_override"] = site.netloc
        kwargs["use_https"] = site.scheme == "https"
        kwargs["extra_email_context"] = {
            "site_name": settings.SITE_NAME,
            **(kwargs.get("extra_email_context") or {}),
        }
        return super().save(**kwargs)
