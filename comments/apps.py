from django.apps import AppConfig


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"

    def ready(self):
        from django.db.models.signals import post_delete

        from articles.caching import content_changed
        from comments.models import Comment

        # Only to refresh cached pages when a comment is deleted (in the admin, or with its
        # article). Posting and moderating refresh them in comments/services.py, and only
        # when what readers see changes: a pending comment leaves every page as it was.
        post_delete.connect(content_changed, sender=Comment, dispatch_uid="cache-del-comment")
