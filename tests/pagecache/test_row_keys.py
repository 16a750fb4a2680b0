"""A card is kept under the values its template prints, so whatever the template prints
can never be shown stale, even when the row changes without a signal or a new version."""

import pytest
from django.template.loader import render_to_string

from articles.models import Article
from pagecache.versions import for_each_row, template_key
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_only")]


@pytest.fixture
def card_template(settings):
    """Install a card template of the test's own under a name of its own."""
    templates = {}
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [("django.template.loaders.locmem.Loader", templates)],
                "builtins": ["pictures.templatetags.pictures"],
            },
        }
    ]

    def install(name, source):
        templates[name] = source
        return name

    return install


def cards(name, articles):
    key = template_key(name, "article")
    return for_each_row(name, articles, key, lambda a: render_to_string(name, {"article": a}))


def test_a_field_added_to_a_card_template_is_part_of_its_key(card_template):
    name = card_template(
        "card-with-credit.html",
        "<h3>{{ article.title }}</h3>{% if article.image_credit %}"
        "<p>{{ article.image_credit|upper }}</p>{% endif %}",
    )
    article = ArticleFactory(title="Tết in Mường Phăng", image_credit="Quàng Hoa")
    assert cards(name, [article]) == ["<h3>Tết in Mường Phăng</h3><p>QUÀNG HOA</p>"]

    # A write that sends no signal and leaves the row's version and update time alone.
    Article.objects.filter(pk=article.pk).update(image_credit="Lò Minh")
    article = Article.objects.get(pk=article.pk)
    assert cards(name, [article]) == ["<h3>Tết in Mường Phăng</h3><p>LÒ MINH</p>"]


def test_a_card_is_reused_while_what_it_prints_is_unchanged(card_template, monkeypatch):
    name = card_template("card-title.html", "<h3>{{ article.title }}</h3>")
    article = ArticleFactory(title="Điện Biên Phủ")
    cards(name, [article])
    Article.objects.filter(pk=article.pk).update(image_credit="Not printed")
    built = []
    monkeypatch.setattr(
        "tests.pagecache.test_row_keys.render_to_string",
        lambda *a, **k: built.append(1) or "",
    )
    assert cards(name, [Article.objects.get(pk=article.pk)]) == ["<h3>Điện Biên Phủ</h3>"]
    assert built == []


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Floods in Mường Nhé: the roads"},
        {"lead": "Roads reopen."},
        {"slug": "floods-muong-nhe"},  # printed through get_absolute_url
        {"image": "articles/2026/02/flood.jpg"},
        {"published_at": "2026-02-11T09:00:00+07:00"},
    ],
)
def test_the_article_card_key_follows_what_the_card_prints(change):
    key = template_key("includes/article_card.html", "article")
    article = ArticleFactory(title="Floods in Mường Nhé", lead="Roads cut.")
    before = key(Article.objects.for_listing().get(pk=article.pk))
    Article.objects.filter(pk=article.pk).update(**change)  # no signal, no new version
    assert key(Article.objects.for_listing().get(pk=article.pk)) != before


def test_the_article_card_key_follows_its_sections_name_and_address():
    key = template_key("includes/article_card.html", "article")
    article = ArticleFactory()
    before = key(Article.objects.for_listing().get(pk=article.pk))
    type(article.section).objects.filter(pk=article.section_id).update(slug="mountain-life")
    assert key(Article.objects.for_listing().get(pk=article.pk)) != before
