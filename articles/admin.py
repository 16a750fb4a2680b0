from django.contrib import admin

from articles.models import Article, ArticleAuthor, Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "user"]
    search_fields = ["name", "position"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


class BylineInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "order"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "section", "published_at", "updated"]
    list_filter = ["status", "section", "published_at", "needs_headline"]
    search_fields = ["title", "lead", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["section"]
    inlines = [BylineInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "section", "lead", "body", "tags"]}),
        ("Featured image", {"fields": ["image", "image_alt", "image_caption", "image_credit"]}),
        ("Publication", {"fields": ["status", "published_at", "needs_headline", "comments_open"]}),
    ]
