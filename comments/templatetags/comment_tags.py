from django import template
from django.conf import settings

from comments.forms import CommentForm

register = template.Library()


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
