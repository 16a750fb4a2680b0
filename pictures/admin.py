from django.contrib import admin
from django.utils.html import format_html

from pictures.models import BodyImage


@admin.register(BodyImage)
class BodyImageAdmin(admin.ModelAdmin):
    """Upload a picture, then place it in a body with the editor's figure button and this
    address; the figure's caption is typed in the editor."""

    list_display = ["description", "address", "uploaded_by", "created"]
    search_fields = ["description"]
    readonly_fields = ["address", "preview"]
    fields = ["image", "description", "address", "preview"]

    @admin.display(description="address to paste into the figure")
    def address(self, obj):
        return obj.image.url if obj and obj.image else "—"

    class Media:
        css = {"all": ["admin/css/newsroom.css"]}

    @admin.display(description="picture")
    def preview(self, obj):
        if not obj or not obj.image:
            return "—"
        return format_html('<img src="{}" alt="" class="body-image-preview">', obj.image.url)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
