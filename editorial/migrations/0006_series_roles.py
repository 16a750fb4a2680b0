"""Editors keep the series; reporters see them to file their stories (editorial.roles)."""

from django.db import migrations

from editorial.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0005_publish_checks"),
        ("articles", "0007_series_and_original"),
    ]

    operations = [migrations.RunPython(_roles.create_roles, migrations.RunPython.noop)]
