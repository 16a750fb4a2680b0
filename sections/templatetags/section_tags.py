from django import template
from django.template.loader import render_to_string

from core.prepared import PreparedQuery
from pagecache.versions import for_site_version
from sections.models import Section

register = template.Library()

# The sections in their order, through a statement built once per connection.
ALL_SECTIONS = PreparedQuery(Section, lambda: Section.objects.all())


@register.simple_tag(takes_context=True)
def section_nav(context):
    """The section navigation, marking the page's own (home, or the section listed), made
    once per content version for each page it can mark and shared by every page."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    section = context.get("section")
    if match is not None and match.view_name == "frontpage:home":
        current = "home"
    elif isinstance(section, Section):
        current = section.pk
    else:
        current = None

    def render():
        return render_to_string(
            "includes/section_nav.html",
            {"nav_sections": ALL_SECTIONS.all(), "current": current},
        )

    return for_site_version(f"nav:{current}", render)
