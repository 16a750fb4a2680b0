"""The production shape, started by itself for fault drills, and removed afterwards.

`production()` starts, under one fresh directory: a PostgreSQL cluster of its own (initdb and
pg_ctl from Debian's packages), a Redis server of its own, gunicorn as deploy/gunicorn.conf.py
ships it (two workers of four threads) with the production settings (DEBUG off,
DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS), and nginx with deploy/nginx.conf rendered
as `make bench` renders it. `embedded()` is the default with nothing beside it: the same
gunicorn on a SQLite file and no REDIS_URL. Both stop every process they started and delete
the directory when the block ends, failed or not.

The drills (tests/reliability/drills.py) break these processes on purpose: each part can be
stopped, paused, killed and started again.
"""

import atexit
import contextlib
import os
import runpy
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from serve import BIN, as_postgres, nginx, postgres_bin, production_env, wait_for  # noqa: E402

# Ports of their own, away from the shared PostgreSQL (5432) and Redis (6379).
PORT_BASE = int(os.environ.get("DRILLS_PORT_BASE", "18500"))
PORTS = {
    "gunicorn": PORT_BASE + 1,
    "embedded": PORT_BASE + 2,
    "postgres": PORT_BASE + 32,
    "redis": PORT_BASE + 79,
    "nginx": PORT_BASE + 80,
}
DRILLS_DIR = Path(os.environ.get("DRILLS_DIR", "/tmp/drills"))
# Comments come from one address during a drill; the limit would refuse most of them.
DRILL_SETTINGS = {
    "NEWSROOM_COMMENTS_RATE_LIMIT": "1000000",
    # Post-moderation: every accepted comment changes the article's page, so a post writes
    # to the cache as well as to the database.
    "NEWSROOM_COMMENTS_PREMODERATION": "False",
    "DJANGO_SUPERUSER_PASSWORD": "drill-editor-password-4711",
}
EDITOR = ("drill-editor", DRILL_SETTINGS["DJANGO_SUPERUSER_PASSWORD"])


def missing_tools(*, production: bool = True) -> list[str]:
    """What this machine lacks to start the shape (empty when everything is there)."""
    missing = [] if (BIN / "gunicorn").exists() else ["gunicorn (make install)"]
    if production:
        if postgres_bin() is None:
            missing.append("PostgreSQL's initdb/pg_ctl (apt-get install postgresql)")
        if not shutil.which("redis-server"):
            missing.append("redis-server (apt-get install redis-server)")
        if not shutil.which("nginx"):
            missing.append("nginx (apt-get install nginx-light)")
    return missing


def _free(port: int) -> bool:
    with socket.socket() as s:
        # As the servers bind: a port left in TIME_WAIT by the last run is free.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _listens(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Postgres:
    """A cluster of its own: initdb once, then start/stop as a drill needs."""

    def __init__(self, directory: Path, port: int):
        self.directory, self.port = directory, port
        self.data = directory / "data"
        self.bin = postgres_bin()
        self.url = f"postgres://postgres@127.0.0.1:{port}/newsroom"

    def init(self) -> None:
        self.directory.mkdir(parents=True)
        if os.getuid() == 0:
            shutil.chown(self.directory, user="postgres")
        subprocess.run(
            as_postgres([self.bin / "initdb", "-D", self.data, "-U", "postgres",
                          "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
            check=True, capture_output=True,
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.data}"
            # A clean stop is the only stop these drills make: fsync buys nothing here.
            " -c fsync=off -c full_page_writes=off -c max_connections=50"
        )
        subprocess.run(
            as_postgres([self.bin / "pg_ctl", "-D", self.data, "-o", options,
                          "-l", self.directory / "server.log", "-w", "-t", "30", "start"]),
            check=True, capture_output=True,
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            as_postgres([self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop"]),
            check=False, capture_output=True,
        )  # fmt: skip

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def create_database(self) -> None:
        admin = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute('CREATE DATABASE "newsroom"')

    def connect(self, **kwargs):
        return psycopg.connect(self.url, **kwargs)


class Redis:
    """A Redis server of its own; its RDB snapshot is taken only when a drill asks."""

    def __init__(self, directory: Path, port: int):
        self.directory, self.port = directory, port
        self.process = None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self, *, snapshot: Path | None = None) -> None:
        """Start empty, or from `snapshot` (an RDB file taken earlier by save())."""
        self.directory.mkdir(parents=True, exist_ok=True)
        dump = self.directory / "dump.rdb"
        dump.unlink(missing_ok=True)
        if snapshot:
            shutil.copy(snapshot, dump)
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.directory), "--dbfilename", "dump.rdb", "--save", "",
             "--appendonly", "no", "--logfile", str(self.directory / "redis.log")],
        )  # fmt: skip
        wait_for(self.client().ping, seconds=10, what="redis-server")

    def client(self):
        return redis.Redis(port=self.port, socket_timeout=2)

    def save(self) -> Path:
        """An RDB snapshot of what Redis holds now, kept aside for a later restart."""
        self.client().save()
        kept = self.directory.parent / "redis-snapshot.rdb"
        shutil.copy(self.directory / "dump.rdb", kept)
        return kept

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(timeout=10)

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


# What production runs (docs/production.md): the drills add only where to listen and log.
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


class Gunicorn:
    """gunicorn serving the project with `env` and deploy/gunicorn.conf.py; its workers can
    be killed one by one."""

    def __init__(self, env: dict, port: int, directory: Path):
        self.env, self.port, self.directory = env, port, directory
        self.workers = runpy.run_path(str(GUNICORN_CONFIG))["workers"]
        self.base = f"http://127.0.0.1:{port}"
        self.process = None

    def start(self) -> None:
        if not _free(self.port):
            raise RuntimeError(f"port {self.port} is taken: set DRILLS_PORT_BASE")
        self.process = subprocess.Popen(
            [BIN / "gunicorn", "config.wsgi", "-c", str(GUNICORN_CONFIG),
             "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "--error-logfile", str(self.directory / "gunicorn.log")],
            cwd=ROOT, env=self.env,
        )  # fmt: skip

        def ready():
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited: {self.log_tail()}")
            urllib.request.urlopen(self.base + "/healthz", timeout=2)
            return len(self.worker_pids()) == self.workers

        wait_for(ready, seconds=60, what="gunicorn", interval=0.2)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill_worker(self) -> int:
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        log = self.directory / "gunicorn.log"
        return "\n".join(log.read_text().splitlines()[-lines:]) if log.exists() else ""


@dataclass
class Site:
    """A running shape: `base` is where readers go (nginx, or gunicorn when there is none)."""

    kind: str
    directory: Path
    env: dict
    gunicorn: Gunicorn
    base: str
    postgres: Postgres | None = None
    redis: Redis | None = None
    notes: list = field(default_factory=list)

    def manage(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [BIN / "python", "manage.py", *args], cwd=ROOT, env=self.env,
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def shell(self, code: str, timeout: float = 60) -> str:
        """Run `code` in `manage.py shell` (another process than the web workers)."""
        return self.manage("shell", "--no-imports", "-c", code, timeout=timeout)

    def query(self, sql: str, params=()) -> list[tuple]:
        """Read the database directly, as an auditor would (not through the app)."""
        if self.postgres:
            with self.postgres.connect(connect_timeout=5) as conn:
                return conn.execute(sql.replace("?", "%s"), params).fetchall()
        with contextlib.closing(sqlite3.connect(self.env["DATABASE_URL"][10:], timeout=30)) as c:
            return c.execute(sql, params).fetchall()


_PREPARE = """
import io
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from pathlib import Path
from django.conf import settings
if not Path(settings.STATIC_ROOT, "staticfiles.json").exists():
    call_command("collectstatic", interactive=False, verbosity=0)
call_command("generate_articles", count={articles}, images=2, stdout=io.StringIO())
get_user_model().objects.create_superuser("{name}", "editor@example.com", "{password}")
"""


def _prepare(site: Site, *, articles: int) -> None:
    """Schema, static files, articles and an editor, in one process (each start of Django
    costs seconds on a busy machine)."""
    site.shell(_PREPARE.format(articles=articles, name=EDITOR[0], password=EDITOR[1]), timeout=600)


_static = {}


def _static_root() -> str:
    """One collectstatic per run for both shapes (the same code gives the same files),
    removed when the run ends."""
    if "root" not in _static:
        DRILLS_DIR.mkdir(parents=True, exist_ok=True)
        _static["root"] = tempfile.mkdtemp(prefix="static-", dir=DRILLS_DIR)
        Path(_static["root"]).chmod(0o755)
        atexit.register(shutil.rmtree, _static["root"], ignore_errors=True)
    return _static["root"]


def _workdir(kind: str) -> Path:
    DRILLS_DIR.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=DRILLS_DIR))
    # nginx's workers and PostgreSQL's server run as other users: they must see inside.
    for path in (DRILLS_DIR, directory):
        path.chmod(0o755)
    return directory


@contextlib.contextmanager
def _cleanup_on_signals():
    """A SIGTERM (a CI job cancelled) unwinds the blocks below, so everything is removed."""

    def stop(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def production(*, articles: int = 30):
    """PostgreSQL, Redis, gunicorn (deploy/gunicorn.conf.py) and nginx with deploy/nginx.conf."""
    directory = _workdir("production")
    with contextlib.ExitStack() as stack, _cleanup_on_signals():
        stack.callback(shutil.rmtree, directory, ignore_errors=True)
        for name in ("postgres", "redis", "nginx"):
            if not _free(PORTS[name]):
                raise RuntimeError(f"port {PORTS[name]} ({name}) is taken: set DRILLS_PORT_BASE")
        postgres = Postgres(directory / "postgres", PORTS["postgres"])
        postgres.init()
        postgres.start()
        stack.callback(postgres.stop, "immediate")
        postgres.create_database()
        cache = Redis(directory / "redis", PORTS["redis"])
        cache.start()
        stack.callback(lambda: cache.kill())
        env = production_env(
            "drills",
            database_url=postgres.url,
            workdir=directory,
            REDIS_URL=cache.url,
            STATIC_ROOT=_static_root(),
            **DRILL_SETTINGS,
        )
        server = Gunicorn(env, PORTS["gunicorn"], directory)
        site = Site("production", directory, env, server, base="", postgres=postgres, redis=cache)
        _prepare(site, articles=articles)
        server.start()
        stack.callback(server.stop)
        site.base = stack.enter_context(
            nginx(
                f"127.0.0.1:{server.port}",
                static_root=env["STATIC_ROOT"],
                media_root=env["MEDIA_ROOT"],
                workdir=directory,
                port=PORTS["nginx"],
            )
        )
        yield site


@contextlib.contextmanager
def embedded(*, articles: int = 30):
    """The embedded default under the same gunicorn: SQLite, no REDIS_URL."""
    directory = _workdir("embedded")
    with contextlib.ExitStack() as stack, _cleanup_on_signals():
        stack.callback(shutil.rmtree, directory, ignore_errors=True)
        env = production_env(
            "drills-embedded",
            database_url=f"sqlite:///{directory / 'db.sqlite3'}",
            workdir=directory,
            STATIC_ROOT=_static_root(),
            **DRILL_SETTINGS,
        )
        server = Gunicorn(env, PORTS["embedded"], directory)
        site = Site("embedded", directory, env, server, base=server.base)
        _prepare(site, articles=articles)
        server.start()
        stack.callback(server.stop)
        yield site
