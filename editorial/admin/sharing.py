"""The article's "Share preview" page: editors make a signed, expiring link to the
article's preview for someone outside the admin (a source checking a quote), see the links
made before, and revoke one. Everyone else gets 403 from the server."""

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.links import absolute_url
from editorial import permissions, services


class PreviewLinkForm(forms.Form):
    lifetime = forms.ChoiceField(
        label=gettext_lazy("The link works for"),
        choices=[(key, label) for key, (label, _t) in services.PREVIEW_LINK_LIFETIMES.items()],
        initial=services.PREVIEW_LINK_DEFAULT_LIFETIME,
        widget=forms.RadioSelect,
    )
    shared_with = forms.CharField(
        label=gettext_lazy("For"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Whom you send it to, for the newsroom's record (optional; never shown on the preview)."
        ),
    )


class PreviewLinksViewsMixin:
    """Adds the share page and the revoke action to the article ModelAdmin."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/share/",
                view(self.share_view),
                name="articles_article_share",
            ),
            path(
                "<path:object_id>/share/<int:link_id>/revoke/",
                view(self.revoke_link_view),
                name="articles_article_revoke_link",
            ),
            *super().get_urls(),
        ]

    def _shareable_or_403(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_permission(request, article):
            raise Http404("No such article.")
        if not permissions.is_editor(request.user):
            raise PermissionDenied
        return article

    def share_view(self, request, object_id):
        article = self._shareable_or_403(request, object_id)
        form = PreviewLinkForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                link = services.preview_link_create(
                    article=article,
                    by=request.user,
                    lifetime=form.cleaned_data["lifetime"],
                    shared_with=form.cleaned_data["shared_with"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                when = timezone.localtime(link.expires_at)
                self.message_user(
                    request,
                    _(
                        "A preview link for “%(article)s” works until %(when)s; copy it from "
                        "the list below."
                    )
                    % {"article": article, "when": f"{when:%Y-%m-%d %H:%M}"},
                )
                return HttpResponseRedirect(request.path + f"#link-{link.pk}")
        now = timezone.now()
        links = [
            (
                link,
                absolute_url(
                    reverse("editorial:shared_preview", args=[services.preview_link_token(link)])
                ),
                "revoked" if link.revoked_at else "expired" if link.is_expired(now) else "active",
            )
            for link in article.preview_links.select_related("created_by", "revoked_by")
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Share a preview of “%(article)s”") % {"article": article},
            "form": form,
            "links": links,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/article/share.html", context)

    def revoke_link_view(self, request, object_id, link_id):
        article = self._shareable_or_403(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        link = article.preview_links.filter(pk=link_id).first()
        if link is None:
            raise Http404("No such preview link.")
        services.preview_link_revoke(link=link, by=request.user)
        self.message_user(request, _("The preview link is revoked: it answers “no longer works”."))
        return HttpResponseRedirect(reverse("admin:articles_article_share", args=[article.pk]))
