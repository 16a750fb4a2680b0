"""{% address %}: {% url %} for the addresses every page prints, reversed once per URLconf
and script prefix (core.reversing) instead of once per tag per page."""

from django import template

from core.reversing import reverse_constant, reverse_slug

register = template.Library()


@register.simple_tag
def address(viewname: str, slug: str | None = None) -> str:
    """`{% address 'frontpage:home' %}` is `{% url 'frontpage:home' %}`, and
    `{% address 'sections:feed' section.slug %}` `{% url 'sections:feed' section.slug %}`,
    for views that take nothing or only a slug."""
    return reverse_constant(viewname) if slug is None else reverse_slug(viewname, slug)
