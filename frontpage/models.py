from django.db import models
from django.db.models import Q

# The lead and four featured stories.
SLOTS = 5


class HomePick(models.Model):
    """A story an editor pinned to the home page: slot 0 is the lead, 1.. the featured row."""

    SLOTS = SLOTS

    slot = models.PositiveSmallIntegerField(
        unique=True,
        help_text="0 is the lead story; 1 to 4 are the featured stories, in that order. "
        "An empty slot shows the latest published story.",
    )
    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="home_pick",
        help_text="A pinned story that is not live (unpublished, scheduled) is skipped.",
    )

    class Meta:
        ordering = ["slot"]
        verbose_name = "home page pick"
        constraints = [
            models.CheckConstraint(condition=Q(slot__lt=SLOTS), name="home_pick_slot_range"),
        ]

    def __str__(self):
        return f"{self.slot}: {self.article}"
