"""Settings for the newsroom CMS, grouped by topic.

Everything that differs between a laptop and production is read from the environment once,
here, through django-environ (docs/configuration.md lists every variable). The defaults are
the embedded development set-up (SQLite file, local-memory cache, DEBUG on). With DEBUG
off, a missing SECRET_KEY or ALLOWED_HOSTS stops start-up: production never runs on an
insecure default.

Topics: the mode and the site's address · apps and request handling · database · cache ·
files · mail · the paper · pictures · page cache · the newsroom (admin, workflow, import) ·
reader comments · security · backups.
"""

from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is optional and never required.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- The mode and the site's address ---------------------------------------------------

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if DEBUG:
    # Development only: a per-checkout key is good enough and never leaves the machine.
    SECRET_KEY = SECRET_KEY or "django-insecure-development-only-key"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    missing = [
        name
        for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS))
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            f"DEBUG is off, so {' and '.join(missing)} must be set in the environment "
            "(see docs/configuration.md)."
        )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public origin. Canonical links, feeds, sitemaps, robots.txt, social cards and the
# links in password-reset mail are built from it (core.links), never from the request's
# Host header. In production it defaults to https:// and the first ALLOWED_HOSTS entry.
NEWSROOM_SITE_URL = env.str(
    "SITE_URL",
    default=("http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0].lstrip('.')}"),
).rstrip("/")

# --- Apps and request handling ---------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "sorl.thumbnail",
    # The project's apps, from the shared parts up to the features (pyproject.toml's
    # import contracts keep the imports running that way).
    "core",
    "pagecache",
    "pictures",
    "sections",
    "articles",
    "auditlog",
    "editorial",
    "comments",
    "frontpage",
    "mostread",
    "live",
    "search",
    "importing",
    "security",
    "axes",
    "simple_history",
    "django_prose_editor",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: every answer, a cached page's too, carries the request's id (core/errors.py).
    "core.errors.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Right after the HTTPS redirect: a cached page skips everything below (it keeps the
    # headers they gave it when it was made). See pagecache/middleware.py.
    # Before the page cache, whose version check reads too: in a GET every read waits for a
    # lock briefly, and a page answered without one of its parts (its table locked) says
    # no-store, so nginx and browsers keep none of it either (core/parts.py).
    "core.parts.IncompletePagesMiddleware",
    "pagecache.middleware.AnonymousPageCacheMiddleware",
    # The admin and previews say noindex on every response (robots.txt must not name them).
    "core.middleware.NoIndexMiddleware",
    "security.middleware.NewsroomCSPMiddleware",
    "security.middleware.ErrorPageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # What a person submits reaches every form in NFC (core/middleware.py).
    "core.middleware.SubmittedTextNFCMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The admin speaks each journalist's language (their choice, else the browser's); the
    # public site is always English and never varies by Accept-Language (editorial/language.py).
    "editorial.language.DeskLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication, as django-axes asks: it turns a locked-out sign-in into the
    # lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.paper",
            ],
        },
    },
]

# The public site is English. The admin offers these (each named in its own language), per
# journalist or by the browser's Accept-Language; locale/ holds the project's own catalogue.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The few date formats the project sets per language over Django's (core/formats/).
FORMAT_MODULE_PATH = ["core.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Database --------------------------------------------------------------------------

# SQLite file beside the code by default, PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# An optional read replica of the primary (a streaming standby): readers' pages read from
# it, everything else from the primary (core/routers.py, which explains the lag caveat).
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
# After a connection to the replica fails, reads go to the primary for this long.
NEWSROOM_REPLICA_RETRY_SECONDS = env.int("NEWSROOM_REPLICA_RETRY_SECONDS", default=10)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = environ.Env.db_url_config(DATABASE_REPLICA_URL)
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's engine, telling the router when the replica cannot be reached.
        DATABASES["replica"]["ENGINE"] = "core.replica_db"
        # A replica that stops answering must not hold a reader's request for long.
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env.int("DATABASE_REPLICA_CONNECT_TIMEOUT", default=3)
        )
    # Tests create one database: the replica alias reads the test copy of the primary.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.routers.PrimaryReplicaRouter"]
    # First, so the whole request (sessions included) reads from one database.
    MIDDLEWARE.insert(0, "core.routers.PrimaryReadsMiddleware")
CONN_MAX_AGE = env.int("CONN_MAX_AGE", default=60)
# Bounded waits: a write that cannot get its lock (a long transaction, a LOCK TABLE, a
# migration) gives up after DATABASE_LOCK_TIMEOUT seconds, and a statement that runs longer
# than DATABASE_STATEMENT_TIMEOUT is cancelled, well inside gunicorn's 30 s worker timeout.
# The request then answers the styled 503 with Retry-After (core/errors.py) and its
# transaction is rolled back whole. 0 waits for ever. SQLite has only the lock wait, its
# busy timeout: writers queue there for each other by design, so it waits longer.
DATABASE_LOCK_TIMEOUT = env.float(
    "DATABASE_LOCK_TIMEOUT",
    default=10 if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else 3,
)
DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=15)
# A page part the page can do without (the comments under an article, the counts on cards)
# waits for a lock this long at most, then the page is answered without it and kept nowhere
# (core/parts.py): readers are not held behind a locked table. PostgreSQL only (SQLite
# readers never wait for a writer). 0 lets parts wait as long as writes.
DATABASE_READ_LOCK_TIMEOUT = env.float("DATABASE_READ_LOCK_TIMEOUT", default=0.25)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # With Django's defaults concurrent writers meet "database is locked": WAL lets
    # readers run beside a writer, IMMEDIATE takes the write lock at BEGIN (so a
    # transaction never has to upgrade its lock and deadlock), and the timeout makes
    # a second writer wait for the first instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": DATABASE_LOCK_TIMEOUT,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA busy_timeout={round(DATABASE_LOCK_TIMEOUT * 1000)};"
            ),
        }
    )
    DATABASES["default"].setdefault("TEST", {})
    # An in-memory test database cannot use WAL; a file keeps tests close to production.
    DATABASES["default"]["TEST"].setdefault("NAME", str(BASE_DIR / "test_db.sqlite3"))
    # article_section_pub_idx INCLUDEs unpublish_at so that PostgreSQL counts a section's
    # stories from the index alone; SQLite builds the same index without the extra column,
    # which is all the warning says (it would be printed by every command of `make run`).
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
for database in DATABASES.values():
    if database["ENGINE"] != "django.db.backends.sqlite3":
        database["CONN_MAX_AGE"] = CONN_MAX_AGE
        database["CONN_HEALTH_CHECKS"] = True
    if database["ENGINE"] == "django.db.backends.postgresql":
        # Set per connection, at connect time (libpq's options), so every query of every
        # worker is bounded without a SET round trip.
        options = database.setdefault("OPTIONS", {})
        options["options"] = " ".join(
            filter(
                None,
                [
                    options.get("options", ""),
                    f"-c lock_timeout={round(DATABASE_LOCK_TIMEOUT * 1000)}",
                    f"-c statement_timeout={round(DATABASE_STATEMENT_TIMEOUT * 1000)}",
                ],
            )
        )

# --- Cache -----------------------------------------------------------------------------

# Redis when REDIS_URL is set, each process's local memory otherwise. The cache holds only
# copies checked against versions kept in the database (pagecache/versions.py), so either is
# correct with any number of processes; Redis shares the copies between them.
REDIS_URL = env.str("REDIS_URL", default="")
# A Redis call waits at most this long (connecting, then answering); after an error the
# cache is left alone for REDIS_RETRY_SECONDS, pages being served without it
# (core/cache_backend.py).
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.25)
REDIS_RETRY_SECONDS = env.float("REDIS_RETRY_SECONDS", default=5)
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, reusing its redis-py client (core/cache_backend.py).
            "BACKEND": "core.cache_backend.NewsroomRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="dbp"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Files: static, uploads ------------------------------------------------------------

STATIC_URL = "static/"
# The body editor's own extension (django-prose-editor): the picture button that inserts a
# figure from the library. Its HTML is what the Figure, Image and Caption extensions make,
# which articles/sanitize.py keeps, so it adds nothing to the editor's allow-list.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("admin/js/prose_library_picture.js")],
        "extensions": {"LibraryPicture": lambda config, allowlist: None},
    }
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Every media address passes the app's gate (pictures/views.py), which sends readers only
# published pictures. Behind nginx, set this to the `internal` location that serves
# MEDIA_ROOT ("/_media/" in deploy/nginx.conf): the gate answers with X-Accel-Redirect and
# nginx sends the file. Empty: Django sends the file itself (`make run`, one machine).
NEWSROOM_MEDIA_ACCEL_REDIRECT = env.str("NEWSROOM_MEDIA_ACCEL_REDIRECT", default="")
# Uploads on local disk by default. Several app servers share media in an S3-compatible
# bucket (pictures/storage.py): set MEDIA_STORAGE_BUCKET, MEDIA_STORAGE_ENDPOINT_URL for a
# service other than AWS, and the credentials as boto3 reads them (AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION). Addresses still pass the media gate.
MEDIA_STORAGE_BUCKET = env.str("MEDIA_STORAGE_BUCKET", default="")
MEDIA_STORAGE_ENDPOINT_URL = env.str("MEDIA_STORAGE_ENDPOINT_URL", default="")
STORAGES = {
    "default": (
        {
            "BACKEND": "pictures.storage.GatedS3Storage",
            "OPTIONS": {
                "bucket_name": MEDIA_STORAGE_BUCKET,
                "endpoint_url": MEDIA_STORAGE_ENDPOINT_URL or None,
                "querystring_auth": False,
                # Stored names are random and never reused: an upload never replaces a file.
                "file_overwrite": False,
            },
        }
        if MEDIA_STORAGE_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "core.storage.StaticFilesStorage"
        )
    },
}
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# --- Tasks -----------------------------------------------------------------------------

# Work that need not hold anyone's request (workflow mail): "immediate" runs it in the
# process that asked, right after its commit (the embedded default, nothing to start);
# "database" stores it in the database, in the asking transaction, for the workers that
# `manage.py db_worker` runs (production, the cluster).
NEWSROOM_TASKS = env.str("NEWSROOM_TASKS", default="immediate")
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if NEWSROOM_TASKS not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"NEWSROOM_TASKS is {NEWSROOM_TASKS!r}: it must be one of {', '.join(TASK_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[NEWSROOM_TASKS]}}

# --- Mail ------------------------------------------------------------------------------

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# For django.core.mail.backends.filebased.EmailBackend: the folder each mail is written to.
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsroom@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Errors and logs -------------------------------------------------------------------

# Every record goes to stderr (gunicorn and systemd keep it), one line per record as JSON
# in production, readable text in development; each carries the request id (core/errors.py).
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'text', not {LOG_FORMAT!r}.")
# Who is mailed each server error (with DEBUG off): "Name <address>, address, ...".
ADMINS = [
    (name or address, address)
    for name, address in getaddresses([env.str("ADMINS", default="")])
    if address
]
# ADMINS get at most one mail per kind of error in this long, per process (0: every one).
NEWSROOM_ERROR_MAIL_SECONDS = env.int("NEWSROOM_ERROR_MAIL_SECONDS", default=300)
# Errors also go to Sentry (or a compatible tracker) when set: sentry-sdk, started by
# core/apps.py. No reader's address, cookies or form data are sent.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production")
# Take the request id from nginx's X-Request-ID (deploy/nginx.conf sets it). Only behind a
# proxy that overwrites what clients send; otherwise every request gets an id of its own.
NEWSROOM_TRUST_REQUEST_ID = env.bool("NEWSROOM_TRUST_REQUEST_ID", default=False)
# The 503 a database outage or a timed-out wait answers asks to come back after this long.
NEWSROOM_RETRY_AFTER_SECONDS = env.int("NEWSROOM_RETRY_AFTER_SECONDS", default=30)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.errors.RequestIdFilter"},
        "routine_task": {"()": "core.errors.RoutineTaskFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "json": {"()": "core.errors.JSONFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        },
        "mail_admins": {
            "class": "core.errors.ThrottledAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "request_id"],
            # The mail's first line names the request id.
            "formatter": "text",
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers replaced: its records reach the root's stderr handler.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.request": {
            # A no-op while ADMINS is empty.
            "handlers": ["mail_admins"],
            "level": "WARNING",
            "propagate": True,
        },
        # A task's start and successful end are DEBUG (every change queues tasks); its
        # failure stays an ERROR with the task's name, traceback and request id.
        "django_tasks": {"level": LOG_LEVEL, "filters": ["routine_task"]},
    },
}

# --- The paper -------------------------------------------------------------------------

SITE_NAME = env.str("SITE_NAME", default="Điện Biên Phủ Online")
# Printed before every lead, as on the paper's pages.
NEWSROOM_DATELINE = "ĐBP - "
# How many stories the Recent news sidebar lists.
NEWSROOM_RECENT_NEWS_COUNT = env.int("NEWSROOM_RECENT_NEWS_COUNT", default=12)
NEWSROOM_PAGE_SIZE = 12
# Related stories under an article.
NEWSROOM_RELATED_COUNT = 4
# Most read (mostread/): stories listed, how long a rolled-up list is reused, and how many
# view beacons one address may send a minute.
NEWSROOM_MOST_READ_COUNT = 5
NEWSROOM_MOST_READ_SECONDS = 60
# Live coverage (live/): how often a reader's page asks for new entries, and how many of the
# newest entries a live story's page and structured data carry.
NEWSROOM_LIVE_POLL_SECONDS = 30
NEWSROOM_LIVE_ENTRY_COUNT = 200
NEWSROOM_VIEWS_PER_MINUTE = 60
# Search: longer queries are cut, and only this many distinct words are used.
NEWSROOM_SEARCH_MAX_QUERY_LENGTH = 200
NEWSROOM_SEARCH_MAX_TERMS = 8

# --- Pictures --------------------------------------------------------------------------

# Uploads (pictures/fields.py): bytes and pixels accepted.
NEWSROOM_IMAGE_MAX_BYTES = env.int("NEWSROOM_IMAGE_MAX_BYTES", default=15_000_000)
NEWSROOM_IMAGE_MAX_PIXELS = env.int("NEWSROOM_IMAGE_MAX_PIXELS", default=40_000_000)
# Renditions (pictures/renditions.py): JPEG, made once by sorl-thumbnail, never enlarged.
THUMBNAIL_FORMAT = "JPEG"
THUMBNAIL_QUALITY = 82
THUMBNAIL_UPSCALE = False
# Renditions are named under their source, so they are public exactly when it is.
THUMBNAIL_BACKEND = "pictures.renditions.RenditionBackend"
THUMBNAIL_PREFIX = "cache/"

# --- Page cache (pagecache/) -----------------------------------------------------------

# Whole pages for anonymous readers, kept per site version: any content change starts a
# new one, so the timeout only bounds memory. Shared caches (nginx, Varnish, a CDN) may
# reuse a page for NEWSROOM_SHARED_CACHE_SECONDS.
NEWSROOM_PAGE_CACHE = env.bool("NEWSROOM_PAGE_CACHE", default=True)
NEWSROOM_PAGE_CACHE_SECONDS = env.int("NEWSROOM_PAGE_CACHE_SECONDS", default=600)
NEWSROOM_SHARED_CACHE_SECONDS = env.int("NEWSROOM_SHARED_CACHE_SECONDS", default=1)
# Each process also keeps the pages it served last, up to this many bytes, for the site
# version they were kept under: a hit on a page read often costs no cache round trip
# (pagecache/versions.py, read_page). 0 turns the copy off.
NEWSROOM_PAGE_CACHE_LOCAL_BYTES = env.int("NEWSROOM_PAGE_CACHE_LOCAL_BYTES", default=4 * 2**20)
# Shared caches told of every change (pagecache/shared.py): each address receives a BAN
# with the new site version (deploy/varnish.vcl). Once they have been told, they may keep
# a page NEWSROOM_SHARED_CACHE_TOLD_SECONDS, never past the next scheduled change; while a
# change is untold (a purge failed and waits for its retry) the short window above applies.
# Empty (the default): no shared cache is told, so none may keep a page longer than that.
NEWSROOM_SHARED_CACHE_PURGE_URLS = env.list("NEWSROOM_SHARED_CACHE_PURGE_URLS", default=[])
NEWSROOM_SHARED_CACHE_TOLD_SECONDS = env.int("NEWSROOM_SHARED_CACHE_TOLD_SECONDS", default=300)
# Each process reads the site version from the database at most this often (a change it
# commits itself it sees at once): with a shared cache's copy this bounds how long a story
# taken down can still be seen (pagecache/versions.py, deploy/nginx.conf).
NEWSROOM_VERSION_CHECK_SECONDS = env.float("NEWSROOM_VERSION_CHECK_SECONDS", default=0.5)
# Query parameters that only say where a reader came from; no view reads them, so pages
# that differ only by them share one cached copy (a trailing * matches a prefix).
NEWSROOM_PAGE_CACHE_IGNORED_PARAMETERS = env.list(
    "NEWSROOM_PAGE_CACHE_IGNORED_PARAMETERS",
    default=[
        "utm_*",
        "fbclid",
        "gclid",
        "gbraid",
        "wbraid",
        "dclid",
        "msclkid",
        "igshid",
        "zarsrc",
        "mc_cid",
        "mc_eid",
        "_ga",
    ],
)
# The parts a page rendered afresh reuses: Recent news, the navigation and an article's
# comments and related stories per site version, an article's own parts per article
# version, cards per row key (pagecache/versions.py).
NEWSROOM_FRAGMENT_CACHE = env.bool("NEWSROOM_FRAGMENT_CACHE", default=True)

# --- The newsroom: admin, workflow, import ---------------------------------------------

# The admin's address: a path of the site's own choosing makes it harder to find.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("ADMIN_URL must be a path such as 'admin/', not the site's root.")
NEWSROOM_PAGE_CACHE_EXCLUDED_PREFIXES = [
    f"/{ADMIN_URL}",
    "/preview/",
    "/healthz",
    f"/{STATIC_URL}",
    f"/{MEDIA_URL}",
]
# Workflow mail names the article's admin page on this origin (the public one by default).
NEWSROOM_ADMIN_ORIGIN = env.str("NEWSROOM_ADMIN_ORIGIN", default=NEWSROOM_SITE_URL).rstrip("/")
# The section of an imported article whose own section is not known (the exports do not
# print it): a section slug or name. `--section` overrides it.
NEWSROOM_IMPORT_DEFAULT_SECTION = env.str(
    "NEWSROOM_IMPORT_DEFAULT_SECTION", default="news-politics"
)
# Old section labels that are not a section's name here: label -> section slug or name.
# `--map-section LABEL=SECTION` adds to it. E.g. NEWSROOM_SECTION_ALIASES="ECONOMY=business".
NEWSROOM_SECTION_ALIASES = env.dict("NEWSROOM_SECTION_ALIASES", default={"ECONOMY": "business"})
# Topics the import tags new articles with, when the headline or lead has one of the words
# (whole words, accents ignored): tag -> words.
NEWSROOM_IMPORT_TOPICS = {
    "education": ["school", "schools", "teacher", "teachers", "student", "students", "education"],
    "agriculture": ["agriculture", "agricultural", "farmers", "farming", "crop", "crops"],
    "tourism": ["tourism", "tourist", "tourists"],
    "border": ["border", "borders", "frontier"],
    "Party Congress": ["congress"],
    "emulation movement": ["emulation"],
    "Tết": ["tết"],
    "health": ["health", "healthcare", "hospital"],
    "digital transformation": ["digital", "digitization", "e-commerce", "online"],
    "Điện Biên Phủ": ["điện biên phủ"],
}

# --- Reader comments -------------------------------------------------------------------

# Pre-moderation: every comment waits for an editor. False publishes at once (post-moderation);
# banned words and repeats are held either way.
NEWSROOM_COMMENTS_PREMODERATION = env.bool("NEWSROOM_COMMENTS_PREMODERATION", default=True)
# At most this many comments from one address per window (seconds); more answer 429.
NEWSROOM_COMMENTS_RATE_LIMIT = env.int("NEWSROOM_COMMENTS_RATE_LIMIT", default=5)
NEWSROOM_COMMENTS_RATE_WINDOW = env.int("NEWSROOM_COMMENTS_RATE_WINDOW", default=600)
# The same text from the same address within this many seconds is held for a moderator.
NEWSROOM_COMMENTS_DUPLICATE_WINDOW = env.int("NEWSROOM_COMMENTS_DUPLICATE_WINDOW", default=600)
# Added to the banned words editors keep in the admin (comma-separated).
NEWSROOM_COMMENTS_BANNED_WORDS = env.list("NEWSROOM_COMMENTS_BANNED_WORDS", default=[])
# Reverse proxies in front of Django. 0 trusts only the socket address; N > 0 takes the
# client address from the N-th X-Forwarded-For entry from the right. Production runs behind
# deploy/nginx.conf, which replaces the header with the address it was connected from (one
# proxy); `runserver` has none, and trusting the header there would let anyone pick an
# address. Read by the comment limits, the sign-in lockout and the password-reset throttle.
NEWSROOM_TRUSTED_PROXY_COUNT = env.int("NEWSROOM_TRUSTED_PROXY_COUNT", default=0 if DEBUG else 1)

# --- Security --------------------------------------------------------------------------

# With DEBUG off the site is served over HTTPS behind a reverse proxy; everything below
# makes `manage.py check --deploy` pass and is tunable from the environment.
if not DEBUG:
    # The proxy terminates TLS and tells Django the original scheme in this header
    # (Django's META name, e.g. HTTP_X_FORWARDED_PROTO for "X-Forwarded-Proto"). The proxy
    # must overwrite the header a client sends; empty disables it (TLS ends at Django).
    SECURE_PROXY_SSL_HEADER_NAME = env.str(
        "SECURE_PROXY_SSL_HEADER_NAME", default="HTTP_X_FORWARDED_PROTO"
    )
    if SECURE_PROXY_SSL_HEADER_NAME:
        SECURE_PROXY_SSL_HEADER = (SECURE_PROXY_SSL_HEADER_NAME, "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # One year, subdomains and the browsers' preload list: start lower (e.g. 3600) on a
    # new domain, since browsers remember the promise for this long.
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# No page script reads a cookie; forms carry the CSRF token in a hidden field.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = env.str(
    "SECURE_REFERRER_POLICY", default="strict-origin-when-cross-origin"
)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Form posts (not file uploads) above this many bytes are refused with 400 before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)

# Content-Security-Policy (django-csp 4): public pages load scripts, styles, images and fonts
# from this site only; no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Added under the admin's path only (security.middleware.NewsroomCSPMiddleware). Django's
# admin itself needs nothing more (a browser test checks it), but the rich-text editor
# (django-prose-editor, built on Tiptap) injects <style> elements from its script, which a
# strict style-src blocks. Scripts stay 'self' in the admin too. The focal point picker
# shows a picture chosen for upload before it is sent, from a blob: address of the page's
# own making.
CSP_ADMIN_UPDATE = {"style-src": [UNSAFE_INLINE], "img-src": ["blob:"]}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes counts failed sign-ins per username *and* address: after AXES_FAILURE_LIMIT
# failures that pair is locked out for the cool-off time (each further try restarts it) and
# gets security/locked_out.html with status 429. Locking by the pair means a guesser cannot
# lock a journalist out from elsewhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "security/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# django-axes' database handler, except that signing in by a password-reset link (the way in
# for a journalist locked out by a guesser at the same address) keeps the guesser locked.
AXES_HANDLER = "security.axes.NewsroomAxesHandler"
# The client's address as the comment rate limit reads it (NEWSROOM_TRUSTED_PROXY_COUNT); a
# client whose address cannot be known counts as the one address 0.0.0.0, so it is locked
# out like any other instead of guessing without limit.
AXES_CLIENT_IP_CALLABLE = "core.client.client_ip"
# Password reset: at most this many links per e-mail address, and requests per client
# address, within the window (seconds). Over either, the form answers the same "check your
# e-mail" page and sends nothing. Counted in the database, so every process agrees.
NEWSROOM_PASSWORD_RESET_ACCOUNT_LIMIT = env.int("NEWSROOM_PASSWORD_RESET_ACCOUNT_LIMIT", default=3)
NEWSROOM_PASSWORD_RESET_ADDRESS_LIMIT = env.int("NEWSROOM_PASSWORD_RESET_ADDRESS_LIMIT", default=10)
NEWSROOM_PASSWORD_RESET_WINDOW = env.int("NEWSROOM_PASSWORD_RESET_WINDOW", default=3600)
# Sessions belong to staff (readers never sign in): they end after this many seconds
# without a request, since every request pushes the expiry forward.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=2 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True

# --- Backups ---------------------------------------------------------------------------

# Where `manage.py backup` (`make backup`) writes archives unless told otherwise.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "backups")))
# Backups keep every timestamp to the microsecond (security/serializers.py).
SERIALIZATION_MODULES = {"backup-json": "security.serializers"}
