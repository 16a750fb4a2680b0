from django.apps import AppConfig


class FrontpageConfig(AppConfig):
    """The home page: editors' picks, the choice of its stories, and the Recent news list
    every page shows."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "frontpage"
    verbose_name = "Front page"

    def ready(self):
        from frontpage.models import HomePick
        from pagecache.registry import NO_ARTICLE, watch

        watch(HomePick, articles=NO_ARTICLE)  # the home page's choice of stories only
