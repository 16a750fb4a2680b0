import pytest
from django.core.management import call_command
from PIL import Image

from articles.models import Article
from core.text import fold
from search.queries import query_terms, search_articles
from sections.models import Section

pytestmark = pytest.mark.django_db


def test_demo_data_fills_every_section_and_loads_only_into_an_empty_database(capsys):
    call_command("load_demo")
    count = Article.objects.published().count()
    assert count >= 30
    for section in Section.objects.all():
        assert Article.objects.published().filter(section=section).exists(), section
    call_command("load_demo")
    assert Article.objects.count() == count
    assert "demo data not loaded" in capsys.readouterr().out


def test_searching_the_demo_data_without_accents_finds_dien_bien_articles_best_first():
    call_command("load_demo")
    results = list(search_articles(query_terms("dien bien")))
    assert len(results) >= 10
    assert fold(Article.objects.get(pk=results[0].pk).title).count("dien bien") >= 1


def test_demo_articles_get_real_placeholder_pictures(settings):
    call_command("load_demo")
    articles = Article.objects.published()
    assert articles.exclude(image="").count() == articles.count()
    with Image.open(articles.first().image.path) as picture:
        assert picture.format == "JPEG" and picture.size == (1200, 800)


def test_the_demo_pictures_are_in_the_library_as_the_same_files(client):
    from pictures.models import BodyImage

    call_command("load_demo")
    featured = set(Article.objects.exclude(image="").values_list("image", flat=True))
    library = set(BodyImage.objects.values_list("image", flat=True))
    assert featured and featured <= library
    assert not BodyImage.objects.filter(description="").exists()


def test_the_demo_has_a_live_story_with_a_pinned_and_a_key_entry(client):
    from live.models import LiveCoverage

    call_command("load_demo")
    coverage = LiveCoverage.objects.get()
    assert coverage.state() == "live"
    assert coverage.entries.filter(pinned=True).count() == 1
    assert coverage.entries.filter(key=True).exists()
    html = client.get(coverage.article.get_absolute_url()).content.decode()
    assert '<span class="live__badge">Live</span>' in html
