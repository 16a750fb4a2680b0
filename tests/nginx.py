"""deploy/nginx.conf in front of a test's site, and plain HTTP requests to it."""

import contextlib
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from serve import nginx  # noqa: E402


@contextlib.contextmanager
def nginx_in_front(app_address: str, *, media_root: Path | None = None):
    """nginx with deploy/nginx.conf in front of `app_address` (host:port or unix:path); yields
    its base URL. Its files live in a folder of their own, removed afterwards; `media_root`
    is served as the media folder (by default that folder itself, which holds no media).
    Skips the test where nginx is not installed."""
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed: `apt-get install nginx-light` (as .ci/run does)")
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-nginx-"))
    try:
        with nginx(
            app_address,
            static_root=str(workdir),
            media_root=str(media_root or workdir),
            workdir=workdir,
        ) as base:
            yield base
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def media_folder() -> Path:
    """A folder nginx's workers (www-data) can read: not under pytest's private tmp_path."""
    folder = Path(tempfile.mkdtemp(prefix="newsroom-nginx-media-"))
    folder.chmod(0o755)
    return folder


def fetch(url: str, **headers) -> tuple[int, object, bytes]:
    """(status, headers, body) of a GET of `url`, error statuses included."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
