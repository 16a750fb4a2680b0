from functools import lru_cache
from types import SimpleNamespace

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe

from comments.forms import CommentForm
from comments.models import Comment
from core.parts import part
from core.prepared import PreparedQuery
from core.reversing import PLACEHOLDER, SLUG
from pagecache.versions import for_article_fragment

register = template.Library()

# The approved comments under an article, oldest first (the door: approved()), read through
# a statement built once per connection.
_APPROVED = PreparedQuery(
    Comment,
    lambda article: Comment.objects.filter(article_id=article).approved(),
    article=-1_000_007,
)


@register.simple_tag(takes_context=True)
def comments_for(context, article):
    """The comments section under `article`: its approved comments and the comment form
    (or the notice that comments are closed).

    Kept per site version, which every approved, removed or moderated comment and every
    change to the article starts afresh. After a failed post the page's context holds the
    reader's own form (`comment_form`, with its errors) or why the post was refused
    (`comment_refused`): the form is then rendered for this reader alone.

    A page part (core.parts): while the comments table is locked, the list says the
    comments cannot be shown for a moment, the form stays, and the page is kept nowhere."""
    failed = {
        name: context[name] for name in ("comment_form", "comment_refused") if name in context
    }

    def build():
        comments = _APPROVED.all(article=article.pk)
        return {
            "list": render_to_string("comments/_comment_list.html", {"comments": comments}),
            "form": render_form(article),
        }

    def missing():
        return {
            "list": render_to_string("comments/_comment_list_unavailable.html"),
            "form": render_form(article),
        }

    kept = for_article_fragment(article, "comments", lambda: part(build, missing=missing))
    form = render_form(article, **failed) if failed else kept["form"]
    return render_to_string(
        "comments/_comments.html", {"comment_list": kept["list"], "comment_form_html": form}
    )


def render_form(article, **context) -> str:
    """The comment form under `article`: with `context` (a reader's own form with its
    errors, why a post was refused) rendered for it; empty, the one HTML every article with
    comments open (or closed) shows, rendered once per process and given the article's
    address."""
    # With DEBUG on an edited template shows at once: no copy is kept.
    if context or settings.DEBUG or not SLUG.match(article.slug):
        return render_to_string("comments/_comment_form.html", {"article": article, **context})
    empty = _empty_form(
        article.comments_open,
        settings.NEWSROOM_COMMENTS_PREMODERATION,
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )
    return mark_safe(empty.replace(PLACEHOLDER, article.slug))  # rendered by the template


@lru_cache(maxsize=16)
def _empty_form(comments_open: bool, premoderated: bool, urlconf: str, prefix: str) -> str:
    """The empty form for an article with a stand-in slug: what the template prints of the
    article (its slug, in the form's address, and whether comments are open), premoderation
    and the URLs are all the HTML depends on."""
    stand_in = SimpleNamespace(slug=PLACEHOLDER, comments_open=comments_open)
    return render_to_string("comments/_comment_form.html", {"article": stand_in})


@register.simple_tag(takes_context=True)
def comment_form(context):
    """The form the article page shows: the reader's own, with errors, after a failed post;
    an empty one otherwise."""
    form = context.get("comment_form")
    return form if form is not None else CommentForm()


@register.simple_tag
def comments_premoderated() -> bool:
    """Whether new comments wait for an editor (NEWSROOM_COMMENTS_PREMODERATION)."""
    return settings.NEWSROOM_COMMENTS_PREMODERATION


@register.inclusion_tag("admin/includes/desk_panel.html")
def moderation_panel():
    """The desk's count of comments waiting for a moderator, oldest first."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from comments.models import Comment

    waiting = Comment.objects.filter(status=Comment.Status.PENDING).select_related("article")
    waiting = waiting.order_by("created", "pk")
    items = [
        (
            c.body,
            reverse("admin:comments_comment_change", args=[c.pk]),
            _("%(name)s on “%(article)s”") % {"name": c.name, "article": c.article.title},
        )
        for c in waiting[:5]
    ]
    return {
        "panel": {
            "title": _("Comments waiting"),
            "count": waiting.count(),
            "link": reverse("admin:comments_comment_changelist"),
            "items": items,
            "empty": _("No comment waits for moderation."),
        }
    }
