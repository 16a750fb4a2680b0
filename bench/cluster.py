"""The cluster's figures (`make bench-cluster`; docs/scaling.md reads them): throughput through
the front door with purge-on-change caching against nginx sending a static file of the same
bytes, and the article without the page cache through two app nodes against one.

    python bench/cluster.py [--seconds 10]

It uses the cluster `make cluster` started (deploy/cluster.py), or starts one and stops it
afterwards. Measured with wrk -t2 on loopback, 32 connections, in this order:

1. the bare Django view (bench/bare.py) under the cluster's gunicorn configuration: the
   reference `make bench` uses, for the ratios below it in the same run;
2. the first article the home page links to through Varnish, a hit (kept with s-maxage
   300, told of changes), and nginx (the cluster's) sending the same bytes as a static
   file, in turns, ROUNDS times: the target is judged on the median of the turns' ratios;
3. the same article with the page cache off (NEWSROOM_PAGE_CACHE=False; the fragments kept,
   as `make bench`'s "article (uncached)") through nginx in front of one extra node, then
   of two: each node a gunicorn of its own with deploy/gunicorn.conf.py (2 workers × 4
   threads), on the cluster's databases and Redis.

The rows go to the top of bench/results-cluster.md (earlier runs kept below).
"""

import argparse
import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "deploy"))
import cluster as deployment  # noqa: E402
from run import ensure_wrk, write_with_history, wrk  # noqa: E402
from serve import nginx_config, wait_for  # noqa: E402

OUTPUT = ROOT / "bench" / "results-cluster.md"
CONNECTIONS = 32
ROUNDS = 3
FRONT = "front door: article, Varnish hit (purge on change)"
STATIC = "nginx: static file, same bytes"
# Ports of this run's extra processes, beside the cluster's own.
EXTRA = {"bare": 5, "uncached-1": 6, "uncached-2": 7, "nginx-one": 85, "nginx-two": 86}


def port(name: str) -> int:
    return deployment.PORT_BASE + EXTRA[name]


def start_gunicorn(name: str, app: str, env: dict) -> int:
    process = deployment.spawn(
        f"bench-{name}",
        [deployment.BIN / "gunicorn", app, "-c", ROOT / "deploy" / "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port(name)}", "--log-level", "warning"],
        env,
    )  # fmt: skip
    wait_for(
        lambda: (
            process.poll() is None
            and urllib.request.urlopen(f"http://127.0.0.1:{port(name)}/", timeout=30).status == 200
        ),
        seconds=90,
        what=f"gunicorn {name}",
        interval=0.5,
    )
    return process.pid


def start_nginx(name: str, nodes: list[str]) -> Path:
    """nginx with deploy/nginx.conf in front of `nodes`, keeping no pages (as in the cluster)."""
    workdir = deployment.CLUSTER_DIR / f"bench-{name}"
    workdir.mkdir(exist_ok=True)
    conf = nginx_config(
        [f"127.0.0.1:{port(node)}" for node in nodes],
        static_root=str(deployment.CLUSTER_DIR / "static"),
        media_root=str(deployment.CLUSTER_DIR / "media"),
        workdir=workdir,
        port=port(name),
        daemon=True,
        behind="127.0.0.1",
    )
    subprocess.run(["nginx", "-c", str(conf)], check=True)
    return conf


def newest_article(state: dict) -> str:
    """The first story the home page links to."""
    home = urllib.request.urlopen(state["front"] + "/", timeout=60).read().decode()
    return re.search(r'href="(/articles/[^"]+)"', home).group(1)


def measure(state: dict, seconds: int) -> list:
    rows = []

    def run(name, url):
        print(f"  {name} ...", flush=True)
        result = wrk(url, connections=CONNECTIONS, seconds=seconds)
        rows.append((name, url.split("/", 3)[-1], result))
        return result

    article = newest_article(state)
    front, nginx = state["front"], state["nginx"]
    body = urllib.request.urlopen(front + article, timeout=60).read()
    wait_for(
        lambda: urllib.request.urlopen(front + article, timeout=10).headers["X-Cache"] == "HIT",
        seconds=30,
        what="the article kept by Varnish",
    )
    same_bytes = deployment.CLUSTER_DIR / "static" / "bench-article.html"
    same_bytes.write_bytes(body)
    same_bytes.chmod(0o644)

    env = deployment.app_env()
    uncached = {**env, "NEWSROOM_PAGE_CACHE": "False"}
    groups, confs = [], []
    try:
        groups.append(start_gunicorn("bare", "bench.bare", env))
        run("bare Django view (reference)", f"http://127.0.0.1:{port('bare')}/")
        os.killpg(groups.pop(), signal.SIGTERM)

        # In turns: on a machine others load too, each pair is measured under like load.
        for turn in range(1, ROUNDS + 1):
            run(f"{FRONT}, {turn} of {ROUNDS}", front + article)
            run(f"{STATIC}, {turn} of {ROUNDS}", nginx + "/static/bench-article.html")

        for name in ("uncached-1", "uncached-2"):
            groups.append(start_gunicorn(name, "config.wsgi", uncached))
        confs.append(start_nginx("nginx-one", ["uncached-1"]))
        confs.append(start_nginx("nginx-two", ["uncached-1", "uncached-2"]))
        for name, label in (("nginx-one", "one node"), ("nginx-two", "two nodes")):
            base = f"http://127.0.0.1:{port(name)}"
            wait_for(
                lambda base=base: urllib.request.urlopen(base + article, timeout=30).status == 200,
                seconds=60,
                what=f"nginx {name}",
            )
            run(f"article, page cache off, {label}", base + article)
    finally:
        for conf in confs:
            subprocess.run(["nginx", "-c", str(conf), "-s", "stop"], capture_output=True)
        for group in groups:
            with contextlib.suppress(OSError):
                os.killpg(group, signal.SIGTERM)
        same_bytes.unlink(missing_ok=True)
    return rows


def table(rows: list, seconds: int, load_before, load_after) -> str:
    by_name = {name: result for name, _, result in rows}
    bare = by_name["bare Django view (reference)"]["rps"]
    shares = sorted(
        by_name[f"{FRONT}, {turn} of {ROUNDS}"]["rps"]
        / by_name[f"{STATIC}, {turn} of {ROUNDS}"]["rps"]
        for turn in range(1, ROUNDS + 1)
    )
    share = shares[len(shares) // 2]
    one = by_name["article, page cache off, one node"]["rps"]
    two = by_name["article, page cache off, two nodes"]["rps"]
    cores = os.cpu_count()
    lines = [
        f"The cluster (`make bench-cluster`, bench/cluster.py): demo data on the cluster's "
        f"PostgreSQL primary and standby, Redis, gunicorn nodes of 2 workers × 4 threads; wrk "
        f"-t2, {CONNECTIONS} connections, {seconds} s per row on loopback; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.uname().nodename} "
        f"({cores} cores); load average {', '.join(f'{x:.2f}' for x in load_before)} before, "
        f"{', '.join(f'{x:.2f}' for x in load_after)} after.",
        "",
        "| row | requests/s | × bare view | p50 ms | p99 ms | errors |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, _, result in rows:
        lines.append(
            f"| {name} | {result['rps']:,.0f} | {result['rps'] / bare:.2f} | "
            f"{result['p50']:.1f} | {result['p99']:.1f} | {result['errors']} |"
        )
    lines += [
        "",
        "| target | measured | |",
        "| --- | --- | --- |",
        f"| front door (Varnish hit) ≥ 0.80 × nginx's static file (median of {ROUNDS} turns; "
        f"range) | {share:.2f} ({shares[0]:.2f}–{shares[-1]:.2f}) | "
        f"{'met' if share >= 0.80 else '**not met**'} |",
        f"| page cache off: two nodes ≥ 1.7 × one | {two / one:.2f} | "
        f"{'met' if two / one >= 1.7 else f'**not met** ({cores} cores shared by wrk, nginx and every node)'} |",  # noqa: E501
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--output", default=str(OUTPUT))
    args = parser.parse_args()
    ensure_wrk()
    state = deployment.read_state()
    started = state is None or "front" not in state
    if started:
        deployment.start()
        state = deployment.read_state()
    try:
        load_before = os.getloadavg()
        rows = measure(state, args.seconds)
        load_after = os.getloadavg()
    finally:
        if started:
            deployment.stop()
    text = table(rows, args.seconds, load_before, load_after)
    print(text)
    write_with_history(Path(args.output), text)
    print(f"\nWritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
