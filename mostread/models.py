from django.db import models


class ArticleView(models.Model):
    """One reader's view of an article within one hour, where views are counted in the
    database (no REDIS_URL): the unique constraint is what keeps a reader to one view per
    article per hour, whatever the number of processes. `reader` is a keyed hash of the
    reader's address fingerprint, the article and the hour (mostread.counters.reader_key):
    it names no one and cannot follow a reader from one article or hour to the next.
    Rows older than the counting window are deleted as lists are rolled up."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    reader = models.CharField(max_length=32)
    hour = models.DateTimeField(help_text="The hour the view fell in (UTC, minutes cut).")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "reader", "hour"], name="article_view_once_per_reader_hour"
            )
        ]
        indexes = [models.Index(fields=["hour", "article"], name="article_view_hour_idx")]

    def __str__(self):
        return f"{self.article_id} at {self.hour:%Y-%m-%d %H}:00"
