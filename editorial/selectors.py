"""What the newsroom's admin shows each journalist: the stories that wait for them on the
desk, and the tags the tag field suggests."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, Correction, Tag
from auditlog.models import AuditEvent
from editorial.models import PRESENCE_SECONDS, Autosave, EditingPresence
from editorial.permissions import is_editor, visible_to

Status = Article.Status
# Stories listed under each heading; the count and the link give the rest.
SHOWN = 5


@dataclass
class Panel:
    """One heading of the desk: how many stories, the first few, a link to them all."""

    title: str
    count: int
    link: str
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (title, url, note)
    empty: str = gettext_lazy("Nothing here.")


def _articles_link(**query) -> str:
    url = reverse("admin:articles_article_changelist")
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else url


def _panel(title, queryset: QuerySet, link: str, note, empty=Panel.empty) -> Panel:
    items = [
        (a.title, reverse("admin:articles_article_change", args=[a.pk]), note(a))
        for a in queryset[:SHOWN]
    ]
    return Panel(title=title, count=queryset.count(), link=link, items=items, empty=empty)


def _when(moment) -> str:
    # In the admin's language: "02 Dec, 09:30", "02 Tháng 12, 09:30".
    return formats.date_format(timezone.localtime(moment), "d M, H:i") if moment else ""


def desk_panels(*, user, now: datetime.datetime | None = None) -> list[Panel]:
    """The desk of `user`: an editor's (what waits for review, what goes live in the next
    day, returned stories, recent corrections, the audit log's last day) or a reporter's
    (what came back to them and why, what waits for an editor, their drafts, their scheduled
    and recently published stories)."""
    now = now or timezone.now()
    articles = Article.objects.only("pk", "title", "updated", "published_at", "return_reason")
    if is_editor(user):
        return [
            _panel(
                _("Waiting for review"),
                articles.filter(status=Status.IN_REVIEW).order_by("updated", "pk"),
                _articles_link(state="in_review"),
                lambda a: _("submitted %(when)s") % {"when": _when(a.updated)},
                empty=_("No story waits for review."),
            ),
            _panel(
                _("Going live in the next 24 hours"),
                articles.filter(
                    status=Status.PUBLISHED,
                    published_at__gt=now,
                    published_at__lte=now + datetime.timedelta(hours=24),
                ).order_by("published_at", "pk"),
                _articles_link(state="scheduled"),
                lambda a: _when(a.published_at),
                empty=_("Nothing is scheduled for the next 24 hours."),
            ),
            _panel(
                _("Returned to their authors"),
                articles.filter(status=Status.RETURNED).order_by("-updated", "-pk"),
                _articles_link(state="returned"),
                lambda a: a.return_reason,
            ),
            _corrections_panel(now),
            *([_audit_panel(now)] if user.has_perm(AUDIT_PERMISSION) else []),
        ]
    mine = articles.filter(
        pk__in=Article.objects.filter(Q(created_by=user) | Q(bylines__author__user=user)).values(
            "pk"
        )
    )
    return [
        _panel(
            _("Returned to me"),
            mine.filter(status=Status.RETURNED).order_by("-updated", "-pk"),
            _articles_link(mine="yes", state="returned"),
            lambda a: a.return_reason,
            empty=_("Nothing came back to you."),
        ),
        _panel(
            _("Submitted, waiting for an editor"),
            mine.filter(status=Status.IN_REVIEW).order_by("updated", "pk"),
            _articles_link(mine="yes", state="in_review"),
            lambda a: _("submitted %(when)s") % {"when": _when(a.updated)},
        ),
        _panel(
            _("My drafts"),
            mine.filter(status=Status.DRAFT).order_by("-updated", "-pk"),
            _articles_link(mine="yes", state="draft"),
            lambda a: _("saved %(when)s") % {"when": _when(a.updated)},
        ),
        _panel(
            _("My scheduled stories"),
            mine.filter(status=Status.PUBLISHED, published_at__gt=now).order_by("published_at"),
            _articles_link(mine="yes", state="scheduled"),
            lambda a: _when(a.published_at),
        ),
        _panel(
            _("Published in the last 7 days"),
            mine.filter(
                status=Status.PUBLISHED,
                published_at__lte=now,
                published_at__gt=now - datetime.timedelta(days=7),
            ).order_by("-published_at"),
            _articles_link(mine="yes", state="published"),
            lambda a: _when(a.published_at),
        ),
    ]


AUDIT_PERMISSION = "auditlog.view_auditevent"


def _audit_panel(now) -> Panel:
    """The latest decisions of the audit log, with a link to all of it."""
    recent = AuditEvent.objects.filter(at__gt=now - datetime.timedelta(hours=24))
    audit = reverse("admin:auditlog_auditevent_changelist")
    items = [
        (
            f"{e.action}: {e.article_title}" if e.article_title else e.action,
            f"{audit}?article__id__exact={e.article_id}" if e.article_id else audit,
            f"{e.by_name or _('the import')}, {_when(e.at)}",
        )
        for e in recent.only("action", "article_title", "article_id", "by_name", "at")[:SHOWN]
    ]
    return Panel(
        title=_("Audit log: the last 24 hours"),
        count=recent.count(),
        link=audit,
        items=items,
        empty=_(
            "No transitions, moderation decisions, restores or deletions in the last 24 hours."
        ),
    )


def _corrections_panel(now) -> Panel:
    recent = (
        Correction.objects.filter(created__gt=now - datetime.timedelta(days=7))
        .select_related("article")
        .order_by("-created", "-pk")
    )
    items = [
        (
            c.article.title,
            reverse("admin:articles_article_change", args=[c.article_id]),
            c.text,
        )
        for c in recent[:SHOWN]
    ]
    return Panel(
        title=_("Corrections in the last 7 days"),
        count=recent.count(),
        link=reverse("articles:corrections"),
        items=items,
    )


def tag_suggestions(*, user, limit: int) -> list[str]:
    """The names of the tags the tag field suggests to `user`, most used first: the tags on
    articles `user` may open in the admin (for a reporter the published ones and their own;
    for an editor every tag). A tag only on a colleague's draft is never suggested, so
    the field does not tell of unpublished work. Without a user: the public tags only."""
    if user is not None and is_editor(user):
        tags = Tag.objects.annotate(uses=Count("tagged_articles"))
    else:
        seen = visible_to(user) if user is not None else Article.objects.published()
        tags = Tag.objects.annotate(
            uses=Count("tagged_articles", filter=Q(tagged_articles__content_object__in=seen))
        ).filter(uses__gt=0)
    return list(tags.order_by("-uses", "name").values_list("name", flat=True)[:limit])


def autosave_for(*, user, article: Article | None):
    """`user`'s own unsaved copy of `article`'s form (None: the add form), or None. Nobody
    else's: an autosave is seen by its author only."""
    return Autosave.objects.filter(user=user, article=article).first()


def editing_now(*, article: Article, exclude_user=None) -> list:
    """Who else has `article`'s form open now (heartbeats within PRESENCE_SECONDS), the
    longest there first, with their users."""
    recent = timezone.now() - datetime.timedelta(seconds=PRESENCE_SECONDS)
    queryset = EditingPresence.objects.filter(article=article, seen__gte=recent)
    if exclude_user is not None:
        queryset = queryset.exclude(user=exclude_user)
    return list(queryset.select_related("user").order_by("since"))
