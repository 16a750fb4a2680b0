from django import forms

from comments.models import Comment
from comments.validators import (
    BLANK_NAME,
    MAX_LENGTH,
    MIN_LENGTH,
    TOO_LONG,
    validate_comment_body,
)
from core.text import normalize_comment

# What the box accepts before counting. NFD Vietnamese takes up to three code points a letter
# and a browser posts CRLF line breaks, so 500 characters can arrive as ~1,500 code points;
# anything far beyond that is refused before any Unicode work is done on it.
RAW_INPUT_LIMIT = 5000


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
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def clean_body(self):
        raw = self.cleaned_data["body"]
        if len(raw) > RAW_INPUT_LIMIT:
            raise forms.ValidationError(
                TOO_LONG, code="too_long", params={"length": len(normalize_comment(raw))}
            )
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
