"""The media gate: every address under MEDIA_URL is answered here.

A stored picture is sent to readers only once published content shows it
(pictures/access.py); staff see every picture (their previews show drafts), and the
holder of a shared preview link its story's. Anything else is a 404, the same answer as
for an address that holds nothing, so a draft's address says nothing about whether it
exists.

With NEWSROOM_MEDIA_ACCEL_REDIRECT set (nginx in front, deploy/nginx.conf) the answer is an
X-Accel-Redirect and nginx sends the bytes from an `internal` location; otherwise (`make
run`, one machine) Django sends them itself. Either way every media answer carries nosniff
and a CSP that lets nothing run, should a file ever be opened as a page.
"""

import posixpath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found

from pictures import access

MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}
# Pictures are sent as what their extension says; anything else only as a download.
PICTURE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}


def _is_staff(user) -> bool:
    return user.is_active and user.is_staff


def _stored_name(path: str) -> str | None:
    name = posixpath.normpath(path)
    if not path or name.startswith(("/", "../")) or name in (".", "..") or "\x00" in name:
        return None
    return name


def _not_found(request) -> HttpResponse:
    # The site's own 404 page (with the site's CSP, so it is styled), never kept by a cache.
    response = page_not_found(request, Http404())
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def media(request, path: str):
    """The stored file at `path`, to whoever may see it; a 404 to everyone else."""
    name = _stored_name(path)
    if name is None:
        return _not_found(request)
    public = access.is_public(name)
    if not public and not _is_staff(request.user) and not access.is_granted(request, name):
        return _not_found(request)
    try:
        exists = default_storage.exists(name)
    except Exception:  # a name the storage refuses to look up (SuspiciousFileOperation)
        exists = False
    if not exists:
        return _not_found(request)
    extension = posixpath.splitext(name)[1].lower()
    content_type = PICTURE_TYPES.get(extension)
    prefix = settings.NEWSROOM_MEDIA_ACCEL_REDIRECT
    if prefix:
        response = HttpResponse(content_type=content_type or "application/octet-stream")
        response["X-Accel-Redirect"] = prefix + quote(name)
    else:
        try:
            response = FileResponse(
                default_storage.open(name, "rb"),
                content_type=content_type or "application/octet-stream",
            )
        except OSError as error:
            raise Http404("The file could not be read.") from error
    if content_type is None:
        response["Content-Disposition"] = "attachment"
    # A published picture may be kept a while; a draft's only by the staff member's browser.
    response["Cache-Control"] = "public, max-age=600" if public else "private, no-store"
    for header, value in MEDIA_HEADERS.items():
        response[header] = value
    return response
