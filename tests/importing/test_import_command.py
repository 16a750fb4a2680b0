"""`manage.py import_articles`: what the database holds after importing the old site's exports."""

import datetime
import io
import shutil
import unicodedata
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from articles.models import Article, ArticleAuthor, Author
from importing import services
from importing.management.commands.import_articles import Command
from importing.parser import decode_export, parse_export
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ReporterFactory,
    SectionFactory,
    article_by,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SEEDS = sorted(DATA.glob("*.txt"))
SEED_000, SEED_002, SEED_003 = SEEDS
NOW = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
POSITION = "Member of the provincial Party Committee, Chairman of the provincial Farmers’ Union"


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def run(*args, expect_failure=False):
    """Run the command; (stdout, stderr). With expect_failure, assert it ends in an error."""
    out, err = io.StringIO(), io.StringIO()
    if expect_failure:
        with pytest.raises(CommandError) as excinfo:
            call_command("import_articles", *map(str, args), stdout=out, stderr=err)
        return out.getvalue(), err.getvalue() + str(excinfo.value)
    call_command("import_articles", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, name, content) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def recent_news_titles(*paths):
    return [
        entry.title
        for path in paths
        for entry in parse_export(decode_export(path.read_bytes())).recent_news
    ]


def test_the_three_exports_give_their_articles_bylines_and_every_recent_news_headline_once():
    out, _ = run(DATA)

    main = {
        "Multiplying exemplary models": "Đức Linh",
        "Điện Biên promotes emulation movement for socio-economic development": "An Chi",
        "Điện Biên Province has more than 3,500 outstanding business households": "Quang Long",
    }
    for title, author in main.items():
        article = Article.objects.published().get(title=title)
        assert [a.name for a in article.ordered_authors] == [author]
        assert article.section.slug == "news-politics"  # NEWSROOM_IMPORT_DEFAULT_SECTION
        assert not article.lead.startswith("ĐBP")
        assert article.published_at == NOW
    multiplying = Article.objects.get(title="Multiplying exemplary models")
    # Seven paragraphs and a caption with no picture, kept as text.
    assert multiplying.body.count("<p>") == 8
    assert "<figcaption>" not in multiplying.body

    titles = recent_news_titles(*SEEDS)
    assert len(titles) == 36
    for title in titles:
        teaser = Article.objects.published().get(title=title)
        assert teaser.lead and not teaser.lead.startswith("ĐBP")
    assert Article.objects.count() == 3 + 36
    assert Author.objects.count() == ArticleAuthor.objects.count() == 3

    sections = dict(Article.objects.values_list("title", "section__slug"))
    assert sections["Raising traffic safety awareness among students"] == "social-affairs"
    assert sections["Boosting tourism in Điện Biên"] == "culture-tourism"
    assert sections["The border in people’s hearts"] == "news-politics"
    # ECONOMY is no section here: NEWSROOM_SECTION_ALIASES maps it to Business by default.
    assert sections["Early Tết shopping on online markets"] == "business"
    assert "Total: 3 files, 3 imported, 0 failed; created 42" in out


def test_imported_article_page_shows_lead_byline_and_no_caption_without_a_picture(client):
    run(SEED_003)
    article = Article.objects.get(title__startswith="Điện Biên Province has more than 3,500")

    page = client.get(article.get_absolute_url()).content.decode()

    assert "On the afternoon of January 15" in page
    assert "<p>Delegates at the event.</p>" in page
    assert "<figcaption>Delegates" not in page
    assert reverse("articles:author", kwargs={"slug": "quang-long"}) in page
    assert "Recent news" not in article.body


def test_second_run_changes_nothing_and_says_so(time_machine):
    run(DATA)
    before = list(Article.objects.values_list("pk", "published_at", "updated", "body", "lead"))

    time_machine.move_to(NOW + datetime.timedelta(days=2), tick=False)
    out, _ = run(DATA)

    assert "created 0, updated 0, unchanged 42, skipped 0" in out
    assert "Nothing changed" in out
    after = list(Article.objects.values_list("pk", "published_at", "updated", "body", "lead"))
    assert after == before
    assert Author.objects.count() == 3


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t.replace("\n\n", "\n"), id="no-blank-lines"),
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: unicodedata.normalize("NFD", t), id="nfd"),
    ],
)
def test_variants_of_an_export_are_the_same_article(tmp_path, variant):
    run(SEED_003)
    variant_file = write(tmp_path, "variant.txt", variant(SEED_003.read_text(encoding="utf-8")))

    out, _ = run(variant_file)

    assert "created 0, updated 0, unchanged 13" in out
    assert Article.objects.count() == 12


def test_nfd_export_is_stored_in_nfc(tmp_path):
    nfd = write(tmp_path, "nfd.txt", unicodedata.normalize("NFD", SEED_003.read_text("utf-8")))

    run(nfd)

    article = Article.objects.get(
        slug="dien-bien-province-has-more-than-3500-outstanding-business-households"
    )
    assert article.title == unicodedata.normalize("NFC", article.title)
    assert article.title.startswith("Điện Biên")
    assert Article.objects.filter(title="Quài Tở restructures agriculture").exists()


def test_a_corrected_export_updates_the_article_but_not_its_publish_time(tmp_path, time_machine):
    run(SEED_003)
    time_machine.move_to(NOW + datetime.timedelta(days=1), tick=False)
    corrected = SEED_003.read_text("utf-8").replace("2,038 new members", "2,039 new members")

    out, _ = run(write(tmp_path, "corrected.txt", corrected))

    assert "created 0, updated 1, unchanged 12" in out
    assert "(body)" in out
    article = Article.objects.get(title__startswith="Điện Biên Province has more than 3,500")
    assert "2,039 new members" in article.body
    assert article.published_at == NOW


def test_export_without_furniture_imports_the_article_and_its_byline(tmp_path):
    text = SEED_003.read_text("utf-8").split("\nComment\n")[0]

    out, _ = run(write(tmp_path, "plain.txt", text))

    assert "created 2," in out  # the author and the article, no teasers
    article = Article.objects.published().get()
    assert [a.name for a in article.ordered_authors] == ["Quang Long"]


def test_byline_with_position_creates_an_author_with_that_position_once(tmp_path):
    AuthorFactory(name="Quang Long")  # a namesake without position is another byline
    text = SEED_003.read_text("utf-8").replace("\nQuang Long\n", f"\nQuang Long\n{POSITION}\n")
    export = write(tmp_path, "position.txt", text)

    run(export)
    run(export)

    author = Author.objects.get(name="Quang Long", position=POSITION)
    article = Article.objects.get(title__startswith="Điện Biên Province has more than 3,500")
    assert list(article.ordered_authors) == [author]
    assert Author.objects.filter(name="Quang Long").count() == 2


def test_byline_without_position_reuses_the_author_of_that_name():
    existing = AuthorFactory(name="Quang Long")

    run(SEED_003)

    article = Article.objects.get(title__startswith="Điện Biên Province has more than 3,500")
    assert list(article.ordered_authors) == [existing]
    assert Author.objects.count() == 1


def test_export_without_headline_becomes_a_draft_that_needs_one(tmp_path):
    text = SEED_003.read_text("utf-8").split("\n", 2)[2]

    out, _ = run(write(tmp_path, "untitled.txt", text))

    draft = Article.objects.get(needs_headline=True)
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is None
    assert draft.title.startswith("Needs a headline: On the afternoon of January 15")
    assert draft.lead.startswith("On the afternoon of January 15")
    # Ten paragraphs and three captions with no picture, kept as text.
    assert draft.body.count("<p>") == 13
    assert not Article.objects.published().filter(pk=draft.pk).exists()
    assert "no headline" in out
    # Its Recent news still becomes teasers.
    assert Article.objects.published().count() == 11

    out, _ = run(write(tmp_path, "untitled.txt", text))
    assert "created 0, updated 0, unchanged 13" in out


def test_an_article_needing_a_headline_cannot_be_published():
    article = ArticleFactory.build(
        section=SectionFactory(), needs_headline=True, status=Article.Status.PUBLISHED
    )
    with pytest.raises(ValidationError, match="headline"):
        article.full_clean()


def test_unknown_section_label_refuses_the_file_naming_the_known_sections(settings):
    settings.NEWSROOM_SECTION_ALIASES = {}

    out, err = run(SEED_002, SEED_003, expect_failure=True)

    assert f"{SEED_002}: FAILED, nothing imported: unknown section 'ECONOMY'" in err
    for known in ("News - Politics (news-politics)", "Business (business)", "Social Affairs"):
        assert known in err
    assert "--map-section" in err
    assert "1 of 2 files failed" in err
    assert not Article.objects.filter(title__startswith="Điện Biên promotes").exists()
    assert not Author.objects.filter(name="An Chi").exists()
    assert Article.objects.filter(title__startswith="Điện Biên Province has more").exists()


def test_map_section_option_maps_an_unknown_label(settings):
    settings.NEWSROOM_SECTION_ALIASES = {}

    run(SEED_002, "--map-section", "economy=Culture - Tourism")

    teaser = Article.objects.get(title="Early Tết shopping on online markets")
    assert teaser.section.slug == "culture-tourism"


def test_map_section_to_a_missing_section_is_an_error():
    _, err = run(SEED_002, "--map-section", "ECONOMY=finance", expect_failure=True)
    assert "no section 'finance'" in err
    assert Article.objects.count() == 0


def test_section_labels_match_names_ignoring_case_and_hyphen_spacing(tmp_path):
    text = SEED_000.read_text("utf-8").replace("NEWS - POLITICS -", "News-Politics -")

    run(write(tmp_path, "labels.txt", text))

    assert Article.objects.get(title="The border in people’s hearts").section.slug == (
        "news-politics"
    )


def test_main_article_section_from_option_else_recent_news_else_setting(tmp_path, settings):
    run(SEED_000, "--section", "Business")
    assert Article.objects.get(title="Multiplying exemplary models").section.slug == "business"

    # Another export of the same run lists it under Recent news: that label decides.
    listing = write(
        tmp_path,
        "listing.txt",
        "A headline\n\nĐBP - A lead.\n\nAn Chi\nComment\nRecent news\n"
        "  • 'Điện Biên Province has more than 3,500 outstanding business households\n"
        "    CULTURE - TOURISM -\n    ĐBP - On the afternoon of January 15.\n",
    )
    settings.NEWSROOM_IMPORT_DEFAULT_SECTION = "social-affairs"
    run(SEED_003, listing)
    main = Article.objects.get(title__startswith="Điện Biên Province has more than 3,500")
    assert main.section.slug == "culture-tourism"
    # Neither: the setting.
    assert Article.objects.get(title="A headline").section.slug == "social-affairs"


def test_recent_news_entry_never_overwrites_an_existing_article():
    existing = ArticleFactory(
        title="Raising traffic safety awareness among students",
        lead="The editor's own lead.",
        body="<p>A full story.</p>",
    )

    out, _ = run(SEED_000)

    existing.refresh_from_db()
    assert existing.lead == "The editor's own lead."
    assert existing.body == "<p>A full story.</p>"
    assert Article.objects.filter(title=existing.title).count() == 1
    assert "skipped 1" in out
    assert "an article with this headline exists" in out


def test_a_full_export_completes_the_teaser_another_export_made(tmp_path):
    listing = write(
        tmp_path,
        "a.txt",
        "A headline\n\nĐBP - A lead.\n\nAn Chi\nComment\nRecent news\n"
        "  • 'Multiplying exemplary models\n    Multiplying exemplary models\n"
        "    SOCIAL AFFAIRS -\n    ĐBP - Responding to patriotic emulation movements.\n",
    )
    run(listing)

    out, _ = run(SEED_000)

    article = Article.objects.get(title="Multiplying exemplary models")
    assert article.body.count("<p>") == 8  # seven paragraphs and a caption kept as text
    assert article.section.slug == "social-affairs"  # the teaser's section is kept
    assert "updated 1" in out


def test_teasers_are_published_just_before_their_main_article():
    run(SEED_000)

    main = Article.objects.get(title="Multiplying exemplary models")
    first, second = recent_news_titles(SEED_000)[:2]
    assert Article.objects.get(title=first).published_at == NOW - datetime.timedelta(minutes=1)
    assert Article.objects.get(title=second).published_at == NOW - datetime.timedelta(minutes=2)
    assert Article.objects.published().first() == main


def test_published_at_option_sets_the_publish_time():
    run(SEED_003, "--published-at", "2025-01-16T08:00:00+07:00")

    article = Article.objects.get(title__startswith="Điện Biên Province has more than 3,500")
    assert article.published_at == datetime.datetime(2025, 1, 16, 1, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\xd0i\xea\xf2n Bi\xean\n\n\xd0BP - Lead.", "not UTF-8"),
    ],
    ids=["empty", "binary", "windows-1258"],
)
def test_unreadable_file_fails_with_its_name_while_the_others_import(tmp_path, content, message):
    bad = write(tmp_path, "bad.txt", content)

    out, err = run(bad, SEED_003, expect_failure=True)

    assert f"{bad}: FAILED, nothing imported: " in err
    assert message in err
    assert "Traceback" not in out + err
    assert "1 of 2 files failed" in err
    assert Article.objects.filter(title__startswith="Điện Biên Province has more").exists()


def test_missing_path_fails_with_its_name(tmp_path):
    _, err = run(tmp_path / "nowhere.txt", expect_failure=True)
    assert "nowhere.txt: FAILED, nothing imported: no such file or folder" in err


def test_a_failure_midway_leaves_nothing_of_that_file(monkeypatch):
    def broken_teaser(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "_teaser", broken_teaser)

    _, err = run(SEED_003, expect_failure=True)

    assert "unexpected error (RuntimeError: disk on fire)" in err
    assert Article.objects.count() == 0
    assert Author.objects.count() == 0
    assert ArticleAuthor.objects.count() == 0


def test_dry_run_writes_nothing_and_shows_what_would_happen():
    out, _ = run(DATA, "--dry-run")

    assert Article.objects.count() == 0
    assert Author.objects.count() == 0
    assert "article “Multiplying exemplary models”: would be created" in out
    assert "teaser “Boosting tourism in Điện Biên”: would be created (Culture - Tourism)" in out
    assert "created 42" in out
    assert out.rstrip().endswith("Dry run: nothing was written.")


def test_folders_import_their_txt_files_in_name_order(tmp_path):
    for seed in reversed(SEEDS):
        shutil.copy(seed, tmp_path / seed.name)
    (tmp_path / "notes.md").write_text("not an export")

    out, err = run(tmp_path)

    assert [line.split()[1] for line in err.splitlines()] == ["1/3", "2/3", "3/3"]
    names = [line.split(":")[0] for line in out.splitlines() if line.startswith(str(tmp_path))]
    assert names == [str(tmp_path / seed.name) for seed in SEEDS]


def test_exit_status_is_non_zero_only_when_a_file_failed(tmp_path, capsys, monkeypatch):
    # run_from_argv closes the connections when done, which would end the test's transaction.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    command = Command()
    command.run_from_argv(["manage.py", "import_articles", str(SEED_003)])  # no SystemExit

    with pytest.raises(SystemExit) as excinfo:
        Command().run_from_argv(
            ["manage.py", "import_articles", str(write(tmp_path, "e.txt", b"")), str(SEED_000)]
        )

    assert excinfo.value.code == 1
    err = capsys.readouterr().err
    assert "CommandError: 1 of 2 files failed" in err
    assert "Traceback" not in err


def test_editors_find_imported_drafts_needing_a_headline_in_the_admin(tmp_path, admin_client):
    run(write(tmp_path, "untitled.txt", SEED_003.read_text("utf-8").split("\n", 2)[2]))
    draft = Article.objects.get(needs_headline=True)

    listing = admin_client.get(
        reverse("admin:articles_article_changelist") + "?needs_headline__exact=1"
    )
    form = admin_client.get(reverse("admin:articles_article_change", args=[draft.pk]))

    assert list(listing.context["cl"].result_list) == [draft]
    assert 'name="needs_headline"' in form.content.decode()


def test_unknown_section_option_is_an_error_listing_the_sections():
    _, err = run(SEED_003, "--section", "sport", expect_failure=True)

    assert "--section: no section 'sport'. Known sections: News - Politics (news-politics)" in err
    assert Article.objects.count() == 0


def test_a_teaser_lead_longer_than_the_field_continues_in_its_body(tmp_path):
    long_lead = " ".join(f"Sentence {n} of a long teaser lead." for n in range(60))
    export = (
        "A headline\n\nĐBP - A lead.\n\nAn Chi\nComment\nRecent news\n"
        f"  • 'A long teaser\n    A long teaser\n    BUSINESS -\n    ĐBP - {long_lead}\n"
    )

    run(write(tmp_path, "long.txt", export))

    teaser = Article.objects.get(title="A long teaser")
    assert len(teaser.lead) <= 1000
    assert teaser.body.startswith("<p>Sentence")
    assert "Sentence 59 of a long teaser lead." in teaser.body


def test_imported_articles_are_tagged_by_topic_words_in_headline_and_lead(tmp_path, settings):
    settings.NEWSROOM_IMPORT_TOPICS = {"border": ["border"], "Tết": ["tết"]}
    export = tmp_path / "one.txt"
    export.write_text(
        "Border villages welcome Tet\n\nĐBP - Villagers in the borderlands prepare for Tết.\n"
        "\nSecond paragraph.\n\nQuang Long\n",
        encoding="utf-8",
    )
    call_command("import_articles", str(export), verbosity=0)
    article = Article.objects.get()
    # "Tet" without tone marks is still Tết; "borderlands" is not the word "border".
    assert sorted(article.tags.names()) == ["Tết", "border"]


def test_a_utf16_export_is_imported_and_a_strange_dateline_is_refused_by_name(tmp_path):
    text = SEED_003.read_text("utf-8")
    utf16 = write(
        tmp_path, "windows-unicode.txt", text.replace("ĐBP - ", "ÐBP — ").encode("utf-16")
    )
    odd = write(tmp_path, "odd.txt", SEED_002.read_text("utf-8").replace("ĐBP - ", "(ĐBP) ", 1))

    out, err = run(utf16, odd, expect_failure=True)

    article = Article.objects.get(title__startswith="Điện Biên Province has more")
    assert article.lead.startswith("On the afternoon of January 15")
    assert "ĐBP" not in article.lead and "ÐBP" not in article.lead
    assert f"{odd}: FAILED, nothing imported: line " in err
    assert "starts with a dateline in a form the import does not recognise" in err
    assert "binary" not in err and "Traceback" not in out + err
    assert Article.objects.count() == 1 + Article.objects.exclude(pk=article.pk).count()


def test_a_journalists_draft_with_the_same_headline_is_neither_touched_nor_renumbers_it():
    draft = article_by(ReporterFactory(), title="Multiplying exemplary models", lead="Mine.")
    run(SEED_000)
    imported = Article.objects.exclude(pk=draft.pk).get(title="Multiplying exemplary models")
    assert imported.slug == "multiplying-exemplary-models" and imported.is_live
    draft.refresh_from_db()
    assert (draft.status, draft.lead) == (Article.Status.DRAFT, "Mine.")
