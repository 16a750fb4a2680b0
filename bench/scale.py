"""`make bench-scale`: does an uncached page cost more as the archive grows?

Builds (or reuses) PostgreSQL databases of 10,000, 100,000 and 1,000,000 generated articles,
each grown from the one before (a copy of it, then the difference generated), and measures
the rows no cache helps at each size: the site under production settings with the page
cache off (and the article with nothing cached at all), driven by wrk for a short time per
page, between two runs of the bare Django view (bench/bare.py) in the same run. Each row is
given as its share of the bare view, and that share as a ratio to the same row at the
smallest size: the target is ≥ 0.8 at the largest. After each group of pages the gunicorn
workers' resident memory (VmRSS) is read from /proc; the target is ≤ 100 MiB.

Sizes whose generation would not fit the time left of --generate-minutes (estimated from
the rate measured so far) are left out, and the results say so.
"""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from run import (
    PG_ADMIN,
    RARE_STORIES,
    RARE_TERM,
    bench_env,
    ensure_wrk,
    forget_cached_pages,
    write_with_history,
    wrk,
)
from serve import BIN, ROOT, gunicorn, manage

SIZES = (10_000, 100_000, 1_000_000)
# The generated stories share a dozen pictures; a database reused from elsewhere (or made
# before bench/media was emptied) needs them in this run's media folder.
PICTURES = (
    "from importing.management.commands.generate_articles import Command; Command()._images(12)"
)
TARGET_KEPT = 0.80  # of the smallest size's share of the bare view
TARGET_RSS_MIB = 100
BARE = "bare Django view (reference)"

# Page cache off: every request renders, with the parts kept per article and per content
# version (as on a page-cache miss).
UNCACHED = [
    ("home (uncached)", "/"),
    ("section (uncached)", "{section}"),
    ("section page 2 (uncached)", "{section}?page=2"),
    ("section page 40 (uncached)", "{section}?page=40"),
    ("article (uncached)", "{article}"),
    ("search (uncached), common term", "/search/?q=dien+bien"),
    ("search (uncached), rare term", "/search/?" + urllib.parse.urlencode({"q": RARE_TERM})),
    # Few stories place "teachers" in headline and lead: the worker reads and keeps the newest
    # 6,000 stories' folded headlines and leads (search.queries), which its RSS then holds.
    ("search (uncached), common stemmed word", "/search/?q=teachers"),
    ("RSS feed (uncached)", "/feed/"),
]
# Nothing cached: the kept parts off too, every part read and rendered.
COLD = [("article (nothing cached)", "{article}")]


def compile_bytecode() -> None:
    """Compile the installed packages and the project to bytecode, as a deployment that
    installs with `uv sync --compile-bytecode` (make install) has them. Without it, where
    PYTHONDONTWRITEBYTECODE is set (as on this machine), every worker compiles every module
    it imports from source again, and the compiler's peak stays in its RSS (16 MiB more)."""
    site_packages = subprocess.run(
        [BIN / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    apps = [p for p in ROOT.iterdir() if (p / "__init__.py").exists() or p.name == "config"]
    subprocess.run(
        [BIN / "python", "-m", "compileall", "-q", "-j", "0", site_packages, *apps],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


# One process serving the pages through Django's WSGI handler, no server and no load
# generator: each page's median time over REPEAT requests after two to warm it, and its
# queries. Less disturbed by the machine's other work than wrk's figures.
IN_PROCESS = r"""
import io, json, re, statistics, sys, time
import django
from django.core.wsgi import get_wsgi_application
app = get_wsgi_application()
from django.db import connections
pages, repeat = json.loads(sys.argv[1]), int(sys.argv[2])
queries = []
def count(execute, sql, params, many, context):
    queries.append(sql)
    return execute(sql, params, many, context)
def get(path):
    path, _, query = path.partition("?")
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr}
    status = []
    body = b"".join(app(environ, lambda s, h, e=None: status.append(s)))
    return status[0], body.decode()
home = get("/")[1]
links = {"section": re.search(r'href="(/sections/[^"]+)"', home).group(1),
         "article": re.search(r'href="(/articles/[^"]+)"', home).group(1)}
with connections["default"].execute_wrapper(count):
    out = {}
    for name, path in pages:
        path = path.format(**links)
        get(path), get(path)
        times, counts = [], []
        for _ in range(repeat):
            queries.clear()
            started = time.perf_counter()
            status, _body = get(path)
            times.append((time.perf_counter() - started) * 1000)
            counts.append(len(queries))
        out[name] = {"ms": statistics.median(times), "queries": max(counts), "status": status}
print("IN-PROCESS " + json.dumps(out))
"""


def in_process(env: dict, pages: list, repeat: int = 15) -> dict:
    """Each page's median ms and its queries, served in one process with `env`."""
    done = subprocess.run(
        [BIN / "python", "-c", IN_PROCESS, json.dumps(pages), str(repeat)],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(line for line in done.stdout.splitlines() if line.startswith("IN-PROCESS "))
    return json.loads(line.removeprefix("IN-PROCESS "))


def database_exists(name: str) -> bool:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def article_count(name: str) -> int:
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{name}") as conn:
        return conn.execute("SELECT count(*) FROM articles_article").fetchone()[0]


def copy_database(source: str, name: str, *, attempts: int = 10) -> bool:
    """CREATE DATABASE `name` as a copy of `source`; PostgreSQL refuses while anyone is
    connected to `source`, so try a few times. False if it never could."""
    for _ in range(attempts):
        try:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
            return True
        except psycopg.errors.ObjectInUse:
            time.sleep(3)
    return False


def grow(name: str, size: int, previous: str | None, env: dict) -> float:
    """Make `name` hold at least `size` articles: a copy of `previous` when it exists (and
    `name` does not), then migrated and the difference generated. Returns the seconds the
    generation took (0 when nothing was generated)."""
    if not database_exists(name):
        copied = previous and database_exists(previous) and copy_database(previous, name)
        if not copied:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--noinput", "-v0")
    missing = size - article_count(name)
    if missing <= 0:
        return 0.0
    print(f"Generating {missing:,} articles into {name} ...", flush=True)
    started = time.monotonic()
    manage(env, "generate_articles", "--count", str(missing), "--batch-size", "5000")
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return time.monotonic() - started


def gunicorn_workers(port: int) -> list[int]:
    """The pids of the gunicorn workers serving on `port` (the master's children)."""
    bind = f"127.0.0.1:{port}".encode()
    serving = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if b"gunicorn" in cmdline and bind in cmdline:
            serving[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])  # ppid
    return [pid for pid, parent in serving.items() if parent in serving]


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1)) / 1024


def measure(env: dict, pages: list, seconds: int) -> tuple[list, list[float]]:
    """Serve the site with `env`, drive each page with wrk; the rows and, read after the
    last page, each worker's VmRSS in MiB."""
    rows = []
    with gunicorn(env) as base:
        home = urllib.request.urlopen(base + "/", timeout=120).read().decode()
        links = {
            "section": re.search(r'href="(/sections/[^"]+)"', home).group(1),
            "article": re.search(r'href="(/articles/[^"]+)"', home).group(1),
        }
        for name, path in pages:
            path = path.format(**links)
            try:
                # The first render reads everything cold: on a loaded machine, seconds.
                urllib.request.urlopen(base + path, timeout=120).read()
            except urllib.error.HTTPError as error:
                print(f"  {name}: {path} answered {error.code}, not measured", flush=True)
                rows.append((name, path, None))
                continue
            print(f"  {name} ...", flush=True)
            rows.append((name, path, wrk(base + path, connections=32, seconds=seconds)))
        port = int(base.rsplit(":", 1)[1])
        memory = [rss_mib(pid) for pid in gunicorn_workers(port)]
    return rows, memory


def bare(env: dict, seconds: int) -> float:
    print(f"  {BARE} ...", flush=True)
    with gunicorn(env, app="bench.bare") as base:
        return wrk(base + "/", connections=32, seconds=seconds)["rps"]


def section_counts(database_url: str, repeat: int = 5) -> dict:
    """The largest section's pagination count in ms (median of `repeat`, warm): every story
    counted (Django's Paginator) and counted up to the bound (core.pagination), with the
    rows the bounded count read."""
    public = (
        "(unpublish_at IS NULL OR unpublish_at > now()) AND published_at <= now() "
        "AND status = 'published'"
    )
    published = public + " AND section_id = %s"
    with psycopg.connect(database_url) as conn:
        section, stories = conn.execute(
            f"SELECT section_id, count(*) FROM articles_article WHERE {public} "
            "GROUP BY section_id ORDER BY 2 DESC LIMIT 1"
        ).fetchone()
        queries = {
            "full": f"SELECT count(*) FROM articles_article WHERE {published}",
            "bounded": f"SELECT count(*) FROM (SELECT id FROM articles_article WHERE {published} "
            "LIMIT 1001) subquery",
        }
        result = {"stories": stories}
        for name, sql in queries.items():
            times = []
            for _ in range(repeat):
                plan = conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, [section]).fetchone()
                times.append(plan[0][0]["Execution Time"])
            result[name] = statistics.median(times)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--generate-minutes", type=float, default=30)
    parser.add_argument("--prefix", default="newsroom_scale", help="database name prefix")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results-scale.md"))
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))

    load_before = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-scale-"))
    budget = args.generate_minutes * 60
    generated, rate, previous, left_out = [], None, None, []
    for size in sizes:
        name = f"{args.prefix}_{size}"
        if rate and not database_exists(name):
            have = article_count(previous) if previous else 0
            needed = (size - have) / rate
            if needed > budget:
                left_out.append(
                    f"{size:,} articles left out: generating them would take about "
                    f"{needed / 60:.0f} min at {rate * 60:,.0f} articles a minute, "
                    f"{budget / 60:.0f} min of the budget left"
                )
                break
        env = bench_env(name, workdir)
        seconds = grow(name, size, previous, env)
        if seconds:
            have = article_count(name)
            added = have - (article_count(previous) if previous else 0)
            rate = added / seconds if previous else have / seconds
            budget -= seconds
        manage(env, "shell", "-c", RARE_STORIES)
        manage(env, "shell", "-c", PICTURES)
        generated.append((size, name, seconds))
        previous = name

    compile_bytecode()
    results = {}
    manage(bench_env(generated[0][1], workdir), "collectstatic", "--noinput", "-v0")
    for size, name, _seconds in generated:
        print(f"{size:,} articles ({name}):", flush=True)
        env = bench_env(name, workdir)
        forget_cached_pages(env["REDIS_URL"], env["CACHE_KEY_PREFIX"])
        before = bare(env, args.seconds)
        rows, memory = measure({**env, "NEWSROOM_PAGE_CACHE": "False"}, UNCACHED, args.seconds)
        cold_env = {**env, "NEWSROOM_PAGE_CACHE": "False", "NEWSROOM_FRAGMENT_CACHE": "False"}
        cold_rows, cold_memory = measure(cold_env, COLD, args.seconds)
        after = bare(env, args.seconds)
        timed = in_process({**env, "NEWSROOM_PAGE_CACHE": "False"}, UNCACHED)
        timed |= in_process(cold_env, COLD)
        results[size] = {
            "in_process": timed,
            "articles": article_count(name),
            "bare": (before, after),
            "rows": rows + cold_rows,
            "rss": memory + cold_memory,
            "counts": section_counts(env["DATABASE_URL"]),
        }

    table = report(results, generated, left_out, args, load_before)
    print(table)
    write_with_history(Path(args.output), table)
    print(f"\nWritten to {args.output}")
    return 0


def report(results: dict, generated: list, left_out: list, args, load_before: str) -> str:
    sizes = sorted(results)
    smallest = sizes[0]

    def share(size, name):
        result = next((r for n, _p, r in results[size]["rows"] if n == name), None)
        if not result:
            return None, None
        return result["rps"], result["rps"] / statistics.mean(results[size]["bare"])

    made = "; ".join(
        f"{size:,} in {seconds / 60:.1f} min" if seconds else f"{size:,} reused"
        for size, _name, seconds in generated
    )
    counted = ", ".join(f"{results[s]['articles']:,}" for s in sizes)
    lines = [
        f"Sizes {counted} articles on "
        "PostgreSQL (each database grown from the one before), Redis, gunicorn 2 sync "
        f"workers, DEBUG off; wrk -t2 -c32, {args.seconds} s per page on loopback; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} "
        f"cores, {platform.machine()}); load average {load_before} before the run, "
        f"{', '.join(f'{n:.2f}' for n in os.getloadavg())} after it. Generation: {made}.",
        *(f"\n**{line}.**" for line in left_out),
        "",
        "Each cell: requests/s, its share of the bare Django view (the mean of the runs "
        "before and after that size's pages), and that share as a ratio to the same row at "
        f"{smallest:,} articles (target ≥ {TARGET_KEPT:.0%} at the largest size).",
        "",
        "| page | " + " | ".join(f"{s:,} articles" for s in sizes) + " | kept at the largest |",
        "| --- | " + " | ".join("---" for _ in sizes) + " | --- |",
        f"| {BARE} | "
        + " | ".join(" / ".join(f"{b:,.0f}" for b in results[s]["bare"]) for s in sizes)
        + " | |",
    ]
    verdicts = []
    for name, _path in UNCACHED + COLD:
        cells = []
        _rps, base_share = share(smallest, name)
        for size in sizes:
            rps, size_share = share(size, name)
            if rps is None:
                cells.append("not served")
                continue
            kept = f", {size_share / base_share:.2f}×" if base_share and size != smallest else ""
            cells.append(f"{rps:,.0f} ({size_share:.1%}{kept})")
        _rps, top_share = share(sizes[-1], name)
        kept = top_share / base_share if top_share and base_share else None
        met = kept is not None and kept >= TARGET_KEPT
        verdicts.append(met)
        verdict = f"{kept:.2f} {'met' if met else '**not met**'}" if kept else "—"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {verdict} |")
    rss = {size: max(results[size]["rss"], default=0) for size in sizes}
    rss_met = rss[sizes[-1]] <= TARGET_RSS_MIB
    lines.append(
        "| worker RSS after the run, MiB (largest worker) | "
        + " | ".join(f"{rss[s]:.0f}" for s in sizes)
        + f" | ≤ {TARGET_RSS_MIB}: {'met' if rss_met else '**not met**'} |"
    )
    lines.append(
        "| largest section's pagination count, ms: every story / bounded (stories) | "
        + " | ".join(
            f"{results[s]['counts']['full']:.1f} / {results[s]['counts']['bounded']:.2f} "
            f"({results[s]['counts']['stories']:,})"
            for s in sizes
        )
        + " | |"
    )
    lines += [
        "",
        "The same pages in one process (Django's WSGI handler, no server, no wrk): the median "
        "ms of 15 requests after two to warm each, its queries, and the ratio of the time "
        f"at {smallest:,} articles to the time at each size (≥ {TARGET_KEPT:.0%}: kept).",
        "",
        "| page | " + " | ".join(f"{s:,} articles" for s in sizes) + " | kept at the largest |",
        "| --- | " + " | ".join("---" for _ in sizes) + " | --- |",
    ]
    for name, _path in UNCACHED + COLD:
        base = results[smallest]["in_process"][name]["ms"]
        cells = []
        for size in sizes:
            timed = results[size]["in_process"][name]
            kept = f", {base / timed['ms']:.2f}×" if size != smallest else ""
            cells.append(f"{timed['ms']:.1f} ms, {timed['queries']} queries{kept}")
        kept = base / results[sizes[-1]]["in_process"][name]["ms"]
        verdict = f"{kept:.2f} {'met' if kept >= TARGET_KEPT else '**not met**'}"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {verdict} |")
    lines += [
        "",
        f"Rows keeping ≥ {TARGET_KEPT:.0%} of their {smallest:,}-article share at "
        f"{sizes[-1]:,}: {sum(verdicts)} of {len(verdicts)}. The pagination count is "
        "measured on the database with EXPLAIN ANALYZE (median of 5, warm): the bounded "
        "count is what the section, tag and author pages run (core/pagination.py); "
        '"every story" is the COUNT(*) Django\'s Paginator ran before.',
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
