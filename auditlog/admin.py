"""The audit page: every event of the log, newest first, filtered by kind, person and date
and searched by person, article and text. Read-only for everyone; open only to holders of
auditlog.view_auditevent (the Editor group and superusers), so reporters and moderators get
403 from the server, not just a missing link."""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from auditlog.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    # The action names its kind ("Published → Unpublished", "Comment pending → approved"),
    # so the kind is a filter, not a column: five columns fit beside the filters.
    list_display = ["when", "person", "action", "article_link", "details"]
    list_display_links = None
    list_filter = ["kind", ("by", admin.RelatedOnlyFieldListFilter), "at"]
    search_fields = ["by_name", "article_title", "action", "subject", "note"]
    date_hierarchy = "at"
    ordering = ["-at", "-pk"]
    list_per_page = 50
    show_full_result_count = False

    class Media:
        css = {"all": ["admin/css/newsroom.css"]}

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": _("Audit log"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    @admin.display(description=gettext_lazy("when"), ordering="at")
    def when(self, event):
        local = timezone.localtime(event.at)
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            event.at.isoformat(),
            local.strftime("%Y-%m-%d %H:%M:%S"),
            local.strftime("%Y-%m-%d %H:%M"),
        )

    @admin.display(description=gettext_lazy("person"), ordering="by_name")
    def person(self, event):
        if event.by_id is None:
            # No account: the import, run from the server's shell, or a deleted account.
            return event.by_name or _("the import")
        return format_html(
            '<a href="?by__id__exact={}" title="{}">{}</a>',
            event.by_id,
            _("Everything %(person)s did") % {"person": event.by_name},
            event.by_name,
        )

    @admin.display(description=gettext_lazy("article"), ordering="article_title")
    def article_link(self, event):
        if event.article_id is None:
            return event.article_title or "—"
        return format_html(
            '<a href="?article__id__exact={}" title="{}">{}</a>'
            '<a href="{}" class="audit-open">{}<span class="visually-hidden">'
            " “{}”</span></a>",
            event.article_id,
            _("Everything that happened to it"),
            event.article_title,
            reverse("admin:articles_article_change", args=[event.article_id]),
            _("Open the article"),
            event.article_title,
        )

    @admin.display(description=gettext_lazy("details"))
    def details(self, event):
        """What else the event concerned (which comment, which revision) and the reason."""
        return format_html(
            "{}{}",
            event.subject,
            format_html('<span class="audit-note">{}</span>', event.note) if event.note else "",
        )
