from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from live import services
from live.models import LiveCoverage, LiveEntry
from live.permissions import (
    can_change,
    can_delete,
    can_feature,
    is_live_editor,
    postable_coverages,
)


@admin.register(LiveCoverage)
class LiveCoverageAdmin(admin.ModelAdmin):
    """Editors make a story live coverage: from its start until its end time (when it ends
    by itself), naming the reporters who may post entries to it."""

    list_display = ["article", "starts_at", "ends_at", "is_live", "entries_link"]
    list_select_related = ["article"]
    fields = ["article", "starts_at", "ends_at", "reporters"]
    autocomplete_fields = ["article"]
    filter_horizontal = ["reporters"]
    search_fields = ["article__title"]
    date_hierarchy = "starts_at"

    @admin.display(boolean=True, description=_("live now"))
    def is_live(self, obj):
        return obj.starts_at <= timezone.now() < obj.ends_at

    @admin.display(description=_("entries"))
    def entries_link(self, obj):
        from django.urls import reverse

        entries = reverse("admin:live_liveentry_changelist") + f"?coverage__id__exact={obj.pk}"
        add = reverse("admin:live_liveentry_add") + f"?coverage={obj.pk}"
        return format_html('<a href="{}">Entries</a> · <a href="{}">Add one</a>', entries, add)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "reporters":
            from django.contrib.auth import get_user_model

            # Those whose role lets them post entries at all (the Reporter group), not the
            # editors, who post to every live story anyway.
            may_post = Q(
                groups__permissions__codename="add_liveentry",
                groups__permissions__content_type__app_label="live",
            ) | Q(
                user_permissions__codename="add_liveentry",
                user_permissions__content_type__app_label="live",
            )
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(may_post, is_staff=True, is_active=True, is_superuser=False)
                .exclude(
                    groups__permissions__codename="change_livecoverage",
                    groups__permissions__content_type__app_label="live",
                )
                .distinct()
                .order_by("username")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The reporters are set by save_related, through the same service.
        services.coverage_save(coverage=obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        services.coverage_save(
            coverage=form.instance, by=request.user, reporters=form.cleaned_data["reporters"]
        )


class LiveEntryForm(forms.ModelForm):
    class Meta:
        model = LiveEntry
        fields = [
            "coverage", "posted_at", "text", "picture", "picture_alt", "picture_credit",
            "quote", "quote_by", "pinned", "key",
        ]  # fmt: skip

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if self.cleaned_data.get("pinned"):
            # Pinning this entry unpins the story's other one (live.services): the one-pin
            # rule is checked by the service and the database, not against the old pin.
            exclude.add("coverage")
        return exclude


@admin.register(LiveEntry)
class LiveEntryAdmin(admin.ModelAdmin):
    """Entries of live stories, newest first. Editors post, edit, pin, mark as key and
    delete any; a reporter posts to the stories an editor named them on and corrects their
    own entries. The server refuses what the page does not offer."""

    form = LiveEntryForm
    list_display = ["headline", "time", "coverage", "marks", "created_by"]
    list_display_links = ["headline"]
    list_filter = ["pinned", "key", "coverage"]
    list_select_related = ["coverage__article", "created_by"]
    search_fields = ["text", "quote", "quote_by"]
    date_hierarchy = "posted_at"
    fields = [
        "coverage", "posted_at", "text", "picture", "picture_alt", "picture_credit",
        "quote", "quote_by", "pinned", "key",
    ]  # fmt: skip

    @admin.display(description=_("entry"))
    def headline(self, obj):
        return obj.headline

    @admin.display(description=_("time"), ordering="posted_at")
    def time(self, obj):
        return f"{timezone.localtime(obj.posted_at):%H:%M, %d %b}"

    @admin.display(description=_("pinned / key"))
    def marks(self, obj):
        return ", ".join(mark for mark, on in (("Pinned", obj.pinned), ("Key", obj.key)) if on)

    def changelist_view(self, request, extra_context=None):
        # As the article list: on a 1280 px screen the app menu beside it would leave the
        # entries a few words a line.
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_live_editor(request.user):
            return queryset
        return queryset.filter(coverage__in=postable_coverages(request.user))

    def get_readonly_fields(self, request, obj=None):
        fixed = [] if can_feature(request.user) else ["pinned", "key"]
        if obj is not None:
            fixed.append("coverage")  # an entry stays with its story
        return fixed

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "coverage":
            kwargs["queryset"] = postable_coverages(request.user).select_related("article")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("posted_at", timezone.now())
        if "coverage" not in initial:
            # A reporter named on one live story posts to it.
            postable = list(postable_coverages(request.user).values_list("pk", flat=True)[:2])
            if len(postable) == 1:
                initial["coverage"] = postable[0]
        return initial

    def has_add_permission(self, request):
        return super().has_add_permission(request) and postable_coverages(request.user).exists()

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return can_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request) and is_live_editor(request.user)
        return can_delete(request.user, obj)

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name]
            for name in services.ENTRY_FIELDS
            if name in form.cleaned_data
        }
        if fields.get("picture") is False:  # "Clear" ticked
            fields["picture"] = ""
        if change:
            services.entry_update(entry=obj, by=request.user, **fields)
        else:
            saved = services.entry_post(coverage=obj.coverage, by=request.user, **fields)
            obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.entry_delete(entry=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            services.entry_delete(entry=entry, by=request.user)
        messages.info(request, "Each deletion is in the audit log.")
