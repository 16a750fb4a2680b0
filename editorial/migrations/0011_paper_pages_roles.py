"""Editors write the paper's own pages: about, contact, the corrections policy (editorial.roles)."""

from django.db import migrations

from editorial.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0010_preview_link"),
        ("frontpage", "0003_paper_pages"),
    ]

    operations = [migrations.RunPython(_roles.create_roles, migrations.RunPython.noop)]
