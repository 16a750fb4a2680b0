"""The demo data (fixtures/demo.json, made by `make fixtures` from the old site's exports)
shows no photo caption without its photo."""

import re

import pytest
from django.core.management import call_command

from articles.models import Article

FIGURE_RE = re.compile(r"<figure\b.*?</figure>", re.S)


@pytest.mark.django_db
def test_every_caption_the_demo_data_keeps_stands_under_its_picture(client):
    call_command("load_demo", verbosity=0)
    articles = list(Article.objects.published())
    assert len(articles) > 30
    figures = [figure for article in articles for figure in FIGURE_RE.findall(article.body)]
    assert all("<img" in figure for figure in figures), [f for f in figures if "<img" not in f]
    # The caption lines of the exports are kept as text: not one word is lost.
    bodies = " ".join(article.body for article in articles)
    assert "<p>Delegates at the event.</p>" in bodies
    assert "<figcaption>" not in re.sub(FIGURE_RE, "", bodies)
    # On every page, each figure with a caption has its picture; a live entry's quote is
    # the one figure that is not a picture (its caption says who said it).
    for article in articles:
        page = client.get(article.get_absolute_url()).content.decode()
        main = page[page.index('<main id="content"') : page.index("</main>")]
        for figure in FIGURE_RE.findall(main):
            if 'class="live-entry__quote"' not in figure:
                assert "<img" in figure, (article.slug, figure)
