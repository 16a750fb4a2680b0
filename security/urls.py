"""Password reset for staff, beside the admin (mounted under ADMIN_URL in config/urls.py).

The admin's login page links to "Forgotten your password?" once `admin_password_reset`
exists; the pages use the admin's own registration templates."""

from django.contrib.auth import views as auth_views
from django.urls import path

from security.views import SignInPasswordResetConfirmView, ThrottledPasswordResetView

urlpatterns = [
    path(
        "password_reset/",
        ThrottledPasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        SignInPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
