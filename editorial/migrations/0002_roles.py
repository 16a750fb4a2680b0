"""The Reporter and Editor groups with their permissions (editorial.roles defines them)."""

from django.db import migrations

from editorial.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("articles", "0001_initial"),
        ("frontpage", "0001_initial"),
        ("pictures", "0001_initial"),
        ("sections", "0002_initial_sections"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(_roles.create_roles, _roles.remove_roles)]
