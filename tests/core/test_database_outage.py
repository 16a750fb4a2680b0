"""The database goes away under a running site and comes back: meanwhile every request
answers the styled 503 with Retry-After (a comment is told it was not stored), and once the
server is back the site reconnects by itself, with no restart.

The site runs under gunicorn with production settings against a PostgreSQL cluster of its
own, made by initdb in a temporary folder (the shared server is never stopped), which the
test stops and starts again."""

import contextlib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from serve import free_port, gunicorn, manage, post_comment, production_env  # noqa: E402

pytestmark = pytest.mark.postgres
COMMENT = "Mất điện cả buổi sáng ở phường Him Lam, mong ngành điện sớm khắc phục."


def postgres_program(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class Cluster:
    """A PostgreSQL server of the test's own on 127.0.0.1:`port`, data under `folder`."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.data = folder / "data"
        self.url = f"postgres://postgres@127.0.0.1:{port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        command = [postgres_program(program), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def create(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
            "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
def cluster():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of the suite (DATABASE_URL=postgres://...)")
    if not (postgres_program("initdb") and postgres_program("pg_ctl")):
        pytest.skip("PostgreSQL's server programs are not installed (initdb, pg_ctl)")
    base = Path("/tmp/faults")
    base.mkdir(exist_ok=True)
    base.chmod(0o755)
    own = Cluster(Path(tempfile.mkdtemp(prefix="outage-", dir=base)), port=free_port())
    own.create()
    own.start()
    try:
        yield own
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            own.stop()
        shutil.rmtree(own.folder, ignore_errors=True)


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def shell(env, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return result.stdout.strip().splitlines()[-1]


def test_an_outage_answers_503_and_the_site_reconnects_when_the_database_is_back(cluster, tmp_path):
    env = production_env(
        "outage",
        database_url=cluster.url,
        workdir=tmp_path,
        NEWSROOM_PAGE_CACHE="False",
        NEWSROOM_FRAGMENT_CACHE="False",
        NEWSROOM_COMMENTS_PREMODERATION="False",
        CONN_MAX_AGE="600",  # kept connections: the ones an outage breaks
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    path, action = shell(
        env,
        "from django.urls import reverse; from tests.factories import ArticleFactory; "
        "a = ArticleFactory(); "
        "print(a.get_absolute_url(), reverse('comments:create', kwargs={'slug': a.slug}))",
    ).split()
    count = "from comments.models import Comment; print(Comment.objects.count())"

    with gunicorn(env, workers=1, timeout=180) as site:
        assert get(site + path)[0] == 200
        assert post_comment(site, action, name="An", email="an@example.com", body=COMMENT) == 302

        cluster.stop()
        status, headers, html = get(site + path)
        assert status == 503, html
        assert headers["Retry-After"] == "30"
        assert '<p class="error-page__code">503</p>' in html and "/static/css/site." in html
        assert headers["X-Request-ID"] in html
        request = urllib.request.Request(
            site + action,
            data=urllib.parse.urlencode(
                {"name": "An", "email": "an@example.com", "body": COMMENT}
            ).encode(),
            headers={"Origin": site, "Sec-Fetch-Site": "same-origin"},
        )
        try:
            urllib.request.urlopen(request, timeout=20)
            raise AssertionError("a comment was accepted while the database was down")
        except urllib.error.HTTPError as error:
            assert error.code == 503
            page = error.read().decode()
        assert "What you sent was not stored" in page and COMMENT in page

        cluster.start()
        # The first request after the restart is served: the broken connection is replaced.
        assert get(site + path)[0] == 200
        assert post_comment(site, action, name="An", email="an@example.com", body=COMMENT) == 302
    assert shell(env, count) == "2"
