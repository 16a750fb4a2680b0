from django import template

from comments.forms import CommentForm

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_form(context):
    """The form the article page shows: the reader's own, with errors, after a failed post;
    an empty one otherwise."""
    form = context.get("comment_form")
    return form if form is not None else CommentForm()
