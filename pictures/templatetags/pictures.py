from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from pictures.renditions import rendition_files

register = template.Library()


@register.simple_tag
def picture(image, name, *, alt="", css_class="", lazy=True, sizes=""):
    """An <img> of the rendition `name` of `image`, with width, height and a 1x/2x srcset;
    lazy-loaded unless told it is above the fold. Empty when there is no picture."""
    files = rendition_files(image, name)
    if not files:
        return ""
    first = files[0]
    srcset = ", ".join(f"{f.url} {f.width}w" for f in files)
    return format_html(
        '<img{} src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}"{}>',
        format_html(' class="{}"', css_class) if css_class else "",
        first.url,
        srcset,
        sizes or f"{first.width}px",
        alt,
        first.width,
        first.height,
        mark_safe(' loading="lazy" decoding="async"') if lazy else "",
    )
