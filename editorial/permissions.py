"""Who may do what in the newsroom: the one definition of an editor and of a reporter's
reach, used by the admin (what a page offers) and by the services (what the server does).

An editor is whoever holds PUBLISH_PERMISSION: the Editor group (editorial.roles) and
superusers. Everyone else with article permissions is a reporter.
"""

from functools import reduce
from operator import or_

from django.core import signing
from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from editorial.models import PreviewLink
from pictures.access import html_shows

Status = Article.Status
PUBLISH_PERMISSION = "articles.publish_article"


def is_editor(user) -> bool:
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def can_edit(user, article: Article) -> bool:
    """Editors edit anything; a reporter edits their own article while Draft or Returned."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_editor(user):
        return True
    if article.pk is None:
        return user.has_perm("articles.add_article")
    return (
        user.has_perm("articles.change_article")
        and article.status in (Status.DRAFT, Status.RETURNED)
        and article.is_written_by(user)
    )


def can_delete(user, article: Article) -> bool:
    """Editors delete anything; a reporter deletes only their own never-submitted draft."""
    if not user.is_authenticated or not user.has_perm("articles.delete_article"):
        return False
    if is_editor(user):
        return True
    return article.status == Status.DRAFT and article.is_written_by(user)


def can_read_workings(user, article: Article) -> bool:
    """Whether `user` may read how `article` was made: its revisions and their comparison,
    its admin history, its transition log with the return reasons, and its preview. These
    stay with its authors and the editors even once the story is public: a deleted draft
    can hold a source's name and phone number."""
    return (
        user.is_authenticated
        and user.is_active
        and (is_editor(user) or article.is_written_by(user))
    )


def can_preview(user, article: Article) -> bool:
    return can_read_workings(user, article)


def visible_to(user, queryset=None):
    """The articles `user` may open in the admin: editors all, reporters their own and the
    ones already public (never someone else's draft, review copy or scheduled story)."""
    queryset = Article.objects.all() if queryset is None else queryset
    if is_editor(user):
        return queryset
    own = Q(created_by=user) | Q(bylines__author__user=user)
    public = Q(pk__in=Article.objects.published().values("pk"))
    return queryset.filter(pk__in=Article.objects.filter(own | public).values("pk"))


# Allowed transitions: action -> (statuses it starts from, status it leads to).
TRANSITIONS = {
    "submit": ((Status.DRAFT, Status.RETURNED), Status.IN_REVIEW),
    "return": ((Status.IN_REVIEW,), Status.RETURNED),
    "publish": (
        (Status.DRAFT, Status.IN_REVIEW, Status.RETURNED, Status.PUBLISHED, Status.UNPUBLISHED),
        Status.PUBLISHED,
    ),
    "unpublish": ((Status.PUBLISHED,), Status.UNPUBLISHED),
}


def allowed_actions(user, article: Article) -> list[str]:
    """The transitions `user` may run on `article` now, for buttons and checks alike."""
    actions = []
    for action, (sources, _target) in TRANSITIONS.items():
        if article.status not in sources:
            continue
        if action == "publish" and article.is_live:
            continue  # already live: publishing again would only move its date
        if action == "submit":
            if is_editor(user) or can_edit(user, article):
                actions.append(action)
        elif is_editor(user):
            actions.append(action)
    return actions


# The shared preview links a browser has opened, signed, in a cookie only media addresses
# receive: the pictures of an unpublished story are not public, and its shared preview must
# still show them to the person it was sent to (pictures.access.register_grant).
PREVIEW_MEDIA_COOKIE = "newsroom_preview"
PREVIEW_MEDIA_SALT = "editorial.preview-media"
PREVIEW_MEDIA_MAX_LINKS = 10


def preview_links_opened(request) -> list[int]:
    """The ids of the preview links this browser opened (from its signed cookie)."""
    value = request.COOKIES.get(PREVIEW_MEDIA_COOKIE)
    if not value:
        return []
    try:
        ids = signing.loads(value, salt=PREVIEW_MEDIA_SALT)
    except signing.BadSignature:
        return []
    return [i for i in ids if isinstance(i, int)][:PREVIEW_MEDIA_MAX_LINKS]


def shared_preview_shows(request, sources: list[str]) -> bool:
    """Whether a preview link this browser opened, still active, is of an article that shows
    one of the uploaded files `sources` (as its featured picture or in its body)."""
    ids = preview_links_opened(request)
    if not ids or not sources:
        return False
    articles = PreviewLink.objects.filter(
        pk__in=ids, revoked_at=None, expires_at__gt=timezone.now()
    ).values("article_id")
    showing = reduce(or_, (Q(image=name) | html_shows("body", name) for name in sources))
    return Article.objects.filter(pk__in=articles).filter(showing).exists()
