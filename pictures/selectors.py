"""Reads of the picture library: which pictures a journalist may see and choose."""

from django.db.models import OuterRef, Q, QuerySet

from core.text import nfc
from pictures.access import shown_publicly
from pictures.models import BodyImage

# Who sees and edits every picture of the library; others see their own and published ones.
WHOLE_LIBRARY_PERMISSION = "pictures.change_bodyimage"


def library_visible_to(user, pictures: QuerySet | None = None) -> QuerySet:
    """The library pictures `user` may see: all of them for an editor, otherwise their own
    and those a published story shows."""
    pictures = BodyImage.objects.all() if pictures is None else pictures
    if user.has_perm(WHOLE_LIBRARY_PERMISSION):
        return pictures
    return pictures.filter(Q(uploaded_by=user) | shown_publicly(OuterRef("image")))


def library_search(*, user, query: str = "") -> QuerySet:
    """The library pictures `user` may choose, newest first, whose alt text, caption, credit
    or file name holds every word of `query`."""
    pictures = library_visible_to(user).select_related(None)
    for word in nfc(query).split():
        pictures = pictures.filter(
            Q(description__icontains=word)
            | Q(caption__icontains=word)
            | Q(credit__icontains=word)
            | Q(original_name__icontains=word)
        )
    return pictures.order_by("-created", "-pk")


def library_picture_of(*, user, pk) -> BodyImage | None:
    """The library picture `pk` if `user` may choose it, else None."""
    try:
        return library_visible_to(user).get(pk=pk)
    except (BodyImage.DoesNotExist, ValueError, TypeError):
        return None
