from functools import lru_cache

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from pictures.renditions import RenditionFile, rendition_files

register = template.Library()


@register.simple_tag
def picture(image, name, *, alt="", css_class="", lazy=True, sizes=""):
    """An <img> of the rendition `name` of `image`, with width, height and a 1x/2x srcset;
    lazy-loaded unless told it is above the fold. Empty when there is no picture."""
    files = rendition_files(image, name)
    if not files:
        return ""
    before, after = _img_around_alt(
        files, conditional_escape(css_class), lazy, conditional_escape(sizes)
    )
    return mark_safe("".join((before, conditional_escape(alt), after)))


@lru_cache(maxsize=4096)
def _img_around_alt(
    files: tuple[RenditionFile, ...], css_class: str, lazy: bool, sizes: str
) -> tuple[str, str]:
    """The <img> of `files` before and after its alt text, its other attributes given
    escaped: the same for every page showing the picture in that place, so made once per
    process."""
    first = files[0]
    srcset = ", ".join(f"{f.url} {f.width}w" for f in files)
    before = format_html(
        '<img{} src="{}" srcset="{}" sizes="{}" alt="',
        mark_safe(f' class="{css_class}"') if css_class else "",
        first.url,
        srcset,
        mark_safe(sizes) or f"{first.width}px",
    )
    after = format_html(
        '" width="{}" height="{}"{}>',
        first.width,
        first.height,
        mark_safe(' loading="lazy" decoding="async"') if lazy else "",
    )
    return str(before), str(after)
