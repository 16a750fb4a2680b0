"""`make bench` / `make bench-quick`: throughput and latency of the public pages.

Builds (or reuses) a PostgreSQL database with COUNT generated articles, starts the site with
production settings (DEBUG off, WhiteNoise, Redis cache) under gunicorn, and drives each page
with wrk on loopback for a bounded time. Every page's throughput is printed as a ratio of a
bare Django view (bench/bare.py: `HttpResponse("ok")` behind startproject's middleware),
served by the same gunicorn configuration in the same run, because absolute figures move
from run to run. The bare view is measured before the first group of pages and after each
group; a page's ratio is given to the two measurements around its group, as a range.
"""

import argparse
import contextlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import redis
from serve import ROOT, gunicorn, manage, nginx, post_comment, production_env

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk")


def prepare_database(name: str, count: int, env: dict) -> None:
    """Create the database once per COUNT; later runs reuse it (generation takes a while)."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--noinput", "-v0")
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        have = conn.execute("SELECT count(*) FROM articles_article").fetchone()[0]
    if have < count:
        print(f"Generating {count - have:,} articles (once per database) ...", flush=True)
        manage(env, "generate_articles", "--count", str(count - have))
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")


# A term that a few stories have, for the search row that ranks every match: the generated
# stories are made from a dozen places, so none of their words is rare. Sín Thầu is a
# commune of Mường Nhé. Saved through Article.save(), as the newsroom writes.
RARE_TERM = "Sín Thầu"
RARE_STORIES = f"""
from datetime import timedelta
from django.utils import timezone
from articles.models import Article
from sections.models import Section
section = Section.objects.order_by("pk").first()
have = Article.objects.filter(title__startswith="{RARE_TERM}").count()
for n in range(have, 25):
    Article.objects.create(
        title=f"{RARE_TERM} border post opens its school, part {{n + 1}}",
        lead="Pupils of the furthest commune of Mường Nhé start the year in new classrooms.",
        body="<p>The commune of {RARE_TERM} lies on the border with Laos and China.</p>",
        section=section, status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=30 * n + 1),
    )
"""


def forget_cached_pages(redis_url: str, prefix: str) -> None:
    """Start from an empty cache: a database generated again would not change the content
    version (bulk inserts send no signals). Only this run's keys are deleted."""
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


def wrk(url: str, *, connections: int, seconds: int, script: str | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p):
        match = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in m.groups())
    return {"rps": rps, "p50": percentile(50), "p99": percentile(99), "errors": errors}


POSTING = "while comments are posted"
POSTERS = 2


@contextlib.contextmanager
def comments_posted(base: str, article: str):
    """POSTERS clients post comments to `article` back to back while the block runs, as a
    browser does from the page; yields the count of answers by status (302: accepted)."""
    statuses = Counter()
    stop, lock = threading.Event(), threading.Lock()

    def post(client):
        n = 0
        while not stop.is_set():
            n += 1
            try:
                status = post_comment(
                    base,
                    f"{article}comments/",
                    name=f"Bench reader {client}",
                    email=f"bench{client}@example.com",
                    body=f"Comment {n} from bench reader {client} about the roads in Mường Nhé.",
                    timeout=10,
                )
            except OSError:
                status = None
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=post, args=(i,)) for i in range(POSTERS)]
    for thread in threads:
        thread.start()
    try:
        yield statuses
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)


BARE = "bare Django view (reference)"


def measure_bare(env: dict, seconds: int) -> dict:
    """The reference: bench/bare.py under the site's gunicorn configuration."""
    print(f"  {BARE} ...", flush=True)
    with gunicorn(env, app="bench.bare") as base:
        return wrk(base + "/", connections=32, seconds=seconds)


def one_at_a_time(url: str) -> float:
    """The median time of ONE_AT_A_TIME requests for `url` made one after another, in ms."""
    times = []
    for _ in range(ONE_AT_A_TIME):
        started = time.perf_counter()
        urllib.request.urlopen(url, timeout=60).read()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(env: dict, pages: list, seconds: int, nginx_pages: bool = False) -> list:
    """Start gunicorn with `env` (and nginx in front if asked), drive each page with wrk."""
    rows = []
    with gunicorn(env) as base:
        # The first render of a page reads everything cold: on a loaded machine, seconds.
        home = urllib.request.urlopen(base + "/", timeout=60).read().decode()
        links = {
            "section": re.search(r'href="(/sections/[^"]+)"', home).group(1),
            "article": re.search(r'href="(/articles/[^"]+)"', home).group(1),
        }
        for name, path, connections in pages:
            path = path.format(**links)
            try:
                urllib.request.urlopen(base + path, timeout=60)
            except urllib.error.HTTPError as error:
                print(f"  {name}: {path} answered {error.code}, not measured", flush=True)
                rows.append((name, path, connections, None))
                continue
            print(f"  {name} ...", flush=True)
            if POSTING in name:
                with comments_posted(base, path) as posted:
                    result = wrk(base + path, connections=connections, seconds=seconds)
                failures = {code: n for code, n in posted.items() if code != 302}
                name = f"{name}: {posted[302]:,} posted, {sum(failures.values())} failed"
                if failures:
                    name += f" ({', '.join(f'{code} x{n}' for code, n in failures.items())})"
            else:
                result = wrk(base + path, connections=connections, seconds=seconds)
            if name in SEARCH_UNCACHED:
                result["one_ms"] = one_at_a_time(base + path)
            rows.append((name, path, connections, result))
        if nginx_pages:
            article = links["article"]
            # The same bytes as the article page, as a static file, for nginx's ceiling.
            body = urllib.request.urlopen(base + article, timeout=10).read()
            Path(env["STATIC_ROOT"], "bench-article.html").write_bytes(body)
            with nginx(
                base.removeprefix("http://"),
                static_root=env["STATIC_ROOT"],
                media_root=env["MEDIA_ROOT"],
                workdir=Path(env["STATIC_ROOT"]).parent,
            ) as proxied:
                # As the app's pages are fetched once first: a cold burst would wait on
                # nginx's cache lock, which polls every 500 ms (a one-off, not the steady state).
                urllib.request.urlopen(proxied + article, timeout=10).read()
                for name, path in (
                    ("nginx: static file, same bytes", "/static/bench-article.html"),
                    ("nginx: article via micro-cache", article),
                ):
                    print(f"  {name} ...", flush=True)
                    result = wrk(proxied + path, connections=32, seconds=seconds)
                    rows.append((name, path, 32, result))
    return rows


# Renders measured without any cache (page cache and kept parts off): what a page costs
# when nothing helps, judged against issue 22's floor, not pages as the site serves them.
NOTHING_CACHED = (
    "article (nothing cached)",
    "home (nothing cached)",
    "section (nothing cached)",
)
# Search rows measured without the page cache: a reader's new query is a miss.
SEARCH_UNCACHED = (
    "search (uncached), common term",
    "search (uncached), rare term",
    "search (uncached), common stemmed word, few best-placed",
    "search (uncached), a word no story has",
)
# Issue 22: a search without the page cache answers one request alone within this, on an
# idle machine (the median of ONE_AT_A_TIME requests made one after another).
ONE_REQUEST_MS = 40
ONE_AT_A_TIME = 20

# Each target: (what it says, the row, the lowest share of the bare view it needs).
SHARE_TARGETS = (
    # A hit does no more than read and write bytes.
    ("article, page cache hit (Redis) ≥ 80 % of the bare view", "article (cached)", 0.80),
    # The page cache off, the kept parts on (a page-cache miss).
    ("article, page cache off ≥ 15 % of the bare view", "article (uncached)", 0.15),
    ("home, page cache off ≥ 6 % of the bare view", "home (uncached)", 0.06),
    ("section, page cache off ≥ 8 % of the bare view", "section (uncached)", 0.08),
    # Nothing cached at all.
    ("article, nothing cached ≥ 4 % of the bare view", "article (nothing cached)", 0.04),
    ("home, nothing cached ≥ 3 % of the bare view", "home (nothing cached)", 0.03),
    ("section, nothing cached ≥ 3 % of the bare view", "section (nothing cached)", 0.03),
    # Search without the page cache at 100,000 articles: issue 22 states the search target
    # as at least 3 % of the bare view for a common and a rare term alike (with one request
    # within ONE_REQUEST_MS); every search row is held to it.
    *((f"{name} ≥ 3 % of the bare view", name, 0.03) for name in SEARCH_UNCACHED),
    # Issue 18's first statement of it, kept beside: 10 % (and p99 < 150 ms, below).
    *((f"{name} ≥ 10 % of the bare view (issue 18)", name, 0.10) for name in SEARCH_UNCACHED),
)


def targets(rows: list, ratio) -> list[str]:
    """The performance targets, each with the figure measured in this run. `ratio(name)` is
    a row's (lowest, highest) share of the bare view; a share target is judged on the lowest.
    """
    by_name = {name: result for name, _path, _connections, result in rows}

    def rps(name):
        return by_name[name]["rps"] if by_name.get(name) else 0.0

    def p99(name):
        return by_name[name]["p99"] if by_name.get(name) else float("inf")

    def share(name):
        return ratio(name)[0] if by_name.get(name) else 0.0

    def shares(name):
        low, high = ratio(name) if by_name.get(name) else (0.0, 0.0)
        return f"{low:.1%}–{high:.1%}"

    def verdict(met):
        return "met" if met else "**not met**"

    errors = sum(r["errors"] for r in by_name.values() if r) if all(by_name.values()) else None
    nginx_ratio = rps("nginx: article via micro-cache") / max(
        rps("nginx: static file, same bytes"), 1
    )
    lines = ["| target | measured | |", "| --- | --- | --- |"]
    for label, name, goal in SHARE_TARGETS:
        if name in by_name:
            lines.append(f"| {label} | {shares(name)} | {verdict(share(name) >= goal)} |")
    if "nginx: article via micro-cache" in by_name:
        lines.append(
            "| nginx article ≥ 50 % of nginx's static file "
            f"| {nginx_ratio:.1%} | {verdict(nginx_ratio >= 0.50)} |"
        )
    for label, name, limit in (
        ("search p99 < 150 ms, 32 connections", "search", 150),
        ("home p99 < 100 ms, 32 connections", "home", 100),
        *((f"{name} p99 < 150 ms, 32 connections", name, 150) for name in SEARCH_UNCACHED),
    ):
        if name in by_name:
            lines.append(f"| {label} | {p99(name):,.1f} ms | {verdict(p99(name) < limit)} |")
    for name in SEARCH_UNCACHED:
        if by_name.get(name) and "one_ms" in by_name[name]:
            one = by_name[name]["one_ms"]
            lines.append(
                f"| {name}, one request at a time ≤ {ONE_REQUEST_MS} ms "
                f"(median of {ONE_AT_A_TIME}) | {one:,.1f} ms | {verdict(one <= ONE_REQUEST_MS)} |"
            )
    counted = errors if errors is not None else "a page was not served"
    lines.append(f"| 0 errors (64 connections included) | {counted} | {verdict(errors == 0)} |")
    if "/healthz" in by_name:
        # The project's whole middleware stack and no query: the floor every page starts from.
        lines.append(f"| `/healthz` beside the bare view (no target) | {shares('/healthz')} | |")
    return lines


def bench_env(database: str, workdir: Path, **overrides) -> dict:
    """Production settings for serving the PostgreSQL database `database` (bench/scale.py
    too)."""
    return production_env(
        "bench",
        database_url=f"postgres://postgres@127.0.0.1:5432/{database}",
        workdir=workdir,
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        # Pages cached from one benchmark database must never be served for another.
        CACHE_KEY_PREFIX=database,
        # Generated pictures belong with the database they were generated for.
        MEDIA_ROOT=str(ROOT / "bench" / "media"),
        **overrides,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument(
        "--database",
        help="PostgreSQL database to build or reuse (default: newsroom_bench_COUNT); "
        "a name of your own keeps runs on a shared server apart",
    )
    parser.add_argument(
        "--rows",
        action="append",
        metavar="TEXT",
        help="measure only the pages whose name contains TEXT (repeatable; the bare view "
        "is always measured), e.g. --rows search",
    )
    args = parser.parse_args()

    load_before = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    ensure_wrk()
    database = args.database or f"newsroom_bench_{args.count}"
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    # The comment-posting row posts far more than a reader may.
    env = bench_env(database, workdir, NEWSROOM_COMMENTS_RATE_LIMIT="1000000")
    prepare_database(database, args.count, env)
    manage(env, "shell", "-c", RARE_STORIES)
    forget_cached_pages(env["REDIS_URL"], env["CACHE_KEY_PREFIX"])
    manage(env, "collectstatic", "--noinput", "-v0")
    cached = [
        # The project's whole middleware stack and one database-free view.
        ("/healthz", "/healthz", 32),
        ("home", "/", 32),
        ("section", "{section}", 32),
        ("article (cached)", "{article}", 32),
        ("search", "/search/?q=dien+bien", 32),
        ("RSS feed", "/feed/", 32),
        ("article (cached), 64 connections", "{article}", 64),
        # Readers' comments are held for moderation (the default), so the page stays cached.
        (f"article (cached) {POSTING}", "{article}", 32),
    ]
    uncached = [
        ("home (uncached)", "/", 32),
        ("section (uncached)", "{section}", 32),
        ("article (uncached)", "{article}", 32),
        # "dien bien" is in about 16 % of the generated articles, the rare term in 25.
        (SEARCH_UNCACHED[0], "/search/?q=dien+bien", 32),
        (SEARCH_UNCACHED[1], "/search/?" + urllib.parse.urlencode({"q": RARE_TERM}), 32),
        # "teachers" (stemmed: teacher, teachers) is in about 13 % of them, but in both
        # headline and lead of few: its newest matches do not fill a page, so older
        # best-placed stories are looked for among the newest 6,000 (search.queries).
        (SEARCH_UNCACHED[2], "/search/?q=teachers", 32),
        # A typo: looked up through the GIN index first (articles.searching.has_rare_term).
        (SEARCH_UNCACHED[3], "/search/?q=zzyzx", 32),
    ]
    # Uncached: the page cache off, so every request renders the page. The parts kept per
    # article and per content version (pagecache/versions.py) are used, as on a page-cache
    # miss. "Nothing cached" turns those off too: every part read and rendered.
    cold = [
        ("article (nothing cached)", "{article}", 32),
        ("home (nothing cached)", "/", 32),
        ("section (nothing cached)", "{section}", 32),
    ]

    def chosen(pages):
        if not args.rows:
            return pages
        return [page for page in pages if any(text in page[0] for text in args.rows)]

    nginx_pages = not args.rows or any("nginx" in text for text in args.rows)
    groups = [
        (env, chosen(cached), nginx_pages),
        ({**env, "NEWSROOM_PAGE_CACHE": "False"}, chosen(uncached), False),
        (
            {**env, "NEWSROOM_PAGE_CACHE": "False", "NEWSROOM_FRAGMENT_CACHE": "False"},
            chosen(cold),
            False,
        ),
    ]
    groups = [group for group in groups if group[1] or group[2]]
    # The bare view before the first group and after each: (before, after) for each row.
    bares = [measure_bare(env, args.seconds)]
    rows, around = [], {}
    for group_env, pages, with_nginx in groups:
        measured = measure(group_env, pages, args.seconds, nginx_pages=with_nginx)
        bares.append(measure_bare(env, args.seconds))
        for row in measured:
            around[row[0]] = (bares[-2]["rps"], bares[-1]["rps"])
        rows += measured

    def ratio(name):
        rps = next(r["rps"] for n, _p, _c, r in rows if n == name)
        return rps / max(around[name]), rps / min(around[name])

    lines = [
        f"{args.count:,} articles on PostgreSQL, Redis cache, gunicorn 2 sync workers (the "
        "shape every row is measured in; deploy/gunicorn.conf.py ships 2 gthread workers of 4 "
        "threads, measured by make bench-cluster), DEBUG off; "
        f"wrk -t2, {args.seconds} s per page on loopback; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({os.cpu_count()} cores, {platform.machine()}); "
        f"load average {load_before} before the run, "
        f"{', '.join(f'{n:.2f}' for n in os.getloadavg())} after it.",
        "",
        "The reference is a bare Django view (bench/bare.py: startproject's middleware, "
        '`HttpResponse("ok")`) under the same gunicorn configuration, measured before the '
        "first group of pages and after each group: "
        + ", ".join(f"{b['rps']:,.0f}" for b in bares)
        + " req/s. A page's share is given to the measurements before and after its group "
        "(against the faster of the two, then the slower); targets are judged on the first.",
        "",
        "| page | connections | requests/s | × bare view | p50 ms | p99 ms | errors |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for n, b in enumerate(bares, start=1):
        lines.append(
            f"| {BARE}, {n} of {len(bares)} | 32 | {b['rps']:,.0f} | | {b['p50']:.1f} "
            f"| {b['p99']:.1f} | {b['errors']} |"
        )
    for name, _path, connections, r in rows:
        if r is None:
            lines.append(f"| {name} | {connections} | not served | | | | |")
            continue
        low, high = ratio(name)
        lines.append(
            f"| {name} | {connections} | {r['rps']:,.0f} | {low:.1%}–{high:.1%} "
            f"| {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} |"
        )
    lines += ["", *targets(rows, ratio)]
    table = "\n".join(lines)
    print(table)
    write_with_history(Path(args.output), table)
    print(f"\nWritten to {args.output}")
    return 0


# Runs before the latest one stay in the results file, below this heading, newest first.
EARLIER_RUNS = "## Earlier runs"


def write_with_history(path: Path, table: str) -> None:
    """Put `table` at the top of `path` and keep what the file held before, the runs before
    it, below EARLIER_RUNS (notes written under a run go down with it)."""
    old = path.read_text() if path.exists() else ""
    latest, _, earlier = old.partition(EARLIER_RUNS)
    history = "\n\n".join(part.strip() for part in (latest, earlier) if part.strip())
    text = "# Latest run\n\n" + table + "\n"
    if history:
        text += f"\n{EARLIER_RUNS}\n\n{history.removeprefix('# Latest run').strip()}\n"
    path.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
