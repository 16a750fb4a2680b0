"""The newsroom's two roles. Reporters write and submit; editors run every transition."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = {
    "articles": [
        "add_article",
        "change_article",
        "view_article",
        "delete_article",
        "view_author",
        "add_bodyimage",
        "view_bodyimage",
    ],
    "sections": ["view_section"],
}
EDITOR = {
    "articles": [
        "add_article", "change_article", "view_article", "delete_article", "publish_article",
        "add_author", "change_author", "view_author",
        "add_correction", "view_correction",
        "add_homepick", "change_homepick", "delete_homepick", "view_homepick",
        "view_articletransition", "view_historicalarticle",
        "add_tag", "change_tag", "view_tag",
        "add_bodyimage", "change_bodyimage", "view_bodyimage",
    ],
    "sections": ["view_section"],
}  # fmt: skip


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant_roles(apps)


def grant_roles(apps):
    """Create the groups with their permissions (which must exist); safe to run again."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in (("Reporter", REPORTER), ("Editor", EDITOR)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in grants.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reporter", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sections", "0002_initial_sections"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
