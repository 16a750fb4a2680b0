"""The newsroom's working tool. Every rule is enforced here on the server (querysets,
has_*_permission, read-only fields, actions) and again in articles/services.py, so a
crafted POST meets the same refusal as the page."""

import json

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django_prose_editor.fields import ProseEditorFormField
from taggit.forms import TagWidget

from articles import services
from articles.diff import revision_diff
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    BodyImage,
    Correction,
    HomePick,
    Tag,
)

# What the body editor offers; articles/sanitize.py still cleans every save.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Figure": True,
    "Caption": True,
    "Image": True,
}


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

    # Bylines follow the article: whoever may edit the article may edit its bylines.
    def has_add_permission(self, request, obj=None):
        return obj is None or services.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None or services.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None or services.can_edit(request.user, obj)

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
            and services.is_editor(request.user)
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        has_some = obj is not None and obj.corrections.exists()
        return has_some or self.has_add_permission(request, obj)


# How many existing tags the tag field suggests, most used first.
TAG_SUGGESTIONS = 500


class TagSuggestWidget(TagWidget):
    """The comma-separated tag field, suggesting existing tags as the last one is typed
    (static/admin/js/tag_suggest.js), so one topic does not get three spellings."""

    class Media:
        js = ["admin/js/tag_suggest.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        names = (
            Tag.objects.annotate(uses=Count("tagged_articles"))
            .order_by("-uses", "name")
            .values_list("name", flat=True)[:TAG_SUGGESTIONS]
        )
        context["widget"]["attrs"]["data-tag-suggestions"] = json.dumps(list(names))
        context["widget"]["attrs"]["autocomplete"] = "off"
        return context


class ArticleAdminForm(forms.ModelForm):
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    body = ProseEditorFormField(
        required=False,
        extensions=BODY_EDITOR_EXTENSIONS,
        help_text=Article._meta.get_field("body").help_text,
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "section", "lead", "body", "tags",
            "image", "image_alt", "image_caption", "image_credit",
        ]  # fmt: skip
        widgets = {
            "title": forms.TextInput(attrs={"data-char-count": "", "size": 80}),
            "lead": forms.Textarea(attrs={"data-char-count": "", "rows": 3}),
            "tags": TagSuggestWidget(attrs={"size": 80}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            expected = cleaned.get("edit_version")
            if expected is None:
                raise ValidationError("The form is missing its version; reload the article.")
            try:
                # Inside the admin's transaction: the row stays locked until the save commits.
                services.check_version(article=self.instance, expected_version=expected)
            except services.EditConflict as conflict:
                # Keep what the user typed; a deliberate second save replaces the other edit.
                self.data = self.data.copy()
                self.data[self.add_prefix("edit_version")] = str(conflict.article.version)
                raise ValidationError(
                    f"{conflict.message} Your text is kept below and was not saved. Compare it "
                    "with the current version (open the article in a new tab); saving this "
                    "form again will replace their changes with yours."
                ) from None
        return cleaned


def comment_count_subquery():
    """Comments per article, when the comments app defines Comment.article; else None."""
    try:
        comment = apps.get_model("comments", "Comment")
        comment._meta.get_field("article")
    except (LookupError, FieldDoesNotExist):
        return None
    counts = (
        comment._default_manager.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


class MineFilter(admin.SimpleListFilter):
    """Reporters start from their own articles; editors from everything."""

    title = "articles"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "My articles"), ("all", "All I can see")]

    def __init__(self, request, params, model, model_admin):
        self.default = "all" if services.is_editor(request.user) else "yes"
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

    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("in_review", "In review"),
            ("returned", "Returned"),
            ("scheduled", "Scheduled"),
            ("published", "Published (live)"),
            ("unpublished", "Unpublished"),
        ]

    def queryset(self, request, queryset):
        value, now = self.value(), timezone.now()
        if value == "scheduled":
            return queryset.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        if value == "published":
            return queryset.filter(status=Article.Status.PUBLISHED, published_at__lte=now)
        if value in Article.Status.values:
            return queryset.filter(status=value)
        return queryset


class AuthorFilter(admin.SimpleListFilter):
    title = "author"
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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = [
        "title", "status_label", "section", "byline_list", "published_at", "updated",
        "comment_count",
    ]  # fmt: skip
    list_filter = [
        MineFilter, StatusFilter, "section", AuthorFilter, "published_at", "needs_headline",
    ]  # fmt: skip
    search_fields = ["title", "lead", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["section"]
    inlines = [BylineInline, CorrectionInline]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["workflow_state", "title", "slug", "section", "lead", "body", "tags"]}),
        ("Featured image", {"fields": ["image", "image_alt", "image_caption", "image_credit"]}),
        ("Publication", {"fields": ["status", "published_at", "needs_headline", "comments_open"]}),
        ("Transition log", {"fields": ["transition_log"]}),
    ]
    # Status and publish time move only through the transition buttons (services).
    workflow_readonly = ["workflow_state", "status", "published_at", "transition_log"]

    class Media:
        js = ["admin/js/char_count.js"]
        css = {"all": ["admin/css/newsroom.css"]}

    # --- permissions ----------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("authors")
        counts = comment_count_subquery()
        if counts is not None:
            queryset = queryset.annotate(comment_total=counts)
        return services.visible_to(request.user, queryset)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or services.can_delete(request.user, obj)

    def has_publish_permission(self, request):
        return services.is_editor(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not services.is_editor(request.user):
            # Bulk delete would bypass the per-article rule; reporters delete one at a time.
            actions.pop("delete_selected", None)
        return actions

    def delete_queryset(self, request, queryset):
        if any(not services.can_delete(request.user, a) for a in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["workflow_state", "status", "published_at"]
        return self.workflow_readonly

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(n, o) for n, o in self.fieldsets if n != "Transition log"]
        if not self.has_change_permission(request, obj):
            return self.fieldsets
        # The version the form was opened at travels with it (optimistic locking).
        first, *rest = self.fieldsets
        return [(None, {"fields": ["edit_version", *first[1]["fields"]]}), *rest]

    # --- saving through the services --------------------------------------------------

    def save_model(self, request, obj, form, change):
        services.article_save(
            article=obj,
            by=request.user,
            expected_version=form.cleaned_data.get("edit_version") if change else None,
            record_revision=False,
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.article_add_creator_byline(article=form.instance, by=request.user)
        services.article_record_revision(article=form.instance, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is Correction:
            for correction in formset.save(commit=False):
                services.correction_add(
                    article=form.instance, by=request.user, text=correction.text
                )
            return
        super().save_formset(request, form, formset, change)

    # --- columns and read-only fields ---------------------------------------------------

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        return format_html(
            '<span class="status status--{}">{}</span>',
            "scheduled" if obj.is_scheduled else obj.status,
            obj.display_status,
        )

    @admin.display(description="comments")
    def comment_count(self, obj):
        # "—" until the comments app provides Comment.article.
        return getattr(obj, "comment_total", "—")

    @admin.display(description="authors")
    def byline_list(self, obj):
        return ", ".join(a.name for a in obj.authors.all())

    @admin.display(description="status")
    def workflow_state(self, obj):
        if obj is None or obj.pk is None:
            return "Draft (new)"
        text = obj.display_status
        if obj.is_scheduled:
            when = timezone.localtime(obj.published_at)
            text = f"Scheduled for {when:%Y-%m-%d %H:%M}"
        if obj.status == Article.Status.RETURNED and obj.return_reason:
            return format_html(
                '<strong>{}</strong><div class="return-reason">Returned because: {}</div>',
                text,
                obj.return_reason,
            )
        return format_html("<strong>{}</strong>", text)

    @admin.display(description="transitions")
    def transition_log(self, obj):
        rows = obj.transitions.select_related("by") if obj and obj.pk else []
        if not rows:
            return "No transitions yet."
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
                        f" for {timezone.localtime(t.published_at):%Y-%m-%d %H:%M}"
                        if t.published_at
                        else ""
                    ),
                    t.note,
                )
                for t in rows
            ),
        )
        return format_html(
            '<table class="transition-log"><thead><tr><th>When</th><th>Who</th><th>From</th>'
            "<th>To</th><th>Note</th></tr></thead><tbody>{}</tbody></table>",
            body,
        )

    # --- bulk actions ------------------------------------------------------------------

    def _bulk(self, request, queryset, action):
        done, refused = 0, 0
        for article in queryset:
            try:
                with transaction.atomic():
                    services.TRANSITION_SERVICES[action](article=article, by=request.user)
                done += 1
            except (PermissionDenied, ValidationError):
                refused += 1
        if done:
            self.message_user(request, f"{action.capitalize()}ed {done} article(s).")
        if refused:
            self.message_user(
                request,
                f"{refused} article(s) could not be {action}ed from their status.",
                messages.WARNING,
            )

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, "unpublish")

    # --- extra pages: transitions, revisions -------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/transition/<str:action>/",
                view(self.transition_view),
                name="articles_article_transition",
            ),
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<path:object_id>/revisions/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:history_id>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def _article_or_404(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_permission(request, article):
            raise Http404("No such article.")
        return article

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, unquote(object_id))
        if article is not None:
            extra_context["transition_actions"] = [
                (action, TRANSITION_LABELS[action])
                for action in services.allowed_actions(request.user, article)
            ]
            extra_context["can_preview"] = services.can_preview(request.user, article)
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id, action):
        article = self._article_or_404(request, object_id)
        if action not in services.TRANSITION_SERVICES:
            raise Http404("No such transition.")
        if action not in services.allowed_actions(request.user, article):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        form = TransitionForm(data, action=action, article=article)
        if request.method == "POST" and form.is_valid():
            kwargs = {"article": article, "by": request.user}
            if action == "return":
                kwargs["reason"] = form.cleaned_data["note"]
            else:
                kwargs["note"] = form.cleaned_data["note"]
            if action == "publish":
                kwargs["at"] = form.cleaned_data.get("published_at")
            try:
                services.TRANSITION_SERVICES[action](**kwargs)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, f"“{article}” is now {article.display_status}.")
                return HttpResponseRedirect(
                    reverse("admin:articles_article_change", args=[article.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"{TRANSITION_LABELS[action]}: {article}",
            "form": form,
            "action": action,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/article/transition.html", context)

    def revisions_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        revisions = article.history.select_related("history_user").order_by("-history_date")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"Revisions of “{article}”",
            "revisions": revisions,
            "can_restore": services.is_editor(request.user),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def compare_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        ids = [request.GET.get("a", ""), request.GET.get("b", "")]
        if not all(i.isdigit() for i in ids):
            raise Http404("Choose two revisions to compare.")
        found = {r.history_id: r for r in article.history.filter(history_id__in=ids)}
        try:
            old, new = sorted(
                (found[int(i)] for i in ids), key=lambda r: (r.history_date, r.history_id)
            )
        except KeyError:
            raise Http404("No such revision of this article.") from None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"Compare revisions of “{article}”",
            "old": old,
            "new": new,
            "rows": revision_diff(old, new),
            "can_restore": services.is_editor(request.user),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, object_id, history_id):
        article = self._article_or_404(request, object_id)
        if not services.is_editor(request.user):
            raise PermissionDenied
        revision = article.history.filter(history_id=history_id).first()
        if revision is None:
            raise Http404("No such revision of this article.")
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:articles_article_revisions", args=[article.pk])
            )
        services.article_restore_revision(article=article, revision=revision, by=request.user)
        self.message_user(
            request,
            f"Restored the revision of {timezone.localtime(revision.history_date):%Y-%m-%d %H:%M}"
            " as a new revision.",
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


TRANSITION_LABELS = {
    "submit": "Submit for review",
    "return": "Return to author",
    "publish": "Publish or schedule",
    "unpublish": "Unpublish",
}


class TransitionForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    published_at = forms.SplitDateTimeField(
        required=False,
        widget=admin.widgets.AdminSplitDateTime,
        help_text="Leave empty to publish now; a future time schedules the article, which then "
        "goes live by itself at that moment.",
    )

    def __init__(self, *args, action, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action != "publish":
            del self.fields["published_at"]
        elif article.is_scheduled:
            self.initial["published_at"] = timezone.localtime(article.published_at)
        if action == "return":
            self.fields["note"].required = True
            self.fields["note"].label = "Reason"
            self.fields["note"].help_text = "The author sees this on the article."


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


@admin.register(BodyImage)
class BodyImageAdmin(admin.ModelAdmin):
    """Upload a picture, then place it in a body with the editor's figure button and this
    address; the figure's caption is typed in the editor."""

    list_display = ["description", "address", "uploaded_by", "created"]
    search_fields = ["description"]
    readonly_fields = ["address", "preview"]
    fields = ["image", "description", "address", "preview"]

    @admin.display(description="address to paste into the figure")
    def address(self, obj):
        return obj.image.url if obj and obj.image else "—"

    class Media:
        css = {"all": ["admin/css/newsroom.css"]}

    @admin.display(description="picture")
    def preview(self, obj):
        if not obj or not obj.image:
            return "—"
        return format_html('<img src="{}" alt="" class="body-image-preview">', obj.image.url)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
