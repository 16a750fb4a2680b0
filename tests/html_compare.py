"""Prove that a refactor changes no public HTML: snapshot every public page type, compare.

Refactors of views, templates and the caching layer must leave what readers, feed readers
and crawlers receive byte for byte the same. Tests check what they assert; this script
checks everything else. Take a snapshot before the change, another after, and compare:

    python tests/html_compare.py snapshot /tmp/html_before    # on the code before
    python tests/html_compare.py snapshot /tmp/html_after     # on the code after
    python tests/html_compare.py compare /tmp/html_before /tmp/html_after
    python tests/html_compare.py check /tmp/html_before       # snapshot + compare in one

`snapshot` builds a throw-away SQLite database and media folder in a temporary directory
(never the project's db.sqlite3 or media/), with a fresh local-memory cache, runs
`migrate` and `load_demo`, adds through the public services what the demo lacks (an
approved and a pending comment, an uploaded picture with alt text, caption and credit, a
correction), and fetches each public page type with Django's test client at a frozen
instant (time_machine), so dates and "x hours ago" render the same on every run. Each
page is written as DIR/<name>.<html|xml|txt>: a first line with the status code and
Content-Type, a blank line, then the body exactly as sent.

Every page is fetched twice: first with the caches as shipped and empty (each part rendered
once, then reused by later pages), then again with the page cache off, so the page is
assembled from the parts the first pass kept (LocMemCache pickles them, as Redis does).
The second pass is written under DIR/kept-parts/.

Only per-request randomness is normalised (CSRF token values, CSP nonces); nothing else is
touched, so any other difference is a real change. Settings that the environment may set
and that the snapshot relies on are forced (DEBUG, databases, cache, media); others
(SITE_NAME, SITE_URL, ...) come from the environment, so take both snapshots of a
comparison in the same environment. This file is not a test module (pytest collects
test_*.py only).
"""

import argparse
import datetime
import difflib
import io
import os
import re
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# After the demo's newest story (2026-02-10 02:00 UTC), within the news sitemap's 48 hours.
FROZEN_AT = datetime.datetime(2026, 2, 10, 5, 0, tzinfo=datetime.UTC)
# A query with more than one page of results in the demo data, and one that finds nothing.
SEARCH_QUERY = "province"
SEARCH_QUERY_NO_HITS = "zzyzx"

# Per-request randomness, and what replaces it. Nothing else is ever rewritten.
RANDOM_PARTS = [
    (re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")'), rb"\1[csrf-token]\2"),
    (re.compile(rb'(\snonce=")[^"]*(")'), rb"\1[csp-nonce]\2"),
]

EXTENSIONS = {"text/html": "html", "application/xml": "xml", "text/xml": "xml"}
EXTENSIONS |= {"application/rss+xml": "xml", "text/plain": "txt"}


def normalise(body: bytes) -> bytes:
    for pattern, replacement in RANDOM_PARTS:
        body = pattern.sub(replacement, body)
    return body


# --- snapshot ----------------------------------------------------------------------------


def setup_django(work: Path) -> None:
    """Django with the project's settings on a database, media folder and cache of its own."""
    if sys.path and Path(sys.path[0]).resolve() == ROOT / "tests":
        # Run as a script: tests/ would shadow the apps (tests/articles, tests/comments...).
        sys.path.pop(0)
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.update(
        {
            # The development settings: default key, testserver allowed, plain static files.
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
            "DATABASE_REPLICA_URL": "",
            "REDIS_URL": "",  # local memory: empty, and this process's own
            "MEDIA_ROOT": str(work / "media"),
            "MEDIA_STORAGE_BUCKET": "",
        }
    )
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    # As Django's test runner does: error pages are the site's, not the debug pages.
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for alias in settings.CACHES:
        if not isinstance(caches[alias], LocMemCache):
            sys.exit(f"Expected local-memory caches, got {type(caches[alias]).__name__}.")
        caches[alias].clear()
    if settings.DATABASES["default"]["NAME"] != str(work / "db.sqlite3"):
        sys.exit("DATABASE_URL was not taken from the environment.")


def load_content():
    """The demo, plus what it lacks; returns the article that carries all of it."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from PIL import Image

    from articles.models import Article
    from comments.models import Comment
    from comments.services import comment_post, comments_moderate
    from editorial.services import article_save, correction_add

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=io.StringIO())

    editor = get_user_model().objects.create_user(
        "snapshot-editor", email="editor@example.com", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Editor"))
    editor = get_user_model().objects.get(pk=editor.pk)  # no stale permission cache

    # The newest story with a byline (and tags): the home page's lead in the demo.
    article = (
        Article.objects.published()
        .filter(authors__isnull=False, tags__isnull=False)
        .distinct()
        .order_by("-published_at", "-pk")
        .first()
    )
    picture = io.BytesIO()
    Image.new("RGB", (1200, 800), (11, 79, 138)).save(picture, "JPEG")
    article.image = ContentFile(picture.getvalue(), name="Ảnh chụp cánh đồng.jpg")
    article.image_alt = "Terraced rice fields in the valley"
    article.image_caption = "The harvest begins in the valley."
    article.image_credit = "Photo: Snapshot Desk"
    article = article_save(article=article, by=editor)

    correction_add(
        article=article,
        by=editor,
        text="An earlier version gave the wrong number of households. It is 3,500.",
    )
    approved = comment_post(
        article=article,
        name="Lò Văn Reader",
        email="reader@example.com",
        body="Thank you for this report from the province.\n\nA second paragraph & <b>tags</b>.",
    )
    comments_moderate(
        comments=Comment.objects.filter(pk=approved.pk), status=Comment.Status.APPROVED, by=editor
    )
    comment_post(  # pending: must not appear anywhere
        article=article,
        name="Waiting Reader",
        email="waiting@example.com",
        body="This comment still waits for a moderator.",
    )
    return article


def public_pages(article) -> list[tuple[str, str]]:
    """(name, address) of every public page type."""
    from urllib.parse import urlencode

    from django.conf import settings
    from django.urls import reverse

    from articles.models import Article
    from config.urls import SITEMAPS
    from sections.models import Section

    def address(name, query=None, **kwargs):
        url = reverse(name, kwargs=kwargs or None)
        return f"{url}?{urlencode(query)}" if query else url

    tag, author = article.tags.order_by("name").first(), article.ordered_authors.first()
    pages = [
        ("home", address("frontpage:home")),
        ("article", article.get_absolute_url()),
        ("section", address("sections:detail", slug=article.section.slug)),
        ("tag", address("articles:tag", slug=tag.slug)),
        ("author", address("articles:author", slug=author.slug)),
        ("search", address("search:results", {"q": SEARCH_QUERY})),
        ("search-page-2", address("search:results", {"q": SEARCH_QUERY, "page": 2})),
        ("search-no-hits", address("search:results", {"q": SEARCH_QUERY_NO_HITS})),
        ("search-empty", address("search:results")),
        ("corrections", address("articles:corrections")),
        ("feed", address("articles:feed")),
    ]
    published = Article.objects.published()
    sections = list(Section.objects.all())
    pages += [(f"feed-section-{s.slug}", address("sections:feed", slug=s.slug)) for s in sections]
    long = [
        s for s in sections if published.filter(section=s).count() > settings.NEWSROOM_PAGE_SIZE
    ]
    if long:
        url = address("sections:detail", {"page": 2}, slug=long[0].slug)
        pages.append(("section-page-2", url))
    pages += [
        ("sitemap", address("sitemap")),
        ("sitemap-news", address("news-sitemap")),
        *((f"sitemap-{key}", address("sitemap-section", section=key)) for key in SITEMAPS),
        ("robots", address("robots")),
        ("404", "/no-such-page/"),
    ]
    return pages


def fetch(pages) -> dict[str, bytes]:
    """Each page as written to disk: status and Content-Type, blank line, normalised body."""
    from django.test import Client

    client = Client()
    written = {}
    for name, url in pages:
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        extension = EXTENSIONS.get(content_type.split(";")[0].strip(), "html")
        head = f"HTTP {response.status_code} {content_type}\n\n".encode()
        written[f"{name}.{extension}"] = head + normalise(response.content)
    return written


def snapshot(out_dir: Path) -> int:
    if out_dir.exists() and any(out_dir.iterdir()):
        sys.exit(f"{out_dir} is not empty: remove it or choose another directory.")
    import time_machine

    work = Path(tempfile.mkdtemp(prefix="html-snapshot-"))
    try:
        setup_django(work)
        from django.conf import settings

        with time_machine.travel(FROZEN_AT, tick=False):
            article = load_content()
            pages = public_pages(article)
            settings.NEWSROOM_PAGE_CACHE = settings.NEWSROOM_FRAGMENT_CACHE = True
            fresh = fetch(pages)
            settings.NEWSROOM_PAGE_CACHE = False  # assembled from the kept parts
            kept = fetch(pages)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    (out_dir / "kept-parts").mkdir(parents=True, exist_ok=True)
    for folder, written in ((out_dir, fresh), (out_dir / "kept-parts", kept)):
        for filename, content in written.items():
            (folder / filename).write_bytes(content)
    for filename, content in fresh.items():
        print(f"{content.split(b' ', 2)[1].decode()}  {filename}")
    print(f"{len(fresh) + len(kept)} pages written to {out_dir}")
    return 0


# --- compare -----------------------------------------------------------------------------


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def compare(dir_a: Path, dir_b: Path) -> int:
    for folder in (dir_a, dir_b):
        if not folder.is_dir():
            sys.exit(f"{folder} is not a directory.")
    in_a, in_b = files_under(dir_a), files_under(dir_b)
    differing = []
    for name in sorted(in_a & in_b):
        a, b = (dir_a / name).read_bytes(), (dir_b / name).read_bytes()
        if a == b:
            continue
        differing.append(name)
        diff = difflib.unified_diff(
            a.decode(errors="replace").splitlines(keepends=True),
            b.decode(errors="replace").splitlines(keepends=True),
            fromfile=str(dir_a / name),
            tofile=str(dir_b / name),
        )
        sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in diff)
    missing, extra = sorted(in_a - in_b), sorted(in_b - in_a)
    for name in missing:
        print(f"missing from {dir_b}: {name}")
    for name in extra:
        print(f"extra in {dir_b}: {name}")
    if differing or missing or extra:
        print(
            f"{len(differing)} differing, {len(missing)} missing, {len(extra)} extra "
            f"(of {len(in_a | in_b)} pages)"
        )
        return 1
    print(f"{len(in_a)} pages identical")
    return 0


def check(baseline: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="html-check-") as current:
        snapshot(Path(current))
        return compare(baseline, Path(current))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("snapshot", help="write every public page type to DIR")
    command.add_argument("dir", type=Path, metavar="DIR")
    command = commands.add_parser("compare", help="diff two snapshots; exit 1 if they differ")
    command.add_argument("dir_a", type=Path, metavar="DIR_A")
    command.add_argument("dir_b", type=Path, metavar="DIR_B")
    command = commands.add_parser("check", help="snapshot the code now and compare with DIR")
    command.add_argument("dir", type=Path, metavar="DIR")
    args = parser.parse_args(argv)
    if args.command == "snapshot":
        return snapshot(args.dir)
    if args.command == "compare":
        return compare(args.dir_a, args.dir_b)
    return check(args.dir)


if __name__ == "__main__":
    sys.exit(main())
