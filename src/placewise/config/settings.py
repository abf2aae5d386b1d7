"""Django settings for placewise. Everything that varies by place or machine comes from the
environment or from PLACEWISE_HOME; nothing here needs editing to run a second place."""

import os
from pathlib import Path

from placewise.config import environment
from placewise.config.home import fallbacks_of_secret, home, secret

SRC_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = SRC_DIR.parent.parent
PLACEWISE_HOME = home()

SECRET_KEY = secret("django_secret_key", "PLACEWISE_SECRET_KEY")
# Keys rotated out (`placewise secret-key rotate`), still accepted for what they signed: sessions,
# invitation and password-reset links stay good until they expire (docs/operating.md).
SECRET_KEY_FALLBACKS = fallbacks_of_secret(
    "django_secret_key_fallbacks", "PLACEWISE_SECRET_KEY_FALLBACKS"
)
# The keyed-hash secret that turns a source record into a token. Losing it breaks every link.
PLACE_SECRET = secret("place_secret", "PLACEWISE_PLACE_SECRET")
# Keys the audit chain (sharing/audit.py), so it is kept apart from the database it protects.
# Losing it leaves every entry written so far impossible to verify.
AUDIT_KEY = secret("audit_key", "PLACEWISE_AUDIT_KEY")
# A file's rows are read in a child process bounded in memory (bytes beyond what the process
# has mapped already) and time (seconds), so one upload cannot starve the server
# (sources/worker.py). 0 turns a bound off; both 0 read in the process itself.
PLACEWISE_READ_MEMORY = int(os.environ.get("PLACEWISE_READ_MEMORY", str(4 * 2**30)))
PLACEWISE_READ_SECONDS = float(os.environ.get("PLACEWISE_READ_SECONDS", "1800"))
# A file that unpacks to no more than this many bytes is read in the process itself: starting a
# bounded reader (a fresh interpreter, about a second) costs more than such a file can take.
PLACEWISE_READ_IN_PROCESS_BYTES = int(
    os.environ.get("PLACEWISE_READ_IN_PROCESS_BYTES", str(2 * 2**20))
)

DEBUG = os.environ.get("PLACEWISE_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("PLACEWISE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
    ","
)

INSTALLED_APPS = [
    "placewise.web.admin_apps.StaffAdminConfig",  # django.contrib.admin, staff + second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # thousands separators on pages (intcomma)
    "placewise.web",
    "placewise.sharing",
    "placewise.sources",
    "placewise.journeys",
    "placewise.reviews",
    "placewise.practice",
    "placewise.supervision",
    "placewise.leadership",
    "placewise.service_reviews",
    "placewise.surveys",
    "placewise.systemmap",
    "placewise.initiatives",
    "placewise.approaches",
    "placewise.governance",
    "placewise.linkage",
    "placewise.outcomes",
    "placewise.public",
    "placewise.guide",
    "placewise.community",
    "django_tasks",
    "django_tasks_db",
    "placewise.jobs",
]
# Background jobs (ADR 0023): queued in the operational database, run by `placewise worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Django's admin is not served unless PLACEWISE_ADMIN_ENABLED=1, and then only to signed-in staff
# who have passed the second factor (placewise.web.admin_site).
PLACEWISE_ADMIN_ENABLED = os.environ.get("PLACEWISE_ADMIN_ENABLED", "") == "1"
# Public pages one client address may read a minute (public/throttle.py), apart from the API's budget.
PLACEWISE_PUBLIC_PAGES_PER_MINUTE = int(os.environ.get("PLACEWISE_PUBLIC_PAGES_PER_MINUTE", "300"))

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files stay cacheable; outside everything else, so it sees
    # every response including refusals.
    "placewise.web.caching.NoStoreForPersonalPages",
    "placewise.web.caching.OneVersionPerRequest",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside SessionMiddleware, so the session it marks as changed is saved on the way out.
    "placewise.web.security.SessionKeptAlive",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "placewise.web.security.SecurityHeaders",
    "placewise.web.security.SecondFactorGate",
]

ROOT_URLCONF = "placewise.config.urls"
WSGI_APPLICATION = "placewise.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "placewise.web.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": environment.database(
        os.environ.get("DATABASE_URL"), default=f"sqlite:///{PLACEWISE_HOME / 'placewise.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several workers and a job runner share the file (docs/adr/0022-a-production-web-server.md).
    # WAL lets readers go on while one writes; a writer waits its turn (timeout, seconds) instead
    # of failing with "database is locked"; IMMEDIATE takes the write lock when a transaction
    # begins, so two transactions never both read and then both try to upgrade to write, which
    # SQLite can only answer by failing one of them at once, whatever the timeout.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": float(os.environ.get("PLACEWISE_SQLITE_TIMEOUT", "20")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
# Shared by every worker and process (sign-in throttling is in the database too, in
# sharing/lockout.py): computed indicators are worked out once per version of the data, not once
# per worker. `placewise` commands create its table wherever they migrate (cli._django).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "placewise_cache",
        "TIMEOUT": 6 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # Each process's own copy of what it read from the shared cache (outcomes/data.py): keys
    # carry the data version, so a copy is never stale, and a page does not unpickle the
    # indicator table on every request (LocMemCache would: web/caching.py).
    "local": {
        "BACKEND": "placewise.web.caching.ProcessMemoryCache",
        "LOCATION": "placewise-local",
        "TIMEOUT": 6 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PLACEWISE_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root even with finders on
# Compiled GOV.UK Frontend styles, scripts and images: built by `make setup`, never committed.
STATICFILES_DIRS = [REPO_DIR / "build" / "static"]
WHITENOISE_USE_FINDERS = True

MEDIA_ROOT = PLACEWISE_HOME / "uploads"
# Files larger than this are refused before they are read (bytes). Overridable per place.
PLACEWISE_MAX_UPLOAD_BYTES = int(os.environ.get("PLACEWISE_MAX_UPLOAD_BYTES", 512 * 1024 * 1024))
# A workbook is a zip archive, checked from its directory before anything in it is unpacked
# (sources/archive.py): a 2.6 MB workbook whose shared strings unpack to 1 GiB took the server past
# 4 GB. Annex A workbooks unpack to about 10 times their size (the synthetic place's, 5,000 or
# 40,000 children: every part 2-10x, 171 KB to 1.5 MB and 2 MB to 20 MB), so a part unpacking
# past 100 times its size is a bomb, not a workbook (Apache POI refuses the same ratio), and no
# workbook is made of 10,000 parts.
PLACEWISE_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("PLACEWISE_MAX_UNCOMPRESSED_BYTES", 2**30))
PLACEWISE_MAX_COMPRESSION_RATIO = float(os.environ.get("PLACEWISE_MAX_COMPRESSION_RATIO", "100"))
PLACEWISE_MAX_ARCHIVE_MEMBERS = int(os.environ.get("PLACEWISE_MAX_ARCHIVE_MEMBERS", "10000"))
# Past any of these a file is refused whole (sources/readers/limits.py). Five million rows is
# nearly five times what one Excel sheet can hold (1,048,576); a row of more than 1,000 fields is
# a malformed file, not an extract; 32,767 characters is Excel's own limit for a cell.
PLACEWISE_MAX_ROWS = int(os.environ.get("PLACEWISE_MAX_ROWS", "5000000"))
PLACEWISE_MAX_FIELDS = int(os.environ.get("PLACEWISE_MAX_FIELDS", "1000"))
PLACEWISE_MAX_CELL_CHARS = int(os.environ.get("PLACEWISE_MAX_CELL_CHARS", "32767"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# The analytic store (pseudonymised) and the linkage enclave (identifiers) are separate DuckDB files.
PLACEWISE_ANALYTIC_DB = PLACEWISE_HOME / "analytic.duckdb"
PLACEWISE_ENCLAVE_DB = PLACEWISE_HOME / "enclave.duckdb"
# Memory each process's reader of a store's snapshot may use (store/snapshots.py); every web
# worker has one per store, so their sum must fit beside the workers themselves.
PLACEWISE_READER_MEMORY = os.environ.get("PLACEWISE_READER_MEMORY", "1GB")
# The council's own children's-social-care system: Annex A, SSDA903 and CIN census records share
# its child IDs, so they are one source for tokens and linkage.
PLACEWISE_COUNCIL_SOURCE = os.environ.get("PLACEWISE_COUNCIL_SOURCE", "council_csc")
PLACEWISE_COUNCIL_ORGANISATION = os.environ.get(
    "PLACEWISE_COUNCIL_ORGANISATION", "Northshire Council Children's Services"
)
# Disclosure control for every figure shown outside the organisation that provided its data
# (sharing/publication.py): counts of people from 1 to the threshold less one are withheld, with
# everything worked out from them. 10 is what DfE and NHS England publish to; 0 rounds nothing.
PLACEWISE_DISCLOSURE_THRESHOLD = int(os.environ.get("PLACEWISE_DISCLOSURE_THRESHOLD", "10"))
PLACEWISE_DISCLOSURE_ROUND_TO = int(os.environ.get("PLACEWISE_DISCLOSURE_ROUND_TO", "0"))
# Leadership surveys (surveys/visibility.py): a 360 group's scores show only when at least this
# many of its raters answered (under it the group is merged into "others" or withheld), and a
# team's culture scan only with at least this many answers. Rater links work this many days.
PLACEWISE_360_GROUP_THRESHOLD = int(os.environ.get("PLACEWISE_360_GROUP_THRESHOLD", "3"))
PLACEWISE_CULTURE_SCAN_THRESHOLD = int(os.environ.get("PLACEWISE_CULTURE_SCAN_THRESHOLD", "3"))
PLACEWISE_RATER_LINK_DAYS = int(os.environ.get("PLACEWISE_RATER_LINK_DAYS", "21"))
PLACEWISE_PLACE_SURVEY_THRESHOLD = int(os.environ.get("PLACEWISE_PLACE_SURVEY_THRESHOLD", "5"))
# Retention for a source that no agreement covers (days).
PLACEWISE_DEFAULT_RETENTION_DAYS = int(os.environ.get("PLACEWISE_DEFAULT_RETENTION_DAYS", 365 * 7))
# How much lower than the web server's the worker's CPU priority is (os.nice: 0-19). Jobs
# (ingest, Splink) otherwise take every core from the pages people are waiting on (ADR 0022).
PLACEWISE_WORKER_NICE = int(os.environ.get("PLACEWISE_WORKER_NICE", "10"))
# A failed or cancelled job's file is kept for a retry this many days, then deleted by
# `placewise retention apply` (or a retention job): it holds people's data that was never loaded.
PLACEWISE_JOB_FILES_DAYS = int(os.environ.get("PLACEWISE_JOB_FILES_DAYS", "30"))
# `placewise link --backend spark`: local mode on this machine, or a cluster URL for a region
# (e.g. spark://linkage.region.example:7077). The driver's memory is for local mode.
# Memory the embedded DuckDB linkage may use before it spills to PLACEWISE_HOME/tmp.
PLACEWISE_LINK_MEMORY = os.environ.get("PLACEWISE_LINK_MEMORY", "4GB")
PLACEWISE_SPARK_MASTER = os.environ.get("PLACEWISE_SPARK_MASTER", "local[*]")
PLACEWISE_SPARK_DRIVER_MEMORY = os.environ.get("PLACEWISE_SPARK_DRIVER_MEMORY", "4g")
# Shuffle partitions: a few per core in local mode; raise it for a cluster.
PLACEWISE_SPARK_PARTITIONS = int(os.environ.get("PLACEWISE_SPARK_PARTITIONS", "4"))
PLACEWISE_SPARK_BREAK_LINEAGE = os.environ.get("PLACEWISE_SPARK_BREAK_LINEAGE", "parquet")
# The secret shared with agencies that encode their own identifiers (`placewise encode`).
PLACEWISE_LINKAGE_SECRET_FILE = Path(
    os.environ.get(
        "PLACEWISE_LINKAGE_SECRET_FILE", PLACEWISE_HOME / "secrets" / "linkage-bloom.key"
    )
)
# A place's own indicators, added to (or replacing) the built-in library; and its population of
# children aged 0-17 by year (CSV: year,children), for rates per 10,000.
PLACEWISE_INDICATORS_FILE = Path(
    os.environ.get("PLACEWISE_INDICATORS_FILE", PLACEWISE_HOME / "indicators.toml")
)
PLACEWISE_POPULATION_FILE = Path(
    os.environ.get("PLACEWISE_POPULATION_FILE", PLACEWISE_HOME / "population.csv")
)
PLACEWISE_DFE_PYTHON = Path(
    os.environ.get("PLACEWISE_DFE_PYTHON", REPO_DIR / ".venv-dfe" / "bin" / "python")
)

SESSION_COOKIE_HTTPONLY = True
# Signed out after 30 minutes without a request, and when the browser closes. The session is
# written at most once a minute to keep it alive (web/security.py SessionKeptAlive), not on every
# request: fewer writes per page view (docs/adr/0022-a-production-web-server.md).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# The reverse proxies in front of the app (addresses or networks). Only from one of these is
# X-Forwarded-For believed, for the address sign-in lock-outs count (sharing/lockout.py): from
# anyone else it is the client's own claim. None by default: the header is never believed.
PLACEWISE_TRUSTED_PROXIES = environment.networks(
    os.environ.get("PLACEWISE_TRUSTED_PROXIES"), variable="PLACEWISE_TRUSTED_PROXIES"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# A refusal is one line with its reason, not a traceback (web/refusals.py). A logger's filters
# only see records logged on that logger itself, so both of Django's 403 loggers carry it.
# Logs go to PLACEWISE_HOME/logs/placewise.log (reopened when logrotate moves it) and to stderr,
# or with PLACEWISE_LOG_TO=stdout to standard output only (for journald or a container). Every
# record passes through operations/logs.py, which masks anything shaped like an NHS number, a UPN
# or a postcode: the code logs no identifiers (tests/integration/operations/test_logs.py), and this is
# the second line.
PLACEWISE_LOG_TO = os.environ.get("PLACEWISE_LOG_TO", "file")
PLACEWISE_LOG_LEVEL = os.environ.get("PLACEWISE_LOG_LEVEL", "WARNING")
PLACEWISE_LOG_FILE = PLACEWISE_HOME / "logs" / "placewise.log"
_LOG_HANDLERS: dict[str, dict[str, object]] = {
    "console": {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout" if PLACEWISE_LOG_TO == "stdout" else "ext://sys.stderr",
        "formatter": "plain",
        "filters": ["without_identifiers"],
    }
}
if PLACEWISE_LOG_TO != "stdout":
    PLACEWISE_LOG_FILE.parent.mkdir(mode=0o750, exist_ok=True)
    _LOG_HANDLERS["file"] = {
        "class": "logging.handlers.WatchedFileHandler",
        "filename": str(PLACEWISE_LOG_FILE),
        "formatter": "plain",
        "filters": ["without_identifiers"],
    }
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "one_line_refusals": {"()": "placewise.web.refusals.OneLineRefusals"},
        "without_identifiers": {"()": "placewise.operations.logs.WithoutIdentifiers"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"}
    },
    "handlers": _LOG_HANDLERS,
    "loggers": {
        "django.request": {"filters": ["one_line_refusals"]},
        "django.security.PermissionDenied": {"filters": ["one_line_refusals"]},
    },
    "root": {"handlers": list(_LOG_HANDLERS), "level": PLACEWISE_LOG_LEVEL},
}

# Production (PLACEWISE_PRODUCTION=1): HTTPS only. `manage.py check --deploy` is clean with these.
if os.environ.get("PLACEWISE_PRODUCTION") == "1":
    DEBUG = False
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
