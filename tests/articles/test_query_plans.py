"""On PostgreSQL at realistic volume, no public page scans the articles or comments tables."""

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article

pytestmark = [
    pytest.mark.postgres,
    # Decided before any database set-up, so SQLite runs skip without a transactional flush.
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="query plans are checked on PostgreSQL (DATABASE_URL=postgres://...)",
    ),
    pytest.mark.django_db,
]

WATCHED_TABLES = {"articles_article", "comments_comment"}


def scans(plan):
    """Every (node type, table) in a JSON query plan."""
    found = [(plan.get("Node Type"), plan.get("Relation Name"))]
    for child in plan.get("Plans", []):
        found += scans(child)
    return found


@pytest.fixture
def volume():
    call_command("generate_articles", count=5000, images=2, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        # Inside the test's transaction VACUUM cannot set the visibility map, so the planner
        # would price index-only scans as if every row were fresh. Forbidding sequential scans
        # asks the real question: a Seq Scan still chosen means no index can serve the query.
        cursor.execute("SET LOCAL enable_seqscan = off")


def public_urls():
    article = Article.objects.published().with_bylines().prefetch_related("tags").first()
    return [
        "/",
        article.section.get_absolute_url(),
        article.section.get_absolute_url() + "?page=3",
        article.get_absolute_url(),
        article.tags.all()[0].get_absolute_url(),
        article.ordered_authors[0].get_absolute_url(),
    ]


def test_public_pages_never_scan_articles_or_comments_sequentially(client, volume):
    offenders = []
    for url in public_urls():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
            plan = plan if isinstance(plan, list) else json.loads(plan)
            for node, table in scans(plan[0]["Plan"]):
                if node == "Seq Scan" and table in WATCHED_TABLES:
                    offenders.append(f"{url}: {sql[:200]}")
    assert offenders == [], "\n".join(offenders)
