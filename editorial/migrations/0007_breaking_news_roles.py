"""Editors put up the breaking news banner (editorial.roles)."""

from django.db import migrations

from editorial.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0006_series_roles"),
        ("frontpage", "0002_breaking_news"),
    ]

    operations = [migrations.RunPython(_roles.create_roles, migrations.RunPython.noop)]
