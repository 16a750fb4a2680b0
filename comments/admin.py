from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments.models import BannedWord, Comment
from comments.services import comments_delete, comments_moderate

# What a moderation action says, by the status it gave and the count.
MODERATED = {
    Comment.Status.APPROVED: lambda n: ngettext(
        "%(count)d comment approved.", "%(count)d comments approved.", n
    ),
    Comment.Status.REJECTED: lambda n: ngettext(
        "%(count)d comment rejected.", "%(count)d comments rejected.", n
    ),
    Comment.Status.SPAM: lambda n: ngettext(
        "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", n
    ),
}


class ModerationStatusFilter(admin.SimpleListFilter):
    """Opens on the pending queue; "All" and each status are one click away."""

    title = _("status")
    parameter_name = "status"
    default = Comment.Status.PENDING

    def lookups(self, request, model_admin):
        return Comment.Status.choices

    def current(self):
        return self.value() or self.default

    def queryset(self, request, queryset):
        if self.current() == "all":
            return queryset
        if self.current() in Comment.Status.values:
            return queryset.filter(status=self.current())
        return queryset.none()

    def choices(self, changelist):
        yield {
            "selected": self.current() == "all",
            "query_string": changelist.get_query_string({self.parameter_name: "all"}),
            "display": _("All"),
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.current() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue. Moderators need is_staff and comments.change_comment."""

    list_display = ["excerpt", "name", "article", "status", "held_reason", "created"]
    list_display_links = ["excerpt"]
    list_filter = [
        ModerationStatusFilter,
        ("article", admin.RelatedOnlyFieldListFilter),
        "created",
    ]
    search_fields = ["body", "name", "email", "article__title"]
    date_hierarchy = "created"
    list_select_related = ["article"]
    ordering = ["created"]
    actions = ["approve", "reject", "mark_spam"]
    fields = [
        "article",
        "name",
        "email",
        "body",
        "status",
        "held_reason",
        "created",
        "ip_hash",
        "user_agent",
        "moderated_by",
        "moderated_at",
    ]
    readonly_fields = [f for f in fields if f != "status"]

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.body).chars(80)

    def has_add_permission(self, request):
        # Comments come from readers, through the article page.
        return False

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            comments_moderate(
                comments=Comment.objects.filter(pk=obj.pk), status=obj.status, by=request.user
            )

    def delete_model(self, request, obj):
        comments_delete(comments=Comment.objects.filter(pk=obj.pk), by=request.user)

    def delete_queryset(self, request, queryset):
        comments_delete(comments=queryset, by=request.user)

    def _moderate(self, request, queryset, status):
        changed = comments_moderate(comments=queryset, status=status, by=request.user)
        done = MODERATED[status](changed) % {"count": changed}
        self.message_user(request, done, messages.SUCCESS)

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.APPROVED)

    @admin.action(description=_("Reject selected comments"), permissions=["change"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.REJECTED)

    @admin.action(description=_("Mark selected comments as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.SPAM)


@admin.register(BannedWord)
class BannedWordAdmin(admin.ModelAdmin):
    """Words that send a comment to spam; editors change the list without a deployment."""

    list_display = ["word", "any_tones", "note", "created"]
    list_filter = ["any_tones"]
    search_fields = ["word", "note"]
    fields = ["word", "any_tones", "note"]
