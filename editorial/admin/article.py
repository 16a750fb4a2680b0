"""The newsroom's working tool. Every rule is enforced here on the server (querysets,
has_*_permission, read-only fields, actions) and again in editorial/services.py, so a
crafted POST meets the same refusal as the page."""

from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.models import Article, ArticleAuthor, Correction
from articles.searching import count_through_index, matching_through_index
from core.admin import SlugFromMixin
from core.text import search_terms
from editorial import permissions, services
from editorial.admin.editing import EditingViewsMixin
from editorial.admin.filters import AuthorFilter, MineFilter, StatusFilter
from editorial.admin.forms import ArticleAdminForm
from editorial.admin.sharing import PreviewLinksViewsMixin
from editorial.admin.views import WorkflowViewsMixin
from pictures.admin import PictureStorageErrorsMixin
from pictures.services import library_picture_add_stored

# The fieldset editors and authors see; compared by identity, as its title is translated.
TRANSITION_LOG = gettext_lazy("Transition log")

# What a bulk action says, by action and count (each language has its own plural forms).
BULK_DONE = {
    "publish": lambda n: ngettext(
        "Published %(count)d article.", "Published %(count)d articles.", n
    ),
    "unpublish": lambda n: ngettext(
        "Unpublished %(count)d article.", "Unpublished %(count)d articles.", n
    ),
}
BULK_REFUSED = {
    "publish": lambda n: ngettext(
        "%(count)d article could not be published from its status.",
        "%(count)d articles could not be published from their status.",
        n,
    ),
    "unpublish": lambda n: ngettext(
        "%(count)d article could not be unpublished from its status.",
        "%(count)d articles could not be unpublished from their status.",
        n,
    ),
}


class BylineInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "order"]

    # Bylines follow the article: whoever may edit the article may edit its bylines.
    def has_add_permission(self, request, obj=None):
        return obj is None or permissions.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None or permissions.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None or permissions.can_edit(request.user, obj)

    def has_view_permission(self, request, obj=None):
        return True


class CorrectionInline(admin.TabularInline):
    """Editors append corrections; once saved a correction stays as printed."""

    model = Correction
    extra = 0
    fields = ["created", "text", "by"]
    readonly_fields = ["created", "by"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.status == Article.Status.PUBLISHED
            and permissions.is_editor(request.user)
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Readers see every correction, so whoever opens the article sees them too. (Django
        # also asks with no article, to decide whether the inline lists any rows at all.)
        return True


@admin.register(Article)
class ArticleAdmin(
    PictureStorageErrorsMixin,
    SlugFromMixin,
    EditingViewsMixin,
    PreviewLinksViewsMixin,
    WorkflowViewsMixin,
    admin.ModelAdmin,
):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    # Fits a 1280 px screen beside the filters with the headline readable (dates on two
    # short lines, the comment count as a number), and becomes one card per story on a phone
    # (static/admin/css/newsroom.css).
    list_display = [
        "title", "status_label", "section", "byline_list", "published", "edited",
        "comment_count",
    ]  # fmt: skip
    list_filter = [
        MineFilter, StatusFilter, "section", AuthorFilter, "published_at", "needs_headline",
    ]  # fmt: skip
    # The folded copies search reads (core.text): "dien bien" finds "Điện Biên".
    search_fields = ["search_title", "search_lead", "search_body"]
    date_hierarchy = "published_at"
    slug_from = {"slug": "title"}
    list_select_related = ["section"]
    inlines = [BylineInline, CorrectionInline]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["workflow_state", "title", "slug", "section", "lead", "body", "tags"]}),
        (
            gettext_lazy("Featured image"),
            {
                "fields": [
                    "library_picture",
                    "image",
                    ("image_focal_x", "image_focal_y"),
                    "image_alt",
                    "image_caption",
                    "image_credit",
                ]
            },
        ),
        (
            gettext_lazy("Series and original"),
            {
                "fields": ["series", "series_part", "original_url"],
                "description": gettext_lazy(
                    "A story in parts belongs to a series, with its part number; "
                    "the Vietnamese original is its address on the paper's Vietnamese site."
                ),
            },
        ),
        (
            gettext_lazy("Publication"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "unpublish_at",
                    "needs_headline",
                    "comments_open",
                ]
            },
        ),
        (TRANSITION_LOG, {"fields": ["transition_log"]}),
    ]
    # Status and publish time move only through the transition buttons (services).
    workflow_readonly = [
        "workflow_state",
        "status",
        "published_at",
        "unpublish_at",
        "transition_log",
    ]

    class Media:
        js = [
            "admin/js/char_count.js",
            "admin/js/unsaved_guard.js",
            "admin/js/autosave.js",
            "admin/js/transition_save.js",
            "admin/js/presence.js",
            "admin/js/body_editor.js",
        ]
        css = {"all": ["admin/css/newsroom.css"]}

    # --- permissions ----------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("authors")
        queryset = queryset.with_counts("comment_total")
        return permissions.visible_to(request.user, queryset)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or permissions.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or permissions.can_delete(request.user, obj)

    def has_publish_permission(self, request):
        return permissions.is_editor(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not permissions.is_editor(request.user):
            # Bulk delete would bypass the per-article rule; reporters delete one at a time.
            actions.pop("delete_selected", None)
        return actions

    def delete_queryset(self, request, queryset):
        if any(not permissions.can_delete(request.user, a) for a in queryset):
            raise PermissionDenied
        with transaction.atomic():
            for article in queryset:
                services.article_delete(article=article, by=request.user)

    def delete_model(self, request, obj):
        services.article_delete(article=obj, by=request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "tags" in form.base_fields:
            # Suggest only the tags this user may see (a new form class on every request).
            form.base_fields["tags"].widget.user = request.user
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["workflow_state", "status", "published_at", "unpublish_at"]
        return self.workflow_readonly

    def get_fieldsets(self, request, obj=None):
        first, *rest = self.fieldsets
        if obj is None or not permissions.can_read_workings(request.user, obj):
            # The log's notes (return reasons) are for the article's authors and editors.
            rest = [(n, o) for n, o in rest if n is not TRANSITION_LOG]
        if obj is None:
            return [first, *rest]
        if not self.has_change_permission(request, obj):
            # Read-only: the body as it will read, not its HTML source.
            shown = ["body_as_read" if f == "body" else f for f in first[1]["fields"]]
            return [(None, {"fields": shown}), *rest]
        # The version the form was opened at travels with it (optimistic locking).
        return [(None, {"fields": ["edit_version", *first[1]["fields"]]}), *rest]

    def get_search_results(self, request, queryset, search_term):
        """Articles with a word starting with each term, in the headline, lead or body, as
        the public search matches (the same filter, on PostgreSQL through the GIN index, and
        a word few stories have looked up there first, as reader search does): folded, so
        accents and capitals do not matter. No usable word, no filter."""
        terms = search_terms(search_term)
        if not terms:
            return queryset, False
        return matching_through_index(queryset, terms, page=self.list_per_page), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if request.GET.get(SEARCH_VAR, "").strip():
            return SearchPaginator(queryset, per_page, orphans, allow_empty_first_page)
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def view_on_site(self, obj):
        # A story readers cannot see yet (or any more) opens in its preview, not a 404.
        if obj.is_live:
            return obj.get_absolute_url()
        return reverse("editorial:preview", args=[obj.pk])

    # --- saving through the services --------------------------------------------------

    def save_model(self, request, obj, form, change):
        uploaded = form.cleaned_data.get("image")
        new_upload = bool(obj.image) and not obj.image._committed
        services.article_save(
            article=obj,
            by=request.user,
            expected_version=form.cleaned_data.get("edit_version") if change else None,
            record_revision=False,
        )
        if new_upload:
            # One library: a featured picture uploaded with the article joins it (the same
            # stored file), to be chosen again for another story or a body's figure.
            library_picture_add_stored(
                name=obj.image.name,
                description=obj.image_alt or obj.title,
                caption=obj.image_caption,
                credit=obj.image_credit,
                focal=(obj.image_focal_x, obj.image_focal_y),
                by=request.user,
                original_name=str(getattr(uploaded, "name", "") or ""),
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.article_add_creator_byline(article=form.instance, by=request.user)
        services.article_record_revision(article=form.instance, by=request.user)
        # Saved for real: the unsaved copy is no longer needed (the add form's neither).
        services.autosave_delete(user=request.user, article=form.instance)
        if not change:
            services.autosave_delete(user=request.user, article=None)

    def save_formset(self, request, form, formset, change):
        if formset.model is Correction:
            for correction in formset.save(commit=False):
                services.correction_add(
                    article=form.instance, by=request.user, text=correction.text
                )
            return
        super().save_formset(request, form, formset, change)

    # --- columns and read-only fields ---------------------------------------------------

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_label(self, obj):
        return format_html(
            '<span class="status status--{}">{}</span>',
            "scheduled" if obj.is_scheduled else obj.status,
            obj.display_status,
        )

    @admin.display(description=gettext_lazy("comments"), ordering="comment_total")
    def comment_count(self, obj):
        return obj.comment_total

    @admin.display(description=gettext_lazy("published"), ordering="published_at")
    def published(self, obj):
        return _short_time(obj.published_at)

    @admin.display(description=gettext_lazy("edited"), ordering="updated")
    def edited(self, obj):
        return _short_time(obj.updated)

    def changelist_view(self, request, extra_context=None):
        # The list is the desk's working screen: on a 1280 px screen the app menu beside it
        # would leave the headlines a few words a line. Home and the breadcrumbs lead on.
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.display(description=gettext_lazy("body"))
    def body_as_read(self, obj):
        # Cleaned by the HTML allow-list on every save (articles.sanitize), as the public
        # page prints it.
        return mark_safe(f'<div class="body-as-read">{obj.body}</div>')

    @admin.display(description=gettext_lazy("authors"))
    def byline_list(self, obj):
        return ", ".join(a.name for a in obj.authors.all())

    @admin.display(description=gettext_lazy("status"))
    def workflow_state(self, obj):
        if obj is None or obj.pk is None:
            return _("Draft (new)")
        text = obj.display_status
        if obj.is_scheduled:
            when = timezone.localtime(obj.published_at)
            text = _("Scheduled for %(when)s") % {"when": f"{when:%Y-%m-%d %H:%M}"}
        if obj.unpublish_at and not obj.has_come_down:
            when = timezone.localtime(obj.unpublish_at)
            text += _(", comes down at %(when)s") % {"when": f"{when:%Y-%m-%d %H:%M}"}
        if obj.status == Article.Status.RETURNED and obj.return_reason:
            return format_html(
                '<strong>{}</strong><div class="return-reason">{} {}</div>',
                text,
                _("Returned because:"),
                obj.return_reason,
            )
        return format_html("<strong>{}</strong>", text)

    @admin.display(description=gettext_lazy("transitions"))
    def transition_log(self, obj):
        rows = obj.transitions.select_related("by") if obj and obj.pk else []
        if not rows:
            return _("No transitions yet.")
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    timezone.localtime(t.at).strftime("%Y-%m-%d %H:%M:%S"),
                    t.by.get_username() if t.by else "—",
                    t.get_from_status_display(),
                    t.get_to_status_display()
                    + (
                        " "
                        + _("for %(when)s")
                        % {"when": f"{timezone.localtime(t.published_at):%Y-%m-%d %H:%M}"}
                        if t.published_at
                        else " "
                        + _("at %(when)s")
                        % {"when": f"{timezone.localtime(t.effective_at):%Y-%m-%d %H:%M}"}
                        if t.effective_at
                        else ""
                    ),
                    " ".join(
                        part
                        for part in (
                            t.note,
                            _("Published despite: %(checks)s Reason: %(reason)s")
                            % {
                                "checks": t.failed_checks.replace(chr(10), " "),
                                "reason": t.override_reason,
                            }
                            if t.failed_checks
                            else "",
                        )
                        if part
                    ),
                )
                for t in rows
            ),
        )
        return format_html(
            '<table class="transition-log"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("When"),
            _("Who"),
            _("From"),
            _("To"),
            _("Note"),
            body,
        )

    # --- bulk actions ------------------------------------------------------------------

    def _bulk(self, request, queryset, action):
        done, refused, unchecked = 0, 0, []
        for article in queryset:
            try:
                with transaction.atomic():
                    services.TRANSITION_SERVICES[action](article=article, by=request.user)
                done += 1
            except services.PublishChecksFailed:
                unchecked.append(str(article))
            except (PermissionDenied, ValidationError):
                refused += 1
        if unchecked:
            self.message_user(
                request,
                _(
                    "Not published, as they fail the checks before publishing: %(titles)s. "
                    "Open each to fix it, or to publish it with a reason."
                )
                % {"titles": "; ".join(unchecked)},
                messages.WARNING,
            )
        if done:
            self.message_user(request, BULK_DONE[action](done) % {"count": done})
        if refused:
            self.message_user(
                request, BULK_REFUSED[action](refused) % {"count": refused}, messages.WARNING
            )

    @admin.action(
        description=gettext_lazy("Publish selected articles now"), permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(description=gettext_lazy("Unpublish selected articles"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, "unpublish")


class SearchPaginator(Paginator):
    """The pages of a search: the matches counted through the GIN index (exact, 0.09 s for
    a word 13,754 of 100,000 stories have) rather than by reading every story's vector."""

    @cached_property
    def count(self):
        return count_through_index(self.object_list)


class ArticleChangeList(ChangeList):
    """The article list, without the date links while a search term is given and no date
    is chosen: they are the first and last publication time of the matches and then every
    month (or year) that has one, a read of every match's row that only ends at the last
    match (0.3 s for a common word at 100,000 stories), for links an editor who searched
    has little use for (the list is newest first and the "published" filter stays). Once
    a year, month or day is chosen, they read that period's matches and show as before."""

    def get_queryset(self, request, exclude_parameters=None):
        dated = any(key.startswith(f"{self.date_hierarchy}__") for key in self.params)
        if self.query.strip() and not dated:
            self.date_hierarchy = None
        return super().get_queryset(request, exclude_parameters)


def _short_time(moment):
    """A date and time in the paper's zone on two short lines, the full moment on hover."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}" title="{}">{}<span class="list-time">{}</span></time>',
        moment.isoformat(),
        f"{local:%Y-%m-%d %H:%M}",
        # The day as the admin's language writes it: "02 Dec 2026", "02/12/2026".
        formats.date_format(local, "SHORT_DATE_FORMAT"),
        f"{local:%H:%M}",
    )
