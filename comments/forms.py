from django import forms

from comments.models import Comment
from comments.validators import (
    BLANK_NAME,
    BODY_MAX_CODE_POINTS,
    MAX_LENGTH,
    MIN_LENGTH,
    NAME_MAX_CODE_POINTS,
    NAME_TOO_LONG,
    TOO_BIG_TO_STORE,
    TOO_LONG,
    validate_comment_body,
)
from core.text import comment_length, normalize_comment

# What the box accepts, in code points, before the text is stored. NFD Vietnamese takes up to
# three a letter, a browser posts CRLF line breaks and an emoji sequence takes up to eleven,
# so 500 characters a reader sees can arrive as thousands of code points; the database holds
# at most this many.
RAW_INPUT_LIMIT = BODY_MAX_CODE_POINTS


class CommentForm(forms.ModelForm):
    """Name, email and comment, plus a honeypot that people never see."""

    body = forms.CharField(
        label="Comment",
        # Not required as a form field, so an empty box gets the same words as a short one;
        # still `required` in the page for the browser's own check.
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60, "required": True}),
        # Trimming is part of the counting rule (core.text.normalize_comment): Django's
        # own strip() removes a different set of characters than the browser's trim().
        strip=False,
        help_text=f"Between {MIN_LENGTH} and {MAX_LENGTH} characters. "
        "Links and HTML are shown as plain text.",
    )
    # No maxlength in the page: a browser counts it in UTF-16 units and would cut a name of
    # 80 letters typed in NFD, or with emoji, short. The counter script and the server count
    # the characters a reader sees instead (validate_visible_name).
    name = forms.CharField(
        label="Name",
        error_messages={"required": BLANK_NAME},
        widget=forms.TextInput(attrs={"autocomplete": "name", "required": True}),
    )
    # The honeypot: hidden by CSS and from assistive technology; bots fill every field.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Comment
        fields = ["name", "email", "body"]
        labels = {"email": "Email"}
        help_texts = {"name": "", "email": "Never shown publicly."}
        error_messages = {
            "name": {"required": BLANK_NAME},
            "email": {
                "required": "Please enter your email address. It is never shown.",
                "invalid": "Please enter a valid email address, like name@example.com.",
            },
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def clean_name(self):
        name = self.cleaned_data["name"]
        if len(name) > NAME_MAX_CODE_POINTS:
            raise forms.ValidationError(
                NAME_TOO_LONG, code="name_too_long", params={"length": comment_length(name)}
            )
        return name

    def clean_body(self):
        raw = self.cleaned_data["body"]
        if len(raw) > RAW_INPUT_LIMIT:
            length = comment_length(raw)
            if length > MAX_LENGTH:
                raise forms.ValidationError(TOO_LONG, code="too_long", params={"length": length})
            # Within 500 characters but too many code points for one (a wall of combining marks).
            raise forms.ValidationError(TOO_BIG_TO_STORE, code="too_big")
        validate_comment_body(raw)
        return normalize_comment(raw)

    def full_clean(self):
        super().full_clean()
        # The refused form is at the foot of a long article page: focusing (and so scrolling
        # to) the first field in error shows the reader what to fix, without JavaScript.
        for name, field in self.fields.items():
            if name in self.errors:
                field.widget.attrs["autofocus"] = True
                break

    @property
    def is_bot(self) -> bool:
        """True when the honeypot was filled: a person never sees that field."""
        return bool(self.data.get(self.add_prefix("website")))
