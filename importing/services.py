"""Write one parsed export to the database, atomically, through the editorial services
(editorial.services.article_import_create and article_import_update), so an imported
story gets its revisions and its transition log entry as one saved in the admin does.

Rules (documented for editors in the import_articles command's help):

- An article is matched by its slug (the slug its headline gives), else by its exact headline.
  A match is compared field by field and updated only where the export differs, so a second
  run reports every record "unchanged". Status and publish time are set when an article is
  created and never touched again.
- The main article is published in: `--section` if given; else the section a Recent news
  list of this run gives its headline; else the section it already has; else
  settings.NEWSROOM_IMPORT_DEFAULT_SECTION. A file with no headline becomes a Draft with
  `needs_headline` set.
- Each Recent news entry becomes a published teaser (headline, section, lead, no body)
  unless an article with that headline exists: then it is "unchanged" when it is that same
  teaser and "skipped" otherwise (an existing article is never overwritten by a teaser).
- Publish times: the main article at `published_at`, its teasers one minute older each in
  list order, so the main article leads and the old site's order is kept.
- New articles are tagged with the topics of settings.NEWSROOM_IMPORT_TOPICS whose keywords
  their headline or lead contains; tags are never changed on a re-run.
- Authors are matched by name and position (a byline without position matches the author of
  that name, preferring one without position) and created when missing.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from articles.models import Article, Author, Series, base_slug
from articles.sanitize import sanitize_html
from core.text import find_words, nfc, slugify_vi
from editorial.services import article_import_create, article_import_update
from importing.parser import (
    Block,
    Byline,
    ParsedExport,
    RecentNewsEntry,
    blocks_to_html,
    series_part_of,
    split_lead,
)
from sections.models import Section

CREATED, UPDATED, UNCHANGED, SKIPPED = "created", "updated", "unchanged", "skipped"
VERBS = (CREATED, UPDATED, UNCHANGED, SKIPPED)
PLACEHOLDER_PREFIX = "Needs a headline: "


class ImportRefused(Exception):
    """The export cannot be imported as it is; the message says why and what to do."""


@dataclass
class Action:
    verb: str
    kind: str  # "article", "teaser" or "author"
    label: str
    detail: str = ""


@dataclass
class ImportResult:
    actions: list[Action] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def count(self, verb: str) -> int:
        return sum(1 for a in self.actions if a.verb == verb)

    @property
    def changed(self) -> bool:
        return any(a.verb in (CREATED, UPDATED) for a in self.actions)


def section_key(label: str) -> str:
    """Labels compare ignoring case, accents, spaces and hyphen spacing."""
    return slugify_vi(label, max_length=80)


class SectionResolver:
    """Finds the section a label of the old site means: by name or slug, then by alias."""

    def __init__(self, *, aliases: Mapping[str, str]):
        self.sections = list(Section.objects.all())
        self._by_key = {}
        for section in self.sections:
            self._by_key.setdefault(section_key(section.slug), section)
            self._by_key.setdefault(section_key(section.name), section)
        self.aliases = {section_key(k): v for k, v in aliases.items()}

    def find(self, label: str) -> Section | None:
        key = section_key(label)
        if key in self._by_key:
            return self._by_key[key]
        if key in self.aliases:
            return self._by_key.get(section_key(self.aliases[key]))
        return None

    def get(self, label: str, *, what: str) -> Section:
        section = self.find(label)
        if section is None:
            known = ", ".join(f"{s.name} ({s.slug})" for s in self.sections) or "none"
            raise ImportRefused(
                f"unknown section {label!r} ({what}). Known sections: {known}. "
                f"Map it with --map-section '{label}=<section>' or the setting "
                "NEWSROOM_SECTION_ALIASES."
            )
        return section


def article_slug(title: str) -> str:
    """The slug an article with this headline gets when it is created (and is matched by)."""
    return base_slug(title, max_length=Article._meta.get_field("slug").max_length)


def find_article(title: str) -> Article | None:
    """The article an import means by `title`: same slug, else same headline, among the
    published stories and the drafts the import made itself (no account created them). A
    journalist's draft with the same headline is theirs: the import neither updates it nor
    lets its provisional slug push the imported story to "-2"."""
    candidates = Article.objects.filter(
        Q(first_published_at__isnull=False) | Q(created_by__isnull=True)
    ).order_by(F("first_published_at").asc(nulls_last=True), "pk")
    return (
        candidates.filter(slug=article_slug(title)).first()
        or candidates.filter(title=nfc(title).strip()).first()
    )


def placeholder_title(parsed: ParsedExport) -> str:
    """A headline an editor must replace, unmistakable in lists, made from the lead's words."""
    words = parsed.lead.split()
    start = " ".join(words[:10]) + ("…" if len(words) > 10 else "")
    return (PLACEHOLDER_PREFIX + start)[:200]


@transaction.atomic
def import_export(
    *,
    parsed: ParsedExport,
    resolver: SectionResolver,
    published_at: datetime.datetime,
    section: Section | None = None,
    listed_sections: Mapping[str, str] | None = None,
) -> ImportResult:
    """Write one export: its authors, its article and its Recent news teasers.

    `listed_sections` maps article slugs to the section labels Recent news lists of the
    same run give them. Raises ImportRefused before writing anything when a section is
    unknown; any exception rolls the whole file back.
    """
    result = ImportResult(warnings=list(parsed.warnings))
    title = placeholder_title(parsed) if parsed.needs_headline else parsed.title
    existing = find_article(title)

    # Every section first, so an unknown label refuses the file before any write.
    listed = (listed_sections or {}).get(article_slug(title))
    if section is not None:
        main_section = section
    elif listed:
        main_section = resolver.get(listed, what=f"Recent news label of {title!r}")
    elif existing is not None:
        main_section = existing.section
    else:
        main_section = resolver.get(
            settings.NEWSROOM_IMPORT_DEFAULT_SECTION,
            what="setting NEWSROOM_IMPORT_DEFAULT_SECTION",
        )
    teaser_sections = [
        resolver.get(entry.section_label, what=f"Recent news entry {entry.title!r}")
        for entry in parsed.recent_news
    ]

    authors = [_author(byline, result) for byline in parsed.bylines]
    _main_article(
        parsed=parsed,
        title=title,
        existing=existing,
        section=main_section,
        authors=authors,
        published_at=published_at,
        result=result,
    )
    for index, (entry, entry_section) in enumerate(
        zip(parsed.recent_news, teaser_sections, strict=True)
    ):
        _teaser(
            entry=entry,
            section=entry_section,
            published_at=published_at - datetime.timedelta(minutes=index + 1),
            result=result,
        )
    return result


def _author(byline: Byline, result: ImportResult) -> Author:
    name, position = nfc(byline.name).strip(), nfc(byline.position).strip()
    same_name = Author.objects.filter(name=name)
    if position:
        author = same_name.filter(position=position).order_by("pk").first()
    else:
        author = same_name.filter(position="").order_by("pk").first() or (
            same_name.order_by("pk").first()
        )
    label = f"{name} ({position})" if position else name
    if author is not None:
        result.actions.append(Action(UNCHANGED, "author", label))
        return author
    author = Author(name=name, position=position)
    author.full_clean(exclude=["slug"])
    author.save()
    result.actions.append(Action(CREATED, "author", label))
    return author


def _main_article(
    *,
    parsed: ParsedExport,
    title: str,
    existing: Article | None,
    section: Section,
    authors: list[Author],
    published_at: datetime.datetime,
    result: ImportResult,
) -> None:
    fields = {
        "lead": parsed.lead,
        "body": sanitize_html(nfc(parsed.body_html())),
        "section": section,
    }
    if parsed.original_url:
        fields["original_url"] = parsed.original_url
    if not parsed.needs_headline:
        fields.update(_series_fields(title, existing=existing, result=result))
    if existing is None:
        article = Article(title=title, needs_headline=parsed.needs_headline, **fields)
        _choose_slug(article)
        article_import_create(
            article=article,
            authors=authors,
            tags=topic_tags(article.title, article.lead),
            published_at=None if parsed.needs_headline else published_at,
        )
        status = "draft, needs a headline" if parsed.needs_headline else "published"
        result.actions.append(Action(CREATED, "article", title, f"{section.name}, {status}"))
        return

    if not parsed.needs_headline:
        fields["title"] = title
    changed = article_import_update(article=existing, fields=fields, authors=authors)
    if changed:
        result.actions.append(Action(UPDATED, "article", existing.title, ", ".join(changed)))
    else:
        result.actions.append(Action(UNCHANGED, "article", existing.title))


def _series_fields(title: str, *, existing: Article | None, result: ImportResult) -> dict:
    """The series and part a headline names ("… (Part 2)"), the series made when missing;
    nothing when it names none, or when another story already is that part (a warning)."""
    named = series_part_of(title)
    if named is None:
        return {}
    name, part = named
    series = Series.objects.filter(slug=slugify_vi(name, max_length=196)).first()
    if series is None:
        series = Series(name=name)
        series.full_clean(exclude=["slug"])
        series.save()
        result.actions.append(Action(CREATED, "series", name))
    taken = Article.objects.filter(series=series, series_part=part)
    if existing is not None:
        taken = taken.exclude(pk=existing.pk)
    if taken.exists():
        result.warnings.append(
            f"{title!r}: part {part} of the series {name!r} is another story already; "
            "imported without its series"
        )
        return {}
    return {"series": series, "series_part": part}


def _teaser(
    *,
    entry: RecentNewsEntry,
    section: Section,
    published_at: datetime.datetime,
    result: ImportResult,
) -> None:
    lead, rest = split_lead(entry.lead)
    body = blocks_to_html([Block(Block.PARAGRAPH, rest)]) if rest else ""
    existing = find_article(entry.title)
    if existing is not None:
        same = (
            existing.title == nfc(entry.title).strip()
            and existing.section_id == section.pk
            and existing.lead == nfc(lead).strip()
        )
        if same:
            result.actions.append(Action(UNCHANGED, "teaser", existing.title))
        else:
            result.actions.append(
                Action(SKIPPED, "teaser", entry.title, "an article with this headline exists")
            )
        return
    article = Article(title=entry.title, lead=lead, body=body, section=section)
    _choose_slug(article)
    article_import_create(
        article=article,
        authors=[],
        tags=topic_tags(article.title, article.lead),
        published_at=published_at,
    )
    result.actions.append(Action(CREATED, "teaser", article.title, section.name))


def topic_tags(*texts: str) -> list[str]:
    """Tags for an imported article: each topic of settings.NEWSROOM_IMPORT_TOPICS whose
    keywords occur (as whole words, accents ignored) in its headline or lead."""
    text = " ".join(texts)
    return [
        topic
        for topic, keywords in settings.NEWSROOM_IMPORT_TOPICS.items()
        if find_words(text, keywords)
    ]


def _choose_slug(article: Article) -> None:
    """The slug the headline gives (the one a re-run matches by), unless a published story
    with another headline took it: then the model numbers it. A draft's provisional slug
    reserves nothing (Article.slug)."""
    article.slug = article_slug(nfc(article.title).strip())
    if Article.objects.addressed().filter(slug=article.slug).exists():
        article.slug = ""
