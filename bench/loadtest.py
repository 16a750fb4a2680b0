"""`make loadtest`: many readers post comments at once; nothing may be lost or doubled.

Starts gunicorn with production settings on a fresh PostgreSQL database (rate limit raised
for the run), then CLIENTS threads post COMMENTS comments in all (each a unique text, each
after reading the article page and sent with the headers a browser sends from it) while
READERS threads read article pages. Afterwards every accepted comment is looked up in the
database. Reports accepted, refused (4xx), lost (accepted but not stored), duplicated
(stored twice), 5xx and the read latency p50/p99 during the write load. Exit status 1 when
anything was lost or doubled or any 5xx was seen.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg
from serve import ROOT, gunicorn, manage, post_comment, production_env

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
FORM = re.compile(r'<form class="comment-form" method="post" action="([^"]+)"')


def poster(base, articles, jobs, results, lock):
    while True:
        with lock:
            if not jobs:
                return
            number = jobs.pop()
        article = articles[number % len(articles)]
        body = f"Load test comment number {number}: readers in Mường Nhé ask about roads."
        try:
            with urllib.request.urlopen(base + article, timeout=30) as response:
                action = FORM.search(response.read().decode()).group(1)
            status = post_comment(
                base,
                action,
                name=f"Reader {number}",
                email=f"reader{number}@example.com",
                body=body,
            )
        except Exception as error:  # noqa: BLE001 - every failure is counted, none hidden
            status, body = f"error: {type(error).__name__}", None
        with lock:
            results.append((status, body))


def reader(base, articles, stop, latencies, errors, lock):
    n = 0
    while not stop.is_set():
        started = time.perf_counter()
        try:
            urllib.request.urlopen(base + articles[n % len(articles)], timeout=30).read()
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
        except Exception:  # noqa: BLE001
            with lock:
                errors.append(1)
        n += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--output", default=str(ROOT / "bench" / "loadtest.md"))
    args = parser.parse_args()

    database = "newsroom_loadtest"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
        conn.execute(f'CREATE DATABASE "{database}"')
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-loadtest-"))
    env = production_env(
        "loadtest",
        database_url=f"postgres://postgres@127.0.0.1:5432/{database}",
        workdir=workdir,
        NEWSROOM_COMMENTS_RATE_LIMIT=str(args.comments * 10),
    )
    for command in (["migrate", "--noinput", "-v0"], ["generate_articles", "--count", "50"],
                    ["collectstatic", "--noinput", "-v0"]):  # fmt: skip
        manage(env, *command)
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        slugs = [row[0] for row in conn.execute(
            "SELECT slug FROM articles_article WHERE status = 'published' "
            "AND published_at <= now() ORDER BY published_at DESC LIMIT 10")]  # fmt: skip
    articles = [f"/articles/{slug}/" for slug in slugs]
    with gunicorn(env, workers=4) as base:
        lock, stop = threading.Lock(), threading.Event()
        jobs, results, latencies, read_errors = list(range(args.comments)), [], [], []
        readers = [
            threading.Thread(
                target=reader, args=(base, articles, stop, latencies, read_errors, lock)
            )
            for _ in range(args.readers)
        ]
        posters = [
            threading.Thread(target=poster, args=(base, articles, jobs, results, lock))
            for _ in range(args.clients)
        ]
        started = time.monotonic()
        for thread in readers + posters:
            thread.start()
        for thread in posters:
            thread.join(timeout=600)
        stop.set()
        for thread in readers:
            thread.join(timeout=60)
        elapsed = time.monotonic() - started

    accepted = [body for status, body in results if status == 302]
    refused = sum(1 for status, _ in results if isinstance(status, int) and 400 <= status < 500)
    by_status = Counter(str(status) for status, _ in results)
    server_errors = sum(1 for status, _ in results if isinstance(status, int) and status >= 500)
    failures = sum(1 for status, _ in results if isinstance(status, str))
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        rows = conn.execute(
            "SELECT body FROM comments_comment WHERE body LIKE 'Load test comment number %%'"
        )
        stored = Counter(row[0] for row in rows)
    lost = sum(1 for body in accepted if stored[body] == 0)
    duplicated = sum(count - 1 for count in stored.values() if count > 1)
    p50 = statistics.median(latencies) if latencies else float("nan")
    p99 = statistics.quantiles(latencies, n=100)[98] if len(latencies) >= 100 else float("nan")
    lines = [
        f"{args.clients} posting clients, {args.comments} comments, {args.readers} readers; "
        f"gunicorn 4 sync workers, PostgreSQL, DEBUG off; {elapsed:.1f} s "
        f"({os.cpu_count()} cores).",
        "",
        "| accepted | refused (4xx) | lost | duplicated | 5xx | client errors "
        "| reads | read p50 ms | read p99 ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| {len(accepted)} | {refused} | {lost} | {duplicated} | {server_errors} | "
        f"{failures + len(read_errors)} | {len(latencies)} | {p50:.1f} | {p99:.1f} |",
    ]
    lines.append("")
    lines.append(
        "Answers by status: " + ", ".join(f"{k} x{v}" for k, v in sorted(by_status.items()))
    )
    table = "\n".join(lines)
    print(table)
    Path(args.output).write_text(table + "\n")
    return 1 if (lost or duplicated or server_errors or failures) else 0


if __name__ == "__main__":
    sys.exit(main())
