"""Editors run live stories; reporters post to the ones an editor names them on (editorial.roles)."""

from django.db import migrations

from editorial.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0011_paper_pages_roles"),
        ("live", "0001_initial"),
    ]

    operations = [migrations.RunPython(_roles.create_roles, migrations.RunPython.noop)]
