from django.contrib import admin, messages
from django.db.models import Count
from taggit.models import Tag as TaggitTag

from articles import services
from articles.models import Author, Tag
from core.admin import SlugFromMixin


@admin.register(Author)
class AuthorAdmin(SlugFromMixin, admin.ModelAdmin):
    list_display = ["name", "position", "user"]
    search_fields = ["name", "position"]
    slug_from = {"slug": "name"}
    autocomplete_fields = ["user"]


@admin.register(Tag)
class TagAdmin(SlugFromMixin, admin.ModelAdmin):
    """The site's tags. Renaming keeps a tag's articles; a changed address and the address
    of a merged tag redirect to the tag's page."""

    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug"]
    slug_from = {"slug": "name"}
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(articles=Count("tagged_articles"))

    @admin.display(description="articles", ordering="articles")
    def article_count(self, obj):
        return obj.articles

    def save_model(self, request, obj, form, change):
        if change:
            services.tag_rename(tag=obj, name=obj.name, slug=obj.slug)
        else:
            super().save_model(request, obj, form, change)

    @admin.action(
        description="Merge selected tags into the one with the most articles",
        permissions=["change"],
    )
    def merge_selected(self, request, queryset):
        tags = list(queryset.order_by("-articles", "pk"))
        if len(tags) < 2:
            self.message_user(request, "Select two or more tags to merge.", messages.WARNING)
            return
        into, *merged = tags
        services.tags_merge(into=into, merged=merged)
        names = ", ".join(f"“{t.name}”" for t in merged)
        self.message_user(
            request, f"Merged {names} into “{into.name}”; their addresses now lead there."
        )


# taggit's own Tag model is not used (articles.Tag is): keep its empty table out of sight.
if admin.site.is_registered(TaggitTag):
    admin.site.unregister(TaggitTag)
