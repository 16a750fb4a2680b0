"""Who is posting and who is signing in, as the shipped deployment sees them: production
settings (DEBUG off, the embedded SQLite default, no Redis), gunicorn with two workers bound
to a unix socket or to a loopback port, and deploy/nginx.conf in front of it.

Readers are told apart by the loopback address they connect from (127.0.0.2, 127.0.0.3, ...):
nginx sees each as its own client, as it would see readers on the internet."""

import http.client
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from serve import BIN, free_port, manage, nginx, production_env  # noqa: E402

pytestmark = pytest.mark.nginx

PASSWORD = "lúa nếp Mường Thanh 1954"
SETUP = f"""
from tests.factories import ArticleFactory, UserFactory
ArticleFactory(slug="deployed-story", comments_open=True)
UserFactory(username="editor", email="editor@example.com", is_staff=True, is_superuser=True,
            password={PASSWORD!r})
"""


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP straight to gunicorn's unix socket, past nginx."""

    def __init__(self, path: Path):
        super().__init__("localhost", timeout=30)
        self.path = str(path)

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


@dataclass
class Site:
    port: int
    socket: Path | None  # None: gunicorn listens on a loopback port
    database: Path
    output: Path

    def connection(self, reader: str | None):
        """Through nginx from the loopback address `reader`; None: to gunicorn's socket."""
        if reader is None:
            return UnixHTTPConnection(self.socket)
        return http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(reader, 0)
        )

    def request(self, reader, method, path, *, form=None, headers=None):
        connection = self.connection(reader)
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        all_headers = {"Host": "127.0.0.1", **(headers or {})}
        if body is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            connection.close()

    def post_comment(self, reader, body, **headers):
        origin = "http://127.0.0.1"
        status, _headers, _html = self.request(
            reader,
            "POST",
            "/articles/deployed-story/comments/",
            form={"name": "Lò Văn Minh", "email": "minh@example.com", "body": body},
            headers={"Origin": origin, "Sec-Fetch-Site": "same-origin", **headers},
        )
        return status

    def form_post(self, reader, path, form):
        """GET the form for its CSRF cookie and token, then POST `form` with them."""
        status, headers, html = self.request(reader, "GET", path)
        assert status == 200, (status, dict(headers), html[:2000])
        cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return self.request(
            reader,
            "POST",
            path,
            form={"csrfmiddlewaretoken": token, **form},
            headers={"Cookie": f"csrftoken={cookie}"},
        )

    def sign_in(self, reader, password):
        status, _headers, _html = self.form_post(
            reader,
            "/admin/login/",
            {"username": "editor", "password": password, "next": "/admin/"},
        )
        return status

    def stored_comments(self, body_prefix):
        with sqlite3.connect(self.database) as db:
            (count,) = db.execute(
                "SELECT count(*) FROM comments_comment WHERE body LIKE ?", [body_prefix + "%"]
            ).fetchone()
        return count

    def emails_sent(self, to="editor@example.com"):
        """E-mails the console backend printed to `to` (it writes them to gunicorn's output)."""
        lines = self.output.read_text(errors="replace").splitlines()
        return lines.count(f"To: {to}")


def _answers(connect) -> bool:
    try:
        connection = connect()
        connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
        return connection.getresponse().status == 200
    except OSError:
        return False


@pytest.fixture(scope="module", params=["unix-socket", "loopback-port"])
def site(request):
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed: `apt-get install nginx-light` (as .ci/run does)")
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-identity-"))
    database = workdir / "site.sqlite3"
    env = production_env(
        "identity",
        database_url=f"sqlite:///{database}",
        workdir=workdir,
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        SITE_URL="http://127.0.0.1",
    )
    for name in [key for key in env if key.startswith(("NEWSROOM_TRUSTED", "AXES_"))]:
        env.pop(name)  # the shipped defaults, whatever this shell has set
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    subprocess.run(
        [BIN / "python", "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True
    )
    if request.param == "unix-socket":
        sock = workdir / "gunicorn.sock"
        bind = app_address = f"unix:{sock}"
        connect = lambda: UnixHTTPConnection(sock)  # noqa: E731
    else:
        sock = None
        app_address = f"127.0.0.1:{free_port()}"
        bind = app_address
        connect = lambda: http.client.HTTPConnection(app_address, timeout=5)  # noqa: E731
    output = workdir / "gunicorn.out"
    with output.open("w") as out:
        server = subprocess.Popen(
            [BIN / "gunicorn", "config.wsgi", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "--bind", bind, "--log-level", "warning"],
            cwd=ROOT, env={**env, "PYTHONUNBUFFERED": "1"}, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not _answers(connect):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start: {output.read_text()}")
            time.sleep(0.3)
        if sock:
            os.chmod(sock, 0o777)  # nginx's workers run as www-data
        with nginx(
            app_address, static_root=str(workdir), media_root=str(workdir), workdir=workdir
        ) as base:
            yield Site(int(base.rsplit(":", 1)[1]), sock, database, output)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def test_behind_nginx_each_reader_has_their_own_comment_limit(site):
    statuses = [site.post_comment("127.0.0.2", f"Reader two, comment {n}") for n in range(6)]
    assert statuses == [302] * 5 + [429]
    assert site.stored_comments("Reader two") == 5
    # Another reader behind the same nginx is not held back by the first one.
    assert site.post_comment("127.0.0.3", "Reader three, first comment") == 302


def test_a_forwarded_header_a_reader_sends_does_not_dodge_the_limit(site):
    statuses = [
        site.post_comment(
            "127.0.0.4", f"Forging reader, comment {n}", **{"X-Forwarded-For": f"198.51.100.{n}"}
        )
        for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    assert site.stored_comments("Forging reader") == 5


def test_a_client_whose_address_cannot_be_known_is_limited_as_one_shared_client(site):
    if site.socket is None:
        pytest.skip("over a loopback port every client has an address")
    # Straight to gunicorn's unix socket: no socket address and no proxy header.
    statuses = [site.post_comment(None, f"Unknown client, comment {n}") for n in range(8)]
    assert statuses == [302] * 5 + [429] * 3
    assert site.stored_comments("Unknown client") == 5


def test_a_guesser_elsewhere_cannot_lock_the_editor_out(site):
    statuses = [site.sign_in("127.0.0.5", "wrong guess") for _ in range(5)]
    assert statuses == [200] * 4 + [429]
    assert site.sign_in("127.0.0.5", PASSWORD) == 429  # the guesser stays locked
    assert site.sign_in("127.0.0.6", PASSWORD) == 302  # the editor, from their own desk


def test_a_flood_of_password_resets_sends_a_few_emails_across_workers(site):
    before = site.emails_sent()
    # Ten at once, so both workers take some and race for the last allowed ones.
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(
            pool.map(
                lambda _n: site.form_post(
                    "127.0.0.7", "/admin/password_reset/", {"email": "editor@example.com"}
                ),
                range(10),
            )
        )
    assert {(status, headers["Location"]) for status, headers, _ in answers} == {
        (302, "/admin/password_reset/done/")
    }
    time.sleep(0.5)  # the workers' output reaches the file
    assert site.emails_sent() - before == 3
