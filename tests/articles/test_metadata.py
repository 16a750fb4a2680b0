"""What social sites and search engines read from our pages."""

import datetime
import json
import re
import unicodedata
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from PIL import Image

from articles.metadata import article_json_ld, json_ld_script
from articles.models import Correction
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, jpeg

pytestmark = pytest.mark.django_db

SITE = "https://news.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.NEWSROOM_SITE_URL = SITE


class HeadParser(HTMLParser):
    """Collects <meta>, <link> and JSON-LD scripts."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self._in_ld = [], [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.append(attrs)
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        self._in_ld = False if tag == "script" else self._in_ld

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data

    def prop(self, name):
        return [
            m["content"] for m in self.meta if m.get("property") == name or m.get("name") == name
        ]

    def link(self, rel):
        return [link["href"] for link in self.links if link.get("rel") == rel]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def story():
    section = SectionFactory(name="Culture - Tourism", slug="culture-tourism")
    return ArticleFactory(
        title="Boosting tourism in Điện Biên",
        lead="Leveraging its tourism potential, the province markets itself </script><!--.",
        section=section,
        authors=[AuthorFactory(name="Đức Linh", position="Deputy Editor")],
        tags=["tourism", "Điện Biên Phủ"],
        image=jpeg(1600, 1000, colour=(30, 90, 40)),
        image_alt="The victory monument",
        published_at=datetime.datetime(2026, 5, 7, 1, 30, tzinfo=datetime.UTC),
    )


def test_article_page_has_canonical_description_open_graph_and_twitter_card(client, story):
    head = parse(client, story.get_absolute_url())
    canonical = SITE + story.get_absolute_url()
    assert head.link("canonical") == [canonical]
    assert head.prop("description") == [story.lead]
    assert head.prop("og:type") == ["article"]
    assert head.prop("og:title") == ["Boosting tourism in Điện Biên"]
    assert head.prop("og:description") == [story.lead]
    assert head.prop("og:url") == [canonical]
    (image,) = head.prop("og:image")
    assert image.startswith(SITE + "/media/cache/")
    assert head.prop("og:image:width") == ["1200"] and head.prop("og:image:height") == ["630"]
    assert head.prop("article:published_time") == ["2026-05-07T08:30:00+07:00"]
    assert head.prop("article:section") == ["Culture - Tourism"]
    assert sorted(head.prop("article:tag")) == ["tourism", "Điện Biên Phủ"]
    assert head.prop("twitter:card") == ["summary_large_image"]
    assert head.prop("twitter:title") == ["Boosting tourism in Điện Biên"]
    assert head.prop("twitter:image") == [image]


def test_social_image_is_a_real_1200_by_630_file(client, story, settings):
    head = parse(client, story.get_absolute_url())
    path = head.prop("og:image")[0].removeprefix(SITE + "/media/")
    with Image.open(settings.MEDIA_ROOT / path) as card:
        assert card.size == (1200, 630)
        assert card.format == "JPEG"


def test_article_json_ld_is_a_complete_news_article(client, story):
    head = parse(client, story.get_absolute_url())
    (raw,) = head.json_ld
    assert "</script>" not in raw and "<!--" not in raw
    data = json.loads(raw)
    canonical = SITE + story.get_absolute_url()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.title
    assert data["description"] == story.lead
    assert data["image"][0]["url"] == head.prop("og:image")[0]
    assert data["image"][0]["width"] == 1200
    # 01:30 UTC is 08:30 on the paper's clock, and the offset says so.
    assert data["datePublished"] == "2026-05-07T08:30:00+07:00"
    assert data["dateModified"].endswith("+07:00")
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Đức Linh",
            "url": SITE + "/authors/duc-linh/",
            "jobTitle": "Deputy Editor",
        }
    ]
    publisher = data["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"] == "Điện Biên Phủ Online"
    assert publisher["logo"]["url"] == SITE + "/static/img/logo.png"
    assert data["articleSection"] == "Culture - Tourism"
    assert sorted(data["keywords"]) == ["tourism", "Điện Biên Phủ"]
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": canonical}
    assert "correction" not in data


def test_the_pictures_credit_and_caption_reach_the_page_and_the_json_ld(client, story):
    story.image_caption = "The victory monument on D1 hill"
    story.image_credit = "Lâm Tùng/ĐBP"
    story.save()
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert re.search(
        r"<figcaption>The victory monument on D1 hill\s*"
        r'<span class="credit">Photo: Lâm Tùng/ĐBP</span></figcaption>',
        html,
    )
    parser = HeadParser()
    parser.feed(html)
    (image,) = json.loads(parser.json_ld[0])["image"]
    assert image["creditText"] == "Lâm Tùng/ĐBP"
    assert image["caption"] == "The victory monument on D1 hill"


def test_a_picture_without_credit_claims_none_in_the_json_ld(client, story):
    (raw,) = parse(client, story.get_absolute_url()).json_ld
    (image,) = json.loads(raw)["image"]
    assert "creditText" not in image and "caption" not in image


def test_publisher_logo_exists_in_the_size_declared(settings):
    with Image.open(settings.BASE_DIR / "static" / "img" / "logo.png") as logo:
        assert logo.size == (600, 60)


def test_json_ld_lists_corrections_when_the_article_has_them(story):
    when = datetime.datetime(2026, 5, 8, 9, 0, tzinfo=datetime.UTC)
    Correction.objects.create(
        article=story, text="An earlier version misspelt Mường Phăng.", created=when
    )
    data = article_json_ld(story)
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "An earlier version misspelt Mường Phăng.",
            "datePublished": "2026-05-08T16:00:00+07:00",
        }
    ]


def test_json_ld_script_cannot_be_broken_out_of():
    html = json_ld_script({"headline": "</script><script>alert(1)</script> & <!--"})
    assert html.count("</script>") == 1 and "<!--" not in html
    payload = re.search(r"<script [^>]*>(.*)</script>", html).group(1)
    assert json.loads(payload) == {"headline": "</script><script>alert(1)</script> & <!--"}


def test_article_without_picture_gets_a_summary_card_and_no_image(client):
    article = ArticleFactory()
    head = parse(client, article.get_absolute_url())
    assert head.prop("og:image") == []
    assert head.prop("twitter:card") == ["summary"]
    assert "image" not in json.loads(head.json_ld[0])


def test_unsigned_article_is_credited_to_the_paper():
    data = article_json_ld(ArticleFactory())
    assert data["author"] == [
        {"@type": "Organization", "name": "Điện Biên Phủ Online", "url": SITE + "/"}
    ]


def test_section_and_home_pages_have_canonical_description_and_feeds(client):
    section = SectionFactory(slug="trade", name="Trade", description="Trade and farming.")
    ArticleFactory.create_batch(13, section=section)
    head = parse(client, section.get_absolute_url())
    assert head.link("canonical") == [SITE + "/sections/trade/"]
    assert head.prop("description") == ["Trade and farming."]
    assert len(head.link("alternate")) == 2
    page2 = parse(client, section.get_absolute_url() + "?page=2")
    assert page2.link("canonical") == [SITE + "/sections/trade/?page=2"]
    home = parse(client, "/")
    assert home.link("canonical") == [SITE + "/"]
    assert home.prop("description") == ["News from Điện Biên province, in English."]
    assert home.link("alternate") == ["/feed/"]


def test_canonical_ignores_a_forged_host_header(client, settings, story):
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    html = client.get(story.get_absolute_url(), HTTP_HOST="evil.example").content.decode()
    assert "evil.example" not in html


def test_tag_and_author_pages_have_canonical_and_description(client):
    author = AuthorFactory(name="An Chi", position="Reporter in Tuần Giáo")
    ArticleFactory(tags=["tea"], authors=[author])
    tag = parse(client, "/tags/tea/")
    assert tag.link("canonical") == [SITE + "/tags/tea/"]
    assert tag.prop("description") == ["Articles about tea from Điện Biên Phủ Online."]
    byline = parse(client, author.get_absolute_url())
    assert byline.link("canonical") == [SITE + author.get_absolute_url()]
    assert byline.prop("description") == ["Reporter in Tuần Giáo"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Short lead.",
        "x" * 160,
        "x" * 161,
        "Nậm Pồ " * 40,
        unicodedata.normalize("NFD", "Điện Biên Phủ mở rộng " * 7),
        unicodedata.normalize("NFD", "Mường Nhé " * 16),
        "<b>A & B</b> " * 30,
    ],
)
@pytest.mark.parametrize("length", [1, 160, 300])
def test_lead_chars_prints_what_truncatechars_prints(text, length):
    """The head's descriptions, shortened without the character walk for a short lead, are
    what Django's truncatechars gives: NFC, combining marks not counted, the ellipsis."""
    from django.template.defaultfilters import truncatechars
    from django.utils.safestring import mark_safe

    from articles.templatetags.seo import lead_chars

    assert lead_chars(text, length) == truncatechars(text, length)
    assert lead_chars(text, length) == unicodedata.normalize("NFC", truncatechars(text, length))
    template = Template("{% load seo %}{{ t|lead_chars:" + str(length) + " }}")
    django_filter = Template("{{ t|truncatechars:" + str(length) + " }}")
    for value in (text, mark_safe(text)):
        assert template.render(Context({"t": value})) == django_filter.render(Context({"t": value}))


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2026, 2, 10, 2, 0, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 12, 31, 23, 59, 59, 123456, tzinfo=datetime.UTC),
        datetime.datetime(999, 1, 3, 0, 5, 7, tzinfo=datetime.UTC),
        None,
    ],
)
@pytest.mark.parametrize("zone", ["Asia/Ho_Chi_Minh", "UTC", "America/New_York", "Asia/Kolkata"])
@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_article_times_print_what_the_date_filters_print(value, zone, language):
    """The header's time, the printed line's and the head's ISO times are what the date
    filters they replace print, in the current time zone and language, None included."""
    from django.utils import timezone, translation

    pairs = [
        (
            "{% published_time t %}",
            "<time datetime=\"{{ t|date:'Y-m-d\\TH:i:sO' }}\">"
            '{{ t|date:"l, j F Y, H:i" }} {{ t|gmt }}</time>',
        ),
        ("{{ t|day_and_time }}", '{{ t|date:"j F Y, H:i" }}'),
        ("{{ t|iso_time }}", "{{ t|date:'c' }}"),
    ]
    with timezone.override(zone), translation.override(language):
        for ours, filters in pairs:
            printed = Template("{% load article_tags %}" + ours).render(Context({"t": value}))
            expected = Template("{% load paper_time %}" + filters).render(Context({"t": value}))
            assert printed == expected
