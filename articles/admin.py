from django.contrib import admin

from articles.models import Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "user"]
    search_fields = ["name", "position"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
