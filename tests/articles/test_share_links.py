"""Share links on the article page: plain links to Facebook, X and e-mail with the story's
address, no third-party script."""

import re
from urllib.parse import quote

import pytest

from core.links import absolute_url
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_the_article_page_links_facebook_x_and_email_with_its_address(client):
    article = ArticleFactory(title="Mường Nhé & the new road")
    html = client.get(article.get_absolute_url()).content.decode()
    url = quote(absolute_url(article.get_absolute_url()), safe="")
    assert f"https://www.facebook.com/sharer/sharer.php?u={url}" in html
    assert (
        f"https://x.com/intent/post?url={url}&amp;text=M%C6%B0%E1%BB%9Dng%20Nh%C3%A9%20%26" in html
    )
    assert (
        f"mailto:?subject=M%C6%B0%E1%BB%9Dng%20Nh%C3%A9%20%26%20the%20new%20road&amp;body={url}"
        in html
    )


def test_the_article_page_loads_no_script_from_another_site(client):
    html = client.get(ArticleFactory().get_absolute_url()).content.decode()
    sources = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    assert sources and all(src.startswith("/static/") for src in sources)
