from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag as TaggitTag

from articles import services
from articles.models import Author, Series, Tag
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

    @admin.display(description=gettext_lazy("articles"), ordering="articles")
    def article_count(self, obj):
        return obj.articles

    def save_model(self, request, obj, form, change):
        if change:
            services.tag_rename(tag=obj, name=obj.name, slug=obj.slug)
        else:
            super().save_model(request, obj, form, change)

    @admin.action(
        description=gettext_lazy("Merge selected tags into the one with the most articles"),
        permissions=["change"],
    )
    def merge_selected(self, request, queryset):
        tags = list(queryset.order_by("-articles", "pk"))
        if len(tags) < 2:
            self.message_user(request, _("Select two or more tags to merge."), messages.WARNING)
            return
        into, *merged = tags
        services.tags_merge(into=into, merged=merged)
        names = ", ".join(f"“{t.name}”" for t in merged)
        self.message_user(
            request,
            _("Merged %(names)s into “%(into)s”; their addresses now lead there.")
            % {"names": names, "into": into.name},
        )


@admin.register(Series)
class SeriesAdmin(SlugFromMixin, admin.ModelAdmin):
    """Stories run in parts. A story joins a series on its own form (Series, Part); the
    import files "… (Part 2)" headlines into their series by itself."""

    list_display = ["name", "slug", "part_count"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug", "description", "part_list"]
    readonly_fields = ["part_list"]
    slug_from = {"slug": "name"}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(part_total=Count("parts"))

    @admin.display(description=gettext_lazy("parts"), ordering="part_total")
    def part_count(self, obj):
        return obj.part_total

    @admin.display(description=gettext_lazy("parts, in order"))
    def part_list(self, obj):
        parts = obj.parts.order_by("series_part", "pk") if obj and obj.pk else []
        if not parts:
            return _("No story is filed in this series yet: choose it on a story's form.")
        return format_html_join(
            "",
            '<p>{} <a href="{}">{}</a> ({})</p>',
            (
                (
                    _("Part %(number)s:") % {"number": part.series_part},
                    reverse("admin:articles_article_change", args=[part.pk]),
                    part.title,
                    part.get_status_display().lower(),
                )
                for part in parts
            ),
        )


# taggit's own Tag model is not used (articles.Tag is): keep its empty table out of sight.
if admin.site.is_registered(TaggitTag):
    admin.site.unregister(TaggitTag)
