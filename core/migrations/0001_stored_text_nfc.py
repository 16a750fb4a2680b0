"""Text stored before every model normalised on save is rewritten in NFC.

Only rows that change are written (on PostgreSQL only they are read), so the migration is
cheap on a large table and a second run does nothing. Two tags that become the same are
merged, as an editor's merge in the admin does; any other row that would then duplicate
another on a unique column (a section's name, say) is left as it is and reported.
"""

from django.db import migrations

from core.stored_text import normalize_apps

APPS = [
    "pagecache",
    "sections",
    "pictures",
    "articles",
    "editorial",
    "comments",
    "frontpage",
    "security",
]


def merge_tags(apps):
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    TagAlias = apps.get_model("articles", "TagAlias")

    def merge(model, duplicate, into):
        already = TaggedArticle.objects.filter(tag=into).values("content_object_id")
        TaggedArticle.objects.filter(tag=duplicate, content_object_id__in=already).delete()
        TaggedArticle.objects.filter(tag=duplicate).update(tag=into)
        TagAlias.objects.filter(tag=duplicate).update(tag=into)
        slug = duplicate.slug
        duplicate.delete()
        # The merged tag's address keeps working: it redirects to the tag it became.
        if slug != into.slug and not TagAlias.objects.filter(slug=slug).exists():
            TagAlias.objects.create(slug=slug, tag=into)

    return merge


def forwards(apps, schema_editor):
    report = normalize_apps(
        apps,
        APPS,
        using=schema_editor.connection.alias,
        merges={"articles.Tag": merge_tags(apps)},
    )
    for line in report.lines():
        print(f"  NFC: {line}")


class Migration(migrations.Migration):
    dependencies = [
        ("pagecache", "0001_content_version"),
        ("sections", "0002_initial_sections"),
        ("pictures", "0001_initial"),
        ("articles", "0005_unpublish_index"),
        ("editorial", "0004_scheduled_unpublish"),
        ("comments", "0003_banned_word_any_tones"),
        ("frontpage", "0001_initial"),
        ("security", "0001_password_reset_request"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
