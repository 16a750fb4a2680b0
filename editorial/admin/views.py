"""The article admin's own pages: a transition with its form, the revisions, a comparison of
two revisions, and restoring one. Each checks on the server what the buttons offer."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from editorial import permissions, services
from editorial.admin.forms import TRANSITION_LABELS, TransitionForm
from editorial.checks import publish_problems
from editorial.diff import revision_diff


class WorkflowViewsMixin:
    """Adds the workflow's pages to the article ModelAdmin."""

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

    def _workings_or_404(self, request, object_id):
        """The article, if `request.user` may read its revisions and history; else 404, as
        for an article they cannot open, so the page does not even confirm it has any."""
        article = self._article_or_404(request, object_id)
        if not permissions.can_read_workings(request.user, article):
            raise Http404("No such article.")
        return article

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, unquote(object_id))
        if article is not None:
            extra_context["transition_actions"] = [
                (action, TRANSITION_LABELS[action])
                for action in permissions.allowed_actions(request.user, article)
            ]
            extra_context["can_preview"] = permissions.can_preview(request.user, article)
            extra_context["can_read_workings"] = permissions.can_read_workings(
                request.user, article
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        # Django's log of admin saves names who changed what: part of the workings.
        self._workings_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def transition_view(self, request, object_id, action):
        article = self._article_or_404(request, object_id)
        if action not in services.TRANSITION_SERVICES:
            raise Http404("No such transition.")
        if action not in permissions.allowed_actions(request.user, article):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        form = TransitionForm(data, action=action, article=article)
        if request.method == "POST" and form.is_valid():
            kwargs = {"article": article, "by": request.user}
            if action == "return":
                kwargs["reason"] = form.cleaned_data["note"]
            else:
                kwargs["note"] = form.cleaned_data["note"]
            if action in ("publish", "unpublish"):
                kwargs["at"] = form.cleaned_data.get("published_at")
            if action == "publish":
                kwargs["override_reason"] = form.cleaned_data["override_reason"]
            try:
                services.TRANSITION_SERVICES[action](**kwargs)
            except services.PublishChecksFailed:
                # The page lists what failed above the form.
                form.add_error(
                    "override_reason",
                    _("Fix what is listed above, or say why it goes out as it is."),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if action == "unpublish" and article.unpublish_at:
                    when = timezone.localtime(article.unpublish_at)
                    done = _("“%(article)s” comes down at %(when)s.") % {
                        "article": article,
                        "when": f"{when:%Y-%m-%d %H:%M}",
                    }
                else:
                    done = _("“%(article)s” is now %(status)s.") % {
                        "article": article,
                        "status": article.display_status,
                    }
                self.message_user(request, done)
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
            "problems": publish_problems(article) if action == "publish" else [],
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/article/transition.html", context)

    def revisions_view(self, request, object_id):
        article = self._workings_or_404(request, object_id)
        revisions = article.history.select_related("history_user").order_by("-history_date")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Revisions of “%(article)s”") % {"article": article},
            "revisions": revisions,
            "can_restore": permissions.is_editor(request.user),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def compare_view(self, request, object_id):
        article = self._workings_or_404(request, object_id)
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
            "title": _("Compare revisions of “%(article)s”") % {"article": article},
            "old": old,
            "new": new,
            "rows": revision_diff(old, new),
            "can_restore": permissions.is_editor(request.user),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, object_id, history_id):
        article = self._workings_or_404(request, object_id)
        if not permissions.is_editor(request.user):
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
            _("Restored the revision of %(when)s as a new revision.")
            % {"when": f"{timezone.localtime(revision.history_date):%Y-%m-%d %H:%M}"},
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
