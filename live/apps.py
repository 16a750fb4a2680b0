from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    """Live coverage: a story followed as it happens, in short timestamped entries that
    readers' pages take in without a reload, from the coverage's start to its end."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "live"
    verbose_name = _("Live coverage")

    def ready(self):
        from articles.metadata import extend_structured_data
        from articles.models import register_card_flag
        from live.metadata import live_blog_posting
        from live.models import LiveCoverage, LiveEntry
        from pagecache.registry import show_on_article_page, watch, watch_schedule
        from pictures.access import register_use

        # The live block and the story's structured data (one of its own parts) print them.
        watch(LiveCoverage, articles=lambda coverage: [coverage.article_id])
        watch(LiveEntry, articles=lambda entry: [entry.coverage.article_id])
        # Live starts and ends at the editor's times with no write: cached pages turn then.
        watch_schedule(next_live_change)
        show_on_article_page("live")
        show_on_article_page("live-marker")
        extend_structured_data(live_blog_posting)
        # Cards say "Live" while the coverage runs (the schedule above turns them then).
        register_card_flag("live_now", live_now)
        # An entry's picture reaches readers once its published story shows it.
        register_use(published_entries_showing)


def next_live_change(now):
    """When a live coverage next starts or ends, or None. Read where coverages are written:
    one set a moment ago may not be on a read replica yet."""
    from django.db import router
    from django.db.models import Min, Q

    from live.models import LiveCoverage

    found = (
        LiveCoverage.objects.using(router.db_for_write(LiveCoverage))
        .filter(Q(starts_at__gt=now) | Q(ends_at__gt=now))
        .aggregate(
            starts=Min("starts_at", filter=Q(starts_at__gt=now)),
            ends=Min("ends_at", filter=Q(ends_at__gt=now)),
        )
    )
    return min(filter(None, found.values()), default=None)


def live_now(now):
    """Whether the outer article's live coverage is running at `now` (an EXISTS on its
    row)."""
    from django.db.models import Exists, OuterRef

    from live.models import LiveCoverage

    running = LiveCoverage.objects.filter(
        article=OuterRef("pk"), starts_at__lte=now, ends_at__gt=now
    )
    return Exists(running)


def published_entries_showing(name):
    """Entries of published stories that show the stored picture `name`."""
    from articles.models import Article
    from live.models import LiveEntry

    return LiveEntry.objects.filter(picture=name, coverage__article__in=Article.objects.published())
