from django.apps import AppConfig


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"

    def ready(self):
        from comments.models import Comment
        from comments.signals import approved_comments_changed
        from pagecache.registry import NO_ARTICLE, watch, watch_signal

        # Posting and moderating say when what readers see changes (a pending comment leaves
        # every page as it was); a deletion (in the admin, or with its article) always does.
        # Comments are no part of an article's own kept parts.
        watch_signal(approved_comments_changed, articles=NO_ARTICLE)
        watch(Comment, articles=NO_ARTICLE, saves=False)
