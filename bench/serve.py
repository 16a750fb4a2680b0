"""What `make bench`, `make loadtest`, `make audit` and the nginx configuration test share:
the production environment for a throw-away site, gunicorn serving it until the block ends,
and the repository's nginx configuration in front of a running site."""

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_comment(base: str, action: str, *, name: str, email: str, body: str, timeout=30) -> int:
    """POST a comment to `action` as a browser does from one of the site's own pages (its
    Origin and Sec-Fetch-Site; the form carries no token); the status, redirects not followed.
    """
    request = urllib.request.Request(
        base + action,
        data=urllib.parse.urlencode({"name": name, "email": email, "body": body}).encode(),
        headers={"Origin": base, "Sec-Fetch-Site": "same-origin"},
    )
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=timeout) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for(ready, *, seconds: float, what: str, interval: float = 0.1) -> float:
    """Poll `ready()` until true (an exception counts as not yet); returns the seconds it
    took, or raises RuntimeError naming `what`."""
    started = time.monotonic()
    while True:
        try:
            if ready():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001, S110 - not ready yet
            pass
        if time.monotonic() - started > seconds:
            raise RuntimeError(f"{what} did not come up within {seconds:.0f} s")
        time.sleep(interval)


def postgres_bin() -> Path | None:
    """The folder of the newest PostgreSQL server programs Debian installed, if any."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parts[4]) if path.parts[4].isdigit() else 0,
    )
    return found[-1].parent if found else None


def as_postgres(command: list) -> list:
    """`command` run as PostgreSQL's user when we are root: initdb refuses to run as root,
    and a cluster's files must belong to its server."""
    command = [str(part) for part in command]
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command


def _wait_until(ready, *, seconds: float, interval: float, failed) -> None:
    """Poll `ready()` until it is true; after `seconds` (or once `failed()` says so), stop
    the run with the message `failed()` returns."""
    deadline = time.monotonic() + seconds
    while not ready():
        message = failed(time.monotonic() > deadline)
        if message:
            raise SystemExit(message)
        time.sleep(interval)


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2)
        return True
    except OSError:
        return False


def _listens(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def manage(env: dict, *args: str) -> None:
    subprocess.run([BIN / "python", "manage.py", *args], cwd=ROOT, env=env, check=True)


@contextlib.contextmanager
def gunicorn(env: dict, *, app: str = "config.wsgi", workers: int = 2, timeout: float = 30):
    """Serve the site (or another WSGI module, `app`) with `env` under gunicorn; yields its
    base URL once /healthz answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [BIN / "gunicorn", app, "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        _wait_until(
            lambda: _answers(base + "/healthz"),
            seconds=timeout,
            interval=0.3,
            failed=lambda late: late and f"gunicorn did not answer at {base}",
        )
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def nginx_config(
    app_addresses, *, static_root: str, media_root: str, workdir: Path, port: int,
    daemon: bool = False, behind: str | None = None,
) -> Path:  # fmt: skip
    """Render the repository's deploy/nginx.conf for this machine into `workdir`, in front of
    the app at `app_addresses` (one host:port, or several for nginx to balance between), and
    listening on `port`; returns the main configuration file to start nginx with.

    `behind`: the address of a shared cache in front of nginx (Varnish, deploy/cluster.py).
    nginx then keeps no pages itself (a copy it kept could reach that cache after a change
    was told) and takes the reader's address from the X-Forwarded-For that cache sets."""
    if not shutil.which("nginx"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "nginx-light"], check=True)
    if isinstance(app_addresses, str):
        app_addresses = [app_addresses]
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    for name, value in {
        # The template's `server {{APP_ADDRESS}};` line, once per app server. With several,
        # one that refuses connections is left out for 5 s and its requests go to the next.
        "APP_ADDRESS": ";\n    server ".join(
            address if len(app_addresses) == 1 else f"{address} max_fails=1 fail_timeout=5s"
            for address in app_addresses
        ),
        "CACHE_PATH": str(workdir / "nginx-cache"),
        "LISTEN": f"127.0.0.1:{port}",
        "STATIC_ROOT": static_root,
        "MEDIA_ROOT": media_root,
    }.items():
        site = site.replace("{{" + name + "}}", value)
    if behind:
        for line, replacement in {
            "proxy_cache newsroom_pages;": "proxy_cache off;",
            f"listen 127.0.0.1:{port};": (
                f"listen 127.0.0.1:{port};\n    set_real_ip_from {behind};\n"
                "    real_ip_header X-Forwarded-For;"
            ),
        }.items():
            assert line in site, f"deploy/nginx.conf has no line {line!r}"
            site = site.replace(line, replacement)
    (workdir / "site.conf").write_text(site)
    # nginx's workers drop root: they need to read the files and write their own folders.
    workdir.chmod(0o755)
    worker = "www-data" if os.getuid() == 0 else None
    for folder in ("nginx-cache", "client_temp", "proxy_temp"):
        (workdir / folder).mkdir(exist_ok=True)
        if worker:
            shutil.chown(workdir / folder, user=worker)
    (workdir / "nginx.conf").write_text(
        (f"user {worker};\n" if worker else "")
        + f"""worker_processes auto;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
daemon {"on" if daemon else "off"};
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {workdir}/client_temp;
    proxy_temp_path {workdir}/proxy_temp;
    include {workdir}/site.conf;
}}
"""
    )
    return workdir / "nginx.conf"


@contextlib.contextmanager
def nginx(
    app_address: str, *, static_root: str, media_root: str, workdir: Path, port: int | None = None
):
    """nginx with the repository's deploy/nginx.conf, rendered for this machine, in front of
    the site at `app_address` (host:port) and listening on `port` (a free one by default);
    yields its base URL once it answers."""
    port = port or free_port()
    nginx_config(
        app_address, static_root=static_root, media_root=media_root, workdir=workdir, port=port
    )
    process = subprocess.Popen(["nginx", "-c", str(workdir / "nginx.conf")])
    base = f"http://127.0.0.1:{port}"

    def failed(late):
        if late or process.poll() is not None:
            error_log = workdir / "nginx-error.log"
            return f"nginx did not start: {error_log.read_text() if error_log.exists() else ''}"
        return None

    try:
        _wait_until(lambda: _listens(port), seconds=10, interval=0.1, failed=failed)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
