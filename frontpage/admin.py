from django.contrib import admin

from frontpage.models import HomePick


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
