"""One settings module for every environment, read from the environment.

Nothing here exists only in production: development, tests and deployment differ only in
the variables they set.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from wangge.ops.files import sqlite_files_private

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("WANGGE_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _private_var_dir() -> Path:
    # The database, the secret key and the original photos (with their EXIF location) live
    # here: other accounts on the machine may not even list it.
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    VAR_DIR.chmod(0o700)
    return VAR_DIR


def _secret_key() -> str:
    # No default secret, ever: take it from the environment, or generate one per installation
    # and keep it beside the database so that sessions survive a restart.
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    if os.environ.get("WANGGE_ENV") == "production":
        raise ImproperlyConfigured("生产环境须通过环境变量 SECRET_KEY 提供密钥")
    path = _private_var_dir() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "wangge.core",
    "wangge.accounts",
    "wangge.geo",
    "wangge.people",
    "wangge.cases",
    "wangge.property",
    "wangge.dashboard",
    "wangge.portal",
    "wangge.matching",
    "wangge.projects",
    "wangge.redraw",
    "wangge.demo",
    "wangge.ops",
    "ninja",  # its Swagger UI served from its own static files, not from a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "wangge.headers.SecurityHeaders",  # before WhiteNoise: static files get the headers too
    "wangge.core.error_shape.ErrorShape",  # inside the headers: the answers it rewrites get them too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wangge.core.nul_guard.RefuseNul",
    "wangge.core.json_depth.RefuseDeepJson",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "wangge.core.audit.AuditContext",
    "wangge.core.lazy_messages.LazyMessages",  # MessageMiddleware, its store opened when used
    "wangge.accounts.middleware.SessionPolicy",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "wangge.urls"
CSRF_FAILURE_VIEW = "wangge.core.error_shape.csrf_failure"
WSGI_APPLICATION = "wangge.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
# PBKDF2-HMAC-SM3 (GB/T 22239-2019 level 3: commercial cryptography); Django's PBKDF2 after it so
# that older hashes still verify and are re-hashed with SM3 at the next sign-in.
PASSWORD_HASHERS = [
    "wangge.accounts.hashers.PBKDF2SM3PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "/login"

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
                "wangge.context_processors.navigation",
                "wangge.context_processors.inbox",
                "wangge.portal.context_processors.site",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'wangge.sqlite3'}"
    # Connections persist across requests (each worker keeps its own, checked before reuse):
    # opening one per request cost the article page two thirds of its rate
    # (benchmarks/bench_portal.py). DB_CONN_MAX_AGE=0 opens one per request.
    config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 600), conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        _private_var_dir()
        sqlite_files_private(config["NAME"])  # an older install's files are narrowed
        # WAL lets readers proceed while one writer commits; IMMEDIATE takes the write lock at
        # BEGIN so that two writers queue instead of failing with "database is locked".
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Parameters bound by the server, and a statement run five times on a connection kept
        # open (DB_CONN_MAX_AGE) is prepared: PostgreSQL then skips parsing and planning it,
        # which for a case report was a third of the database's time.
        config["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
    config["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}
    return config


DATABASES = {"default": _database()}

CACHE_BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
    "rediss": "django.core.cache.backends.redis.RedisCache",
    "memcached": "django.core.cache.backends.memcached.PyMemcacheCache",
    "db": "django.core.cache.backends.db.DatabaseCache",
}


def cache_config(url: str) -> dict:
    """CACHE_URL as Django's cache: locmem:// (the default: each worker process keeps its own,
    so the rate limits count per process), redis://host:6379/0 (the redis package),
    memcached://host:11211 (pymemcache) or db://table (this database; `wangge createcachetable`).
    The limits (`core/limits.py`) are shared by every worker only with a shared cache."""
    scheme, _, rest = (url or "locmem://").partition("://")
    if scheme not in CACHE_BACKENDS:
        known = "、".join(f"{name}://" for name in CACHE_BACKENDS)
        raise ImproperlyConfigured(f"CACHE_URL 的协议无法识别：{scheme}；应为以下之一：{known}")
    location = {"redis": url, "rediss": url, "memcached": rest, "db": rest or "wangge_cache"}.get(scheme, rest)
    return {"BACKEND": CACHE_BACKENDS[scheme], "LOCATION": location}


CACHES = {"default": cache_config(os.environ.get("CACHE_URL", ""))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
# The interface speaks Chinese only: a browser asking for English still gets Chinese (also in the admin),
# so no LocaleMiddleware asks the browser (it cost every request, the article page's among them).
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from npm (package-lock.json), never from a CDN: deployments are
# often on closed government networks.
NODE_MODULES = Path(os.environ.get("WANGGE_NODE_MODULES", PROJECT_DIR / "node_modules"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise like static
# files: cacheable (WhiteNoise's max-age) and with the security headers.
WHITENOISE_ROOT = BASE_DIR / "root_files"

# A grid layer of a whole district is a few megabytes; anything larger is refused with a
# clear error rather than read into memory.
WANGGE_MAX_LAYER_BYTES = env_int("WANGGE_MAX_LAYER_BYTES", 30 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = WANGGE_MAX_LAYER_BYTES
WANGGE_DISTRICT_CODE = os.environ.get("WANGGE_DISTRICT_CODE", "410104")
WANGGE_COVERAGE_TOLERANCE_M2 = float(os.environ.get("WANGGE_COVERAGE_TOLERANCE_M2", "1.0"))
# Reverse proxies in front of the platform whose X-Forwarded-For may be trusted (0: none).
WANGGE_TRUSTED_PROXY_HOPS = env_int("WANGGE_TRUSTED_PROXY_HOPS", 0)
# development | production: production refuses to start without its secrets in the environment.
WANGGE_ENV = os.environ.get("WANGGE_ENV", "development")
# 一格一干 多专多群: the fewest specialists and group members a level-3 grid may have.
WANGGE_STAFFING_MIN_SPECIALISTS = env_int("WANGGE_STAFFING_MIN_SPECIALISTS", 2)
WANGGE_STAFFING_MIN_GROUPS = env_int("WANGGE_STAFFING_MIN_GROUPS", 2)
# The most rows a back-office table exports to one .xlsx file; past it the export is refused.
WANGGE_EXPORT_MAX_ROWS = env_int("WANGGE_EXPORT_MAX_ROWS", 10_000)
# Cases: how long a reporter may reopen a closed case; what counts as the same problem reported
# twice; how long Idempotency-Key records are kept (the phone's offline queue may retry for days).
WANGGE_CASE_REOPEN_DAYS = env_int("WANGGE_CASE_REOPEN_DAYS", 7)
WANGGE_CASE_DUPLICATE_METRES = env_int("WANGGE_CASE_DUPLICATE_METRES", 50)
WANGGE_CASE_DUPLICATE_HOURS = env_int("WANGGE_CASE_DUPLICATE_HOURS", 72)
# Reads of the public Open311 requests (list, one request, token) per client address a minute;
# a client that sends its api_key is not counted.
WANGGE_OPEN311_READS_PER_MINUTE = env_int("WANGGE_OPEN311_READS_PER_MINUTE", 30)
WANGGE_IDEMPOTENCY_DAYS = env_int("WANGGE_IDEMPOTENCY_DAYS", 30)
WANGGE_IDEMPOTENCY_STALE_SECONDS = env_int("WANGGE_IDEMPOTENCY_STALE_SECONDS", 120)
# Case photos: kept under MEDIA_ROOT and served only through the API, which checks who asks
# (never by a public media URL: the originals carry the EXIF location). MAX_PIXELS guards
# against decompression bombs (a small file that decodes to gigabytes).
MEDIA_ROOT = Path(os.environ.get("WANGGE_MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
WANGGE_CASE_PHOTO_MAX_BYTES = env_int("WANGGE_CASE_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
WANGGE_CASE_PHOTOS_PER_CASE = env_int("WANGGE_CASE_PHOTOS_PER_CASE", 9)
WANGGE_CASE_PHOTO_MAX_PIXELS = env_int("WANGGE_CASE_PHOTO_MAX_PIXELS", 40_000_000)
# A project disbursement's receipt (image or PDF).
WANGGE_RECEIPT_MAX_BYTES = env_int("WANGGE_RECEIPT_MAX_BYTES", 10 * 1024 * 1024)
# Case deadlines count working time: these hours, Monday to Friday, with the CalendarDay table
# for holidays and weekend workdays (调休). Escalation (吹哨报到) waits in working hours too.
WANGGE_WORKDAY_HOURS = os.environ.get("WANGGE_WORKDAY_HOURS", "09:00-12:00,13:30-17:30")
WANGGE_WHISTLE_AFTER_HOURS = float(os.environ.get("WANGGE_WHISTLE_AFTER_HOURS", "4"))
WANGGE_SUMMONS_HOURS = float(os.environ.get("WANGGE_SUMMONS_HOURS", "2"))
# Departments (codes) summoned by a whistle on a case that has no department of its own yet.
WANGGE_WHISTLE_DEPARTMENTS = env_list("WANGGE_WHISTLE_DEPARTMENTS", "")
# The outbox worker: a failed message is retried after BACKOFF, 2xBACKOFF, 4x... (at most an
# hour) until it has been tried MAX_ATTEMPTS times.
WANGGE_OUTBOX_BACKOFF_SECONDS = env_int("WANGGE_OUTBOX_BACKOFF_SECONDS", 60)
WANGGE_OUTBOX_MAX_ATTEMPTS = env_int("WANGGE_OUTBOX_MAX_ATTEMPTS", 10)
# Notifications (core/notify.py): every message reaches its recipients' inbox (/inbox); with
# WANGGE_NOTIFY_EMAIL=1 also by email to those with an address (Django's SMTP backend and its
# EMAIL_* settings below), and with a webhook URL also to a WeCom or DingTalk group robot (signed
# DingTalk-style when a secret is set). WANGGE_SITE_URL makes the links in them absolute.
WANGGE_NOTIFY_EMAIL = env_bool("WANGGE_NOTIFY_EMAIL")
WANGGE_NOTIFY_WEBHOOK_URL = os.environ.get("WANGGE_NOTIFY_WEBHOOK_URL", "")
WANGGE_NOTIFY_WEBHOOK_SECRET = os.environ.get("WANGGE_NOTIFY_WEBHOOK_SECRET", "")
WANGGE_NOTIFY_WEBHOOK_TIMEOUT_SECONDS = env_int("WANGGE_NOTIFY_WEBHOOK_TIMEOUT_SECONDS", 10)
WANGGE_SITE_URL = os.environ.get("WANGGE_SITE_URL", "").rstrip("/")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "wangge@localhost")
# The public portal (门户网站). The worker re-renders every published page this often and
# compares it with the digest sealed at publication (`wangge portal verify`). Extra lexicon
# files (JSON, as portal/lexicon/starter.json) add to the shipped sensitive words.
WANGGE_PORTAL_NAME = os.environ.get("WANGGE_PORTAL_NAME", "")  # default: the district's name + 网格化基层治理
WANGGE_PORTAL_VERIFY_MINUTES = env_int("WANGGE_PORTAL_VERIFY_MINUTES", 60)
WANGGE_SENSITIVE_LEXICONS = env_list("WANGGE_SENSITIVE_LEXICONS", "")
# The footer a government site carries (GB/T 国办发〔2017〕47号): each line shown only when set,
# never a made-up number. `make run` sets demo values that say they are demo values.
WANGGE_PORTAL_HOST_ORG = os.environ.get("WANGGE_PORTAL_HOST_ORG", "")  # 主办单位
WANGGE_PORTAL_ADDRESS = os.environ.get("WANGGE_PORTAL_ADDRESS", "")  # 地址
WANGGE_PORTAL_CONTACT = os.environ.get("WANGGE_PORTAL_CONTACT", "")  # 联系方式 (a telephone number, an email)
WANGGE_PORTAL_ICP = os.environ.get("WANGGE_PORTAL_ICP", "")  # ICP 备案号, e.g. 豫ICP备12345678号
WANGGE_PORTAL_GOV_CODE = os.environ.get("WANGGE_PORTAL_GOV_CODE", "")  # 政府网站标识码 (10 digits and letters)
# Needs and objections accepted from one address per hour (the public may submit unsigned).
WANGGE_PORTAL_SUBMISSIONS_PER_HOUR = env_int("WANGGE_PORTAL_SUBMISSIONS_PER_HOUR", 5)
# How long a community service project stays in public notice (公示) before it may be filed; the
# district sets it (days).
WANGGE_PROJECT_NOTICE_DAYS = env_int("WANGGE_PROJECT_NOTICE_DAYS", 7)
# A base-map tile server for the maps, e.g. Tianditu with the district's key:
# https://t{s}.tianditu.gov.cn/vec_w/wmts?...&tk=KEY. Without one, maps draw the grids on a
# plain background and no page loads anything from another host.
WANGGE_TILE_URL = os.environ.get("WANGGE_TILE_URL", "")
WANGGE_TILE_ATTRIBUTION = os.environ.get("WANGGE_TILE_ATTRIBUTION", "")

# Sign-in policy (GB/T 22239-2019 8.1.4.1, level 3): complex passwords changed every
# WANGGE_PASSWORD_MAX_AGE_DAYS, lockout after repeated failures, sessions that time out.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "wangge.accounts.passwords.LengthValidator", "OPTIONS": {"min_length": env_int("WANGGE_PASSWORD_MIN_LENGTH", 12)}},
    {"NAME": "wangge.accounts.passwords.ClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "wangge.accounts.passwords.NoUsernameValidator"},
    {"NAME": "wangge.accounts.passwords.HistoryValidator", "OPTIONS": {"count": 5}},
]
WANGGE_PASSWORD_MAX_AGE_DAYS = env_int("WANGGE_PASSWORD_MAX_AGE_DAYS", 90)
# Failures from one address lock the account for that address only; failures from all
# addresses together lock it everywhere after the much higher WANGGE_ACCOUNT_LOCKOUT_FAILURES.
WANGGE_LOCKOUT_FAILURES = env_int("WANGGE_LOCKOUT_FAILURES", 5)
WANGGE_ACCOUNT_LOCKOUT_FAILURES = env_int("WANGGE_ACCOUNT_LOCKOUT_FAILURES", 50)
WANGGE_LOCKOUT_MINUTES = env_int("WANGGE_LOCKOUT_MINUTES", 30)
WANGGE_ADDRESS_FAILURES = env_int("WANGGE_ADDRESS_FAILURES", 20)
WANGGE_ADDRESS_WINDOW_MINUTES = env_int("WANGGE_ADDRESS_WINDOW_MINUTES", 30)
WANGGE_SESSION_IDLE_MINUTES = env_int("WANGGE_SESSION_IDLE_MINUTES", 30)
WANGGE_SESSION_MAX_HOURS = env_int("WANGGE_SESSION_MAX_HOURS", 12)
# API tokens stop working this many days after they are issued.
WANGGE_TOKEN_DAYS = env_int("WANGGE_TOKEN_DAYS", 90)
# One-time passwords go to their receiver's registered mobile by SMS, never back to whoever
# asked for them. The file backend writes each message into WANGGE_SMS_DIR (as Django's file
# e-mail backend does); a real gateway is one more backend class named here.
WANGGE_SMS_BACKEND = os.environ.get("WANGGE_SMS_BACKEND", "wangge.accounts.sms.FileBackend")
WANGGE_SMS_DIR = Path(os.environ.get("WANGGE_SMS_DIR", VAR_DIR / "sms"))
SESSION_COOKIE_AGE = WANGGE_SESSION_MAX_HOURS * 3600
# The audit trail's head is sealed outside the database every few minutes (the worker), so that
# rows deleted from its end are found: keep this directory off the database's machine if you can.
WANGGE_AUDIT_CHECKPOINT_MINUTES = env_int("WANGGE_AUDIT_CHECKPOINT_MINUTES", 5)
WANGGE_AUDIT_CHECKPOINT_DIR = Path(os.environ.get("WANGGE_AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints"))

# Transport and browser security (GB/T 22239-2019 8.1.3, level 3). Production turns HTTPS on by
# default; every switch is a variable, so a development server can be run the same way.
# Content-Security-Policy and Permissions-Policy: wangge/headers.py.
PRODUCTION = WANGGE_ENV == "production"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
# The preload directive commits nothing until the domain is submitted to the browsers' list.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
# Behind a TLS-terminating proxy: SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https". Never
# assumed, since a client could send the header itself when no proxy strips it.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _proxy_header, _, _proxy_value = os.environ["SECURE_PROXY_SSL_HEADER"].partition(":")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.strip().upper().replace("-", "_"), _proxy_value.strip())
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
