"""The comment rules, with the exact words readers see. The form and the model both use them.

Every limit counts characters as a reader sees them (core.text.comment_length: grapheme
clusters, nothing for what shows nothing), the same count static/js/comment-counter.js shows.
"""

from django.core.exceptions import ValidationError

from core.text import comment_length, has_visible_text

MIN_LENGTH = 5
MAX_LENGTH = 500
NAME_MAX_LENGTH = 80
# What the database holds at most, in code points. One character a reader sees can take
# several ("👨‍👩‍👧‍👦" is seven), so these are far above the limits readers are told; the form
# refuses longer input before counting it.
BODY_MAX_CODE_POINTS = 10_000
NAME_MAX_CODE_POINTS = 800

TOO_SHORT = f"Please enter {MIN_LENGTH} or more characters!!!"
TOO_LONG = f"Please keep your comment to {MAX_LENGTH} characters (it has %(length)d)."
TOO_BIG_TO_STORE = (
    "Your comment has too many accents, emoji or other marks to store. Please shorten it."
)
BLANK_NAME = "Please enter your name."
NAME_TOO_LONG = f"Please keep your name to {NAME_MAX_LENGTH} characters (it has %(length)d)."
NAME_TOO_LONG_FOR_STORAGE = f"Please keep your name to {NAME_MAX_LENGTH} characters."


def validate_comment_body(value: str) -> None:
    """5 to 500 characters, counted as core.text.comment_length counts. What shows nothing
    (white space alone, zero-width characters) counts 0, so such text is "too short"."""
    length = comment_length(value)
    if length < MIN_LENGTH:
        raise ValidationError(TOO_SHORT, code="too_short")
    if length > MAX_LENGTH:
        raise ValidationError(TOO_LONG, code="too_long", params={"length": length})


def validate_visible_name(value: str) -> None:
    """A name with something visible in it, at most 80 characters as a reader sees them."""
    if not has_visible_text(value):
        raise ValidationError(BLANK_NAME, code="blank_name")
    length = comment_length(value)
    if length > NAME_MAX_LENGTH:
        raise ValidationError(NAME_TOO_LONG, code="name_too_long", params={"length": length})
