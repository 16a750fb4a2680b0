from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.urls import NoReverseMatch, reverse


class NewsroomCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin allowance of `CSP_ADMIN_UPDATE` added under
    the admin's path only. Public pages keep the strict policy of `CONTENT_SECURITY_POLICY`."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.update is None and _is_admin(request):
            parts.update = settings.CSP_ADMIN_UPDATE
        return parts


def _is_admin(request) -> bool:
    try:
        prefix = reverse("admin:index")
    except NoReverseMatch:
        return False
    return request.path.startswith(prefix)
