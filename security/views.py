"""Password reset for staff: throttled requests, and a link that signs its owner in."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy

from core.client import address_fingerprint, client_ip
from security.axes import SIGNED_IN_BY_RESET_LINK
from security.forms import SiteURLPasswordResetForm
from security.services import password_reset_request


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Sends a reset link only while the throttle allows (security.services); either way the
    answer is the same "check your e-mail" page, so it tells nobody whether an account
    exists or a link went out."""

    form_class = SiteURLPasswordResetForm

    def form_valid(self, form):
        if password_reset_request(
            email=form.cleaned_data["email"],
            address=address_fingerprint(client_ip(self.request)),
        ):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class SignInPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password from the e-mailed link signs its owner in and opens the desk.

    The link proves the account by its e-mail, so it is the way in for a journalist whose
    sign-in form is locked because someone guessed from the same address; the guesser's
    lockout stays (security.axes.NewsroomAxesHandler)."""

    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("admin:index")

    def form_valid(self, form):
        setattr(self.request, SIGNED_IN_BY_RESET_LINK, True)
        return super().form_valid(form)
