"""`make bench` / `make bench-quick`: throughput and latency of the public pages.

Builds (or reuses) a PostgreSQL database with COUNT generated articles, starts the site with
production settings (DEBUG off, WhiteNoise, Redis cache) under gunicorn, and drives each page
with wrk on loopback for a bounded time. Every page's throughput is printed as a ratio of a
bare Django view measured in the same run, because absolute figures move from run to run.
"""

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from serve import ROOT, gunicorn, manage, nginx, production_env

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


def measure(env: dict, pages: list, seconds: int, nginx_pages: tuple = ()) -> list:
    """Start gunicorn with `env` (and nginx in front if asked), drive each page with wrk."""
    rows = []
    with gunicorn(env) as base:
        home = urllib.request.urlopen(base + "/", timeout=5).read().decode()
        links = {
            "section": re.search(r'href="(/sections/[^"]+)"', home).group(1),
            "article": re.search(r'href="(/articles/[^"]+)"', home).group(1),
        }
        for name, path, connections in pages:
            path = path.format(**links)
            try:
                urllib.request.urlopen(base + path, timeout=10)
            except urllib.error.HTTPError as error:
                print(f"  {name}: {path} answered {error.code}, not measured", flush=True)
                rows.append((name, path, connections, None))
                continue
            print(f"  {name} ...", flush=True)
            result = wrk(base + path, connections=connections, seconds=seconds)
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
                for name, path in (
                    ("nginx: static file, same bytes", "/static/bench-article.html"),
                    ("nginx: article via micro-cache", article),
                ):
                    print(f"  {name} ...", flush=True)
                    result = wrk(proxied + path, connections=32, seconds=seconds)
                    rows.append((name, path, 32, result))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args()

    ensure_wrk()
    database = f"newsroom_bench_{args.count}"
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    env = production_env(
        "bench",
        database_url=f"postgres://postgres@127.0.0.1:5432/{database}",
        workdir=workdir,
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        # Generated pictures belong with the database they were generated for.
        MEDIA_ROOT=str(ROOT / "bench" / "media"),
    )
    prepare_database(database, args.count, env)
    manage(env, "collectstatic", "--noinput", "-v0")
    cached = [
        ("bare view (/healthz)", "/healthz", 32),
        ("home", "/", 32),
        ("section", "{section}", 32),
        ("article (cached)", "{article}", 32),
        ("search", "/search/?q=dien+bien", 32),
        ("RSS feed", "/feed/", 32),
        ("article (cached), 64 connections", "{article}", 64),
    ]
    uncached = [
        ("home (uncached)", "/", 32),
        ("section (uncached)", "{section}", 32),
        ("article (uncached)", "{article}", 32),
        # "dien bien" is in about 16 % of the generated articles: every match is ranked.
        ("search (uncached)", "/search/?q=dien+bien", 32),
    ]
    rows = measure(env, cached, args.seconds, nginx_pages=True)
    rows += measure({**env, "NEWSROOM_PAGE_CACHE": "False"}, uncached, args.seconds)
    bare = rows[0][3]["rps"]
    lines = [
        f"{args.count:,} articles on PostgreSQL, Redis cache, gunicorn 2 sync workers, DEBUG off; "
        f"wrk -t2, {args.seconds} s per page on loopback; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({os.cpu_count()} cores, {platform.machine()}).",
        "",
        "| page | connections | requests/s | × bare view | p50 ms | p99 ms | errors |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, _path, connections, r in rows:
        if r is None:
            lines.append(f"| {name} | {connections} | not served | | | | |")
            continue
        lines.append(
            f"| {name} | {connections} | {r['rps']:,.0f} | {r['rps'] / bare:.1%} "
            f"| {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} |"
        )
    table = "\n".join(lines)
    print(table)
    Path(args.output).write_text(table + "\n")
    print(f"\nWritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
