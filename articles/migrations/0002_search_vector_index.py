"""The GIN index over the PostgreSQL search vector (search.queries reads it)."""

from django.db import migrations

GIN_INDEX = "article_search_vector_gin"


def create_gin_index(apps, schema_editor):
    # PostgreSQL only, so it is created here rather than in Meta.indexes: SQLite cannot
    # build a GIN index, and a model-state index would break SQLite table rebuilds.
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("articles", "Article")._meta.db_table
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON {schema_editor.quote_name(table)} "
            "USING gin (search_vector)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_gin_index, drop_gin_index)]
