"""The production shape beyond one app server, started on this machine: the reference
deployment (`make cluster`, `make cluster-stop`, `make cluster-test`; docs/scaling.md).

    python deploy/cluster.py start | stop | status

`start` runs, each on its own port and with its data under CLUSTER_DIR (`.cluster/` in the
project by default), never the machine's shared servers:

- a PostgreSQL primary and a streaming hot standby made from it with pg_basebackup and a
  replication slot; the app reads readers' pages from the standby (DATABASE_REPLICA_URL,
  core/routers.py) and falls back to the primary while it is down;
- a Redis server (cache, page cache, counters);
- S3-compatible object storage for media and renditions: moto's S3 server, reached by
  django-storages' S3 backend exactly as a cloud bucket would be (MEDIA_STORAGE_BUCKET,
  MEDIA_STORAGE_ENDPOINT_URL), through the media gate;
- two app nodes: gunicorn processes of their own (deploy/gunicorn.conf.py), each its own
  process group, sharing nothing but the services here;
- nginx (deploy/nginx.conf, as make bench renders it) balancing between the two nodes and
  serving static and media files, keeping no pages itself;
- Varnish in front of nginx (deploy/varnish.vcl), the front door: the shared cache the app
  tells of every change (pagecache/shared.py, NEWSROOM_SHARED_CACHE_PURGE_URLS), so it keeps
  pages for minutes and lets a story taken down go within a second;
- a task worker (`manage.py db_worker`, django-tasks' database backend on the primary) that
  runs the tasks the nodes store: the workflow mail, written to files in CLUSTER_DIR/mail,
  and the renditions of every picture saved (pictures/tasks.py), into the bucket.

It migrates the database, collects static files, loads the demo data and creates an editor
(CLUSTER_EDITOR, password CLUSTER_EDITOR_PASSWORD). `stop` stops everything it started and
removes CLUSTER_DIR. The state of a running cluster (ports, addresses, process ids) is in
CLUSTER_DIR/state.json, which the cluster tests (tests/cluster/) read.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from serve import BIN, as_postgres, nginx_config, postgres_bin, production_env, wait_for  # noqa: E402

CLUSTER_DIR = Path(os.environ.get("CLUSTER_DIR", ROOT / ".cluster")).resolve()
PORT_BASE = int(os.environ.get("CLUSTER_PORT_BASE", "18800"))
PORTS = {
    "node-a": PORT_BASE + 1,
    "node-b": PORT_BASE + 2,
    "primary": PORT_BASE + 32,
    "standby": PORT_BASE + 33,
    "redis": PORT_BASE + 79,
    "nginx": PORT_BASE + 80,
    "varnish": PORT_BASE + 81,
    "varnish-admin": PORT_BASE + 82,
    "s3": PORT_BASE + 90,
}
BUCKET = "newsroom-media"
# moto's S3 server takes any credentials; the app and the tests give these.
S3_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "cluster",
    "AWS_SECRET_ACCESS_KEY": "cluster-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}
NODES = ("node-a", "node-b")
EDITOR = os.environ.get("CLUSTER_EDITOR", "cluster-editor")
EDITOR_PASSWORD = os.environ.get("CLUSTER_EDITOR_PASSWORD", "cluster-editor-password-4711")
SLOT = "standby"
STATE = CLUSTER_DIR / "state.json"


def pg_bin() -> Path:
    found = postgres_bin()
    if found is None:
        raise SystemExit("PostgreSQL's server programs are missing: apt-get install postgresql")
    return found


def run(command: list, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{done.stdout}{done.stderr}")
    return done


def database_url(name: str) -> str:
    return f"postgres://postgres@127.0.0.1:{PORTS[name]}/newsroom"


def psql(name: str, sql: str, database: str = "newsroom") -> str:
    return run(
        ["psql", "-h", "127.0.0.1", "-p", str(PORTS[name]), "-U", "postgres", "-d", database,
         "-tAc", sql],
    ).stdout.strip()  # fmt: skip


# --- PostgreSQL ------------------------------------------------------------------------


def pg_start(name: str) -> None:
    data = CLUSTER_DIR / name
    options = (
        f"-p {PORTS[name]} -c listen_addresses=127.0.0.1 -c unix_socket_directories={data}"
        " -c max_connections=100 -c wal_level=replica -c max_wal_senders=5"
        " -c max_replication_slots=5 -c hot_standby=on"
    )
    run(as_postgres([pg_bin() / "pg_ctl", "-D", data, "-o", options,
                     "-l", CLUSTER_DIR / f"{name}.log", "-w", "-t", "60", "start"]))  # fmt: skip


def pg_stop(name: str, mode: str = "fast") -> None:
    data = CLUSTER_DIR / name
    if (data / "postmaster.pid").exists():
        subprocess.run(
            as_postgres([pg_bin() / "pg_ctl", "-D", data, "-m", mode, "-w", "stop"]),
            capture_output=True,
        )


def start_databases() -> None:
    primary = CLUSTER_DIR / "primary"
    run(as_postgres([pg_bin() / "initdb", "-D", primary, "-U", "postgres",
                     "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]))  # fmt: skip
    pg_start("primary")
    psql("primary", 'CREATE DATABASE "newsroom"', database="postgres")
    psql("primary", f"SELECT pg_create_physical_replication_slot('{SLOT}')", database="postgres")
    # The standby: a copy of the primary that keeps replaying its WAL through the slot
    # (-R writes standby.signal and the primary's address).
    run(as_postgres([pg_bin() / "pg_basebackup", "-h", "127.0.0.1",
                     "-p", PORTS["primary"], "-U", "postgres", "-D", CLUSTER_DIR / "standby",
                     "-R", "-S", SLOT, "-X", "stream"]))  # fmt: skip
    pg_start("standby")
    wait_for(
        lambda: psql("standby", "SELECT pg_is_in_recovery()") == "t",
        seconds=30,
        what="the standby",
    )


# --- Redis, the app nodes, nginx -------------------------------------------------------


def start_redis() -> None:
    run(["redis-server", "--daemonize", "yes", "--port", str(PORTS["redis"]),
         "--bind", "127.0.0.1", "--dir", str(CLUSTER_DIR), "--save", "", "--appendonly", "no",
         "--pidfile", str(CLUSTER_DIR / "redis.pid"),
         "--logfile", str(CLUSTER_DIR / "redis.log")])  # fmt: skip
    wait_for(
        lambda: run(["redis-cli", "-p", str(PORTS["redis"]), "ping"]).stdout.strip() == "PONG",
        seconds=10,
        what="redis-server",
    )


def s3_address() -> str:
    return f"http://127.0.0.1:{PORTS['s3']}"


def spawn(name: str, command: list, env: dict | None = None) -> subprocess.Popen:
    """Start `command` in a process group of its own (killed as a whole, as a machine goes
    down), writing to CLUSTER_DIR/<name>.log."""
    with open(CLUSTER_DIR / f"{name}.log", "ab") as log:  # the process keeps its own copy
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )


def start_s3() -> int:
    """moto's S3 server with the media bucket; returns its process group."""
    process = spawn("s3", [BIN / "moto_server", "-H", "127.0.0.1", "-p", str(PORTS["s3"])])
    wait_for(
        lambda: urllib.request.urlopen(s3_address(), timeout=2).status == 200,
        seconds=30,
        what="the S3 server",
    )
    import boto3

    boto3.client("s3", endpoint_url=s3_address(), **_boto_credentials()).create_bucket(
        Bucket=BUCKET
    )
    return process.pid


def _boto_credentials() -> dict:
    return {
        "aws_access_key_id": S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        "region_name": S3_CREDENTIALS["AWS_DEFAULT_REGION"],
    }


def bucket():
    """The media bucket, as boto3 sees it (for the cluster tests)."""
    import boto3

    return boto3.resource("s3", endpoint_url=s3_address(), **_boto_credentials()).Bucket(BUCKET)


def app_env() -> dict:
    return production_env(
        "cluster",
        database_url=database_url("primary"),
        workdir=CLUSTER_DIR,
        DATABASE_REPLICA_URL=database_url("standby"),
        REDIS_URL=f"redis://127.0.0.1:{PORTS['redis']}/0",
        DJANGO_SUPERUSER_USERNAME=EDITOR,
        DJANGO_SUPERUSER_EMAIL="editor@example.com",
        DJANGO_SUPERUSER_PASSWORD=EDITOR_PASSWORD,
        # The cluster tests post many comments from one address.
        NEWSROOM_COMMENTS_RATE_LIMIT="1000000",
        # Workflow mail goes through the task queue in the database, sent by the worker;
        # here it is written to files, one folder for the whole cluster.
        NEWSROOM_TASKS="database",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(CLUSTER_DIR / "mail"),
        # Varnish, told of every change: it may keep a page NEWSROOM_SHARED_CACHE_TOLD_SECONDS.
        NEWSROOM_SHARED_CACHE_PURGE_URLS=varnish_address() + "/",
        # Media in the bucket; the gate reads it from there (no X-Accel-Redirect to disk).
        MEDIA_STORAGE_BUCKET=BUCKET,
        MEDIA_STORAGE_ENDPOINT_URL=s3_address(),
        **S3_CREDENTIALS,
    )


def manage(env: dict, *args: str) -> None:
    run([BIN / "python", "manage.py", *args], cwd=ROOT, env=env)


def start_node(name: str, env: dict) -> int:
    """gunicorn for one node; returns its process group."""
    process = spawn(
        name,
        [BIN / "gunicorn", "config.wsgi", "-c", ROOT / "deploy" / "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{PORTS[name]}", "--log-level", "warning"],
        env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{PORTS[name]}"
    wait_for(
        lambda: (
            process.poll() is None
            and urllib.request.urlopen(base + "/healthz", timeout=2).status == 200
        ),
        seconds=60,
        what=name,
    )
    return process.pid


def start_worker(env: dict) -> int:
    """The task worker (`manage.py db_worker`): runs the tasks the nodes stored (mail,
    renditions, tells of Varnish). Returns its process group."""
    process = spawn(
        "worker",
        [BIN / "python", "manage.py", "db_worker", "--interval", "0.5", "--no-startup-delay"],
        env,
    )
    time.sleep(1)
    if process.poll() is not None:
        raise SystemExit(f"the task worker exited: see {CLUSTER_DIR / 'worker.log'}")
    return process.pid


def start_nginx() -> None:
    conf = nginx_config(
        [f"127.0.0.1:{PORTS[name]}" for name in NODES],
        static_root=str(CLUSTER_DIR / "static"),
        media_root=str(CLUSTER_DIR / "media"),
        workdir=CLUSTER_DIR,
        port=PORTS["nginx"],
        daemon=True,
        behind="127.0.0.1",
    )
    run(["nginx", "-c", str(conf)])
    base = f"http://127.0.0.1:{PORTS['nginx']}"
    wait_for(
        lambda: urllib.request.urlopen(base + "/healthz", timeout=2).status == 200,
        seconds=20,
        what="nginx",
    )


def varnish_address() -> str:
    return f"http://127.0.0.1:{PORTS['varnish']}"


def start_varnish() -> None:
    """varnishd with deploy/varnish.vcl in front of nginx (which need not be up yet)."""
    vcl = (ROOT / "deploy" / "varnish.vcl").read_text()
    for name, value in {
        "BACKEND_HOST": "127.0.0.1",
        "BACKEND_PORT": str(PORTS["nginx"]),
        "TELLERS": "",  # the nodes are on this machine: 127.0.0.1 is in the list already
        "ADMIN_PREFIX": "admin/",
    }.items():
        vcl = vcl.replace("{{" + name + "}}", value)
    (CLUSTER_DIR / "varnish.vcl").write_text(vcl)
    run(["varnishd", "-a", f"127.0.0.1:{PORTS['varnish']}", "-f", CLUSTER_DIR / "varnish.vcl",
         "-n", CLUSTER_DIR / "varnish", "-T", f"127.0.0.1:{PORTS['varnish-admin']}",
         "-P", CLUSTER_DIR / "varnish.pid", "-s", "malloc,256m",
         "-p", "thread_pools=1", "-p", "thread_pool_min=20"])  # fmt: skip
    wait_for(
        lambda: (
            socket.create_connection(("127.0.0.1", PORTS["varnish"]), timeout=1).close() is None
        ),
        seconds=20,
        what="varnishd",
    )


# --- the commands ----------------------------------------------------------------------


def read_state() -> dict | None:
    return json.loads(STATE.read_text()) if STATE.exists() else None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def start() -> int:
    state = read_state()
    if state and "nginx" in state:
        print(f"The cluster is already running: {state['nginx']} ({STATE})")
        return 0
    for tool in ("nginx", "redis-server", "psql", "runuser", "varnishd"):
        if not shutil.which(tool):
            raise SystemExit(
                f"{tool} is missing (apt-get install nginx-light redis-server varnish "
                "varnish-modules …)"
            )
    if os.getuid() == 0:
        parent = next(path for path in CLUSTER_DIR.parents if path.exists())
        reachable = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(parent)])
        if reachable.returncode:
            raise SystemExit(
                f"PostgreSQL's user cannot enter {parent}: set CLUSTER_DIR to a folder it can "
                "reach, such as /tmp/newsroom-cluster"
            )
    if CLUSTER_DIR.exists():
        stop()
    CLUSTER_DIR.mkdir(parents=True)
    # PostgreSQL's server and nginx's workers run as other users: they must see inside.
    CLUSTER_DIR.chmod(0o755)
    if os.getuid() == 0:
        for name in ("primary", "standby"):
            (CLUSTER_DIR / name).mkdir(mode=0o700)
            (CLUSTER_DIR / f"{name}.log").touch()
            for path in (CLUSTER_DIR / name, CLUSTER_DIR / f"{name}.log"):
                shutil.chown(path, user="postgres")
    groups = {}  # process groups started so far, for stop() should a later part fail
    try:
        started = time.monotonic()
        start_databases()
        start_redis()
        start_varnish()
        groups["s3"] = start_s3()
        env = app_env()
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        manage(env, "load_demo", "--verbosity", "0")
        manage(env, "createsuperuser", "--noinput")
        for name in NODES:
            groups[name] = start_node(name, env)
        groups["worker"] = start_worker(env)
        start_nginx()
        # The demo's pictures were saved before the worker started: the first home page makes
        # whatever of them it shows that the worker has not made yet, here, not for a reader.
        urllib.request.urlopen(varnish_address() + "/", timeout=120)
    except BaseException:
        STATE.write_text(json.dumps({"groups": groups}))
        stop()
        raise
    state = {
        "directory": str(CLUSTER_DIR),
        "front": varnish_address(),
        "nginx": f"http://127.0.0.1:{PORTS['nginx']}",
        "nodes": {name: f"http://127.0.0.1:{PORTS[name]}" for name in NODES},
        "groups": groups,
        "primary": database_url("primary"),
        "standby": database_url("standby"),
        "redis": f"redis://127.0.0.1:{PORTS['redis']}/0",
        "ports": PORTS,
        "editor": [EDITOR, EDITOR_PASSWORD],
    }
    STATE.write_text(json.dumps(state, indent=1))
    print(f"The cluster is up in {time.monotonic() - started:.0f} s: {state['front']}")
    print(f"  Varnish {state['front']} in front of nginx {state['nginx']}")
    for name, base in state["nodes"].items():
        print(f"  {name}: {base}")
    print(f"  PostgreSQL primary :{PORTS['primary']}, standby :{PORTS['standby']}")
    print(f"  S3 (moto) {s3_address()}, bucket {BUCKET}")
    print(f"  Redis :{PORTS['redis']}; task worker; mail in {CLUSTER_DIR / 'mail'}")
    print(f"  editor {EDITOR} / {EDITOR_PASSWORD}")
    return 0


def stop() -> int:
    state = read_state() or {}
    nginx_pid = CLUSTER_DIR / "nginx.pid"
    if nginx_pid.exists():
        subprocess.run(["nginx", "-c", str(CLUSTER_DIR / "nginx.conf"), "-s", "stop"],
                       capture_output=True)  # fmt: skip
    for group in state.get("groups", {}).values():
        with contextlib.suppress(OSError):
            os.killpg(group, signal.SIGTERM)
    for pid_file in (CLUSTER_DIR / "redis.pid", CLUSTER_DIR / "varnish.pid"):
        if pid_file.exists():
            with contextlib.suppress(OSError, ValueError):
                os.kill(int(pid_file.read_text()), signal.SIGTERM)
    for name in ("standby", "primary"):
        pg_stop(name)
    deadline = time.monotonic() + 15
    while any(alive(group) for group in state.get("groups", {}).values()):
        if time.monotonic() > deadline:
            for group in state["groups"].values():
                with contextlib.suppress(OSError):
                    os.killpg(group, signal.SIGKILL)
            break
        time.sleep(0.2)
    shutil.rmtree(CLUSTER_DIR, ignore_errors=True)
    print("The cluster is stopped and its directory removed.")
    return 0


def status() -> int:
    state = read_state()
    if not state or "nginx" not in state:
        print("No cluster is running.")
        return 1
    front = [("varnish", state["front"]), ("nginx", state["nginx"])]
    for name, base in [*front, *state["nodes"].items()]:
        try:
            answer = urllib.request.urlopen(base + "/healthz", timeout=2).status
        except OSError as error:
            answer = error
        print(f"{name}: {base} {answer}")
    for name in ("primary", "standby"):
        try:
            recovery = psql(name, "SELECT pg_is_in_recovery()")
            print(f"{name}: up ({'standby' if recovery == 't' else 'primary'})")
        except SystemExit:
            print(f"{name}: down")
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    commands = {"start": start, "stop": stop, "status": status}
    if command not in commands:
        raise SystemExit(f"usage: {sys.argv[0]} {' | '.join(commands)}")
    try:
        sys.exit(commands[command]())
    except RuntimeError as error:  # a part that did not come up (wait_for)
        raise SystemExit(str(error)) from None
