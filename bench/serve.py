"""What `make bench`, `make loadtest` and `make audit` share: the production environment
for a throw-away site, and gunicorn serving it until the block ends."""

import contextlib
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(name: str, *, database_url: str, workdir: Path, **extra: str) -> dict:
    """DEBUG off with its required settings, plain HTTP on loopback, files under `workdir`."""
    env = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": f"{name}-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "SECURE_SSL_REDIRECT": "False",
    }
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([BIN / "python", "manage.py", *args], cwd=ROOT, env=env, check=True)


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int = 2, timeout: float = 30):
    """Serve the site with `env` under gunicorn; yields its base URL once /healthz answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [BIN / "gunicorn", "config.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not answer at {base}") from None
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
