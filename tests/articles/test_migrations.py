"""Data migrations leave existing rows as the current code would have saved them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


# serialized_rollback: the flush after this test must leave the database as the next
# serialized-rollback test expects it (no re-created content types).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_search_documents_are_filled_for_articles_that_existed_before():
    executor = MigrationExecutor(connection)
    migration = next(
        m
        for (app, name), m in executor.loader.disk_migrations.items()
        if app == "articles" and name.endswith("article_search_documents")
    )
    before = [dep for dep in migration.dependencies if dep[0] == "articles"]
    latest = executor.loader.graph.leaf_nodes("articles")
    try:
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        Section = old_apps.get_model("sections", "Section")
        Article = old_apps.get_model("articles", "Article")
        section = Section.objects.create(name="Old section", slug="old-section")
        Article.objects.create(
            title="Điện Biên Phủ",
            slug="dien-bien-phu",
            lead="Mường Thanh field",
            body="<p>Hồ Chí</p><p>Minh</p>",
            section=section,
        )
        executor = MigrationExecutor(connection)
        executor.migrate([(migration.app_label, migration.name)])
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT search_title, search_lead, search_body FROM articles_article "
                "WHERE slug = 'dien-bien-phu'"
            )
            assert cursor.fetchone() == (" dien bien phu ", " muong thanh field ", " ho chi minh ")
            if connection.vendor == "postgresql":
                cursor.execute("SELECT search_vector::text FROM articles_article")
                assert cursor.fetchone() == (
                    "'bien':2A 'chi':8C 'dien':1A 'field':6B 'ho':7C 'minh':9C 'muong':4B "
                    "'phu':3A 'thanh':5B",
                )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
