"""Writes to the content that span steps: renaming and merging tags.

A tag's old address keeps working: it becomes a TagAlias whose page redirects to the tag.
"""

from django.db import transaction

from articles.models import Tag, TagAlias, TaggedArticle
from core.text import nfc


@transaction.atomic
def tag_rename(*, tag: Tag, name: str, slug: str | None = None) -> Tag:
    """Give `tag` a new name (and address, when `slug` is given and differs); its articles
    keep it, and the old address redirects to the new one."""
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    old_slug = tag.slug
    tag.name = nfc(name).strip()
    if slug and slug != old_slug:
        tag.slug = slug
    tag.full_clean()
    tag.save()
    if tag.slug != old_slug:
        _alias(old_slug, tag)
    return tag


@transaction.atomic
def tags_merge(*, into: Tag, merged) -> int:
    """Move every article of the tags `merged` to `into`, keep their addresses as aliases
    of `into`, and delete them. Returns how many tags were merged."""
    into = Tag.objects.select_for_update().get(pk=into.pk)
    merged = list(
        Tag.objects.select_for_update().filter(pk__in=[t.pk for t in merged]).exclude(pk=into.pk)
    )
    for tag in merged:
        tagged = TaggedArticle.objects.filter(tag=tag)
        already = TaggedArticle.objects.filter(tag=into).values("content_object_id")
        tagged.filter(content_object_id__in=already).delete()
        for link in tagged:
            # One save each, so the cached pages of each article follow.
            link.tag = into
            link.save()
        TagAlias.objects.filter(tag=tag).update(tag=into)
        slug = tag.slug
        tag.delete()
        _alias(slug, into)
    return len(merged)


def _alias(slug: str, tag: Tag) -> None:
    TagAlias.objects.filter(slug=tag.slug).delete()  # the tag's own address again
    TagAlias.objects.update_or_create(slug=slug, defaults={"tag": tag})
