"""A live story's schema.org data: the article's NewsArticle becomes a LiveBlogPosting (a
kind of article, so everything else it says stays true), with the coverage's times and
each entry as a liveBlogUpdate."""

from articles.sanitize import html_to_text
from core.dates import paper_isoformat
from core.links import absolute_url
from live.selectors import live_story


def live_blog_posting(article, data: dict) -> dict:
    """`data` (the article's JSON-LD) for a live story; as it was for any other."""
    story = live_story(article=article)
    if story is None:
        return data
    url = absolute_url(article.get_absolute_url())
    coverage = story.coverage
    return {
        **data,
        "@type": "LiveBlogPosting",
        "coverageStartTime": paper_isoformat(coverage.starts_at),
        "coverageEndTime": paper_isoformat(coverage.ends_at),
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": entry.headline,
                "articleBody": entry_body(entry),
                "datePublished": paper_isoformat(entry.posted_at),
                "dateModified": paper_isoformat(max(entry.posted_at, entry.updated)),
                "url": f"{url}#live-entry-{entry.pk}",
                **({"image": absolute_url(entry.picture.url)} if entry.picture else {}),
            }
            for entry in story.entries
        ],
    }


def entry_body(entry) -> str:
    """The entry's words as plain text: its text, then the quote with who said it."""
    parts = [" ".join(html_to_text(entry.text).split())]
    if entry.quote:
        parts.append(f"“{entry.quote}” — {entry.quote_by}")
    return " ".join(part for part in parts if part)
