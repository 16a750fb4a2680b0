"""The journalist's own choice of the admin's language, linked from the admin's header.

The page acts on the signed-in user only: the form names no user, so nobody can change
another journalist's language, whatever they post."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from editorial import services
from editorial.language import chosen_language


class DeskLanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the admin"),
        choices=[("", gettext_lazy("The browser's language")), *settings.LANGUAGES],
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("The public site stays in English."),
    )


def desk_language_view(request):
    """Show and change the signed-in journalist's admin language."""
    if request.method == "POST":
        form = DeskLanguageForm(request.POST)
        if form.is_valid():
            language = form.cleaned_data["language"]
            services.desk_language_set(user=request.user, language=language)
            shown = language or translation.get_language_from_request(request)
            # The confirmation is already in the language just chosen.
            with translation.override(shown):
                messages.success(request, _("The admin now speaks %(language)s.") % {
                    "language": dict(settings.LANGUAGES)[shown]
                })  # fmt: skip
            return HttpResponseRedirect(reverse("admin-language"))
    else:
        form = DeskLanguageForm(initial={"language": chosen_language(request.user)})
    context = {
        **admin.site.each_context(request),
        "title": _("Language"),
        "form": form,
    }
    return TemplateResponse(request, "admin/language.html", context)
