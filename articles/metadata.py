"""What other sites read about our pages: absolute links and schema.org data.

Absolute URLs are built from settings.NEWSROOM_SITE_URL, never from the request's Host
header, so a forged Host can't put another origin into canonical links, feeds or sitemaps.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.dates import paper_isoformat
from core.links import absolute_url
from core.reversing import reverse_constant
from pictures.renditions import rendition

# The logo in publisher data (Google asks for at most 600x60).
PUBLISHER_LOGO = {"path": "img/logo.png", "width": 600, "height": 60}


def social_image(article) -> dict | None:
    """The social-card rendition of the article's picture: absolute url, width, height."""
    card = rendition(article.image, "social")
    if card is None:
        return None
    return {"url": absolute_url(card.url), "width": card.width, "height": card.height}


def image_credits(article) -> dict:
    """What schema.org's ImageObject says of the featured picture besides its file: the
    credit line as printed under it (creditText) and its caption. No creator or copyright
    notice: a credit names a photographer, an agency or the paper alike, and says nothing
    of who holds the rights."""
    credits = {}
    if article.image_credit:
        credits["creditText"] = article.image_credit
    if article.image_caption:
        credits["caption"] = article.image_caption
    return credits


def publisher() -> dict:
    """The paper as a schema.org Organization, with its logo."""
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute_url(reverse_constant("frontpage:home")),
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(static(PUBLISHER_LOGO["path"])),
            "width": PUBLISHER_LOGO["width"],
            "height": PUBLISHER_LOGO["height"],
        },
    }


def corrections(article) -> list[dict]:
    """schema.org CorrectionComment entries for the article's corrections."""
    return [
        {
            "@type": "CorrectionComment",
            "text": correction.text,
            "datePublished": paper_isoformat(correction.created),
        }
        for correction in article.corrections.all()
    ]


# Functions `extend(article, data) -> data` that other apps register (extend_structured_data)
# to say more of a story than the articles app knows (live coverage makes it a
# LiveBlogPosting); called in order on every article's data.
_extensions: list = []


def extend_structured_data(extend) -> None:
    """Have `extend(article, data)` return the article page's JSON-LD `data`, amended."""
    if extend not in _extensions:
        _extensions.append(extend)


def article_json_ld(article) -> dict:
    """schema.org NewsArticle for an article page, as the registered extensions amend it."""
    url = absolute_url(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title,
        "description": article.lead,
        "inLanguage": settings.LANGUAGE_CODE,
        # A preview of an unscheduled draft has no publication time yet.
        **(
            {"datePublished": paper_isoformat(article.published_at)} if article.published_at else {}
        ),
        "dateModified": paper_isoformat(max(filter(None, (article.updated, article.published_at)))),
        # An unsigned story is the paper's own.
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": absolute_url(author.get_absolute_url()),
                **({"jobTitle": author.position} if author.position else {}),
            }
            for author in article.ordered_authors
        ]
        or [{"@type": "Organization", "name": settings.SITE_NAME, "url": absolute_url("/")}],
        "publisher": publisher(),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
    }
    image = social_image(article)
    if image:
        data["image"] = [{"@type": "ImageObject", **image, **image_credits(article)}]
    entries = corrections(article)
    if entries:
        data["correction"] = entries
    if article.series_id is not None:
        data["isPartOf"] = {
            "@type": "CreativeWorkSeries",
            "name": article.series.name,
            "url": absolute_url(article.series.get_absolute_url()),
        }
        data["position"] = article.series_part
    if article.original_url:
        data["translationOfWork"] = {
            "@type": "NewsArticle",
            "url": article.original_url,
            "inLanguage": "vi",
        }
    for extend in _extensions:
        data = extend(article, data)
    return data


# JSON inside <script> must not be able to close the element or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> str:
    """`data` as a <script type="application/ld+json"> element, escaped like json_script."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload.translate(_SCRIPT_ESCAPES)),
    )
