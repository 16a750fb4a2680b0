from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontpageConfig(AppConfig):
    """The home page: editors' picks, the choice of its stories, and the Recent news list
    every page shows."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "frontpage"
    verbose_name = _("Front page")

    def ready(self):
        from frontpage.models import BreakingNews, HomePick, PaperPage
        from pagecache.registry import NO_ARTICLE, watch, watch_schedule

        watch(HomePick, articles=NO_ARTICLE)  # the home page's choice of stories only
        # Every page shows the banner, outside the articles' own parts.
        watch(BreakingNews, articles=NO_ARTICLE)
        # It comes and goes at its times with no write: cached pages end then.
        watch_schedule(next_banner_change)
        # The paper's pages: their own addresses, and every page's footer links them.
        watch(PaperPage, articles=NO_ARTICLE)


def next_banner_change(now):
    """When a banner next starts or ends, or None. Read where banners are written: one made
    a moment ago may not be on a read replica yet."""
    from django.db import router
    from django.db.models import Min, Q

    from frontpage.models import BreakingNews

    found = (
        BreakingNews.objects.using(router.db_for_write(BreakingNews))
        .filter(Q(starts_at__gt=now) | Q(ends_at__gt=now))
        .aggregate(
            starts=Min("starts_at", filter=Q(starts_at__gt=now)),
            ends=Min("ends_at", filter=Q(ends_at__gt=now)),
        )
    )
    return min(filter(None, found.values()), default=None)
