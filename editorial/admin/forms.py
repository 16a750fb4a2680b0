"""The article form and the transition form of the newsroom's admin."""

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_prose_editor.fields import ProseEditorFormField
from taggit.forms import TagWidget

from articles.models import Article
from editorial import services
from editorial.selectors import tag_suggestions
from pictures.forms import FocalPointFormMixin, LibraryPictureInput, focal_widgets
from pictures.selectors import library_picture_of

# What the body editor offers; articles/sanitize.py still cleans every save.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Figure": True,
    "Caption": True,
    "Image": True,
    # The picture button: a figure from the library (static/admin/js/prose_library_picture.js).
    "LibraryPicture": True,
    # The browser's spell-check stays on (the editor turns it off by default).
    "NoSpellCheck": False,
}


# How many existing tags the tag field suggests, most used first.
TAG_SUGGESTIONS = 500


class TagSuggestWidget(TagWidget):
    """The comma-separated tag field, suggesting existing tags as the last one is typed
    (static/admin/js/tag_suggest.js), so one topic does not get three spellings.

    `user`: whose suggestions (editorial.selectors.tag_suggestions); the admin sets it
    for each request. Without one, only public tags are suggested."""

    class Media:
        js = ["admin/js/tag_suggest.js"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        names = tag_suggestions(user=self.user, limit=TAG_SUGGESTIONS)
        context["widget"]["attrs"]["data-tag-suggestions"] = json.dumps(names)
        context["widget"]["attrs"]["autocomplete"] = "off"
        return context


# The article's own words, as readers will read them.
ENGLISH_FIELDS = {"title", "lead", "image_alt", "image_caption", "image_credit"}


class ArticleAdminForm(FocalPointFormMixin, forms.ModelForm):
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    library_picture = forms.IntegerField(
        required=False,
        widget=LibraryPictureInput(),
        help_text="A picture chosen from the library becomes the featured picture: the same "
        "file, with the library's alt text, caption, credit and focal point unless typed.",
    )
    # Who is filling the form in (ArticleAdmin.get_form sets it for each request): the
    # library pictures they may choose.
    user = None
    body = ProseEditorFormField(
        label=gettext_lazy("Body"),
        required=False,
        extensions=BODY_EDITOR_EXTENSIONS,
        help_text=Article._meta.get_field("body").help_text,
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "section", "lead", "body", "tags",
            "image", "image_alt", "image_caption", "image_credit", "image_focal_x",
            "image_focal_y",
        ]  # fmt: skip
        widgets = {
            **focal_widgets(),
            "title": forms.TextInput(attrs={"data-char-count": "", "size": 80}),
            "lead": forms.Textarea(attrs={"data-char-count": "", "rows": 3}),
            "tags": TagSuggestWidget(attrs={"size": 80}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.version
        # The story is written in English (the edition's language) whatever language the
        # admin around it speaks: the browser spell-checks these fields as English.
        for name in ENGLISH_FIELDS & self.fields.keys():
            self.fields[name].widget.attrs["lang"] = "en"

    def clean_library_picture(self):
        pk = self.cleaned_data.get("library_picture")
        if pk is None:
            return None
        picture = library_picture_of(user=self.user, pk=pk) if self.user else None
        if picture is None:
            raise ValidationError(
                "That picture is not in the library, or not one you may use. Choose another."
            )
        return picture

    def _use_library_picture(self, cleaned) -> None:
        """The chosen library picture as the featured picture, unless a file is uploaded
        in the same save (the upload wins: it is what was chosen last)."""
        picture = cleaned.get("library_picture")
        if picture is None or self.files.get(self.add_prefix("image")):
            return
        cleaned["image"] = picture.image.name
        for name, value in (
            ("image_alt", picture.description),
            ("image_caption", picture.caption),
            ("image_credit", picture.credit),
        ):
            if not (cleaned.get(name) or "").strip():
                cleaned[name] = value
        for axis in "xy":
            name = f"image_focal_{axis}"
            if self.add_prefix(name) not in self.data:
                cleaned[name] = getattr(picture, name)

    def clean(self):
        cleaned = super().clean()
        self._use_library_picture(cleaned)
        if self.instance.pk:
            expected = cleaned.get("edit_version")
            if expected is None:
                raise ValidationError(_("The form is missing its version; reload the article."))
            try:
                # Inside the admin's transaction: the row stays locked until the save commits.
                services.check_version(article=self.instance, expected_version=expected)
            except services.EditConflict as conflict:
                # Keep what the user typed; a deliberate second save replaces the other edit.
                self.data = self.data.copy()
                self.data[self.add_prefix("edit_version")] = str(conflict.article.version)
                raise ValidationError(
                    _(
                        "%(conflict)s Your text is kept below and was not saved. Compare it "
                        "with the current version (open the article in a new tab); saving "
                        "this form again will replace their changes with yours."
                    )
                    % {"conflict": conflict.message}
                ) from None
        return cleaned


TRANSITION_LABELS = {
    "submit": gettext_lazy("Submit for review"),
    "return": gettext_lazy("Return to author"),
    "publish": gettext_lazy("Publish or schedule"),
    "unpublish": gettext_lazy("Unpublish"),
}


class TransitionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    published_at = forms.SplitDateTimeField(
        label=gettext_lazy("Published at"),
        required=False,
        widget=admin.widgets.AdminSplitDateTime,
        help_text=gettext_lazy(
            "Leave empty to publish now; a future time schedules the article, which then "
            "goes live by itself at that moment."
        ),
    )

    def __init__(self, *args, action, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action == "unpublish":
            self.fields["published_at"].label = _("Unpublish at")
            self.fields["published_at"].help_text = _(
                "Leave empty to unpublish now; a future time takes the article down by itself "
                "at that moment (an embargo's end, a takedown at a time)."
            )
            if article.unpublish_at:
                self.initial["published_at"] = timezone.localtime(article.unpublish_at)
        if action == "publish":
            self.fields["override_reason"] = forms.CharField(
                label=_("Publish anyway, because"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                help_text=_(
                    "Only when the checks above list something you publish as it is; "
                    "kept in the transition log with what was listed."
                ),
            )
        elif action != "unpublish":
            del self.fields["published_at"]
        if action == "publish" and article.is_scheduled:
            self.initial["published_at"] = timezone.localtime(article.published_at)
        if action == "return":
            self.fields["note"].required = True
            self.fields["note"].label = _("Reason")
            self.fields["note"].help_text = _("The author sees this on the article.")
