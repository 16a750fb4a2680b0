"""Work of the workflow that need not hold anyone's request, run by the task backend
(settings.TASKS: in-process by default, `manage.py db_worker` with NEWSROOM_TASKS=database)."""

import logging

from django.core.mail import send_mail
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_notification(*, subject: str, body: str, recipients: list[str]) -> None:
    """Send one workflow mail. A failure is logged and recorded with the task's result (the
    transition that asked for the mail is committed and stays)."""
    try:
        send_mail(subject, body, None, recipients)
    except Exception:
        logger.exception("Could not send %r to %s", subject, recipients)
        raise
