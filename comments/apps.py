from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from articles.models import register_count
        from comments.models import Comment, approved_count_subquery, count_subquery
        from comments.signals import approved_comments_changed
        from pagecache.registry import NO_ARTICLE, show_on_article_page, watch, watch_signal

        # Posting and moderating say when what readers see changes (a pending comment leaves
        # every page as it was); a deletion (in the admin, or with its article) always does.
        # Comments are no part of an article's own kept parts.
        watch_signal(approved_comments_changed, articles=NO_ARTICLE)
        watch(Comment, articles=NO_ARTICLE, saves=False)
        show_on_article_page("comments")

        # Cards print the approved comments; the newsroom's article list counts them all.
        register_count("approved_comment_count", approved_count_subquery)
        register_count("comment_total", count_subquery)
