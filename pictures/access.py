"""Who may see a stored picture: anyone once published content shows it, staff always,
and whoever a registered grant lets in (the holder of a shared preview, for its story).

The pictures app does not know what publishes a picture (articles sit above it), so the
apps that do register a *use*: a function that, given a stored file's name (a string, or an
expression such as OuterRef("image") inside a query), returns the queryset of published
rows that show that file. The articles app registers its featured pictures and bodies.

A rendition (pictures/renditions.py) is stored under its source's name without the
extension ("cache/body/2026/12/<token>/<hash>.jpg"), so it is public exactly when its
source is.
"""

from collections.abc import Callable
from functools import reduce
from operator import or_
from pathlib import PurePosixPath

from django.db.models import CharField, Exists, Q, QuerySet, Value
from django.db.models.functions import Concat, Replace

from pictures.fields import ALLOWED_FORMATS
from pictures.renditions import RENDITION_PREFIX

Use = Callable[[object], QuerySet]
_uses: list[Use] = []
# A grant: given a request and the uploaded files a stored file's visibility follows
# (source_names), whether this request may see it although nothing published shows it yet.
Grant = Callable[[object, list[str]], bool]
_grants: list[Grant] = []


def register_use(use: Use) -> None:
    """Count the published rows `use(name)` returns as making the file `name` public."""
    if use not in _uses:
        _uses.append(use)


def register_grant(grant: Grant) -> None:
    """Let `grant(request, sources)` open unpublished files to a request that is not staff's
    (editorial lets the holder of a shared preview link see the pictures of that story)."""
    if grant not in _grants:
        _grants.append(grant)


def is_granted(request, name: str) -> bool:
    """Whether a registered grant lets `request` fetch the stored file `name`."""
    sources = source_names(name)
    return bool(sources) and any(grant(request, sources) for grant in _grants)


def rendition_folder(name):
    """The folder of the stored file `name`'s renditions ("cache/body/2026/12/<token>/"), for
    a string or a query expression (OuterRef of a file field)."""
    if isinstance(name, str):
        return f"{RENDITION_PREFIX}{PurePosixPath(name).with_suffix('')}/"
    stem = name
    for extension in sorted({*ALLOWED_FORMATS.values(), "jpeg"}):
        stem = Replace(stem, Value(f".{extension}"), Value("/"), output_field=CharField())
    return Concat(Value(RENDITION_PREFIX), stem, output_field=CharField())


def html_shows(field: str, name) -> Q:
    """A condition that the HTML in `field` (an article's body) shows the stored file `name`:
    by its own address, or by one of its renditions' (the body editor's figures use the
    library's column rendition)."""
    return Q(**{f"{field}__contains": name}) | Q(**{f"{field}__contains": rendition_folder(name)})


def shown_publicly(name) -> Q:
    """A condition, for a query over rows holding a file name, that published content shows
    the file `name` (typically OuterRef of the file field)."""
    if not _uses:
        return Q(pk__in=[])
    return reduce(or_, (Q(Exists(use(name))) for use in _uses))


def source_names(name: str) -> list[str]:
    """The uploaded files whose visibility decides that of the stored file `name`: the file
    itself, or for a rendition the source it was made from (under each stored extension)."""
    if name.startswith(RENDITION_PREFIX):
        stem = name[len(RENDITION_PREFIX) :].rpartition("/")[0]
        if not stem:
            return []  # a rendition named before renditions carried their source
        return [f"{stem}.{extension}" for extension in ALLOWED_FORMATS.values()]
    return [name]


def is_public(name: str) -> bool:
    """Whether readers may fetch the stored file `name`, now: one query per registered use
    (a rendition's possible sources are asked together)."""
    sources = source_names(name)
    if not sources:
        return False
    return any(reduce(or_, (use(source) for source in sources)).exists() for use in _uses)
