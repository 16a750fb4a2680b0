from django import template
from django.utils.safestring import mark_safe

from core.text import is_vietnamese

register = template.Library()


@register.filter
def lang_vi(text):
    """` lang="vi"` for text written in Vietnamese (core.text.is_vietnamese), else nothing:
    `<span class="comment__name"{{ comment.name|lang_vi }}>`."""
    return mark_safe(' lang="vi"') if text and is_vietnamese(str(text)) else ""
