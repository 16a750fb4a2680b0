from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
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


class ErrorPageMiddleware:
    """Gives 4xx answers that come without a body a page in the site's style. Django answers
    a wrong method with an empty 405, for instance: readers should see a page, not nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            400 <= response.status_code < 500
            and not response.streaming
            and not response.content
            and request.method != "HEAD"
        ):
            try:
                template = select_template([f"{response.status_code}.html", "400.html"])
            except TemplateDoesNotExist:
                return response
            response.content = template.render({}, request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
