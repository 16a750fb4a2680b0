import base64
import hashlib
import re

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
            parts.update = {**settings.CSP_ADMIN_UPDATE}
            # The rich-text editor's widget declares its modules in an inline
            # <script type="importmap"> whose URLs change with every deploy (hashed static
            # names). Allow exactly that import map, by its hash; no other inline script.
            hashes = _import_map_hashes(response)
            if hashes:
                parts.update["script-src"] = [
                    *parts.update.get("script-src", []),
                    *settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"],
                    *hashes,
                ]
        return parts


IMPORT_MAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.S)


def _import_map_hashes(response) -> list[str]:
    if response.streaming or "html" not in response.get("Content-Type", ""):
        return []
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
        for body in IMPORT_MAP.findall(response.content)
    ]


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
