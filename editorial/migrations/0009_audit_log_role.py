"""Editors read the audit log (editorial.roles); reporters and moderators do not."""

from django.db import migrations

from editorial.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0008_autosave_presence"),
        ("auditlog", "0001_initial"),
    ]

    operations = [migrations.RunPython(_roles.create_roles, migrations.RunPython.noop)]
