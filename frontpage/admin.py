from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import SlugFromMixin
from frontpage.models import BreakingNews, HomePick, PaperPage


@admin.register(BreakingNews)
class BreakingNewsAdmin(admin.ModelAdmin):
    """One line with a link on every page, from its start until its end time, when it goes
    away by itself (no one has to remember to remove it)."""

    list_display = ["text", "starts_at", "ends_at", "is_showing"]
    fields = ["text", "link", "starts_at", "ends_at"]
    search_fields = ["text"]

    @admin.display(boolean=True, description=_("on the pages now"))
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

    @admin.display(boolean=True, description=_("live"))
    def is_live(self, obj):
        return obj.article.is_live


@admin.register(PaperPage)
class PaperPageAdmin(SlugFromMixin, admin.ModelAdmin):
    """The paper's own pages (about, contact, the editorial team, the corrections policy),
    linked from every page's footer in their order. Their HTML is cleaned on save."""

    list_display = ["title", "slug", "order", "updated"]
    list_editable = ["order"]
    fields = ["title", "slug", "order", "body"]
    slug_from = {"slug": "title"}
