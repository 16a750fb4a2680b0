from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from pictures import services
from pictures.fields import PictureNotStored
from pictures.forms import FocalPointFormMixin, focal_widgets
from pictures.models import BodyImage
from pictures.renditions import rendition
from pictures.selectors import library_search, library_visible_to

# How many pictures the chooser lists at once (newest first; search for older ones).
CHOOSER_LIMIT = 48


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
        fields = ["image", "image_focal_x", "image_focal_y", "description", "caption", "credit"]
        widgets = focal_widgets()


class ChooserUploadForm(forms.ModelForm):
    """A picture uploaded from the chooser (the body editor's, the featured picture's)."""

    class Meta:
        model = BodyImage
        fields = ["image", "description", "caption", "credit"]


def chooser_entry(picture: BodyImage) -> dict:
    """What the chooser shows of a library picture and inserts from it."""
    thumb = rendition(picture.image, "thumb")
    column = rendition(picture.image, "column")
    return {
        "id": picture.pk,
        "alt": picture.description,
        "caption": picture.caption,
        "credit": picture.credit,
        "focal": [picture.image_focal_x, picture.image_focal_y],
        "thumb": thumb.url if thumb else "",
        "src": column.url if column else "",
        "width": column.width if column else None,
        "height": column.height if column else None,
        "name": picture.original_name,
    }


@admin.register(BodyImage)
class BodyImageAdmin(PictureStorageErrorsMixin, admin.ModelAdmin):
    """The picture library: upload a picture with its alt text, caption, credit and focal
    point, then choose it from the article form, as the featured picture or as a figure in
    the body (the body editor's picture button). Reporters see their own pictures and those
    already published; editors see the whole library."""

    form = BodyImageForm
    list_display = ["list_thumbnail", "description", "credit", "uploaded_by", "created"]
    list_display_links = ["list_thumbnail", "description"]
    search_fields = ["description", "caption", "credit", "original_name"]
    readonly_fields = ["original_name", "address"]
    fields = [
        "image",
        ("image_focal_x", "image_focal_y"),
        "description",
        "caption",
        "credit",
        "original_name",
        "address",
    ]

    class Media:
        css = {"all": ["admin/css/newsroom.css"]}

    def get_queryset(self, request):
        return library_visible_to(request.user, super().get_queryset(request))

    def get_urls(self):
        chooser = self.admin_site.admin_view(self.chooser_view)
        return [path("chooser/", chooser, name="pictures_bodyimage_chooser"), *super().get_urls()]

    @admin.display(description=_("picture"))
    def list_thumbnail(self, obj):
        thumb = rendition(obj.image, "thumb") if obj and obj.image else None
        if thumb is None:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}" class="library-thumb">',
            thumb.url,
            thumb.width,
            thumb.height,
        )

    @admin.display(description=_("address of the whole file"))
    def address(self, obj):
        return obj.image.url if obj and obj.image else "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    # --- the chooser ---------------------------------------------------------------

    def chooser_view(self, request):
        """GET: the library pictures this user may choose, newest first, matching `q`.
        POST: upload a new picture into the library and answer with it."""
        return require_http_methods(["GET", "POST"])(self._chooser)(request)

    def _chooser(self, request):
        if request.method == "POST":
            return self._chooser_upload(request)
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "")[:200]
        pictures = library_search(user=request.user, query=query)[:CHOOSER_LIMIT]
        return JsonResponse({"pictures": [chooser_entry(p) for p in pictures]})

    def _chooser_upload(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ChooserUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        try:
            picture = services.library_picture_create(
                image=form.cleaned_data["image"],
                description=form.cleaned_data["description"],
                caption=form.cleaned_data["caption"],
                credit=form.cleaned_data["credit"],
                by=request.user,
            )
        except PictureNotStored as error:
            return JsonResponse(
                {"errors": {"image": [{"message": str(error), "code": "not_stored"}]}},
                status=400,
            )
        return JsonResponse({"picture": chooser_entry(picture)}, status=201)
