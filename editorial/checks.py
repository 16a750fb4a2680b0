"""What is checked before a story goes live (editorial.services.article_publish).

Each check names something a reader or a platform would meet in the published story: a
picture with no words for those who cannot see it, a photo without its credit, a headline
or lead cut short where it is shown, a featured picture too small for a large preview
(Google Discover asks for 1,200 px wide and `max-image-preview:large`, which the pages
send). A story that fails is not published unless an editor gives a reason, which the
transition log keeps with the list of what failed.

A story without a featured picture passes: briefs and text-only stories exist, and the
pages show them without one.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.translation import gettext, gettext_noop

from core.text import visible_length

# Google's Article structured data cuts a headline after 110 characters.
HEADLINE_SHOWN_IN_FULL = 110
# The social card's description (og:description, templates/includes/article_meta.html).
LEAD_SHOWN_IN_FULL = 300
# Google Discover's large preview.
FEATURED_PICTURE_MIN_WIDTH = 1200


@dataclass(frozen=True)
class Problem:
    """One failed check: the form's field it concerns and what is wrong, said in the
    language active when it is shown (the admin's), or kept (the log's: English)."""

    field: str
    text: str
    params: tuple = ()

    @property
    def message(self) -> str:
        return gettext(self.text) % dict(self.params)

    def __str__(self):
        return self.message


class _BodyPictures(HTMLParser):
    def __init__(self):
        super().__init__()
        self.without_alt: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            attributes = dict(attrs)
            if not (attributes.get("alt") or "").strip():
                self.without_alt.append(attributes.get("src") or "")


def _picture_width(image) -> int | None:
    try:
        return image.width
    except (OSError, ValueError):  # a file missing from storage, or not a picture
        return None


def publish_problems(article) -> list[Problem]:
    """What `article` would be published with that a reader should not meet."""
    problems = []
    headline = visible_length(article.title)
    if headline > HEADLINE_SHOWN_IN_FULL:
        problems.append(
            Problem(
                "title",
                gettext_noop(
                    "The headline has %(length)d characters; search results and the story's "
                    "structured data show %(shown)d."
                ),
                (("length", headline), ("shown", HEADLINE_SHOWN_IN_FULL)),
            )
        )
    lead = visible_length(article.lead)
    if lead > LEAD_SHOWN_IN_FULL:
        problems.append(
            Problem(
                "lead",
                gettext_noop(
                    "The lead has %(length)d characters; the social card shows %(shown)d."
                ),
                (("length", lead), ("shown", LEAD_SHOWN_IN_FULL)),
            )
        )
    if article.image:
        if not article.image_alt.strip():
            problems.append(
                Problem("image_alt", gettext_noop("The featured picture has no alt text."))
            )
        if not article.image_credit.strip():
            problems.append(
                Problem("image_credit", gettext_noop("The featured picture has no credit."))
            )
        width = _picture_width(article.image)
        if width is None:
            problems.append(
                Problem("image", gettext_noop("The featured picture's file cannot be read."))
            )
        elif width < FEATURED_PICTURE_MIN_WIDTH:
            problems.append(
                Problem(
                    "image",
                    gettext_noop(
                        "The featured picture is %(width)d px wide; a large preview (Google "
                        "Discover) needs %(needed)d."
                    ),
                    (("width", width), ("needed", FEATURED_PICTURE_MIN_WIDTH)),
                )
            )
    pictures = _BodyPictures()
    pictures.feed(article.body or "")
    for src in pictures.without_alt:
        name = src.rsplit("/", 1)[-1] or "a picture"
        problems.append(
            Problem(
                "body",
                gettext_noop("A picture in the body (%(name)s) has no alt text."),
                (("name", name),),
            )
        )
    return problems
