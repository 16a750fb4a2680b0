from django import forms
from django.contrib import admin
from django.db.models import OuterRef, Q
from django.utils.html import format_html

from pictures.access import shown_publicly
from pictures.fields import PictureNotStored
from pictures.forms import FocalPointFormMixin, focal_widgets
from pictures.models import BodyImage

# Who sees and edits every picture of the library; others see their own and published ones.
WHOLE_LIBRARY_PERMISSION = "pictures.change_bodyimage"


class PictureStorageErrorsMixin:
    """A ModelAdmin whose form holds a PictureField: when the disk refuses the picture (full,
    read-only), the form comes back with what was typed and the reason on the picture's
    field, instead of a server error. The failed save was rolled back and the partial file
    removed (pictures.fields.PictureField)."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PictureNotStored as error:
            # The admin's transaction has rolled back. Validate the same submission again,
            # this time reporting the disk's refusal as a form error, and show the form.
            request.picture_not_stored = error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        error = getattr(request, "picture_not_stored", None)
        if error is None:
            return form_class

        class RefusedPictureForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                self.add_error(
                    error.field_name if error.field_name in self.fields else None, str(error)
                )
                return cleaned_data

        return RefusedPictureForm


class BodyImageForm(FocalPointFormMixin, forms.ModelForm):
    class Meta:
        model = BodyImage
        fields = ["image", "image_focal_x", "image_focal_y", "description"]
        widgets = focal_widgets()


@admin.register(BodyImage)
class BodyImageAdmin(PictureStorageErrorsMixin, admin.ModelAdmin):
    """Upload a picture, then place it in a body with the editor's figure button and this
    address; the figure's caption is typed in the editor. Reporters see their own pictures
    and those already published; editors see the whole library."""

    list_display = ["description", "address", "uploaded_by", "created"]
    search_fields = ["description", "original_name"]
    form = BodyImageForm
    readonly_fields = ["address", "preview", "original_name"]
    fields = [
        "image",
        ("image_focal_x", "image_focal_y"),
        "description",
        "original_name",
        "address",
        "preview",
    ]

    class Media:
        css = {"all": ["admin/css/newsroom.css"]}

    def get_queryset(self, request):
        pictures = super().get_queryset(request)
        if request.user.has_perm(WHOLE_LIBRARY_PERMISSION):
            return pictures
        return pictures.filter(Q(uploaded_by=request.user) | shown_publicly(OuterRef("image")))

    @admin.display(description="address to paste into the figure")
    def address(self, obj):
        return obj.image.url if obj and obj.image else "—"

    @admin.display(description="picture")
    def preview(self, obj):
        if not obj or not obj.image:
            return "—"
        return format_html('<img src="{}" alt="" class="body-image-preview">', obj.image.url)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
