"""gunicorn's settings for the site, the ones `make drills` and `make bench` run with:

    .venv/bin/gunicorn config.wsgi -c deploy/gunicorn.conf.py --bind 127.0.0.1:8000

Threads (gthread): a request that waits (for a database lock, up to DATABASE_LOCK_TIMEOUT;
for Redis, up to REDIS_TIMEOUT) holds one thread, not a whole worker, so readers of cached
pages are answered beside it. Two workers, four threads each: eight requests at once per
server, and as many database connections (each thread keeps its own, CONN_MAX_AGE).
WEB_CONCURRENCY and GUNICORN_THREADS change the numbers, and command-line options override
any of these (`--workers 4`).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Above DATABASE_STATEMENT_TIMEOUT (15 s): a slow statement is cancelled and answered 503
# before gunicorn would kill its worker (and every other request the worker holds).
timeout = 30
graceful_timeout = 5
# nginx keeps connections to the app open (deploy/nginx.conf, `keepalive 32`).
keepalive = 5
