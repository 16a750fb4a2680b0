"""`make drills`: fault drills against the production shape, started by itself.

Each drill runs readers (an article page, the home page, the feed) and, where it says so,
readers posting comments, through nginx (or straight to gunicorn in the embedded shape), while
something goes wrong: an editor takes the article down, Redis is killed, paused or restarted,
PostgreSQL is locked or stopped, a gunicorn worker is killed. Then it compares what readers
were told with what the database holds, and prints one row per drill:

- reads and their answers (2xx/3xx/4xx/5xx, and errors: no answer, a timeout);
- writes: comments accepted (302), stored (read back from the database), lost (accepted, not
  stored), reported failed although stored;
- stale: pages still showing the article more than 1 s after its takedown committed (pages
  asked for in the first second are counted apart, as the nginx micro-cache may keep them);
- recover: from the end of the fault to the start of the last bad answer (0: none after it).

A promise broken makes the row FAILED and the exit status 1. `--quick` runs the short
version that `make test` runs through tests/reliability/test_drills.py.
"""

import argparse
import contextlib
import http.client
import math
import re
import select
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.reliability import stack  # noqa: E402
from tests.reliability.stack import BIN, EDITOR, ROOT  # noqa: E402

# A page may come from nginx's one-second micro-cache: readers may see a takedown that late.
STALE_GRACE = 1.0
READ_TIMEOUT = 10.0
# A drill's first look at a page renders it cold, which can take long on a busy machine.
SETUP_TIMEOUT = 60.0
# Writers wait longer than gunicorn's 30 s worker timeout, to see what the server answers.
WRITE_TIMEOUT = 40.0
# The longest a reader may wait for a page while Redis misbehaves.
LATENCY_BOUND = 3.0
# The longest a writer may wait for an answer (accepted, or 503 with Retry-After) while the
# comments table is locked: well inside gunicorn's 30 s worker timeout.
WRITE_DEADLINE = 10.0
# After a fault ends, everything answers well again within this many seconds.
RECOVERY_BOUND = 5.0
ARTICLE_LINK = re.compile(r'href="(/articles/[^"/]+/)"')


@dataclass
class Durations:
    """How long each phase of a drill lasts (the full version and the quick one)."""

    before: float = 3.0
    after: float = 5.0
    redis_pause: float = 10.0
    redis_down: float = 5.0
    table_lock: float = 20.0  # writers must be answered within half of it (at most 10 s)
    postgres_down: float = 10.0
    readers: int = 4
    posters: int = 2


FULL = Durations()
QUICK = Durations(
    before=1.0, after=2.5, redis_pause=3.0, redis_down=2.0, table_lock=8.0, postgres_down=3.0,
    readers=3, posters=2,
)  # fmt: skip


# --- Clients ------------------------------------------------------------------------------


@dataclass
class Answer:
    started: float
    ended: float
    path: str
    status: int | None  # None: no answer (refused, reset, timed out)
    shows_target: bool = False
    retry_after: bool = False
    styled: bool = False
    body_sent: str = ""
    cache: str = ""  # nginx's X-Cache: where a stale page came from

    @property
    def seconds(self) -> float:
        return self.ended - self.started


def request(base: str, method: str, path: str, *, body=None, headers=None, timeout=READ_TIMEOUT):
    """One HTTP exchange on its own connection; (status, headers, text), or an OSError."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def classify(status: int | None) -> str:
    return "error" if status is None else f"{status // 100}xx"


class Load:
    """Readers and posters running in threads until the block ends; answers kept in order."""

    def __init__(self, base: str, *, paths: list[str], readers: int, posters: int,
                 comment_path: str = "", tag: str = "", app: str = ""):  # fmt: skip
        self.base, self.paths, self.comment_path = base, paths, comment_path
        # One more reader asks the app itself (past nginx), to tell what nginx keeps from
        # what the app serves.
        self.app = app if app and app != base else ""
        self.tag = tag or uuid.uuid4().hex[:8]
        self.target = ""  # the article path whose presence marks a page as showing it
        self.reads: list[Answer] = []
        self.writes: list[Answer] = []
        self.marks: dict[str, float] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._read, args=(i,)) for i in range(readers)]
        if self.app:
            self._threads.append(threading.Thread(target=self._read, args=(0, self.app)))
        if comment_path:
            self._threads += [
                threading.Thread(target=self._post, args=(i,)) for i in range(posters)
            ]
        self._posted = 0

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.mark("end")
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=READ_TIMEOUT + 5)

    def mark(self, name: str, at: float | None = None) -> float:
        self.marks[name] = at or time.time()
        return self.marks[name]

    def _read(self, number: int, app: str = "") -> None:
        n = number
        while not self._stop.is_set():
            # "{n}" makes each request its own: a search no one asked before.
            path = self.paths[n % len(self.paths)].replace("{n}", str(n))
            n += 1
            started = time.time()
            try:
                status, headers, text = request(app or self.base, "GET", path)
            except OSError:
                answer = Answer(started, time.time(), path, None)
            else:
                target = self.target
                shows = bool(target) and (
                    (path == target and status == 200) or (path != target and target in text)
                )
                answer = Answer(
                    started, time.time(), path, status, shows_target=shows,
                    retry_after=bool(headers.get("Retry-After")), styled=_styled(text),
                    cache="app" if app else headers.get("X-Cache", ""),
                )  # fmt: skip
            with self._lock:
                self.reads.append(answer)

    def _post(self, number: int) -> None:
        while not self._stop.is_set():
            with self._lock:
                self._posted += 1
                body_text = f"Drill {self.tag} comment {self._posted} from reader {number}."
            form = urllib.parse.urlencode(
                {"name": f"Drill reader {number}", "email": "reader@example.com",
                 "body": body_text}
            ).encode()  # fmt: skip
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.base,
                "Sec-Fetch-Site": "same-origin",
            }
            started = time.time()
            try:
                status, answer_headers, text = request(
                    self.base,
                    "POST",
                    self.comment_path,
                    body=form,
                    headers=headers,
                    timeout=WRITE_TIMEOUT,
                )
            except OSError:
                answer = Answer(started, time.time(), self.comment_path, None)
            else:
                answer = Answer(
                    started, time.time(), self.comment_path, status,
                    retry_after=bool(answer_headers.get("Retry-After")), styled=_styled(text),
                )  # fmt: skip
            answer.body_sent = body_text
            with self._lock:
                self.writes.append(answer)
            time.sleep(0.05)


def _styled(text: str) -> bool:
    """A page in the site's own style (its masthead), not a bare proxy or server error."""
    return 'class="masthead' in text


class Editor:
    """A `manage.py shell` of its own, started once and kept open: it takes articles down
    through editorial.services when told, from outside the web workers, and says when the
    change committed."""

    CODE = f"""
import sys, time
from django.contrib.auth import get_user_model
from articles.models import Article
from editorial.services import article_unpublish
print("ready", flush=True)
for line in sys.stdin:
    try:
        article = Article.objects.get(slug=line.strip())
        article_unpublish(article=article, by=get_user_model().objects.get(
            username="{EDITOR[0]}"), note="Fault drill")
        print("committed", time.time(), flush=True)
    except Exception as error:
        print("failed", type(error).__name__, str(error).replace(chr(10), " "), flush=True)
"""

    def __init__(self, site):
        self.process = subprocess.Popen(
            [BIN / "python", "manage.py", "shell", "--no-imports", "-c", self.CODE],
            cwd=ROOT, env=site.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        if self._line(180) != "ready":
            raise RuntimeError("the editor's shell did not start")

    def _line(self, timeout: float) -> str:
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        return self.process.stdout.readline().strip() if ready else "failed timeout"

    def takedown(self, slug: str) -> float | str:
        """The time the unpublish committed, or why it failed."""
        self.process.stdin.write(slug + "\n")
        self.process.stdin.flush()
        answer = self._line(60)
        if answer.startswith("committed "):
            return float(answer.split()[1])
        return answer

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class AdminEditor:
    """An editor signed in to the admin, taking articles down with its Unpublish form (the
    change is made inside a web worker)."""

    TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, site):
        self.site, self.cookies = site, {}
        path = "/admin/login/"
        status, _, text = self._exchange("GET", path)
        status, headers, _ = self._exchange(
            "POST", path,
            {"username": EDITOR[0], "password": EDITOR[1], "next": "/admin/",
             "csrfmiddlewaretoken": self.TOKEN.search(text).group(1)},
        )  # fmt: skip
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"the editor could not sign in to the admin ({status})")

    def _exchange(self, method, path, form=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, answer_headers, text = request(
            self.site.base, method, path, body=body, headers=headers, timeout=SETUP_TIMEOUT
        )
        for cookie in answer_headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        return status, answer_headers, text

    def takedown(self, slug: str) -> float | str:
        """The time the admin answered that the article is down, or why it did not."""
        [(pk,)] = self.site.query("SELECT id FROM articles_article WHERE slug = ?", [slug])
        path = f"/admin/articles/article/{pk}/transition/unpublish/"
        try:
            status, _, text = self._exchange("GET", path)
            token = self.TOKEN.search(text)
            if status != 200 or not token:
                return f"failed: the Unpublish form answered {status}"
            status, _, _ = self._exchange(
                "POST", path,
                {"csrfmiddlewaretoken": token.group(1), "note": "Fault drill",
                 "published_at": ""},
            )  # fmt: skip
        except OSError as error:
            return f"failed: {error}"
        # The answer comes after the commit: the drill counts from here, a little late.
        return time.time() if status == 302 else f"failed: the admin answered {status}"


# --- Results ------------------------------------------------------------------------------


@dataclass
class Row:
    drill: str
    shape: str
    reads: dict = field(default_factory=dict)
    writes: dict = field(default_factory=dict)
    p99: float = 0.0
    slowest: float = 0.0
    stale_late: int | None = None
    stale_grace: int | None = None
    recover: float | None = None
    notes: list = field(default_factory=list)
    broken: list = field(default_factory=list)

    def expect(self, holds: bool, promise: str) -> None:
        if not holds:
            self.broken.append(promise)

    @property
    def ok(self) -> bool:
        return not self.broken


def _counts(answers) -> dict:
    counts = {"requests": len(answers), "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0, "error": 0}
    for answer in answers:
        counts[classify(answer.status)] += 1
    return counts


def _latency(answers) -> tuple[float, float]:
    seconds = sorted(a.seconds for a in answers)
    if not seconds:
        return 0.0, 0.0
    p99 = statistics.quantiles(seconds, n=100)[98] if len(seconds) >= 100 else seconds[-1]
    return p99, seconds[-1]


def _stored_comments(site, tag: str) -> dict[str, int]:
    rows = site.query(
        "SELECT body, count(*) FROM comments_comment WHERE body LIKE ? GROUP BY body",
        [f"Drill {tag} %"],
    )
    return dict(rows)


def summarise(site, load: Load, name: str, *, committed=None, fault_end=None) -> Row:
    """The row of a drill: counts, stale pages after `committed`, and what was stored."""
    row = Row(name, site.kind)
    row.reads = _counts(load.reads)
    row.p99, row.slowest = _latency(load.reads)
    if committed is not None:
        if isinstance(committed, str):
            [(status,)] = site.query(
                "SELECT status FROM articles_article WHERE slug = ?", [_slug(load.target)]
            )
            row.broken.append(
                f"the takedown itself failed ({committed}; the article is {status} in the database)"
            )
        else:
            shown = [
                a
                for a in load.reads
                if a.shows_target and a.started > committed and a.cache != "app"
            ]
            at_app = [
                a
                for a in load.reads
                if a.shows_target and a.cache == "app" and a.started > committed + STALE_GRACE
            ]
            if load.app:
                row.notes.append(f"the app itself (past nginx) served {len(at_app)} stale")
                row.expect(not at_app, "the app itself serves no stale page 1 s after")
            row.stale_late = sum(1 for a in shown if a.started > committed + STALE_GRACE)
            row.stale_grace = len(shown) - row.stale_late
            if row.stale_late:
                late = [a for a in shown if a.started > committed + STALE_GRACE]
                where = Counter(f"{a.path} {a.cache}".strip() for a in late)
                row.notes.append(
                    "stale: "
                    + ", ".join(f"{path} x{n}" for path, n in where.items())
                    + f", the last {max(a.started for a in late) - committed:.1f} s after"
                )
            row.expect(row.stale_late == 0, "no page shows the article 1 s after its takedown")
    if load.comment_path:
        stored = _stored_comments(site, load.tag)
        accepted = [a for a in load.writes if a.status == 302]
        row.writes = {
            "posted": len(load.writes),
            "accepted": len(accepted),
            "stored": sum(stored.values()),
            "lost": sum(1 for a in accepted if not stored.get(a.body_sent)),
            "stored, reported failed": sum(
                1 for a in load.writes if a.status != 302 and stored.get(a.body_sent)
            ),
            "doubled": sum(n - 1 for n in stored.values() if n > 1),
            **{k: v for k, v in _counts(load.writes).items() if k != "requests"},
        }
        row.expect(
            row.writes["lost"] == 0, "every comment a reader was told was accepted is stored"
        )
        row.expect(row.writes["doubled"] == 0, "no comment is stored twice")
    if fault_end is not None:
        bad = [
            a.started
            for a in load.reads + load.writes
            if a.started >= fault_end
            and (a.status is None or a.status >= 500)
            or (committed and not isinstance(committed, str) and a.shows_target
                and a.started > max(committed + STALE_GRACE, fault_end))
        ]  # fmt: skip
        row.recover = max(bad) - fault_end if bad else 0.0
        if bad and max(bad) > load.marks["end"] - 1:
            row.recover = math.inf  # still failing when the drill ended
    return row


# --- The drills ---------------------------------------------------------------------------


def pick(site) -> tuple[str, str]:
    """The article on top of the home page (to take down) and one further down (to comment
    on, so posts go on after the takedown)."""
    status, _, home = request(site.base, "GET", "/", timeout=SETUP_TIMEOUT)
    if status != 200:
        raise RuntimeError(f"the home page answered {status}")
    links = list(dict.fromkeys(ARTICLE_LINK.findall(home)))
    if len(links) < 2:
        raise RuntimeError("the home page lists fewer than two articles")
    return links[0], links[-1]


def warm(site, paths) -> None:
    for path in (p for p in paths if "{n}" not in p):
        for _ in range(2):
            with contextlib.suppress(OSError):
                request(site.base, "GET", path, timeout=SETUP_TIMEOUT)


def _slug(path: str) -> str:
    return path.strip("/").split("/")[-1]


def drill_takedown(site, d: Durations, *, how: str, editor=None) -> Row:
    """Drills 1 and 2: readers hammer an article, the home page and the feed while an editor
    takes the article down (in the admin, or from another process)."""
    target, commented = pick(site)
    paths = [target, "/", "/feed/"]
    warm(site, paths)
    taker = AdminEditor(site) if how == "admin" else editor
    with Load(site.base, paths=paths, readers=d.readers, posters=d.posters,
              comment_path=f"{commented}comments/", app=site.gunicorn.base) as load:  # fmt: skip
        load.target = target
        time.sleep(d.before)
        committed = taker.takedown(_slug(target))
        time.sleep(d.after)
    label = "in the admin" if how == "admin" else "from a management shell"
    row = summarise(site, load, f"takedown {label}", committed=committed)
    _expect_no_failed_reads(row, load)
    return row


def _expect_no_failed_reads(row: Row, load: Load, *, bound: float | None = None) -> None:
    row.expect(row.reads["5xx"] == 0, "no reader gets a 5xx")
    row.expect(row.reads["error"] == 0, "every reader gets an answer")
    if bound:
        row.expect(row.slowest <= bound, f"every page answered within {bound:.0f} s")
    if load.comment_path:
        row.expect(
            row.writes["stored, reported failed"] == 0,
            "no stored comment was reported failed",
        )


def drill_redis(site, d: Durations, *, fault: str, editor) -> Row:
    """Drills 3 and 4: Redis killed, paused, restarted empty or from a snapshot taken before
    the takedown; readers keep reading and posting comments throughout."""
    target, commented = pick(site)
    paths = [target, "/", "/feed/"]
    warm(site, paths)
    cache = site.redis
    with Load(site.base, paths=paths, readers=d.readers, posters=d.posters,
              comment_path=f"{commented}comments/", app=site.gunicorn.base) as load:  # fmt: skip
        load.target = target
        time.sleep(d.before)
        if fault == "killed":
            load.mark("fault")
            cache.kill()
            time.sleep(d.redis_down / 2)
            committed = editor.takedown(_slug(target))
            time.sleep(d.redis_down / 2)
            cache.start()
        elif fault == "paused":
            load.mark("fault")
            cache.pause()
            time.sleep(1)
            committed = editor.takedown(_slug(target))
            time.sleep(max(0.0, d.redis_pause - (time.time() - load.marks["fault"])))
            cache.resume()
        elif fault == "restarted empty":
            committed = editor.takedown(_slug(target))
            time.sleep(0.5)
            load.mark("fault")
            cache.kill()
            cache.start()
        elif fault == "restarted from a snapshot":
            snapshot = cache.save()
            committed = editor.takedown(_slug(target))
            time.sleep(0.5)
            load.mark("fault")
            cache.kill()
            cache.start(snapshot=snapshot)
        else:
            raise ValueError(fault)
        fault_end = load.mark("fault end")
        time.sleep(d.after)
    row = summarise(site, load, f"Redis {fault}", committed=committed, fault_end=fault_end)
    _expect_no_failed_reads(row, load, bound=LATENCY_BOUND)
    row.expect(row.recover is not None and row.recover <= RECOVERY_BOUND,
               f"everything answers well again within {RECOVERY_BOUND:.0f} s")  # fmt: skip
    row.notes.append(f"Redis down/paused {fault_end - load.marks['fault']:.1f} s")
    return row


def drill_table_lock(site, d: Durations) -> Row:
    """Drill 5a: a transaction holds an exclusive lock on the comments table. Readers of the
    (cached) pages keep being answered; writers get an answer within WRITE_DEADLINE, and
    anything but acceptance is a 503 with Retry-After."""
    target, commented = pick(site)
    paths = [target, "/", "/feed/"]
    warm(site, [*paths, commented])
    with Load(site.base, paths=paths, readers=d.readers, posters=d.posters,
              comment_path=f"{commented}comments/", app=site.gunicorn.base) as load:  # fmt: skip
        time.sleep(d.before)
        with site.postgres.connect() as conn:
            conn.execute("LOCK TABLE comments_comment IN ACCESS EXCLUSIVE MODE")
            start = load.mark("fault")
            time.sleep(d.table_lock)
            load.mark("fault end")
        time.sleep(d.after)
    row = summarise(site, load, f"comments table locked {d.table_lock:.0f} s")
    row.expect(row.reads["5xx"] == 0 and row.reads["error"] == 0, "every reader is answered")
    row.expect(row.slowest <= LATENCY_BOUND, f"every page answered within {LATENCY_BOUND:.0f} s")
    # Writes under way at any moment of the lock (one begun just before it waits too).
    during = [a for a in load.writes if a.started < load.marks["fault end"] and a.ended > start]
    deadline = min(WRITE_DEADLINE, d.table_lock / 2)
    slow = [a for a in during if a.status is None or a.seconds > deadline]
    refused = [a for a in during if a.status not in (302, 503) and a.status is not None]
    unexplained = [a for a in during if a.status == 503 and not (a.retry_after and a.styled)]
    row.writes["slowest write s"] = round(max((a.seconds for a in during), default=0), 1)
    row.writes["503 with Retry-After"] = sum(1 for a in during if a.status == 503 and a.retry_after)
    row.expect(bool(during), "comments were posted while the table was locked")
    row.expect(not slow, f"every writer is answered within {deadline:.0f} s")
    row.expect(not refused, "a writer is accepted or told 503 (nothing else)")
    row.expect(not unexplained, "a 503 is the site's page with Retry-After")
    row.expect(row.writes["stored, reported failed"] == 0, "no stored comment was reported failed")
    return row


def drill_postgres_stopped(site, d: Durations) -> Row:
    """Drill 5b: PostgreSQL stopped, then started again. Every failed answer meanwhile is the
    site's 503 with Retry-After; everything answers again within RECOVERY_BOUND."""
    target, commented = pick(site)
    # A search no one asked before needs the database whatever is cached.
    paths = [target, "/", "/feed/", "/search/?q=drill{n}"]
    warm(site, paths)
    with Load(site.base, paths=paths, readers=d.readers, posters=d.posters,
              comment_path=f"{commented}comments/", app=site.gunicorn.base) as load:  # fmt: skip
        time.sleep(d.before)
        load.mark("fault")
        site.postgres.stop("fast")
        time.sleep(d.postgres_down)
        site.postgres.start()
        fault_end = load.mark("fault end")
        time.sleep(d.after)
    row = summarise(site, load, f"PostgreSQL stopped {d.postgres_down:.0f} s", fault_end=fault_end)
    answers = load.reads + load.writes
    bare = [a for a in answers if a.status and a.status >= 500 and not (a.status == 503
            and a.retry_after and a.styled)]  # fmt: skip
    row.notes.append(
        f"{sum(1 for a in answers if a.status == 503 and a.retry_after)} styled 503s "
        "with Retry-After"
    )
    row.expect(not bare, "every 5xx is the site's 503 with Retry-After")
    row.expect(row.reads["error"] == 0, "every reader gets an answer")
    row.expect(row.recover is not None and row.recover <= RECOVERY_BOUND,
               f"everything answers again within {RECOVERY_BOUND:.0f} s")  # fmt: skip
    row.expect(row.writes["stored, reported failed"] == 0, "no stored comment was reported failed")
    return row


def drill_worker_killed(site, d: Durations) -> Row:
    """Drill 6: one gunicorn worker SIGKILLed under load: no accepted comment is lost."""
    target, commented = pick(site)
    paths = [target, "/", "/feed/"]
    with Load(site.base, paths=paths, readers=d.readers, posters=d.posters,
              comment_path=f"{commented}comments/", app=site.gunicorn.base) as load:  # fmt: skip
        time.sleep(d.before)
        load.mark("fault")
        killed = site.gunicorn.kill_worker()
        fault_end = load.mark("fault end")
        workers = site.gunicorn.workers
        stack.wait_for(lambda: len(site.gunicorn.worker_pids()) == workers, seconds=60,
                       what="the replacement worker")  # fmt: skip
        time.sleep(d.after)
    row = summarise(site, load, "a gunicorn worker SIGKILLed", fault_end=fault_end)
    row.notes.append(f"worker {killed} killed; answers cut short by it are counted, not a failure")
    row.expect(len(site.gunicorn.worker_pids()) == site.gunicorn.workers,
               "gunicorn replaces the worker")  # fmt: skip
    row.expect(row.recover is not None and row.recover <= RECOVERY_BOUND,
               f"everything answers again within {RECOVERY_BOUND:.0f} s")  # fmt: skip
    return row


# --- Running them -------------------------------------------------------------------------

PRODUCTION_DRILLS = [
    "takedown-admin", "takedown-command", "redis-killed", "redis-paused",
    "redis-restarted-empty", "redis-restarted-from-snapshot", "table-lock", "postgres-stopped",
    "worker-killed",
]  # fmt: skip
EMBEDDED_DRILLS = ["embedded-takedown-command", "embedded-takedown-admin", "embedded-worker-killed"]


def run_production(d: Durations, names, report) -> None:
    with stack.production() as site:
        editor = Editor(site)
        try:
            for name in names:
                report(_one(site, d, name, editor))
        finally:
            editor.close()


def run_embedded(d: Durations, names, report) -> None:
    with stack.embedded() as site:
        editor = Editor(site)
        try:
            for name in names:
                report(_one(site, d, name.removeprefix("embedded-"), editor))
        finally:
            editor.close()


def _one(site, d: Durations, name: str, editor) -> Row:
    if name == "takedown-admin":
        return drill_takedown(site, d, how="admin")
    if name == "takedown-command":
        return drill_takedown(site, d, how="command", editor=editor)
    if name.startswith("redis-"):
        fault = (
            name.removeprefix("redis-")
            .replace("-", " ")
            .replace("from snapshot", "from a snapshot")
        )
        return drill_redis(site, d, fault=fault, editor=editor)
    if name == "table-lock":
        return drill_table_lock(site, d)
    if name == "postgres-stopped":
        return drill_postgres_stopped(site, d)
    if name == "worker-killed":
        return drill_worker_killed(site, d)
    raise ValueError(name)


def format_row(row: Row) -> str:
    r, w = row.reads, row.writes
    writes = (
        f"{w['accepted']}/{w['posted']} accepted, {w['stored']} stored, {w['lost']} lost, "
        f"{w['stored, reported failed']} stored-but-failed, answers 4xx/5xx/none "
        f"{w['4xx']}/{w['5xx']}/{w['error']}"
        + "".join(f", {k} {w[k]}" for k in ("slowest write s", "503 with Retry-After") if k in w)
        if w
        else "—"
    )
    stale = "—" if row.stale_late is None else f"{row.stale_late} (+{row.stale_grace} in 1 s)"
    recover = (
        "—"
        if row.recover is None
        else "not by the end"
        if row.recover == math.inf
        else f"{row.recover:.1f} s"
    )
    verdict = "ok" if row.ok else "**FAILED**: " + "; ".join(row.broken)
    return (
        f"| {row.shape} | {row.drill} | {r['requests']} | {r['2xx']}/{r['3xx']}/{r['4xx']}/"
        f"{r['5xx']}/{r['error']} | {row.p99:.2f}/{row.slowest:.2f} | {writes} | {stale} "
        f"| {recover} | {verdict}{'; ' + '; '.join(row.notes) if row.notes else ''} |"
    )


HEADER = (
    "| shape | drill | reads | 2xx/3xx/4xx/5xx/none | p99/max s | comments | stale > 1 s "
    "| recover | verdict |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the short version (make test)")
    parser.add_argument("--only", nargs="*", help=f"drills by name: {PRODUCTION_DRILLS} "
                        f"{EMBEDDED_DRILLS}")  # fmt: skip
    parser.add_argument("--output", help="also write the table to this Markdown file")
    args = parser.parse_args(argv)
    d = QUICK if args.quick else FULL
    chosen = args.only or PRODUCTION_DRILLS + EMBEDDED_DRILLS
    rows: list[Row] = []

    def report(row: Row) -> None:
        rows.append(row)
        print(format_row(row), flush=True)

    missing = stack.missing_tools()
    print(HEADER, flush=True)
    production = [n for n in chosen if n in PRODUCTION_DRILLS]
    embedded = [n for n in chosen if n in EMBEDDED_DRILLS]
    if production:
        if missing:
            print(f"production shape not started, missing: {', '.join(missing)}")
            return 1
        run_production(d, production, report)
    if embedded:
        run_embedded(d, embedded, report)
    failed = [row for row in rows if not row.ok]
    summary = (
        f"{len(rows) - len(failed)} of {len(rows)} drills kept their promises "
        f"({'quick' if args.quick else 'full'} version, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC)."
    )
    print(summary)
    if args.output:
        Path(args.output).write_text(HEADER + "\n" + "\n".join(map(format_row, rows)) + "\n\n"
                                     + summary + "\n")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
