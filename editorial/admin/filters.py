"""The article list's filters, in the newsroom's words."""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleAuthor, Author
from editorial import permissions


class MineFilter(admin.SimpleListFilter):
    """Reporters start from their own articles; editors from everything."""

    title = _("articles")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", _("My articles")), ("all", _("All I can see"))]

    def __init__(self, request, params, model, model_admin):
        self.default = "all" if permissions.is_editor(request.user) else "yes"
        super().__init__(request, params, model, model_admin)

    def choices(self, changelist):
        current = self.value() or self.default
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if (self.value() or self.default) == "yes":
            return queryset.filter(
                pk__in=Article.objects.filter(
                    Q(created_by=request.user) | Q(bylines__author__user=request.user)
                ).values("pk")
            )
        return queryset


class StatusFilter(admin.SimpleListFilter):
    """Statuses as the newsroom says them, with Scheduled apart from live stories."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("in_review", _("In review")),
            ("returned", _("Returned")),
            ("scheduled", _("Scheduled")),
            ("published", _("Published (live)")),
            ("unpublished", _("Unpublished")),
        ]

    def queryset(self, request, queryset):
        value, now = self.value(), timezone.now()
        if value == "scheduled":
            return queryset.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        if value == "published":
            return queryset.filter(pk__in=Article.objects.published().values("pk"))
        if value == "unpublished":
            come_down = Q(status=Article.Status.PUBLISHED, unpublish_at__lte=now)
            return queryset.filter(Q(status=Article.Status.UNPUBLISHED) | come_down)
        if value in Article.Status.values:
            return queryset.filter(status=value)
        return queryset


class AuthorFilter(admin.SimpleListFilter):
    title = _("author")
    parameter_name = "author"

    def lookups(self, request, model_admin):
        return [(str(a.pk), a.name) for a in Author.objects.only("pk", "name")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(
                pk__in=ArticleAuthor.objects.filter(author_id=int(self.value())).values(
                    "article_id"
                )
            )
        return queryset
