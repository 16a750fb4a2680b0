"""`make audit`: Lighthouse (mobile), page weight and layout shift on the demo site.

Starts the site the way production runs it (DEBUG off, gunicorn, WhiteNoise) on a fresh
SQLite database with the demo data, audits home, a section, an article with comments and
images, and search, prints a table and writes it to audit/results.md.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The site is served the way `make bench` serves it (bench/serve.py).
sys.path.insert(0, str(ROOT / "bench"))
from serve import gunicorn, manage, production_env  # noqa: E402

LIGHTHOUSE = ROOT / "audit" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
TARGET = 95
WEIGHT_LIMIT = 150 * 1024
CLS_LIMIT = 0.05


AUDIT_COMMENTS = """
from articles.models import Article
from comments.models import Comment
article = Article.objects.published().first()
for n, text in enumerate(["Thank you for this report from Mường Nhé.",
                          "The new road to Điện Biên Phủ has changed our village."]):
    Comment.objects.create(article=article, name=f"Reader {n}", email=f"r{n}@example.com",
                           body=text, status=Comment.Status.APPROVED, ip_hash="audit")
"""


def first_link(html: str, prefix: str) -> str:
    match = re.search(rf'href="({re.escape(prefix)}[^"]+)"', html)
    if not match:
        raise SystemExit(f"no link starting with {prefix} on the home page")
    return match.group(1)


def run_lighthouse(url: str, out: Path, attempts: int = 3) -> dict:
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={flags}",
        "--only-categories=performance,accessibility,best-practices,seo",
    ]
    for attempt in range(1, attempts + 1):
        # Lighthouse sometimes loses its trace ("NO_NAVSTART") and asks to be run again.
        result = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
        if result.returncode == 0:
            return json.loads(out.read_text())
        print(f"Lighthouse failed on {url} (attempt {attempt} of {attempts})", flush=True)
    raise SystemExit(f"Lighthouse could not audit {url}")


# Search results are kept out of search engines on purpose (robots.txt and a noindex meta):
# Lighthouse's "is-crawlable" audit fails for that, so that one audit is left out of these
# pages' SEO score, and the table says so.
DELIBERATELY_NOT_INDEXED = {"search"}


def seo_without_crawlability(report: dict) -> int:
    refs = [r for r in report["categories"]["seo"]["auditRefs"] if r["weight"] > 0]
    scored = [
        (r["weight"], report["audits"][r["id"]]["score"])
        for r in refs
        if r["id"] != "is-crawlable" and report["audits"][r["id"]]["score"] is not None
    ]
    return round(100 * sum(w * s for w, s in scored) / sum(w for w, _ in scored))


def page_weight_before_images(report: dict) -> int:
    items = report["audits"]["network-requests"]["details"]["items"]
    return sum(i.get("transferSize", 0) for i in items if i.get("resourceType") != "Image")


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-audit-"))
    env = production_env(
        "audit",
        database_url=f"sqlite:///{workdir / 'audit.sqlite3'}",
        workdir=workdir,
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")
    # The article audited carries approved comments, as a read article does.
    manage(env, "shell", "-c", AUDIT_COMMENTS)
    manage(env, "collectstatic", "--noinput", "-v0")
    with gunicorn(env) as base:
        home_html = urllib.request.urlopen(base + "/").read().decode()
        pages = {
            "home": "/",
            "section": first_link(home_html, "/sections/"),
            # The lead story: it has a picture and the comments added above.
            "article": first_link(home_html, "/articles/"),
            "search": "/search/?q=dien+bien",
        }
        rows, raw_seo = [], {}
        for name, path in pages.items():
            report = run_lighthouse(base + path, workdir / f"{name}.json")
            scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
            if name in DELIBERATELY_NOT_INDEXED:
                raw_seo[name] = scores["seo"]
                scores["seo"] = seo_without_crawlability(report)
            cls = report["audits"]["cumulative-layout-shift"]["numericValue"]
            weight = page_weight_before_images(report)
            rows.append((name, path, scores, cls, weight))

    lines = [
        f"Lighthouse {report['lighthouseVersion']}, mobile emulation, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, loopback.",
        "",
        "| page | Performance | Accessibility | Best Practices | SEO | CLS | KB before images |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    failed = []
    for name, _path, s, cls, weight in rows:
        seo = f"{s['seo']}*" if name in DELIBERATELY_NOT_INDEXED else s["seo"]
        lines.append(
            f"| {name} | {s['performance']} | {s['accessibility']} | {s['best-practices']} "
            f"| {seo} | {cls:.3f} | {weight / 1024:.1f} |"
        )
        failed += [f"{name} {k} {v} < {TARGET}" for k, v in s.items() if v < TARGET]
        if cls >= CLS_LIMIT:
            failed.append(f"{name} CLS {cls:.3f} >= {CLS_LIMIT}")
        if name == "article" and weight >= WEIGHT_LIMIT:
            failed.append(f"article weighs {weight / 1024:.1f} KB before images")
    lines += [
        "",
        "\\* without the is-crawlable audit: search results are kept out of search engines on "
        "purpose (robots.txt and a noindex meta); Lighthouse's full SEO score there: "
        + ", ".join(f"{name} {score}" for name, score in raw_seo.items())
        + ".",
    ]
    table = "\n".join(lines)
    print(table)
    (ROOT / "audit" / "results.md").write_text(table + "\n")
    if failed:
        print("\nTargets missed:\n  " + "\n  ".join(failed))
        return 1
    print("\nEvery target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
