"""django-axes' database handler, with one exception for sign-ins by a password-reset link."""

from axes.handlers.database import AxesDatabaseHandler

# Set on a request whose sign-in came from a password-reset link (security.views).
SIGNED_IN_BY_RESET_LINK = "newsroom_signed_in_by_reset_link"


class NewsroomAxesHandler(AxesDatabaseHandler):
    """A sign-in normally clears the failed attempts of its username and address
    (AXES_RESET_ON_SUCCESS). One made by a password-reset link does not: the link came by
    e-mail, not through the sign-in form, so a guesser at the same address stays locked out."""

    def reset_user_attempts(self, request, credentials=None) -> int:
        if getattr(request, SIGNED_IN_BY_RESET_LINK, False):
            return 0
        return super().reset_user_attempts(request, credentials)
