from django.db import models

from core.models import NFCTextModel


class ContentVersion(NFCTextModel):
    """The version of something readers see, kept in the database beside the content.

    A change to what readers see bumps its versions in the same transaction as the change
    (pagecache.registry.changed), so the version and the content are committed together:
    whatever happens to the cache (a restart, a snapshot restored, an eviction, a second
    process with a cache of its own), a page kept under a version is only served while the
    database still holds that version. `token` is new at every bump and never reused, even
    after the database is restored from a backup; `number` counts the bumps.

    Keys: "site" (every page), "shared" (what every article prints of others), and
    "article:<pk>" (an article's own parts). A key with no row has never been bumped.
    """

    key = models.CharField(max_length=40, primary_key=True)
    number = models.PositiveBigIntegerField(default=0)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(token=""), name="pagecache_contentversion_token_set"
            ),
        ]

    def __str__(self):
        return f"{self.key} #{self.number}"
