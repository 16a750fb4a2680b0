"""The reference deployment, as readers and editors meet it: Varnish, the front door, in
front of nginx and two app nodes, a PostgreSQL primary with a streaming standby, Redis
(deploy/cluster.py). Each test changes
the running cluster (a story published, a node killed, the standby stopped) and leaves it
running as it found it."""

import email
import email.header
import http.cookies
import io
import json
import os
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import psycopg
import pytest
from PIL import Image

from pictures.renditions import RENDITIONS
from tests.cluster.conftest import ROOT, deployment

pytestmark = pytest.mark.cluster

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(base, path, *, method="GET", form=None, data=None, headers=None, timeout=10, raw=False):
    """(status, headers, text, or bytes with `raw`) of one request; redirects are not
    followed, a refused connection is status None."""
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=timeout) as answer:
            body = answer.read()
            return answer.status, answer.headers, body if raw else body.decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")
    except OSError:
        return None, {}, ""


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """A multipart/form-data body, as a browser sends a form with a file; and its type."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for name, (filename, content, kind) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One person's cookies, kept across requests to any node (sessions live in the shared
    database and cache, so a sign-in on one node holds on the other)."""

    def __init__(self):
        self.cookies = {}

    def get(self, base, path, **kwargs):
        return self._exchange(base, path, **kwargs)

    def post(self, base, path, form, **kwargs):
        return self._exchange(base, path, method="POST", form=form, **kwargs)

    def upload(self, base, path, fields, files):
        body, kind = multipart(fields, files)
        return self._exchange(
            base, path, method="POST", data=body, extra_headers={"Content-Type": kind}
        )

    def _exchange(self, base, path, extra_headers=None, **kwargs):
        headers = {"Origin": base, "Sec-Fetch-Site": "same-origin", **(extra_headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        status, answer_headers, text = fetch(base, path, headers=headers, **kwargs)
        for raw in answer_headers.get_all("Set-Cookie") or [] if answer_headers else []:
            for name, morsel in http.cookies.SimpleCookie(raw).items():
                self.cookies[name] = morsel.value
        return status, answer_headers, text

    def sign_in(self, base, username, password):
        _, _, page = self.get(base, "/admin/login/")
        status, _, _ = self.post(
            base,
            "/admin/login/",
            {"username": username, "password": password, "next": "/admin/",
             "csrfmiddlewaretoken": TOKEN.search(page).group(1)},
        )  # fmt: skip
        assert status == 302 and "sessionid" in self.cookies, status

    def transition(self, base, pk, action, **fields):
        path = f"/admin/articles/article/{pk}/transition/{action}/"
        status, _, page = self.get(base, path)
        assert status == 200, (status, path)
        form = {"csrfmiddlewaretoken": TOKEN.search(page).group(1), "note": "", **fields}
        status, _, _ = self.post(base, path, form)
        return status


def shell(code: str) -> str:
    """`manage.py shell` against the cluster's databases (a process of its own)."""
    done = subprocess.run(
        [ROOT / ".venv" / "bin" / "python", "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env=deployment.app_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def sql(url: str, query: str, params=()):
    with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
        return conn.execute(query, params).fetchall()


def draft(title: str) -> dict:
    """A draft made on the primary, outside the nodes, by a reporter with an e-mail address:
    what the test then publishes."""
    return json.loads(
        shell(
            f"""
import json
from django.contrib.auth import get_user_model
from articles.models import Article
from sections.models import Section
reporter, _ = get_user_model().objects.get_or_create(
    username="cluster-reporter", defaults={{"email": "reporter@example.com", "is_staff": True}})
a = Article.objects.create(title={title!r}, slug="cluster-" + {uuid.uuid4().hex[:10]!r},
    lead="Roads to Chà Cang reopen.", body="<p>Crews cleared the landslide.</p>",
    section=Section.objects.first(), status=Article.Status.DRAFT, created_by=reporter)
print(json.dumps({{"pk": a.pk, "path": "/articles/" + a.slug + "/"}}))
"""
        )
    )


def seconds_until(check, *, limit: float, since: float | None = None) -> float:
    """Seconds from `since` (now by default) until a reader asked and `check()` held, timed
    from the start of the request that saw it; polls every 20 ms and fails when it has not
    held `limit` seconds after `since`."""
    since = time.monotonic() if since is None else since
    while True:
        asked = time.monotonic()
        if check():
            return asked - since
        if asked - since > limit:
            pytest.fail(f"not true within {limit} s")
        time.sleep(0.02)


@pytest.fixture
def editor(cluster):
    person = Browser()
    person.sign_in(cluster["nodes"]["node-a"], *cluster["editor"])
    return person


def test_a_story_published_on_node_a_is_read_through_node_b_and_the_front_door_within_a_second(
    cluster, editor
):
    story = draft("Mường Nhé roads reopen after the floods")
    node_a, node_b, front = cluster["nodes"]["node-a"], cluster["nodes"]["node-b"], cluster["front"]
    assert fetch(front, story["path"])[0] == 404

    published = editor.transition(node_a, story["pk"], "publish", override_reason="Cluster test")
    assert published == 302
    committed = time.monotonic()  # the admin answers after the commit
    for base in (node_b, front):
        seconds_until(
            lambda base=base: fetch(base, story["path"])[0] == 200, limit=1.0, since=committed
        )
    assert "Mường Nhé roads reopen" in fetch(front, story["path"])[2]

    # Taken down through node B: gone from both nodes and from the shared cache within 1 s.
    for _ in range(3):
        assert fetch(front, story["path"])[0] == 200  # kept by Varnish now
    assert editor.transition(node_b, story["pk"], "unpublish") == 302
    committed = time.monotonic()
    for base in (node_a, node_b, front):
        seconds_until(
            lambda base=base: fetch(base, story["path"])[0] == 404, limit=1.0, since=committed
        )


def standby_transactions(cluster) -> int:
    [(count,)] = sql(
        cluster["standby"],
        "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'newsroom'",
    )
    return count


def search_pages(base, count):
    """Pages no cache holds: a search for a new word each time."""
    return [fetch(base, f"/search/?q=lai+chau+{uuid.uuid4().hex[:8]}")[0] for _ in range(count)]


def test_readers_pages_are_read_from_the_standby_and_from_the_primary_while_it_is_down(
    cluster,
):
    node_b = cluster["nodes"]["node-b"]
    before = standby_transactions(cluster)
    assert search_pages(node_b, 10) == [200] * 10
    seconds_until(lambda: standby_transactions(cluster) >= before + 10, limit=5)

    deployment.pg_stop("standby")
    try:
        answers = search_pages(node_b, 20) + search_pages(cluster["nodes"]["node-a"], 20)
        assert answers == [200] * 40
        assert fetch(cluster["front"], "/", timeout=30)[0] == 200
    finally:
        deployment.pg_start("standby")
    # Back: once the retry window has passed, readers' pages read the standby again.
    before = standby_transactions(cluster)

    def reads_the_standby_again():
        search_pages(node_b, 2)
        return standby_transactions(cluster) > before

    seconds_until(reads_the_standby_again, limit=30)


def test_a_comment_posted_on_node_b_while_the_standby_lags_reaches_its_poster_stored_once(
    cluster,
):
    node_b = cluster["nodes"]["node-b"]
    [(slug,)] = sql(
        cluster["primary"],
        "SELECT slug FROM articles_article WHERE status = 'published' AND comments_open "
        "ORDER BY published_at DESC LIMIT 1",
    )
    path = f"/articles/{slug}/"
    body = f"Đường về Chà Cang đã thông chưa? {uuid.uuid4().hex[:6]}"
    sql(cluster["standby"], "SELECT pg_wal_replay_pause()")
    try:
        reader = Browser()
        status, headers, _ = reader.post(
            node_b, f"{path}comments/", {"name": "Lò Thị Mai", "email": "mai@example.com",
                                         "body": body}
        )  # fmt: skip
        assert status == 302
        status, _, page = reader.get(node_b, urllib.parse.urlsplit(headers["Location"]).path)
        assert status == 200
        assert "Your comment is awaiting moderation" in page
        stored = sql(cluster["primary"], "SELECT count(*) FROM comments_comment WHERE body = %s",
                     [body])  # fmt: skip
        assert stored == [(1,)]
        # The standby has not replayed it yet: the page above was read from the primary.
        lagging = sql(cluster["standby"], "SELECT count(*) FROM comments_comment WHERE body = %s",
                      [body])  # fmt: skip
        assert lagging == [(0,)]
    finally:
        sql(cluster["standby"], "SELECT pg_wal_replay_resume()")


class Traffic:
    """Readers and commenters through the front door, each answer recorded with its time."""

    def __init__(self, base, paths, *, readers=4, commenters=2):
        self.base, self.paths = base, paths
        self.answers = []  # (time, kind, status, comment body or None)
        self.running = True
        self.threads = [threading.Thread(target=self.read) for _ in range(readers)]
        self.threads += [threading.Thread(target=self.comment) for _ in range(commenters)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        for thread in self.threads:
            thread.join(timeout=30)

    def read(self):
        n = 0
        while self.running:
            status = fetch(self.base, self.paths[n % len(self.paths)])[0]
            self.answers.append((time.monotonic(), "read", status, None))
            n += 1

    def comment(self):
        while self.running:
            body = f"Bình luận thử {uuid.uuid4().hex}"
            status = fetch(
                self.base, f"{self.paths[0]}comments/", method="POST",
                form={"name": "Lò Văn Sơn", "email": "son@example.com", "body": body},
                headers={"Origin": self.base, "Sec-Fetch-Site": "same-origin"},
            )[0]  # fmt: skip
            self.answers.append((time.monotonic(), "comment", status, body))
            time.sleep(0.05)


def test_the_front_door_fails_over_when_a_node_dies_under_load_and_no_comment_is_lost(cluster):
    [(slug,)] = sql(
        cluster["primary"],
        "SELECT slug FROM articles_article WHERE status = 'published' AND comments_open "
        "ORDER BY published_at DESC LIMIT 1",
    )
    paths = [f"/articles/{slug}/", "/", "/search/?q=dien+bien"]
    group = cluster["groups"]["node-a"]
    try:
        with Traffic(cluster["front"], paths) as traffic:
            time.sleep(2)
            killed = time.monotonic()
            os.killpg(group, signal.SIGKILL)  # the machine is gone
            time.sleep(6)
    finally:
        cluster["groups"]["node-a"] = deployment.start_node("node-a", deployment.app_env())
        deployment.STATE.write_text(json.dumps(cluster, indent=1))

    window = killed + 1.0  # requests in flight to the dead node when it died
    after = [a for a in traffic.answers if a[0] > window]
    assert len(after) > 20
    assert [a for a in after if a[2] is None or a[2] >= 500] == []
    accepted = [a[3] for a in traffic.answers if a[1] == "comment" and a[2] == 302]
    assert accepted, "no comment was accepted during the test"
    stored = dict(
        sql(
            cluster["primary"],
            "SELECT body, count(*) FROM comments_comment WHERE body = ANY(%s) GROUP BY body",
            [accepted],
        )
    )
    assert [body for body in accepted if stored.get(body) != 1] == []


def mails_about(cluster, title: str) -> int:
    """How many mails the cluster has sent whose text names `title` (the file backend writes
    each connection's mails to one file)."""
    folder = deployment.Path(cluster["directory"]) / "mail"
    subjects = [
        str(email.header.make_header(email.header.decode_header(message["Subject"])))
        for path in (folder.iterdir() if folder.exists() else [])
        for chunk in path.read_text().split("-" * 79)
        if chunk.strip()
        for message in [email.message_from_string(chunk.strip())]
    ]
    return subjects.count(f"Published: {title}")


def test_mail_for_a_transition_is_sent_by_the_worker_even_after_it_was_down(cluster, editor):
    title = f"Tủa Chùa tea fair opens {uuid.uuid4().hex[:6]}"
    story = draft(title)
    os.killpg(cluster["groups"]["worker"], signal.SIGKILL)  # the worker is down
    try:
        assert (
            editor.transition(
                cluster["nodes"]["node-a"], story["pk"], "publish", override_reason="Cluster test"
            )
            == 302
        )
        time.sleep(10)
        assert mails_about(cluster, title) == 0  # the node did not send it itself
    finally:
        cluster["groups"]["worker"] = deployment.start_worker(deployment.app_env())
        deployment.STATE.write_text(json.dumps(cluster, indent=1))
    seconds_until(lambda: mails_about(cluster, title) == 1, limit=20)
    time.sleep(2)
    assert mails_about(cluster, title) == 1  # and only once


def upload_library_picture(cluster, editor, node, filename, size, colour, **fields) -> str:
    """Add a JPEG of `size` in `colour` to the picture library through `node`'s admin, as
    an editor does; its stored name (in the bucket)."""
    photo = io.BytesIO()
    Image.new("RGB", size, colour).save(photo, "JPEG")
    add = "/admin/pictures/bodyimage/add/"
    _, _, form = editor.get(node, add)
    status, _, _ = editor.upload(
        node,
        add,
        {"csrfmiddlewaretoken": TOKEN.search(form).group(1), **fields, "_save": "Save"},
        {"image": (filename, photo.getvalue(), "image/jpeg")},
    )
    assert status == 302
    [(name,)] = sql(
        cluster["primary"], "SELECT image FROM pictures_bodyimage WHERE description = %s",
        [fields["description"]],
    )  # fmt: skip
    return name


def test_a_picture_uploaded_through_node_a_is_served_through_node_b_from_the_bucket(
    cluster, editor
):
    node_a, node_b = cluster["nodes"]["node-a"], cluster["nodes"]["node-b"]
    name = upload_library_picture(
        cluster, editor, node_a, "ruong-bac-thang.jpg", (1400, 900), (30, 120, 60),
        description=f"Terraced fields in Mường Phăng {uuid.uuid4().hex[:6]}",
        caption="Rice terraces before the harvest.", credit="Quàng Thị Thu",
        image_focal_x="50", image_focal_y="50",
    )  # fmt: skip
    stored = deployment.bucket().Object(name).get()["Body"].read()
    assert not (deployment.Path(cluster["directory"]) / "media" / name).exists()
    address = "/media/" + name
    assert fetch(node_b, address)[0] == 404  # no published story shows it yet

    # An editor places it in a published story (as the body editor saves a figure).
    shell(
        f"""
from articles.models import Article
story = Article.objects.published().order_by("-published_at").first()
story.body += '<figure><img src="{address}" alt="Rice terraces"><figcaption>Rice terraces.'
story.body += '</figcaption></figure>'
story.save()
print(story.pk)
"""
    )
    for base in (node_b, cluster["nginx"], cluster["front"]):
        status, headers, body = fetch(base, address, raw=True)
        assert status == 200, base
        assert headers["Content-Type"] == "image/jpeg"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert body == stored


def test_a_picture_uploaded_through_node_a_has_its_renditions_in_the_bucket_before_any_reader(
    cluster, editor
):
    node_a = cluster["nodes"]["node-a"]
    name = upload_library_picture(
        cluster, editor, node_a, "ho-pa-khoang.jpg", (2400, 1600), (40, 90, 150),
        description=f"Pa Khoang lake at dawn {uuid.uuid4().hex[:6]}",
        image_focal_x="30", image_focal_y="40",
    )  # fmt: skip
    # No page shows it (node B answers its address 404): only the worker can have made them.
    folder = "cache/" + name.rpartition(".")[0] + "/"
    every_size = sum(len(place.sizes) for place in RENDITIONS.values())

    def renditions_in_the_bucket():
        return len(list(deployment.bucket().objects.filter(Prefix=folder))) == every_size

    assert seconds_until(renditions_in_the_bucket, limit=120) < 120
    assert fetch(cluster["nodes"]["node-b"], "/media/" + name)[0] == 404
    assert not (deployment.Path(cluster["directory"]) / "media" / folder).exists()


def shared_seconds(headers) -> int:
    match = re.search(r"s-maxage=(\d+)", headers.get("Cache-Control", ""))
    return int(match.group(1)) if match else -1


def kept_by_varnish(base, path, *, longer_than=0, at_most=None):
    """A check: `path` comes from Varnish's copy (a hit), which the app let it keep more
    than `longer_than` seconds (and at most `at_most`)."""

    def check():
        status, headers, _ = fetch(base, path)
        seconds = shared_seconds(headers)
        return (
            status == 200
            and headers.get("X-Cache") == "HIT"
            and seconds > longer_than
            and (at_most is None or seconds <= at_most)
        )

    return check


def stays(check, *, seconds: float) -> None:
    """`check()` holds for every read during `seconds` (every 20 ms)."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        assert check()
        time.sleep(0.02)


def test_a_page_varnish_keeps_for_minutes_is_gone_within_a_second_of_its_takedown(cluster, editor):
    title = f"Sìn Hồ market reopens {uuid.uuid4().hex[:6]}"
    story = draft(title)
    node_a, node_b, front = cluster["nodes"]["node-a"], cluster["nodes"]["node-b"], cluster["front"]
    assert editor.transition(node_a, story["pk"], "publish", override_reason="Cluster test") == 302
    # Once Varnish was told of the version, the app lets it keep the page 300 s.
    for path in (story["path"], "/"):
        seconds_until(kept_by_varnish(front, path, longer_than=60), limit=10)
    assert title in fetch(front, "/")[2]  # in Recent news, from Varnish's copy

    assert editor.transition(node_a, story["pk"], "unpublish") == 302
    committed = time.monotonic()
    for base in (front, node_a, node_b):
        seconds_until(
            lambda base=base: fetch(base, story["path"])[0] == 404, limit=1.0, since=committed
        )
    seconds_until(lambda: title not in fetch(front, "/")[2], limit=1.0, since=committed)
    # From the second's end on it stays gone: every process has read the new version by then
    # (each reads it every NEWSROOM_VERSION_CHECK_SECONDS; one still on the old version may
    # answer the old page until it does, passed by Varnish but not kept), and no copy made
    # by such a process comes back.
    time.sleep(max(0.0, committed + 1.0 - time.monotonic()))
    stays(lambda: fetch(front, story["path"])[0] == 404 and title not in fetch(front, "/")[2],
          seconds=2)  # fmt: skip


def test_a_scheduled_takedown_leaves_varnish_on_time_with_nothing_told(cluster):
    title = f"Mường Tè festival programme {uuid.uuid4().hex[:6]}"
    made = json.loads(
        shell(
            f"""
import datetime, json
from django.utils import timezone
from articles.models import Article
from sections.models import Section
now = timezone.now()
a = Article.objects.create(title={title!r}, slug="cluster-" + {uuid.uuid4().hex[:10]!r},
    lead="Three days of music in Mường Tè.", body="<p>Bands from five districts.</p>",
    section=Section.objects.first(), status=Article.Status.PUBLISHED,
    published_at=now - datetime.timedelta(minutes=1),
    unpublish_at=now + datetime.timedelta(seconds=12))
print(json.dumps({{"path": a.get_absolute_url(), "leaves": a.unpublish_at.timestamp()}}))
"""
        )
    )
    leaves = time.monotonic() + (made["leaves"] - time.time())
    front = cluster["front"]
    # Kept by Varnish, but no longer than until the story leaves.
    seconds_until(kept_by_varnish(front, made["path"], at_most=12), limit=8)
    told = sql(cluster["primary"], "SELECT number FROM pagecache_contentversion WHERE key = 'site'")
    assert fetch(front, made["path"])[0] == 200
    seconds_until(lambda: fetch(front, made["path"])[0] == 404, limit=1.0, since=leaves)
    # Nothing was written (so nothing told) when it left.
    assert told == sql(
        cluster["primary"], "SELECT number FROM pagecache_contentversion WHERE key = 'site'"
    )


def test_a_change_varnish_was_down_for_is_told_by_the_worker_and_meanwhile_kept_a_second(
    cluster, editor
):
    title = f"Nậm Pồ school opens {uuid.uuid4().hex[:6]}"
    story = draft(title)
    node_a, node_b, front = cluster["nodes"]["node-a"], cluster["nodes"]["node-b"], cluster["front"]
    varnish = int((deployment.CLUSTER_DIR / "varnish.pid").read_text())
    os.kill(varnish, signal.SIGTERM)  # the shared cache is down: the tell is refused
    seconds_until(lambda: fetch(front, "/")[0] is None, limit=10)
    try:
        assert (
            editor.transition(node_a, story["pk"], "publish", override_reason="Cluster test") == 302
        )
        # Untold: the nodes let a shared cache keep their pages one second only.
        for base in (node_a, node_b):
            seconds_until(
                lambda base=base: (
                    title in (page := fetch(base, "/"))[2] and shared_seconds(page[1]) == 1
                ),
                limit=2,
            )
        time.sleep(2)  # the worker's first attempts are refused too
    finally:
        deployment.start_varnish()
    # The worker tells the cache that came back (its retries are 1, 2, 4 ... s apart): the
    # pages are kept for minutes again, and the front door has the story.
    for base in (node_a, node_b):
        seconds_until(lambda base=base: shared_seconds(fetch(base, "/")[1]) == 300, limit=20)
    seconds_until(kept_by_varnish(front, "/", longer_than=60), limit=5)
    assert title in fetch(front, "/")[2]
