from django.contrib import admin

from core.admin import SlugFromMixin
from sections.models import Section


@admin.register(Section)
class SectionAdmin(SlugFromMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    slug_from = {"slug": "name"}
