"""The comment rules, with the exact words readers see. The form and the model both use them."""

from django.core.exceptions import ValidationError

from core.text import comment_length, has_visible_text

MIN_LENGTH = 5
MAX_LENGTH = 500

TOO_SHORT = f"Please enter {MIN_LENGTH} or more characters!!!"
TOO_LONG = f"Please keep your comment to {MAX_LENGTH} characters (it has %(length)d)."
INVISIBLE = "Your comment has no visible text. Please write something readers can see."
BLANK_NAME = "Please enter your name."


def validate_comment_body(value: str) -> None:
    """5 to 500 characters, counted as core.text.comment_length counts, and some of them
    visible. Whitespace-only text trims to nothing, so it is "too short"."""
    length = comment_length(value)
    if length < MIN_LENGTH:
        raise ValidationError(TOO_SHORT, code="too_short")
    if length > MAX_LENGTH:
        raise ValidationError(TOO_LONG, code="too_long", params={"length": length})
    if not has_visible_text(value):
        raise ValidationError(INVISIBLE, code="invisible")


def validate_visible_name(value: str) -> None:
    if not has_visible_text(value):
        raise ValidationError(BLANK_NAME, code="blank_name")
