from django.contrib import admin
from django.utils import timezone

from frontpage.models import BreakingNews, HomePick


@admin.register(BreakingNews)
class BreakingNewsAdmin(admin.ModelAdmin):
    """One line with a link on every page, from its start until its end time, when it goes
    away by itself (no one has to remember to remove it)."""

    list_display = ["text", "starts_at", "ends_at", "is_showing"]
    fields = ["text", "link", "starts_at", "ends_at"]
    search_fields = ["text"]

    @admin.display(boolean=True, description="on the pages now")
    def is_showing(self, obj):
        return obj.starts_at <= timezone.now() < obj.ends_at

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(HomePick)
class HomePickAdmin(admin.ModelAdmin):
    """Editors pin the lead and featured stories; empty slots fill with the latest news."""

    list_display = ["slot", "article", "is_live"]
    list_editable = ["article"]
    list_display_links = ["slot"]
    autocomplete_fields = ["article"]
    ordering = ["slot"]

    @admin.display(boolean=True, description="live")
    def is_live(self, obj):
        return obj.article.is_live
