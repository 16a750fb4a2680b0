import base64
import hashlib
import re

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import NoReverseMatch, reverse


class NewsroomCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin allowance of `CSP_ADMIN_UPDATE` added under
    the admin's path only. Public pages keep the strict policy of `CONTENT_SECURITY_POLICY`.

    A public page that used no nonce and asked for no policy of its own (django-csp's
    decorators) is given the settings' policy as built once; anything else is built for the
    response by django-csp, as before."""

    def process_response(self, request, response):
        if not _plain_policy_applies(request, response):
            return super().process_response(request, response)
        policy = settings.CONTENT_SECURITY_POLICY
        excluded = request.path_info.startswith(tuple(policy.get("EXCLUDE_URL_PREFIXES") or ()))
        if HEADER not in response and not getattr(response, "_csp_exempt", False) and not excluded:
            response[HEADER] = _settings_policy(policy)
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

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


# A response's own policy (django-csp's decorators set these on it), either kind.
OWN_POLICY = tuple(
    f"_csp_{kind}{ro}" for kind in ("config", "update", "replace", "exempt") for ro in ("", "_ro")
)
_built: tuple[object, str] = (None, "")


def _plain_policy_applies(request, response) -> bool:
    """Whether `response` gets exactly the settings' policy: no nonce, no policy of its
    own, no report-only policy, not the admin, not a debug page django-csp leaves alone."""
    return (
        getattr(request, "_csp_nonce", None) is None
        and not any(getattr(response, name, None) is not None for name in OWN_POLICY)
        and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        and bool(getattr(settings, "CONTENT_SECURITY_POLICY", None))
        and not (settings.DEBUG and response.status_code in (404, 500))
        and not _is_admin(request)
    )


def _settings_policy(policy) -> str:
    """build_policy() of the settings' `policy`, built again only when the setting is
    replaced (tests override it)."""
    global _built
    if _built[0] is not policy:
        _built = (policy, build_policy())
    return _built[1]


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
