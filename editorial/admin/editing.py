"""What keeps typed text in the article form: the autosave, the presence heartbeat, the
session check, and saving the form before a transition button acts.

The endpoints answer JSON, errors included: 401 when the session is gone (the page then
keeps the text in the browser and offers to sign in in a new tab), 403 for a refused CSRF
token or a person who may not edit, 413 for a copy too large. They are not wrapped in
admin_view, which would answer a signed-out request with a redirect to the sign-in page."""

import datetime
import json
from functools import wraps

from django.conf import settings
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from core.dates import paper_isoformat, paper_time
from editorial import permissions, selectors, services
from editorial.admin.forms import TRANSITION_LABELS
from editorial.models import PRESENCE_BEAT_SECONDS
from editorial.notifications import display_name

# The most an autosave may carry: what a real save of the form may post.
AUTOSAVE_MAX_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440


def clock_label(value: datetime.datetime) -> str:
    """`value` on the paper's clock as a journalist reads it: "10:02" today, "1 Dec 10:02"
    another day."""
    local = paper_time(value)
    if local.date() == paper_time(timezone.now()).date():
        return f"{local:%H:%M}"
    return f"{local.day} {local:%b %H:%M}"


def _error(status: int, code: str, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": code, "message": message, **extra}, status=status)


def _csrf_refused(request) -> bool:
    """Django's own CSRF check, run here so that a refusal answers JSON (the views are
    csrf_exempt only so that the middleware lets them answer for themselves)."""
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}) is not None


def editing_endpoint(view):
    """Staff only, CSRF-checked on every write, never cached, and JSON for every refusal."""

    @wraps(view)
    def wrapped(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return _error(
                401,
                "signed_out",
                _(
                    "You are signed out: nothing was sent. Sign in again in a new tab; your "
                    "text stays in this page and in this browser."
                ),
                login_url=reverse("admin:login"),
            )
        if not self.admin_site.has_permission(request):
            return _error(403, "forbidden", _("This account may not use the admin."))
        if request.method not in ("GET", "HEAD") and _csrf_refused(request):
            return _error(
                403,
                "csrf",
                _("The page's security token is out of date (you signed in again elsewhere)."),
            )
        return view(self, request, *args, **kwargs)

    return wrapped


class EditingViewsMixin:
    """Adds the autosave, presence and session endpoints to the article ModelAdmin, gives
    its form what the scripts need, and follows a save made for a transition button."""

    def get_urls(self):
        def plain(view):
            # Bound here: admin_view would redirect a signed-out request to the sign-in page.
            return never_cache(csrf_exempt(view))

        return [
            path("autosave/", plain(self.autosave_view), name="articles_article_autosave_new"),
            path(
                "<path:object_id>/autosave/",
                plain(self.autosave_view),
                name="articles_article_autosave",
            ),
            path(
                "<path:object_id>/presence/",
                plain(self.presence_view),
                name="articles_article_presence",
            ),
            path("session/", plain(self.session_view), name="articles_article_session"),
            path(
                "signed-in/",
                self.admin_site.admin_view(self.signed_in_view),
                name="articles_article_signed_in",
            ),
            *super().get_urls(),
        ]

    def _editable_article(self, request, object_id):
        """The article `request.user` may type into, or a JSON refusal."""
        object_id = unquote(object_id)
        article = None
        if object_id.isdigit():
            article = permissions.visible_to(request.user).filter(pk=object_id).first()
        if article is None:
            return None, _error(404, "not_found", _("No such article."))
        if not permissions.can_edit(request.user, article):
            return None, _error(
                403,
                "not_editable",
                _(
                    "You may no longer edit this article (it is %(status)s). Your text stays "
                    "in this browser."
                )
                % {"status": article.display_status.lower()},
            )
        return article, None

    # --- endpoints ---------------------------------------------------------------------

    @editing_endpoint
    def autosave_view(self, request, object_id=None):
        """POST {"fields": {...}, "version": n}: keep this person's unsaved copy of the form
        (replacing the last one). DELETE: discard it."""
        article = None
        if object_id is not None:
            article, refusal = self._editable_article(request, object_id)
            if refusal:
                return refusal
        elif not permissions.can_edit(request.user, self.model()):
            return _error(403, "not_editable", _("You may not add articles."))
        if request.method == "DELETE":
            services.autosave_delete(user=request.user, article=article)
            return JsonResponse({"discarded": True})
        if request.method != "POST":
            return _error(405, "method", _("Send the fields with POST, or DELETE to discard."))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > AUTOSAVE_MAX_BYTES:
            return _error(
                413,
                "too_large",
                _(
                    "Too much to autosave (%(size)d KB; at most %(limit)d KB). The copy in this "
                    "browser is kept."
                )
                % {"size": length // 1024, "limit": AUTOSAVE_MAX_BYTES // 1024},
            )
        try:
            payload = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return _error(400, "invalid", _("The autosave was not valid JSON."))
        if not isinstance(payload, dict):
            return _error(400, "invalid", _("The autosave must be a JSON object."))
        version = payload.get("version")
        try:
            copy = services.autosave_store(
                user=request.user,
                article=article,
                data=payload.get("fields"),
                base_version=version if article is not None else None,
            )
        except PermissionDenied as refusal:
            return _error(403, "not_editable", str(refusal))
        except ValidationError as invalid:
            return _error(400, "invalid", " ".join(invalid.messages))
        return JsonResponse(
            {"saved_at": paper_isoformat(copy.updated), "saved_label": clock_label(copy.updated)}
        )

    @editing_endpoint
    def presence_view(self, request, object_id):
        """POST: this person's form is still open; answers who else has it open. POST with
        leave=1 (sent as the page goes away): it no longer is."""
        if request.method != "POST":
            return _error(405, "method", _("Send the heartbeat with POST."))
        article, refusal = self._editable_article(request, object_id)
        if refusal:
            return refusal
        if request.POST.get("leave"):
            services.presence_leave(user=request.user, article=article)
            return JsonResponse({"left": True})
        services.presence_beat(user=request.user, article=article)
        others = selectors.editing_now(article=article, exclude_user=request.user)
        return JsonResponse(
            {
                "others": [
                    {
                        "name": display_name(p.user),
                        "since": paper_isoformat(p.since),
                        "since_label": clock_label(p.since),
                    }
                    for p in others
                ],
                "version": article.version,
            }
        )

    @editing_endpoint
    def session_view(self, request):
        """GET: whether this browser is signed in, with a fresh CSRF token for the page's
        forms (signing in again in another tab replaces the token)."""
        return JsonResponse({"csrf_token": get_token(request)})

    def signed_in_view(self, request):
        """Where the "sign in in a new tab" link lands."""
        context = {**self.admin_site.each_context(request), "title": _("Signed in again")}
        return TemplateResponse(request, "admin/articles/article/signed_in.html", context)

    # --- the form ----------------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        editable = (
            self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        )
        if editable:
            copy = None
            if request.method == "GET":
                # A form sent back with errors already holds what was typed.
                copy = selectors.autosave_for(user=request.user, article=obj)
            autosave_url = (
                reverse("admin:articles_article_autosave_new")
                if add
                else reverse("admin:articles_article_autosave", args=[obj.pk])
            )
            context["editing"] = {
                "user": request.user.pk,
                "article": "new" if add else obj.pk,
                "version": "" if add else obj.version,
                "autosave_url": autosave_url,
                "presence_url": ""
                if add
                else reverse("admin:articles_article_presence", args=[obj.pk]),
                "session_url": reverse("admin:articles_article_session"),
                "login_url": reverse("admin:login")
                + "?next="
                + reverse("admin:articles_article_signed_in"),
                "time_zone": settings.TIME_ZONE,
                "beat_seconds": PRESENCE_BEAT_SECONDS,
                # Sent back with errors: what the form holds is not saved.
                "unsaved": request.method == "POST",
                "copy": {
                    "fields": copy.data,
                    "saved_at": paper_isoformat(copy.updated),
                    "saved_label": clock_label(copy.updated),
                    "version": copy.base_version,
                }
                if copy
                else None,
            }
        action = request.POST.get("_transition") if request.method == "POST" else None
        if action in TRANSITION_LABELS:
            context["transition_refused"] = TRANSITION_LABELS[action]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        # A transition button pressed with changes in the form saved them first; now act.
        action = request.POST.get("_transition")
        if action in permissions.allowed_actions(request.user, obj):
            self.message_user(
                request, _("Your changes to “%(article)s” were saved.") % {"article": obj}
            )
            return HttpResponseRedirect(
                reverse("admin:articles_article_transition", args=[obj.pk, action])
            )
        return super().response_change(request, obj)
